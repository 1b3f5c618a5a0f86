package rule

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// parser reads one rule file's node tree. The format has values that are
// either a word or a mapping (a trigger with or without a filter, a note
// with or without options), so it is read node by node rather than with
// yamlfile's struct decoder, with the same checks and messages: unknown
// fields with a suggestion, typed values, every problem with its
// position.
type parser struct {
	path  string
	env   *Env
	lines []string // the file's lines, for positions inside block scalars
	diags diag.List
}

// blockIndent is the indentation of the content of a block scalar whose
// indicator (| or >) is on line header, or 0 when there is none.
func (p *parser) blockIndent(header int) int {
	for i := header; i < len(p.lines); i++ { // p.lines[header] is the line after the header
		line := strings.TrimRight(p.lines[i], "\r")
		if strings.TrimSpace(line) != "" {
			return len(line) - len(strings.TrimLeft(line, " "))
		}
	}
	return 0
}

func (p *parser) pos(n *yaml.Node) diag.Pos {
	return diag.Pos{Path: p.path, Line: n.Line, Col: n.Column}
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	p.diags.Add(p.pos(n), Check, format, args...)
}

func (p *parser) typeErr(n *yaml.Node, where, want string) {
	if n.Kind == yaml.AliasNode {
		return // yamlfile.Parse reported it
	}
	p.diags.Add(p.pos(n), yamlfile.CheckType, "%s must be %s, not %s", where, want, yamlfile.Describe(n))
}

// field is one key and value of a mapping.
type field struct {
	key, value *yaml.Node
}

// fields reads a mapping whose keys must be among known. Unknown keys are
// reported and left out. It reports false when n is not a mapping.
func (p *parser) fields(n *yaml.Node, where string, known []string) (map[string]field, bool) {
	if n.Kind != yaml.MappingNode {
		p.typeErr(n, where, "a mapping")
		return nil, false
	}
	out := map[string]field{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(known, k.Value) {
			p.unknown(k, where, known)
			continue
		}
		out[k.Value] = field{k, v}
	}
	return out, true
}

func (p *parser) unknown(k *yaml.Node, where string, known []string) {
	msg := fmt.Sprintf("unknown field %q in %s", k.Value, where)
	if s := yamlfile.Suggest(k.Value, known); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	} else {
		sorted := append([]string(nil), known...)
		sort.Strings(sorted)
		msg += "; known fields: " + strings.Join(sorted, ", ")
	}
	p.diags.Add(p.pos(k), yamlfile.CheckField, "%s", msg)
}

// require reports the fields of a mapping that must be present.
func (p *parser) require(n *yaml.Node, where string, f map[string]field, names ...string) bool {
	ok := true
	for _, name := range names {
		if _, has := f[name]; !has {
			p.diags.Add(p.pos(n), yamlfile.CheckReq, "%s is missing the required field %q", where, name)
			ok = false
		}
	}
	return ok
}

// text reads a scalar as text: a word, a quoted string or a number, not
// empty and not a boolean.
func (p *parser) text(n *yaml.Node, where string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		p.typeErr(n, where, "text")
		return "", false
	}
	switch n.ShortTag() {
	case "!!str", "!!int", "!!float":
	case "!!null":
		p.diags.Add(p.pos(n), yamlfile.CheckReq, "%s must not be empty", where)
		return "", false
	default:
		p.typeErr(n, where, "text (quote it to keep it as text)")
		return "", false
	}
	if strings.TrimSpace(n.Value) == "" {
		p.diags.Add(p.pos(n), yamlfile.CheckReq, "%s must not be empty", where)
		return "", false
	}
	return n.Value, true
}

// boolean reads true or false.
func (p *parser) boolean(n *yaml.Node, where string) (bool, bool) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
		p.typeErr(n, where, "true or false")
		return false, false
	}
	return strings.EqualFold(n.Value, "true"), true
}

// item is one value of a list with its node, for positions.
type item struct {
	value string
	node  *yaml.Node
}

// texts reads a word or a list of words; a list must not be empty. Only
// the values that are words are returned.
func (p *parser) texts(n *yaml.Node, where string) ([]item, bool) {
	if n.Kind == yaml.ScalarNode {
		v, ok := p.text(n, where)
		if !ok {
			return nil, false
		}
		return []item{{v, n}}, true
	}
	if n.Kind != yaml.SequenceNode {
		p.typeErr(n, where, "a word or a list")
		return nil, false
	}
	if len(n.Content) == 0 {
		p.diags.Add(p.pos(n), yamlfile.CheckReq, "%s must list at least one value", where)
		return nil, false
	}
	out, ok := make([]item, 0, len(n.Content)), true
	for i, c := range n.Content {
		v, good := p.text(c, fmt.Sprintf("%s[%d]", where, i))
		if !good {
			ok = false
			continue
		}
		out = append(out, item{v, c})
	}
	return out, ok
}

// sequence reads a list that must not be empty.
func (p *parser) sequence(n *yaml.Node, where string) ([]*yaml.Node, bool) {
	if n.Kind != yaml.SequenceNode {
		p.typeErr(n, where, "a list")
		return nil, false
	}
	if len(n.Content) == 0 {
		p.diags.Add(p.pos(n), yamlfile.CheckReq, "%s must list at least one item", where)
		return nil, false
	}
	return n.Content, true
}

// single reads a mapping with exactly one key, the form of a step and of
// a trigger with a filter.
func (p *parser) single(n *yaml.Node, where, what string) (field, bool) {
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		if n.Kind == yaml.MappingNode && len(n.Content) > 2 {
			p.errorf(n.Content[2], "%s has more than one %s (%s, %s); write each as its own list item", where, what, n.Content[0].Value, n.Content[2].Value)
		} else {
			p.typeErr(n, where, "a mapping with one "+what)
		}
		return field{}, false
	}
	return field{n.Content[0], n.Content[1]}, true
}

// vocabulary warns about a name sev.yaml does not list, as the checks of
// incident files do.
func (p *parser) vocabulary(kind string, it item) {
	incident.CheckRef(&p.diags, p.pos(it.node), p.env.Settings, kind, it.value)
}
