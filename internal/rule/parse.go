package rule

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// Fields are the keys of a rule file.
var Fields = []string{"name", "description", "once", "on", "if", "steps"}

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// NameOf is the name of the rule in a file: its base name without .yaml.
func NameOf(file string) string { return strings.TrimSuffix(path.Base(file), path.Ext(file)) }

// Parse reads one rule file. A rule with errors is returned as nil, with
// every problem found; warnings (names sev.yaml does not list) do not
// stop it.
func Parse(file string, data []byte, env *Env) (*Rule, diag.List) {
	p := &parser{path: file, env: env, lines: strings.Split(string(data), "\n")}
	if limit := env.Settings.Limits.Other; int64(len(data)) > limit {
		p.diags.Add(diag.Pos{Path: file}, "file-size", "the rule file is %d bytes, over the limit of %d (limits.other in sev.yaml)", len(data), limit)
		return nil, p.diags
	}
	root, diags := yamlfile.Parse(file, data)
	p.diags = diags
	if root == nil {
		if len(diags) == 0 {
			p.diags.Add(diag.Pos{Path: file, Line: 1}, yamlfile.CheckReq, "the rule is empty; it needs on and steps")
		}
		return nil, p.diags
	}
	r := p.rule(root)
	if p.diags.Errors() > 0 {
		return nil, p.diags
	}
	return r, p.diags
}

func (p *parser) rule(root *yaml.Node) *Rule {
	r := &Rule{Name: NameOf(p.path), Path: p.path}
	if !nameRE.MatchString(r.Name) || path.Ext(p.path) != ".yaml" {
		p.diags.Add(diag.Pos{Path: p.path, Line: 1, Col: 1}, Check,
			"a rule file is named rules/<name>.yaml with a name of lower-case letters, digits and dashes (rules/security-sev1.yaml)")
	}
	f, ok := p.fields(root, "the rule", Fields)
	if !ok {
		return nil
	}
	p.require(root, "the rule", f, "on", "steps")
	if v, has := f["name"]; has {
		if name, ok := p.text(v.value, "name"); ok && name != r.Name {
			p.errorf(v.value, "name %q differs from the file name %q; rename the file or leave name out", name, r.Name)
		}
	}
	if v, has := f["description"]; has {
		r.Description, _ = p.text(v.value, "description")
	}
	if v, has := f["once"]; has {
		r.once, _ = p.boolean(v.value, "once")
	}
	if v, has := f["on"]; has {
		r.triggers = p.triggers(v.value)
	}
	if v, has := f["if"]; has {
		r.cond = p.condition(v.value, "if")
	}
	if v, has := f["steps"]; has {
		r.steps = p.steps(v.value)
	}
	return r
}

// fieldMatch reads field: {NAME: {equals|contains|empty}}, over the fields
// sev set changes.
func (p *parser) fieldMatch(n *yaml.Node, where string) condition {
	f, ok := p.fields(n, where, incident.SettableFields)
	if !ok || !p.nonEmpty(n, f, where) {
		return nil
	}
	names := make([]string, 0, len(f))
	for name := range f {
		names = append(names, name)
	}
	sort.Strings(names)
	var parts []condition
	for _, name := range names {
		v := f[name].value
		sub := where + "." + name
		m, good := p.fields(v, sub, FieldMatches)
		if !good || !p.nonEmpty(v, m, sub) {
			ok = false
			continue
		}
		for _, op := range FieldMatches {
			arg, has := m[op]
			if !has {
				continue
			}
			c, good := p.fieldTest(name, op, arg.value, sub+"."+op)
			ok = ok && good
			parts = append(parts, c)
		}
	}
	return when(ok, allOf(parts))
}

func (p *parser) fieldTest(name, op string, n *yaml.Node, where string) (condition, bool) {
	get := func(inc *incident.Incident) string { return fieldValue(inc, name) }
	if op == "empty" {
		want, ok := p.boolean(n, where)
		return func(inc *incident.Incident) bool { return (get(inc) == "") == want }, ok
	}
	arg, ok := p.text(n, where)
	if op == "equals" {
		return func(inc *incident.Incident) bool { return get(inc) == arg }, ok
	}
	lower := strings.ToLower(arg)
	return func(inc *incident.Incident) bool { return strings.Contains(strings.ToLower(get(inc)), lower) }, ok
}

// fieldValue is a settable field's value, with the defaults of kind and
// visibility applied.
func fieldValue(inc *incident.Incident, name string) string {
	switch name {
	case "title":
		return inc.Title
	case "summary":
		return inc.Summary
	case "impact":
		return inc.Impact
	case "kind":
		return inc.EffectiveKind()
	case "window":
		if inc.Window == nil {
			return ""
		}
		return inc.Window.String()
	}
	return inc.EffectiveVisibility()
}

func sortRules(rs []*Rule) {
	slices.SortFunc(rs, func(a, b *Rule) int { return strings.Compare(a.Name, b.Name) })
}

// checkSetValue says what is wrong with a value a set step writes.
func checkSetValue(field, value string) error {
	switch field {
	case "kind":
		if !slices.Contains(incident.Kinds, value) {
			return fmt.Errorf("unknown kind %q; use one of %s", value, joinWords(incident.Kinds))
		}
	case "visibility":
		if !slices.Contains(incident.Visibilities, value) {
			return fmt.Errorf("unknown visibility %q; use one of %s", value, joinWords(incident.Visibilities))
		}
	case "window":
		if value != "" {
			if _, err := incident.ParseWindow(value); err != nil {
				return err
			}
		}
	case "title":
		if strings.TrimSpace(value) == "" || len(value) > 200 || strings.ContainsAny(value, "\n\r") {
			return fmt.Errorf("a title is one line of 1 to 200 bytes")
		}
	}
	return nil
}
