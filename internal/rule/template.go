package rule

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"

	"go.yaml.in/yaml/v3"

	"github.com/sev-dev/sev/internal/diag"
)

// Values from incidents are wrapped in these private-use characters while
// a template runs, so that after it ran the text each one produced can be
// told from the rule's own text and escaped for where it goes. The
// characters are removed from incident text before wrapping, and a rule's
// template may not contain them.
const (
	dataStart = '\uE000'
	dataEnd   = '\uE001'
	zwsp      = '\u200B' // breaks @mentions and #references without showing
)

// TemplateFuncs are the functions a template may call besides the
// comparisons and and, or, not, len, index, print and println. Functions
// that cut or re-encode text (slice, printf, html, js, urlquery, call)
// are not available: they could split an escaped value.
var TemplateFuncs = []string{"join", "lower", "upper"}

var allowedFuncs = append([]string{"and", "or", "not", "len", "index", "eq", "ne", "lt", "le", "gt", "ge", "print", "println"}, TemplateFuncs...)

var funcs = template.FuncMap{
	"join":  func(xs []string, sep string) string { return strings.Join(xs, sep) },
	"lower": strings.ToLower,
	"upper": strings.ToUpper,
}

// tmpl is a parsed template of a rule.
type tmpl struct {
	t *template.Template
}

// context is where rendered text goes, which decides how values from the
// incident are escaped.
type context int

const (
	plain    context = iota // timeline notes and fields, JSON strings
	markdown                // GitHub comment and issue bodies
	slack                   // Slack message text
	oneLine                 // GitHub issue titles
)

func mustTemplate(src string) *tmpl {
	return &tmpl{template.Must(template.New("t").Funcs(funcs).Option("missingkey=zero").Parse(src))}
}

// template reads a template-valued field, checks it and runs it once on a
// sample incident, so a misspelt field is found when the rule is read
// rather than when an incident needs it.
func (p *parser) template(n *yaml.Node, where string) *tmpl {
	src, ok := p.text(n, where)
	if !ok {
		return nil
	}
	if i := strings.IndexFunc(src, func(r rune) bool { return r == dataStart || r == dataEnd }); i >= 0 {
		line, col := offsetPos(src, i)
		p.templateErr(n, where, line, col, "private-use characters U+E000 and U+E001 are not allowed")
		return nil
	}
	t, err := template.New("t").Funcs(funcs).Option("missingkey=zero").Parse(src)
	if err != nil {
		p.templateFailed(n, where, err)
		return nil
	}
	good := true
	for _, sub := range t.Templates() {
		good = p.checkTree(n, where, src, sub.Tree.Root) && good
	}
	if !good {
		return nil
	}
	if err := t.Execute(io.Discard, sampleView(p.env)); err != nil {
		p.templateFailed(n, where, err)
		return nil
	}
	return &tmpl{t}
}

// checkTree refuses what could turn incident text into live markup: the
// functions that cut or re-encode text, "@" in a string constant, and
// "@" written just before a value (a mention of whoever the data names;
// use a mention step instead).
func (p *parser) checkTree(n *yaml.Node, where, src string, root *parse.ListNode) bool {
	ok := true
	bad := func(node parse.Node, format string, args ...any) {
		line, col := offsetPos(src, int(node.Position()))
		p.templateErr(n, where, line, col, fmt.Sprintf(format, args...))
		ok = false
	}
	var visit func(node parse.Node)
	visit = func(node parse.Node) {
		switch x := node.(type) {
		case *parse.ListNode:
			if x == nil {
				return
			}
			for i, c := range x.Nodes {
				if t, isText := c.(*parse.TextNode); isText && i+1 < len(x.Nodes) && strings.HasSuffix(string(t.Text), "@") {
					bad(x.Nodes[i+1], "\"@\" before a value would mention whoever the incident's data names; write a mention step instead")
				}
				visit(c)
			}
		case *parse.ActionNode:
			visit(x.Pipe)
		case *parse.PipeNode:
			if x == nil {
				return
			}
			for _, c := range x.Cmds {
				visit(c)
			}
		case *parse.CommandNode:
			for _, a := range x.Args {
				visit(a)
			}
		case *parse.ChainNode:
			visit(x.Node)
		case *parse.IdentifierNode:
			if !slices.Contains(allowedFuncs, x.Ident) {
				bad(x, "the function %s is not available in rule templates; use %s", x.Ident, joinWords(allowedFuncs))
			}
		case *parse.StringNode:
			if strings.Contains(x.Text, "@") {
				bad(x, "\"@\" in a template string could build a mention from the incident's data; write mentions outside {{ }} or in a mention step")
			}
		case *parse.IfNode:
			visitBranch(visit, &x.BranchNode)
		case *parse.RangeNode:
			visitBranch(visit, &x.BranchNode)
		case *parse.WithNode:
			visitBranch(visit, &x.BranchNode)
		case *parse.TemplateNode:
			visit(x.Pipe)
		}
	}
	visit(root)
	return ok
}

