package rule

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
)

// condition is a compiled if: whether it holds for a record.
type condition func(inc *incident.Incident) bool

// Conditions are the keys of an if mapping. Keys of one mapping must all
// hold; all, any and not group conditions.
var Conditions = []string{"severity", "status", "phase", "kind", "visibility", "tags", "orgs", "services", "roles", "field", "all", "any", "not"}

// SetMatches are the ways a list of the record (tags, orgs, services) is
// compared with the rule's names.
var SetMatches = []string{"any", "all", "none"}

// FieldMatches are the ways a text field of the record is compared.
var FieldMatches = []string{"equals", "contains", "empty"}

// condition reads an if mapping into one condition that holds when every
// key's condition holds.
func (p *parser) condition(n *yaml.Node, where string) condition {
	f, ok := p.fields(n, where, Conditions)
	if !ok {
		return nil
	}
	if len(n.Content) == 0 {
		p.errorf(n, "%s is empty; leave it out for a rule that runs on every matching event", where)
		return nil
	}
	var parts []condition
	for _, name := range Conditions { // a stable order, whatever the file's
		v, has := f[name]
		if !has {
			continue
		}
		if c := p.conditionKey(name, v.value, where+"."+name); c != nil {
			parts = append(parts, c)
		}
	}
	return allOf(parts)
}

func (p *parser) conditionKey(name string, n *yaml.Node, where string) condition {
	s := p.env.Settings
	switch name {
	case "severity":
		return p.severity(n, where)
	case "status":
		names, ok := p.statuses(n, where)
		return when(ok, func(inc *incident.Incident) bool { return slices.Contains(names, inc.Status) })
	case "phase":
		phases, ok := p.oneOf(n, where, "phase", []string{config.PhaseActive, config.PhaseDone, config.PhaseDeclined})
		return when(ok, func(inc *incident.Incident) bool {
			st, _ := s.Status(inc.Status)
			return slices.Contains(phases, st.Phase)
		})
	case "kind":
		kinds, ok := p.oneOf(n, where, "kind", incident.Kinds)
		return when(ok, func(inc *incident.Incident) bool { return slices.Contains(kinds, inc.EffectiveKind()) })
	case "visibility":
		vs, ok := p.oneOf(n, where, "visibility", incident.Visibilities)
		return when(ok, func(inc *incident.Incident) bool { return slices.Contains(vs, inc.EffectiveVisibility()) })
	case "tags", "orgs", "services":
		return p.setMatch(n, where, name)
	case "roles":
		return p.roles(n, where)
	case "field":
		return p.fieldMatch(n, where)
	case "all", "any":
		return p.group(n, where, name == "any")
	}
	c := p.condition(n, where) // not
	return when(c != nil, func(inc *incident.Incident) bool { return !c(inc) })
}

// when returns c if the condition was read without errors, else nil (the
// rule is refused anyway; nil keeps later code from running half a rule).
func when(ok bool, c condition) condition {
	if !ok {
		return nil
	}
	return c
}

func allOf(cs []condition) condition {
	return func(inc *incident.Incident) bool {
		for _, c := range cs {
			if !c(inc) {
				return false
			}
		}
		return true
	}
}

// severity reads a severity condition: a name (is), or a mapping of
// at-least, at-most and is. Level 1 is the most severe, so "at least
// SEV2" holds for SEV1 and SEV2.
func (p *parser) severity(n *yaml.Node, where string) condition {
	if n.Kind != yaml.MappingNode {
		levels, ok := p.severities(n, where)
		return when(ok, severityTest("is", levels))
	}
	f, ok := p.fields(n, where, []string{"at-least", "at-most", "is"})
	if !ok || !p.nonEmpty(n, f, where) {
		return nil
	}
	var parts []condition
	for _, name := range []string{"at-least", "at-most", "is"} {
		v, has := f[name]
		if !has {
			continue
		}
		levels, good := p.severities(v.value, where+"."+name)
		if !good {
			ok = false
			continue
		}
		if name != "is" && len(levels) != 1 {
			p.errorf(v.value, "%s.%s takes one severity", where, name)
			ok = false
			continue
		}
		parts = append(parts, severityTest(name, levels))
	}
	return when(ok, allOf(parts))
}

