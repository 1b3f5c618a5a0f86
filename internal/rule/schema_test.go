package rule_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/rule"
)

// The editor's view of a rule file (schema/rule.schema.json) must be the
// one rule.Parse has: these tests tie the schema's keys to the parser's
// tables, and run the schema on every rule the parser accepts and on rules
// it refuses.

type object = map[string]any

func loadRuleSchema(t *testing.T) object {
	t.Helper()
	data, err := os.ReadFile("../../schema/rule.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var s object
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// at follows a path of keys from the root, resolving references.
func at(t *testing.T, root object, path ...string) object {
	t.Helper()
	cur := root
	for _, p := range path {
		next, ok := resolve(root, cur)[p].(object)
		if !ok {
			t.Fatalf("schema: %s is not an object", strings.Join(path, "/"))
		}
		cur = next
	}
	return resolve(root, cur)
}

func resolve(root, s object) object {
	for {
		ref, ok := s["$ref"].(string)
		if !ok {
			return s
		}
		s = root
		for _, p := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			s = s[p].(object)
		}
	}
}

func keys(o object) []string { return slices.Sorted(maps.Keys(o)) }

func sorted(xs []string) []string {
	out := slices.Clone(xs)
	sort.Strings(out)
	return out
}

// objectForm is the mapping alternative of a oneOf, or the schema itself.
func objectForm(root, s object) object {
	s = resolve(root, s)
	if alts, ok := s["oneOf"].([]any); ok {
		for _, a := range alts {
			if o := resolve(root, a.(object)); o["type"] == "object" {
				return o
			}
		}
	}
	return s
}

func TestSchemaMatchesParser(t *testing.T) {
	s := loadRuleSchema(t)
	check := func(what string, got, want []string) {
		t.Helper()
		if !slices.Equal(sorted(got), sorted(want)) {
			t.Errorf("%s: the schema has %v, the parser %v", what, sorted(got), sorted(want))
		}
	}
	check("rule fields", keys(s["properties"].(object)), rule.Fields)
	check("conditions", keys(at(t, s, "$defs", "condition", "properties")), rule.Conditions)
	check("set matches", keys(at(t, s, "$defs", "setMatch", "properties")), rule.SetMatches)
	check("field matches", keys(at(t, s, "$defs", "fieldMatch", "properties")), rule.FieldMatches)
	check("fields of field", keys(at(t, s, "$defs", "condition", "properties", "field", "properties")), incident.SettableFields)
	steps := at(t, s, "$defs", "step", "properties")
	check("steps", keys(steps), rule.Steps)
	for kind, fields := range rule.StepFields {
		check(kind+" fields", keys(objectForm(s, steps[kind].(object))["properties"].(object)), fields)
	}
	check("webhook formats", strs(at(t, s, "$defs", "step", "properties", "webhook", "properties", "format")["enum"]), rule.WebhookFormats)
	trig := at(t, s, "$defs", "trigger")["oneOf"].([]any)
	var plain []string
	for _, t := range rule.Triggers {
		if !slices.Contains(rule.Timed, t) {
			plain = append(plain, t)
		}
	}
	check("triggers", strs(trig[0].(object)["enum"]), plain)
	check("triggers with a filter", keys(trig[1].(object)["properties"].(object)), rule.Filtered)
	check("timed triggers", keys(trig[2].(object)["properties"].(object)), rule.Timed)
	check("set fields", strs(at(t, s, "$defs", "step", "properties", "set", "properties", "field")["enum"]), incident.SettableFields)
}

func strs(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// TestSchemaAcceptsWhatParseAccepts runs the schema on the demo's rules
// and the parse cases: rules that parse without errors are valid, and the
// files of the cases below are not.
func TestSchemaAcceptsWhatParseAccepts(t *testing.T) {
	s := loadRuleSchema(t)
	valid, _ := filepath.Glob("../../rules/*.yaml")
	f := loadFixture(t, "testdata/parse/valid.txtar")
	docs := map[string][]byte{}
	for _, p := range valid {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		docs[p] = b
	}
	for name, b := range f.files {
		if strings.HasPrefix(name, "rules/") {
			docs[name] = b
		}
	}
	for name, b := range docs {
		if err := validate(s, s, yamlValue(t, b), ""); err != nil {
			t.Errorf("%s: the schema refuses a valid rule: %v", name, err)
		}
	}
	for _, bad := range []string{
		"on: declared\nsteps:\n  - notes: x\n",
		"on: declard\nsteps:\n  - note: x\n",
		"on: declared\nsteps: []\n",
		"on: declared\nsteps:\n  - note: x\n    tag: y\n",
		"on: declared\nsteps:\n  - webhook: {name: x, url-env: X, secret: s}\n",
		"on: declared\nsteps:\n  - webhook: {name: x, url: 'http://example.com'}\n",
		"on: declared\nsteps:\n  - webhook: {name: x, url: 'https://example.com', url-env: X}\n",
		"on: declared\nsteps:\n  - assign: {role: x, rotation: y, person: z}\n",
		"on: declared\nif: {severty: SEV1}\nsteps:\n  - note: x\n",
		"on: declared\nif: {tags: {some: [x]}}\nsteps:\n  - note: x\n",
		"on: {postmortem-overdue: x}\nsteps:\n  - note: x\n",
		"steps:\n  - note: x\n",
	} {
		if validate(s, s, yamlValue(t, []byte(bad)), "") == nil {
			t.Errorf("the schema accepts a rule sev refuses:\n%s", bad)
		}
	}
}

func yamlValue(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// validate evaluates the keywords the rule schema uses, and fails on any
// other so that a new keyword cannot go untested.
func validate(root, s object, v any, ptr string) error {
	s = resolve(root, s)
	for _, k := range keys(s) {
		if err := keyword(root, s, k, v, ptr); err != nil {
			return err
		}
	}
	return nil
}

func keyword(root, s object, k string, v any, ptr string) error {
	arg := s[k]
	m, isMap := v.(map[string]any)
	switch k {
	case "$schema", "$id", "$defs", "$ref", "title", "description", "default", "examples":
	case "type":
		if !typeOK(arg, v) {
			return fmt.Errorf("%s: %v is not %v", ptr, v, arg)
		}
	case "enum":
		if !slices.Contains(arg.([]any), v) {
			return fmt.Errorf("%s: %v is not one of %v", ptr, v, arg)
		}
	case "required":
		for _, r := range strs(arg) {
			if _, ok := m[r]; isMap && !ok {
				return fmt.Errorf("%s: %s is missing", ptr, r)
			}
		}
	case "properties":
		for name, sub := range arg.(object) {
			if x, ok := m[name]; isMap && ok {
				if err := validate(root, sub.(object), x, ptr+"/"+name); err != nil {
					return err
				}
			}
		}
	case "additionalProperties":
		props, _ := s["properties"].(object)
		for name := range m {
			if _, ok := props[name]; !ok && arg == false {
				return fmt.Errorf("%s: unknown field %s", ptr, name)
			}
		}
	case "items":
		if xs, ok := v.([]any); ok {
			for i, x := range xs {
				if err := validate(root, arg.(object), x, fmt.Sprintf("%s/%d", ptr, i)); err != nil {
					return err
				}
			}
		}
	case "oneOf":
		n := 0
		for _, alt := range arg.([]any) {
			if validate(root, alt.(object), v, ptr) == nil {
				n++
			}
		}
		if n != 1 {
			return fmt.Errorf("%s: %d alternatives of oneOf match", ptr, n)
		}
	case "minItems", "minProperties", "maxProperties", "minLength", "maxLength":
		return size(k, arg.(float64), v, ptr)
	case "pattern":
		if str, ok := v.(string); ok && !regexp.MustCompile(arg.(string)).MatchString(str) {
			return fmt.Errorf("%s: %q does not match %s", ptr, str, arg)
		}
	default:
		panic("the rule schema uses " + k + ", which this test cannot evaluate; extend keyword")
	}
	return nil
}

func size(k string, limit float64, v any, ptr string) error {
	n := -1.0
	switch x := v.(type) {
	case []any:
		if k == "minItems" {
			n = float64(len(x))
		}
	case map[string]any:
		if strings.HasSuffix(k, "Properties") {
			n = float64(len(x))
		}
	case string:
		if strings.HasSuffix(k, "Length") {
			n = float64(len([]rune(x)))
		}
	}
	if n < 0 {
		return nil
	}
	if strings.HasPrefix(k, "min") && n < limit || strings.HasPrefix(k, "max") && n > limit {
		return fmt.Errorf("%s: %s %v", ptr, k, limit)
	}
	return nil
}

func typeOK(want, v any) bool {
	if list, ok := want.([]any); ok {
		return slices.ContainsFunc(list, func(w any) bool { return typeOK(w, v) })
	}
	switch v.(type) {
	case string:
		return want == "string"
	case int, float64:
		return want == "integer" || want == "number"
	case bool:
		return want == "boolean"
	case []any:
		return want == "array"
	case map[string]any:
		return want == "object"
	case nil:
		return want == "null"
	}
	return false
}