func visitBranch(visit func(parse.Node), b *parse.BranchNode) {
	visit(b.Pipe)
	visit(b.List)
	visit(b.ElseList)
}

var templateErrRE = regexp.MustCompile(`^template: [^:]*:(\d+)(?::(\d+))?: (.*)$`)
var fieldErrRE = regexp.MustCompile(`can't evaluate field (\w+)`)

// templateFailed reports a parse or execution error of text/template at
// its place in the file.
func (p *parser) templateFailed(n *yaml.Node, where string, err error) {
	msg, line, col := err.Error(), 0, 0
	if m := templateErrRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		col, _ = strconv.Atoi(m[2])
		msg = m[3]
	}
	if m := fieldErrRE.FindStringSubmatch(msg); m != nil {
		msg = fmt.Sprintf("there is no field %s; a template can use %s", m[1], joinWords(viewFields))
	} else if _, after, found := strings.Cut(msg, ">: "); found && strings.HasPrefix(msg, "executing") {
		msg = after
	}
	p.templateErr(n, where, line, col, msg)
}

// templateErr reports a problem at a line and column of a template. The
// position in the file is exact for one-line values and literal blocks
// (|); elsewhere the value's position is given with the template's own.
func (p *parser) templateErr(n *yaml.Node, where string, line, col int, msg string) {
	pos, exact := p.templatePos(n, line, col)
	if !exact && line > 0 {
		msg += fmt.Sprintf(" (line %d of the template)", line)
	}
	p.diags.Add(pos, Check, "%s: invalid template: %s", where, msg)
}

func (p *parser) templatePos(n *yaml.Node, line, col int) (diag.Pos, bool) {
	pos := p.pos(n)
	if line == 0 {
		return pos, false
	}
	if col == 0 {
		col = 1
	}
	switch {
	case n.Style&yaml.LiteralStyle != 0:
		if indent := p.blockIndent(n.Line); indent > 0 {
			return diag.Pos{Path: p.path, Line: n.Line + line, Col: indent + col}, true
		}
	case n.Style&yaml.FoldedStyle == 0 && !strings.Contains(n.Value, "\n") && line == 1:
		if n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0 {
			col++
		}
		pos.Col += col - 1
		return pos, true
	}
	return pos, false
}

// offsetPos turns a byte offset in src into a 1-based line and column.
func offsetPos(src string, off int) (line, col int) {
	off = min(off, len(src))
	before := src[:off]
	line = 1 + strings.Count(before, "\n")
	return line, off - strings.LastIndexByte(before, '\n')
}

// render runs the template and escapes what came from the incident for
// the context.
func (t *tmpl) render(v *view, ctx context) (string, error) {
	var b strings.Builder
	if err := t.t.Execute(&b, v); err != nil {
		return "", err
	}
	return finish(b.String(), ctx), nil
}

// finish escapes the wrapped values of a template's output for the
// context and removes the wrapping. An "@" or "#" of the rule's text
// right before a value is separated from it.
func finish(s string, ctx context) string {
	var b strings.Builder
	inData, lineStart, prev := false, true, rune(0)
	for _, r := range s {
		switch r {
		case dataStart:
			inData = true
			if ctx != plain && (prev == '@' || prev == '#') {
				b.WriteRune(zwsp)
			}
			continue
		case dataEnd:
			inData = false
			continue
		}
		if inData {
			escapeRune(&b, r, ctx, lineStart)
		} else {
			b.WriteRune(r)
		}
		prev, lineStart = r, r == '\n'
	}
	if ctx == oneLine {
		return strings.Join(strings.Fields(b.String()), " ")
	}
	return b.String()
}

func escapeRune(b *strings.Builder, r rune, ctx context, lineStart bool) {
	if ctx == plain {
		b.WriteRune(r)
		return
	}
	switch {
	case r == '&' && ctx != oneLine:
		b.WriteString("&amp;")
	case r == '<' && ctx != oneLine:
		b.WriteString("&lt;")
	case r == '>' && ctx != oneLine:
		b.WriteString("&gt;")
	case r == '@' || (r == '#' && ctx != slack):
		b.WriteRune(r)
		b.WriteRune(zwsp)
	case ctx == markdown && strings.ContainsRune("\\`*_[]()!|~", r):
		b.WriteByte('\\') // no links, images, emphasis, code or tables made of the incident's text
		b.WriteRune(r)
	case r == '/' && lineStart && ctx == markdown:
		b.WriteRune(zwsp) // a ChatOps command (/sev ...) at the start of a line
		b.WriteRune(r)
	case r == '\r':
	default:
		b.WriteRune(r)
	}
}
