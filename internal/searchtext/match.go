package searchtext

import (
	"slices"
	"strconv"
	"strings"
)

// Match reports whether the incident d passes the query's filters and
// date bounds, as the index applies them (sev search): every filter must
// hold, a filter holds when any of its values is the incident's (a
// negated one when none is), and a date bound needs a date. Words and
// phrases are not looked at; HasText says whether there are any.
func (q *Query) Match(d *Doc) bool {
	for _, f := range q.Filters {
		if slices.ContainsFunc(f.Values, func(v string) bool { return d.has(f.Field, v) }) == f.Not {
			return false
		}
	}
	if !q.After.IsZero() || !q.Before.IsZero() {
		if d.Date.IsZero() || d.Date.Before(q.After) || !q.Before.IsZero() && !d.Date.Before(q.Before) {
			return false
		}
	}
	return true
}

// HasText reports whether the query has words or phrases besides its
// filters.
func (q *Query) HasText() bool { return len(q.Text) > 0 }

// HasFilter reports whether the query filters on field (FieldPerson, ...).
func (q *Query) HasFilter(field string) bool {
	return slices.ContainsFunc(q.Filters, func(f Filter) bool { return f.Field == field })
}

// has reports whether the incident has value v (as ParseQuery normalised
// it) in the filter field; values compare in lower case, as the index
// keeps them.
func (d *Doc) has(field, v string) bool {
	eq := func(s string) bool { return strings.ToLower(s) == v }
	switch field {
	case FieldSev:
		return strconv.Itoa(d.Severity) == v
	case FieldStatus:
		return eq(d.Status)
	case FieldKind:
		return eq(d.Kind)
	case FieldTag:
		return slices.ContainsFunc(d.Tags, eq)
	case FieldOrg:
		return slices.ContainsFunc(d.Orgs, eq)
	case FieldService:
		return slices.ContainsFunc(d.Services, eq)
	case FieldPerson:
		return slices.ContainsFunc(d.People, eq)
	}
	return false
}
