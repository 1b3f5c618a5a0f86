package postmortem

import (
	"bytes"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// Markdown is the goldmark configuration postmortems are read with:
// CommonMark plus GitHub's tables, strikethrough and task lists, which is
// what people see when they open the file on GitHub. Raw HTML is never
// rendered (goldmark's default without html.WithUnsafe).
var Markdown = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList))

// Section is a heading of the body and the text under it.
type Section struct {
	Heading string
	Level   int
	Line    int // of the heading
	// Start and End are the byte range in Source of the section's body,
	// from after the heading to the next heading of the same or a higher
	// level.
	Start, End int
}

// Ref is a mention of an incident in the body: [[2026-03-02-checkout]] or
// the plain ID.
type Ref struct {
	Target string
	// Explicit is true for [[...]] links, which must name an incident;
	// a plain ID-shaped word may be something else and only warns.
	Explicit bool
	Pos      diag.Pos
	Offset   int // in Source
}

// Parsed is the body's structure: its sections and its references to
// incidents, with the parts that are not prose (code, raw HTML) left out.
type Parsed struct {
	Sections []Section
	Refs     []Ref
}

var (
	wikiLink = regexp.MustCompile(`\[\[([^\[\]\n]{1,100})\]\]`)
	plainID  = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*\b`)
)

// ParseBody parses the Markdown body with goldmark. Offsets and positions
// are those of the whole file: the front matter is blanked, not cut.
func (d *Doc) ParseBody() *Parsed {
	if d.costly {
		return &Parsed{} // refused by Parse: it would not be parsed in linear time
	}
	src := d.markdownSource()
	root := Markdown.Parser().Parse(text.NewReader(src))
	p := &Parsed{}
	lines := lineStarts(src)
	// Sections, from the headings at any depth of the document's top level.
	var heads []Section
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok || h.Lines().Len() == 0 {
			continue
		}
		seg := h.Lines().At(0)
		start := h.Lines().At(h.Lines().Len() - 1).Stop
		heads = append(heads, Section{Heading: plainText(h, src), Level: h.Level, Line: lineOf(lines, seg.Start), Start: start})
	}
	for i := range heads {
		heads[i].End = len(src)
		for j := i + 1; j < len(heads); j++ {
			if heads[j].Level <= heads[i].Level {
				heads[i].End = lines[heads[j].Line-1]
				break
			}
		}
	}
	p.Sections = heads
	// References, in prose only: code and raw HTML (the generated-region
	// markers among it) are skipped.
	skip := skipped(root, src)
	cur := &cursor{}
	for _, m := range wikiLink.FindAllSubmatchIndex(src, -1) {
		if inRanges(skip, m[0]) {
			continue
		}
		target := strings.TrimSpace(string(src[m[2]:m[3]]))
		if i := strings.IndexByte(target, '|'); i >= 0 { // [[id|label]]
			target = strings.TrimSpace(target[:i])
		}
		p.Refs = append(p.Refs, Ref{Target: target, Explicit: true, Pos: d.posAt(lines, m[0], cur), Offset: m[0]})
		skip = append(skip, [2]int{m[0], m[1]})
	}
	sortRanges(skip)
	cur = &cursor{}
	for _, m := range plainID.FindAllIndex(src, -1) {
		if inRanges(skip, m[0]) || !incident.ValidID(string(src[m[0]:m[1]])) {
			continue
		}
		if m[0] > 0 && (src[m[0]-1] == '/' || src[m[0]-1] == '-') { // part of a path or URL
			continue
		}
		p.Refs = append(p.Refs, Ref{Target: string(src[m[0]:m[1]]), Pos: d.posAt(lines, m[0], cur), Offset: m[0]})
	}
	sort.Slice(p.Refs, func(i, j int) bool { return p.Refs[i].Offset < p.Refs[j].Offset })
	return p
}

// markdownSource is the file with the front matter replaced by blank
// lines, so goldmark's offsets are the file's.
func (d *Doc) markdownSource() []byte {
	src := bytes.Clone(d.Source)
	for i := 0; i < d.Body && i < len(src); i++ {
		if src[i] != '\n' {
			src[i] = ' '
		}
	}
	return src
}

// CheckLinks reports [[links]] to incidents that do not exist, and plain
// IDs that name none. exists says whether an incident ID is known.
func CheckLinks(refs []Ref, exists func(id string) bool, suggest func(string) string) diag.List {
	var diags diag.List
	for _, r := range refs {
		switch {
		case exists(r.Target):
		case r.Explicit:
			msg := "[[" + r.Target + "]] names no incident"
			if !incident.ValidID(r.Target) {
				msg += "; write the full ID, YYYY-MM-DD-slug"
			}
			if s := suggest(r.Target); s != "" {
				msg += "; did you mean " + s + "?"
			}
			diags.Add(r.Pos, CheckLink, "%s", msg)
		default:
			diags.Warn(r.Pos, CheckLink, "%s looks like an incident ID but names no incident (wrap a real one as [[ID]])", r.Target)
		}
	}
	return diags
}

// Suggester returns a function that proposes the ID closest to a
// mistyped one.
func Suggester(ids []string) func(string) string {
	return func(s string) string {
		for _, id := range ids { // a unique slug fragment or prefix first
			if strings.HasPrefix(id, s) || strings.HasSuffix(id, "-"+s) {
				return id
			}
		}
		if len(ids) > 5000 {
			return ""
		}
		return yamlfile.Suggest(s, ids)
	}
}

// cursor remembers the last position posAt answered, so that positions
// asked for in increasing order on one long line cost the distance between
// them rather than the length of the line each time.
type cursor struct{ line, off, col int }

func (d *Doc) posAt(lines []int, off int, c *cursor) diag.Pos {
	l := lineOf(lines, off)
	if c.line == l && c.off <= off {
		c.col += utf8.RuneCount(d.Source[c.off:off])
	} else {
		c.line, c.col = l, columnOf(d.Source, lines[l-1], off)
	}
	c.off = off
	return diag.Pos{Path: d.Path, Line: l, Col: c.col}
}

// skipped lists the byte ranges of code spans, code blocks and raw HTML.
func skipped(root ast.Node, src []byte) [][2]int {
	var out [][2]int
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.CodeSpan:
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					out = append(out, [2]int{t.Segment.Start, t.Segment.Stop})
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			for i := 0; i < n.Segments.Len(); i++ {
				s := n.Segments.At(i)
				out = append(out, [2]int{s.Start, s.Stop})
			}
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				s := lines.At(i)
				out = append(out, [2]int{s.Start, s.Stop})
			}
			if h, ok := n.(*ast.HTMLBlock); ok && h.HasClosure() {
				s := h.ClosureLine
				out = append(out, [2]int{s.Start, s.Stop})
			}
			if f, ok := n.(*ast.FencedCodeBlock); ok && f.Info != nil {
				out = append(out, [2]int{f.Info.Segment.Start, f.Info.Segment.Stop})
			}
			return ast.WalkSkipChildren, nil
		case *ast.Link:
			out = append(out, destination(src, n))
		case *ast.AutoLink:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	sortRanges(out)
	return out
}

// destination is a rough range for a link's destination: the text after
// its label up to the closing parenthesis, so IDs inside URLs are not
// taken for mentions.
func destination(src []byte, n *ast.Link) [2]int {
	last := n.LastChild()
	t, ok := last.(*ast.Text)
	if !ok {
		return [2]int{0, 0}
	}
	start := t.Segment.Stop
	end := bytes.IndexByte(src[start:], ')')
	if end < 0 || end > 2048 {
		return [2]int{0, 0}
	}
	return [2]int{start, start + end}
}

func sortRanges(r [][2]int) { sort.Slice(r, func(i, j int) bool { return r[i][0] < r[j][0] }) }

func inRanges(r [][2]int, off int) bool {
	i := sort.Search(len(r), func(i int) bool { return r[i][0] > off })
	for j := i - 1; j >= 0 && j >= i-64; j-- {
		if off >= r[j][0] && off < r[j][1] {
			return true
		}
	}
	return false
}

// plainText is a heading's text without Markdown markup.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineOf is the 1-based line of a byte offset.
func lineOf(starts []int, off int) int {
	return sort.Search(len(starts), func(i int) bool { return starts[i] > off })
}

// columnOf counts characters, not bytes, from the line start, 1-based.
func columnOf(src []byte, lineStart, off int) int {
	return len([]rune(string(src[lineStart:off]))) + 1
}
