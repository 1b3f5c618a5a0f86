package ghfake

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// schema is the subset of OpenAPI 3.0's Schema Object that GitHub's
// description uses in request bodies and parameters. Keywords it only
// uses for documentation (description, example, title, default) are not
// decoded.
type schema struct {
	Ref                  string             `json:"$ref"`
	Type                 string             `json:"type"`
	Nullable             bool               `json:"nullable"`
	Enum                 []any              `json:"enum"`
	Format               string             `json:"format"`
	Properties           map[string]*schema `json:"properties"`
	Required             []string           `json:"required"`
	AdditionalProperties *additional        `json:"additionalProperties"`
	MaxProperties        *int               `json:"maxProperties"`
	ReadOnly             bool               `json:"readOnly"`
	Items                *schema            `json:"items"`
	MinItems             *int               `json:"minItems"`
	MaxItems             *int               `json:"maxItems"`
	UniqueItems          bool               `json:"uniqueItems"`
	MinLength            *int               `json:"minLength"`
	MaxLength            *int               `json:"maxLength"`
	Pattern              string             `json:"pattern"`
	Minimum              *float64           `json:"minimum"`
	Maximum              *float64           `json:"maximum"`
	OneOf                []*schema          `json:"oneOf"`
	AnyOf                []*schema          `json:"anyOf"`
	AllOf                []*schema          `json:"allOf"`
}

// additional is additionalProperties: false, true, or a schema.
type additional struct {
	forbid bool
	schema *schema
}

func (a *additional) UnmarshalJSON(b []byte) error {
	var allowed bool
	if err := json.Unmarshal(b, &allowed); err == nil {
		a.forbid = !allowed
		return nil
	}
	return json.Unmarshal(b, &a.schema)
}

// maxDepth stops a schema that refers to itself without consuming data
// (A: allOf [A]) from recursing forever.
const maxDepth = 64

// validate returns what is wrong with val (decoded with UseNumber) under
// s, each problem prefixed by where it is (body.labels[0]).
func (sp *spec) validate(s *schema, val any, at string) []string {
	return sp.check(s, val, at, 0)
}

func (sp *spec) check(s *schema, val any, at string, depth int) []string {
	if depth > maxDepth {
		return []string{at + ": the schema nests too deeply to check"}
	}
	s, err := sp.deref(s)
	if err != nil {
		return []string{at + ": " + err.Error()}
	}
	if s == nil {
		return nil
	}
	// OpenAPI 3.0: nullable adds null to the type; a schema with no type
	// says nothing about null.
	if val == nil && (s.Nullable || s.Type == "" && len(s.Enum) == 0 && len(s.OneOf)+len(s.AnyOf)+len(s.AllOf) == 0) {
		return nil
	}
	var probs []string
	if s.Type != "" && !hasType(s.Type, val) {
		return []string{fmt.Sprintf("%s: want %s, got %s", at, s.Type, kind(val))}
	}
	if len(s.Enum) > 0 && !slices.ContainsFunc(s.Enum, func(e any) bool { return equal(e, val) }) {
		probs = append(probs, fmt.Sprintf("%s: %s is not one of %s", at, show(val), showAll(s.Enum)))
	}
	switch v := val.(type) {
	case map[string]any:
		probs = append(probs, sp.checkObject(s, v, at, depth)...)
	case []any:
		probs = append(probs, sp.checkArray(s, v, at, depth)...)
	case string:
		probs = append(probs, checkString(s, v, at)...)
	case json.Number:
		probs = append(probs, checkNumber(s, v, at)...)
	}
	return append(probs, sp.checkComposition(s, val, at, depth)...)
}

// deref follows $ref until a schema with content.
func (sp *spec) deref(s *schema) (*schema, error) {
	for range maxDepth {
		if s == nil || s.Ref == "" {
			return s, nil
		}
		next, err := sp.schemaRef(s.Ref)
		if err != nil {
			return nil, err
		}
		s = next
	}
	return nil, fmt.Errorf("$ref chain longer than %d", maxDepth)
}