func severityTest(op string, levels []string) condition {
	bound := 0
	if len(levels) > 0 {
		bound, _ = strconv.Atoi(levels[0])
	}
	return func(inc *incident.Incident) bool {
		switch op {
		case "at-least":
			return inc.Severity >= 1 && inc.Severity <= bound
		case "at-most":
			return inc.Severity >= bound
		}
		return slices.Contains(levels, strconv.Itoa(inc.Severity))
	}
}

// nonEmpty reports a mapping with no fields at all (unknown fields are
// reported on their own).
func (p *parser) nonEmpty(n *yaml.Node, f map[string]field, where string) bool {
	if len(f) == 0 && len(n.Content) == 0 {
		p.errorf(n, "%s is empty", where)
		return false
	}
	return true
}

// oneOf reads a word or list from a fixed set of values.
func (p *parser) oneOf(n *yaml.Node, where, what string, allowed []string) ([]string, bool) {
	items, ok := p.texts(n, where)
	var out []string
	for _, it := range items {
		if !slices.Contains(allowed, it.value) {
			p.errorf(it.node, "unknown %s %q; use one of %s", what, it.value, joinWords(allowed))
			ok = false
		}
		out = append(out, it.value)
	}
	return out, ok
}

// setMatch reads {any|all|none: names} for tags, orgs or services.
func (p *parser) setMatch(n *yaml.Node, where, list string) condition {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s must say how to match: {any: [...]}, {all: [...]} or {none: [...]}", where)
		return nil
	}
	f, ok := p.fields(n, where, SetMatches)
	if !ok || !p.nonEmpty(n, f, where) {
		return nil
	}
	kind := strings.TrimSuffix(list, "s")
	var parts []condition
	for _, op := range SetMatches {
		v, has := f[op]
		if !has {
			continue
		}
		names, good := p.names(v.value, where+"."+op, kind)
		ok = ok && good
		parts = append(parts, setTest(list, op, names))
	}
	return when(ok, allOf(parts))
}

func setTest(list, op string, names []string) condition {
	return func(inc *incident.Incident) bool {
		have := inc.Tags
		switch list {
		case "orgs":
			have = inc.Orgs
		case "services":
			have = inc.Services
		}
		n := 0
		for _, name := range names {
			if slices.Contains(have, name) {
				n++
			}
		}
		switch op {
		case "any":
			return n > 0
		case "all":
			return n == len(names)
		}
		return n == 0
	}
}

// roles reads {held: roles, vacant: roles}: roles someone holds, and roles
// nobody holds.
func (p *parser) roles(n *yaml.Node, where string) condition {
	f, ok := p.fields(n, where, []string{"held", "vacant"})
	if !ok || !p.nonEmpty(n, f, where) {
		return nil
	}
	var parts []condition
	for _, op := range []string{"held", "vacant"} {
		v, has := f[op]
		if !has {
			continue
		}
		names, good := p.names(v.value, where+"."+op, "role")
		ok = ok && good
		held := op == "held"
		parts = append(parts, func(inc *incident.Incident) bool {
			for _, r := range names {
				if (inc.Roles[r] != "") != held {
					return false
				}
			}
			return true
		})
	}
	return when(ok, allOf(parts))
}

// group reads all: [...] or any: [...].
func (p *parser) group(n *yaml.Node, where string, either bool) condition {
	items, ok := p.sequence(n, where)
	if !ok {
		return nil
	}
	var parts []condition
	for i, it := range items {
		c := p.condition(it, fmt.Sprintf("%s[%d]", where, i))
		if c == nil {
			ok = false
			continue
		}
		parts = append(parts, c)
	}
	if !either {
		return when(ok, allOf(parts))
	}
	return when(ok, func(inc *incident.Incident) bool {
		return slices.ContainsFunc(parts, func(c condition) bool { return c(inc) })
	})
}

func joinWords(ws []string) string { return strings.Join(ws, ", ") }
