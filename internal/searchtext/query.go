package searchtext

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Query is a parsed search: words and phrases that must all match
// (anywhere in the incident), words and phrases that must not, and field
// filters that narrow the results without changing their ranking.
type Query struct {
	// Synonyms is the key of the synonyms Expand gave the clauses
	// (Synonyms.Key), "" when none applied.
	Synonyms string
	Text     []Clause
	Filters  []Filter
	After    time.Time // declared at or after; zero: no bound
	Before   time.Time // declared before; zero: no bound
}

// Clause is a word or a quoted phrase.
type Clause struct {
	Text   string
	Phrase bool
	Not    bool
	// Alt are words and phrases that satisfy the clause as well as Text
	// does: its synonyms (Synonyms.Expand); Group names their group.
	Alt   []string
	Group string
	// Prefix marks the word being typed: the query's last, unquoted and
	// not negated, with nothing after it (not even a space). Terms that
	// start with it match too, below the word itself — the site's search
	// has the same rule.
	Prefix bool
}

// Filter is key:value[,value...]: any of the values matches. Severity
// values are levels as text ("1").
type Filter struct {
	Field  string // the index field
	Values []string
	Not    bool
}

// Vocabulary is what filter values are checked against.
type Vocabulary struct {
	Severity func(string) (int, error) // "1", "SEV1"; nil: whole numbers
	Statuses []string                  // nil: any
	Location *time.Location            // dates without a zone; nil: UTC
}

// QueryError points at the part of a query that is wrong.
type QueryError struct {
	Query string
	Col   int // 1-based, in characters
	Msg   string
}

func (e *QueryError) Error() string { return fmt.Sprintf("column %d: %s", e.Col, e.Msg) }

// Caret returns the query and a line with a caret under the bad part.
func (e *QueryError) Caret() string {
	return e.Query + "\n" + strings.Repeat(" ", max(0, e.Col-1)) + "^"
}

// The fields a filter names, as the index calls them.
const (
	FieldSev     = "sev"
	FieldStatus  = "status"
	FieldKind    = "kind"
	FieldTag     = "tag"
	FieldOrg     = "org"
	FieldService = "service"
	FieldPerson  = "person"
)

// filterKeys maps what users type to index fields.
var filterKeys = map[string]string{
	"sev": FieldSev, "severity": FieldSev, "status": FieldStatus, "tag": FieldTag, "org": FieldOrg, "service": FieldService,
	"kind": FieldKind, "person": FieldPerson, "after": "after", "before": "before",
}

var kinds = []string{"normal", "drill", "maintenance", "backfill"}

// FilterKeys lists the filter names, for help and error messages.
func FilterKeys() []string {
	keys := make([]string, 0, len(filterKeys))
	for k := range filterKeys {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ParseQuery parses the query language (docs/search.md):
//
//	database timeout "connection reset" -staging sev:1 tag:payments,checkout status:open after:2025-06-01
func ParseQuery(s string, v Vocabulary) (*Query, error) {
	p := &parser{src: s, v: v, q: &Query{}}
	if !utf8.ValidString(s) {
		return nil, &QueryError{Query: strings.ToValidUTF8(s, "\uFFFD"), Col: 1, Msg: "the query is not valid UTF-8"}
	}
	for p.skipSpace(); p.i < len(s); p.skipSpace() {
		if err := p.clause(); err != nil {
			return nil, err
		}
	}
	return p.q, nil
}

type parser struct {
	src string
	i   int
	v   Vocabulary
	q   *Query
}

func (p *parser) errAt(byteOff int, format string, args ...any) error {
	return &QueryError{Query: p.src, Col: utf8.RuneCountInString(p.src[:byteOff]) + 1, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) skipSpace() {
	for p.i < len(p.src) {
		r, n := utf8.DecodeRuneInString(p.src[p.i:])
		if !unicode.IsSpace(r) {
			return
		}
		p.i += n
	}
}

// clause reads one space-separated part.
func (p *parser) clause() error {
	start := p.i
	not := false
	if p.src[p.i] == '-' && p.i+1 < len(p.src) && !isSpaceAt(p.src, p.i+1) {
		not = true
		p.i++
	}
	if p.src[p.i] == '"' {
		text, err := p.quoted()
		if err != nil {
			return err
		}
		p.q.Text = append(p.q.Text, Clause{Text: text, Phrase: true, Not: not})
		return nil
	}
	wordStart := p.i
	for p.i < len(p.src) && !isSpaceAt(p.src, p.i) && p.src[p.i] != '"' {
		p.i++
	}
	word := p.src[wordStart:p.i]
	key, val, hasColon := strings.Cut(word, ":")
	if hasColon && isFilterKey(key) && !strings.HasPrefix(val, "//") && (val != "" || p.i < len(p.src) && p.src[p.i] == '"') {
		return p.filter(start, wordStart, strings.ToLower(key), val, not)
	}
	if p.i < len(p.src) && p.src[p.i] == '"' {
		return p.errAt(p.i, "a quote must start a phrase: put a space before it")
	}
	if word != "" {
		p.q.Text = append(p.q.Text, Clause{Text: word, Not: not, Prefix: !not && p.i == len(p.src)})
	}
	return nil
}

func isSpaceAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r)
}

// isFilterKey reports whether key looks like a filter name (letters
// only), known or not: "error:timeout" is a mistake worth reporting, but
// "14:31" and "10.0.0.1:443" are text.
func isFilterKey(key string) bool {
	if key == "" {
		return false
	}
	for _, r := range key {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			return false
		}
	}
	return true
}

