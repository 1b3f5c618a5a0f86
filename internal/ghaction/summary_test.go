package ghaction

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/golden"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
	xhtml "golang.org/x/net/html"
)

// render turns Markdown into HTML the way GitHub does before sanitising:
// CommonMark with GitHub's extensions and raw HTML kept, so an escape
// that failed shows up as a tag.
func render(t *testing.T, md string) string {
	t.Helper()
	var out bytes.Buffer
	gm := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(html.WithUnsafe()))
	if err := gm.Convert([]byte(md), &out); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// allowedTags are the only elements a summary's Markdown may produce.
var allowedTags = map[string]bool{
	"h2": true, "h3": true, "p": true, "ul": true, "li": true, "table": true, "thead": true, "tbody": true,
	"tr": true, "th": true, "td": true, "code": true, "br": true, "a": true,
}

// rendered is the rendered HTML's text per block element (p, li, td, th),
// with <br> as a line break, and every element and link seen.
type rendered struct {
	blocks []string
	tags   []string
	hrefs  []string
}

func parseRendered(t *testing.T, doc string) rendered {
	t.Helper()
	var r rendered
	var open []*strings.Builder // enclosing blocks, innermost last; text goes to all
	write := func(s string) {
		for _, b := range open {
			b.WriteString(s)
		}
	}
	z := xhtml.NewTokenizer(strings.NewReader(doc))
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return r
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			tok := z.Token()
			r.tags = append(r.tags, tok.Data)
			switch tok.Data {
			case "br":
				write("\n")
			case "p", "li", "td", "th":
				open = append(open, &strings.Builder{})
			case "a":
				for _, a := range tok.Attr {
					if a.Key == "href" {
						r.hrefs = append(r.hrefs, a.Val)
					}
				}
			}
		case xhtml.EndTagToken:
			switch z.Token().Data {
			case "p", "li", "td", "th":
				if len(open) > 0 {
					r.blocks = append(r.blocks, open[len(open)-1].String())
					open = open[:len(open)-1]
				}
			}
		case xhtml.TextToken:
			write(z.Token().Data)
		}
	}
}

func hostileSummary() *Summary {
	var s Summary
	s.Heading(2, "Automation for "+Code("2026-03-02-checkout"))
	s.Paragraph("Rules applied to " + Link("the incident", "https://github.com/acme/incidents/blob/main/incidents/x (1).yaml") + ".")
	s.Paragraph(Text("<script>alert(1)</script> @security-team please look | `rm -rf` ${{ secrets.X }}\nsecond line"))
	s.List(Text("# not a heading"), Text("- not a nested item"), Text("1. not a number"), Link("javascript", "javascript:alert(1)"))
	rows := [][]Markdown{}
	for _, h := range hostile[:12] {
		rows = append(rows, []Markdown{Text(h), Code(h)})
	}
	rows = append(rows, []Markdown{Text("short row")}, []Markdown{"a", "b", "dropped"})
	s.Table([]Markdown{"Title", "As code"}, rows)
	return &s
}

// TestSummaryGolden keeps the generated Markdown reviewable as a diff.
func TestSummaryGolden(t *testing.T) {
	golden.Check(t, "summary.md", []byte(hostileSummary().String()))
}

var mention = regexp.MustCompile(`@[A-Za-z0-9]`)

// TestSummaryRendersSafely renders the hostile summary: only the expected
// elements appear, no @-mention survives, every table row has the
// header's two cells, and the javascript: link is plain text.
func TestSummaryRendersSafely(t *testing.T) {
	r := parseRendered(t, render(t, hostileSummary().String()))
	for _, tag := range r.tags {
		if !allowedTags[tag] {
			t.Errorf("the summary renders a <%s> element", tag)
		}
	}
	mentions := 0
	for _, b := range r.blocks {
		if mention.MatchString(b) {
			t.Errorf("a mention survived: %q", b)
		}
		mentions += strings.Count(b, "@\u200bsecurity-team")
	}
	if mentions != 1 {
		t.Errorf("the escaped mention appears %d times, want 1", mentions)
	}
	count := map[string]int{}
	for _, tag := range r.tags {
		count[tag]++
	}
	if count["tr"] != 15 || count["th"] != 2 || count["td"] != 28 {
		t.Errorf("%d rows, %d header cells, %d body cells; want 15, 2, 28: some text split a row", count["tr"], count["th"], count["td"])
	}
	if len(r.hrefs) != 1 || r.hrefs[0] != "https://github.com/acme/incidents/blob/main/incidents/x%20%281%29.yaml" {
		t.Errorf("links %q", r.hrefs)
	}
}

// TestTextRoundTrip: each hostile string, escaped and rendered, reads as
// exactly itself, in a paragraph, in a list item, in a table cell and as
// code.
func TestTextRoundTrip(t *testing.T) {
	for _, h := range hostile {
		want := strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(h, "\r\n", "\n"), "\r", "\n"))
		want = strings.ReplaceAll(want, "\x00", "\ufffd")
		var s Summary
		s.Paragraph(Text(h))
		s.List(Text(h))
		s.Table([]Markdown{Code(h)}, [][]Markdown{{Text(h)}})
		r := parseRendered(t, render(t, s.String()))
		if want == "" {
			// Nothing to read; a lone <br> may render as a bare line break.
			for _, b := range r.blocks {
				if strings.TrimSpace(b) != "" {
					t.Errorf("%q renders as %q", h, b)
				}
			}
			continue
		}
		if len(r.blocks) != 4 {
			t.Errorf("%.40q: rendered as %d blocks, want 4", h, len(r.blocks))
			continue
		}
		for i, b := range r.blocks {
			if got := strings.TrimSpace(strings.ReplaceAll(b, "@\u200b", "@")); got != want {
				t.Errorf("%.40q: block %d reads %.80q", h, i, got)
			}
		}
	}
}

func TestFitSummary(t *testing.T) {
	md := strings.Repeat("| a | b |\n", 1000)
	if got := fitSummary(md, len(md)); got != md {
		t.Error("a summary that fits was changed")
	}
	got := fitSummary(md, 500)
	if len(got) > 500 || !strings.HasSuffix(got, cutNote) || !strings.HasPrefix(md, strings.TrimSuffix(got, cutNote)) ||
		!strings.HasSuffix(strings.TrimSuffix(got, cutNote), "|\n") {
		t.Errorf("cut summary: %d bytes, ends %q", len(got), got[max(0, len(got)-120):])
	}
	if fitSummary(md, 10) != "" {
		t.Error("no room for the note should leave nothing")
	}
}

func TestAppendSummary(t *testing.T) {
	path := filepath.Join(t.TempDir(), "step_summary")
	if err := os.WriteFile(path, []byte(strings.Repeat("x", maxSummary-200)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var s Summary
	for range 50 {
		s.Paragraph(Text("a paragraph that will not all fit"))
	}
	if err := (&Run{SummaryPath: path}).AppendSummary(&s); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if len(data) > maxSummary || !strings.HasSuffix(string(data), cutNote) {
		t.Errorf("the summary file has %d bytes (limit %d) and ends %q", len(data), maxSummary, data[len(data)-80:])
	}
}