func (sp *spec) checkObject(s *schema, obj map[string]any, at string, depth int) []string {
	var probs []string
	for _, name := range s.Required {
		if _, ok := obj[name]; !ok {
			probs = append(probs, fmt.Sprintf("%s: missing required property %q", at, name))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		where := at + "." + name
		prop, ok := s.Properties[name]
		switch {
		case ok:
			if p, err := sp.deref(prop); err == nil && p != nil && p.ReadOnly {
				probs = append(probs, where+": is read-only and cannot be sent")
			}
			probs = append(probs, sp.check(prop, obj[name], where, depth+1)...)
		case s.AdditionalProperties != nil && s.AdditionalProperties.forbid:
			probs = append(probs, fmt.Sprintf("%s: unknown property (documented: %s)", where, strings.Join(slices.Sorted(maps.Keys(s.Properties)), ", ")))
		case s.AdditionalProperties != nil && s.AdditionalProperties.schema != nil:
			probs = append(probs, sp.check(s.AdditionalProperties.schema, obj[name], where, depth+1)...)
		}
	}
	if s.MaxProperties != nil && len(obj) > *s.MaxProperties {
		probs = append(probs, fmt.Sprintf("%s: has %d properties, at most %d allowed", at, len(obj), *s.MaxProperties))
	}
	return probs
}

func (sp *spec) checkArray(s *schema, arr []any, at string, depth int) []string {
	var probs []string
	if s.MinItems != nil && len(arr) < *s.MinItems {
		probs = append(probs, fmt.Sprintf("%s: has %d items, at least %d required", at, len(arr), *s.MinItems))
	}
	if s.MaxItems != nil && len(arr) > *s.MaxItems {
		probs = append(probs, fmt.Sprintf("%s: has %d items, at most %d allowed", at, len(arr), *s.MaxItems))
	}
	for i, item := range arr {
		if s.UniqueItems && slices.ContainsFunc(arr[:i], func(e any) bool { return equal(e, item) }) {
			probs = append(probs, fmt.Sprintf("%s[%d]: repeats an earlier item, and items must be unique", at, i))
		}
		if s.Items != nil {
			probs = append(probs, sp.check(s.Items, item, fmt.Sprintf("%s[%d]", at, i), depth+1)...)
		}
	}
	return probs
}

func checkString(s *schema, v, at string) []string {
	var probs []string
	n := utf8.RuneCountInString(v)
	if s.MinLength != nil && n < *s.MinLength {
		probs = append(probs, fmt.Sprintf("%s: is %d characters, at least %d required", at, n, *s.MinLength))
	}
	if s.MaxLength != nil && n > *s.MaxLength {
		probs = append(probs, fmt.Sprintf("%s: is %d characters, at most %d allowed", at, n, *s.MaxLength))
	}
	// The patterns are ECMAScript; the few Go's RE2 cannot compile (look-
	// arounds) are not checked.
	if re, err := regexp.Compile(s.Pattern); s.Pattern != "" && err == nil && !re.MatchString(v) {
		probs = append(probs, fmt.Sprintf("%s: %q does not match the pattern %s", at, v, s.Pattern))
	}
	layout := map[string]string{"date-time": time.RFC3339, "date": time.DateOnly}[s.Format]
	if _, err := time.Parse(layout, v); layout != "" && err != nil {
		probs = append(probs, fmt.Sprintf("%s: %q is not a %s (%s)", at, v, s.Format, layout))
	}
	return probs
}

func checkNumber(s *schema, v json.Number, at string) []string {
	f, _ := v.Float64()
	var probs []string
	if s.Minimum != nil && f < *s.Minimum {
		probs = append(probs, fmt.Sprintf("%s: %s is less than the minimum %v", at, v, *s.Minimum))
	}
	if s.Maximum != nil && f > *s.Maximum {
		probs = append(probs, fmt.Sprintf("%s: %s is more than the maximum %v", at, v, *s.Maximum))
	}
	return probs
}

// checkComposition applies allOf (every branch) and oneOf/anyOf (some
// branch). oneOf is read as anyOf: GitHub's alternatives overlap (an
// object with only optional properties matches many), so "exactly one"
// would reject requests GitHub accepts.
func (sp *spec) checkComposition(s *schema, val any, at string, depth int) []string {
	var probs []string
	for _, sub := range s.AllOf {
		probs = append(probs, sp.check(sub, val, at, depth+1)...)
	}
	for _, alts := range [][]*schema{s.OneOf, s.AnyOf} {
		if len(alts) == 0 {
			continue
		}
		if len(alts) == 1 {
			probs = append(probs, sp.check(alts[0], val, at, depth+1)...)
			continue
		}
		var why []string
		for i, sub := range alts {
			p := sp.check(sub, val, at, depth+1)
			if len(p) == 0 {
				why = nil
				break
			}
			why = append(why, fmt.Sprintf("(%d) %s", i+1, strings.Join(p, "; ")))
		}
		if why != nil {
			probs = append(probs, fmt.Sprintf("%s: matches none of the %d alternatives: %s", at, len(alts), strings.Join(why, " | ")))
		}
	}
	return probs
}

func hasType(typ string, val any) bool {
	switch v := val.(type) {
	case map[string]any:
		return typ == "object"
	case []any:
		return typ == "array"
	case string:
		return typ == "string"
	case bool:
		return typ == "boolean"
	case json.Number:
		if typ == "integer" {
			f, err := v.Float64()
			return err == nil && f == math.Trunc(f)
		}
		return typ == "number"
	}
	return false
}

func kind(val any) string {
	switch v := val.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case bool:
		return "boolean"
	case json.Number:
		if hasType("integer", v) {
			return "integer " + v.String()
		}
		return "number " + v.String()
	}
	return fmt.Sprintf("%T", val)
}

// equal compares a JSON value from a request with one from the
// description (where numbers are float64).
func equal(a, b any) bool {
	if n, ok := a.(json.Number); ok {
		a, _ = n.Float64()
	}
	if n, ok := b.(json.Number); ok {
		b, _ = n.Float64()
	}
	switch a.(type) {
	case nil, string, bool, float64:
		return a == b
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func show(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func showAll(vs []any) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = show(v)
	}
	return strings.Join(parts, ", ")
}