// quoted reads a "..." phrase; \" and \\ are escapes.
func (p *parser) quoted() (string, error) {
	open := p.i
	p.i++
	var b strings.Builder
	for p.i < len(p.src) {
		c := p.src[p.i]
		switch {
		case c == '\\' && p.i+1 < len(p.src) && (p.src[p.i+1] == '"' || p.src[p.i+1] == '\\'):
			b.WriteByte(p.src[p.i+1])
			p.i += 2
		case c == '"':
			p.i++
			if p.i < len(p.src) && !isSpaceAt(p.src, p.i) {
				return "", p.errAt(p.i, "a phrase must be followed by a space")
			}
			return b.String(), nil
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", p.errAt(open, "this quote is never closed; add a \" at the end of the phrase")
}

func (p *parser) filter(start, keyOff int, key, val string, not bool) error {
	field, ok := filterKeys[key]
	valOff := keyOff + len(key) + 1
	if !ok {
		return p.errAt(keyOff, "unknown filter %q; filters are %s (quote the text to search for it: \"%s:%s\")",
			key+":", strings.Join(FilterKeys(), ", "), key, val)
	}
	if val == "" { // key:"quoted value"
		q, err := p.quoted()
		if err != nil {
			return err
		}
		val = q
	}
	if field == "after" || field == "before" {
		if not {
			return p.errAt(start, "%s: cannot be negated; use %s", key, map[string]string{"after": "before:", "before": "after:"}[key])
		}
		t, err := p.date(val)
		if err != nil {
			return p.errAt(valOff, "bad date %q for %s:; use YYYY-MM-DD or an RFC 3339 time", val, key)
		}
		if field == "after" {
			p.q.After = t
		} else {
			p.q.Before = t
		}
		return nil
	}
	f := Filter{Field: field, Not: not}
	off := valOff
	for _, v := range strings.Split(val, ",") {
		if v == "" {
			return p.errAt(off, "empty value for %s:", key)
		}
		norm, err := p.value(field, v)
		if err != nil {
			return p.errAt(off, "%v", err)
		}
		f.Values = append(f.Values, norm)
		off += len(v) + 1
	}
	p.q.Filters = append(p.q.Filters, f)
	return nil
}

// value checks and normalises one filter value.
func (p *parser) value(field, v string) (string, error) {
	lv := strings.ToLower(v)
	switch field {
	case FieldSev:
		level, err := p.severity(v)
		if err != nil {
			return "", err
		}
		return strconv.Itoa(level), nil
	case FieldStatus:
		if len(p.v.Statuses) > 0 && !slices.Contains(p.v.Statuses, lv) {
			return "", fmt.Errorf("unknown status %q; statuses are %s", v, strings.Join(p.v.Statuses, ", "))
		}
	case FieldKind:
		if !slices.Contains(kinds, lv) {
			return "", fmt.Errorf("unknown kind %q; kinds are %s", v, strings.Join(kinds, ", "))
		}
	}
	return lv, nil
}

func (p *parser) severity(v string) (int, error) {
	if p.v.Severity != nil {
		return p.v.Severity(v)
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("bad severity %q; use a level such as 1", v)
	}
	return n, nil
}

func (p *parser) date(v string) (time.Time, error) {
	loc := p.v.Location
	if loc == nil {
		loc = time.UTC
	}
	for _, layout := range []string{"2006-01-02", "2006-01"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, nil
		}
	}
	return time.Parse(time.RFC3339, v)
}
