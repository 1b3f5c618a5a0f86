package searchtext

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"go.yaml.in/yaml/v3"
)

// Postmortem is what the index keeps of postmortems/<id>.md: a few front
// matter fields and the text of each "##" section. It is read leniently:
// the strict format belongs to the postmortem package and `sev validate`;
// a postmortem that is broken there is still found by its words here.
type Postmortem struct {
	Status    string
	People    []string // authors and reviewers
	FollowUps []string // the follow-ups' titles
	Sections  []Section
}

// Section is the text under one "##" heading. The first section holds
// what comes before the first "##" heading (usually the "# Title"), with
// the title as its heading.
type Section struct {
	Heading string
	Text    string
}

var md = goldmark.New()

// ParsePostmortem splits a postmortem into front matter and sections. It
// never fails: unreadable front matter is ignored and the body is indexed.
func ParsePostmortem(data []byte) *Postmortem {
	pm := &Postmortem{}
	body := data
	if fm, rest, ok := FrontMatter(data); ok {
		body = rest
		pm.readFrontMatter(fm)
	}
	pm.Sections = sections(body)
	if len(pm.FollowUps) > 0 {
		pm.Sections = append(pm.Sections, Section{Heading: "Follow-ups", Text: strings.Join(pm.FollowUps, "\n")})
	}
	return pm
}

// FrontMatter splits a Markdown file into its YAML front matter (between
// "---" lines) and the rest; ok is false when there is none.
func FrontMatter(data []byte) (fm, rest []byte, ok bool) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	first, after, found := bytes.Cut(data, []byte("\n"))
	if !found || string(bytes.TrimRight(first, "\r \t")) != "---" {
		return nil, data, false
	}
	off := 0
	for off < len(after) {
		line, _, _ := bytes.Cut(after[off:], []byte("\n"))
		if string(bytes.TrimRight(line, "\r \t")) == "---" {
			end := min(off+len(line)+1, len(after))
			return after[:off], after[end:], true
		}
		off += len(line) + 1
	}
	return nil, data, false
}

func (pm *Postmortem) readFrontMatter(fm []byte) {
	var m map[string]any
	if yaml.Unmarshal(fm, &m) != nil {
		return
	}
	if s, ok := m["status"].(string); ok {
		pm.Status = s
	}
	if list, ok := m["follow-ups"].([]any); ok {
		for _, x := range list {
			if f, ok := x.(map[string]any); ok {
				if t, ok := f["title"].(string); ok {
					pm.FollowUps = append(pm.FollowUps, t)
				}
			}
		}
	}
	for _, k := range []string{"authors", "reviewers"} {
		switch v := m[k].(type) {
		case string:
			pm.People = append(pm.People, v)
		case []any:
			for _, x := range v {
				if s, ok := x.(string); ok {
					pm.People = append(pm.People, s)
				}
			}
		}
	}
}

// sections walks the Markdown's top-level blocks; a level 1 or 2
// heading starts a new section. The parts sev generates (between
// <!-- sev:begin --> and <!-- sev:end --> markers) are left out: they
// repeat the record and the timeline, which are indexed already, and
// their tables of times and names only add noise to ranking and to
// sev similar. The follow-ups are indexed from the front matter.
func sections(src []byte) []Section {
	doc := md.Parser().Parse(text.NewReader(src))
	out := []Section{{}}
	var b strings.Builder
	flush := func() {
		out[len(out)-1].Text = strings.TrimSpace(b.String())
		b.Reset()
	}
	generated := false
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.HTMLBlock); ok && h.Lines().Len() > 0 {
			seg := h.Lines().At(0)
			first := bytes.TrimSpace(seg.Value(src))
			switch {
			case bytes.HasPrefix(first, []byte("<!-- sev:begin ")):
				generated = true
				continue
			case bytes.HasPrefix(first, []byte("<!-- sev:end ")):
				generated = false
				continue
			}
		}
		if generated {
			continue
		}
		if h, ok := n.(*ast.Heading); ok && h.Level <= 2 {
			heading := strings.TrimSpace(inlineText(h, src))
			if h.Level == 1 && len(out) == 1 && out[0].Heading == "" && b.Len() == 0 {
				out[0].Heading = heading
				continue
			}
			flush()
			out = append(out, Section{Heading: heading})
			continue
		}
		blockText(&b, n, src)
	}
	flush()
	if out[0].Text == "" {
		// a title (# Postmortem: …) with nothing under it: the incident's
		// title says it already, and a search snippet would waste a place
		out = out[1:]
	}
	return out
}

// blockText appends a block's words, one line per paragraph or item.
func blockText(b *strings.Builder, n ast.Node, src []byte) {
	switch n := n.(type) {
	case *ast.HTMLBlock:
		if lines := n.Lines(); lines.Len() > 0 {
			if first := lines.At(0); bytes.HasPrefix(bytes.TrimSpace(first.Value(src)), []byte("<!--")) {
				return // generated-region markers and other comments
			}
		}
		writeLines(b, n.Lines(), src)
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		writeLines(b, n.Lines(), src)
	case *ast.Paragraph, *ast.TextBlock, *ast.Heading:
		b.WriteString(inlineText(n, src))
		b.WriteByte('\n')
	default:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			blockText(b, c, src)
		}
	}
}

func writeLines(b *strings.Builder, lines *text.Segments, src []byte) {
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	b.WriteByte('\n')
}

// inlineText is the text of a block's inline content, without markup.
func inlineText(n ast.Node, src []byte) string {
	var b strings.Builder
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			b.Write(c.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.AutoLink:
			b.Write(c.Label(src))
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// MarkdownText is the prose of a Markdown document without its markup:
// the words of its headings, paragraphs, lists, quotes and code, a line
// per block, with the front matter and HTML comments left out. Link
// targets are markup; their text is prose.
func MarkdownText(src []byte) string {
	if _, rest, ok := FrontMatter(src); ok {
		src = rest
	}
	doc := md.Parser().Parse(text.NewReader(src))
	var b strings.Builder
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		blockText(&b, n, src)
	}
	return strings.TrimSpace(b.String())
}
