package site

import (
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/sev-dev/sev/internal/library"
	"github.com/sev-dev/sev/internal/postmortem"
)

// FuzzMarkdown renders any postmortem that passes Parse without errors
// and checks the HTML as a browser would parse it: no script or other
// active element, no on* attribute, no javascript:, vbscript: or data:
// URL. Postmortems with errors (pathological Markdown among them) never
// reach the renderer; the gate leaves them out.
func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{
		"# Review\n\n<script>alert(1)</script>\n",
		"[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) ![i](data:image/svg+xml,<svg onload=alert(1)>)",
		"<img src=x onerror=alert(1)> <a href=\"javascript:alert(1)\">a</a>",
		"[[2026-01-01-x|<b onmouseover=alert(1)>]] 2026-01-01-x",
		"| a | b |\n|---|---|\n| <svg onload=alert(1)> | `x` |\n",
		"<!-- sev:begin x -->\n<iframe src=//evil>\n<!-- sev:end x -->",
		"[a](<javascript:alert(1)>) [b]: javascript:alert(1)\n\n[b]",
		strings.Repeat("[](", 300) + strings.Repeat("> ", 40),
	} {
		f.Add(s)
	}
	g := &gen{lib: &library.Library{}}
	f.Fuzz(func(t *testing.T, body string) {
		src := "---\nincident: 2026-01-01-x\nstatus: draft\n---\n" + body
		doc, diags := postmortem.Parse("postmortems/2026-01-01-x.md", []byte(src))
		if doc == nil || diags.Errors() > 0 {
			return
		}
		out, err := g.markdown(doc)
		if err != nil {
			return
		}
		checkInert(t, string(out))
	})
}

var activeElements = map[string]bool{"script": true, "iframe": true, "object": true, "embed": true, "svg": true, "math": true,
	"style": true, "link": true, "meta": true, "base": true, "form": true, "frame": true, "frameset": true, "applet": true}

// checkInert parses HTML and fails on anything that could run.
func checkInert(t *testing.T, s string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		if activeElements[tok.Data] {
			t.Fatalf("active element <%s> in %q", tok.Data, s)
		}
		for _, a := range tok.Attr {
			v := strings.ToLower(strings.Map(func(r rune) rune {
				if r <= ' ' {
					return -1
				}
				return r
			}, a.Val))
			if strings.HasPrefix(a.Key, "on") {
				t.Fatalf("event handler %s=%q in %q", a.Key, a.Val, s)
			}
			if (a.Key == "href" || a.Key == "src" || a.Key == "action" || a.Key == "formaction") &&
				(strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") || strings.HasPrefix(v, "data:")) {
				t.Fatalf("%s=%q in %q", a.Key, a.Val, s)
			}
		}
	}
}

// TestPathologicalMarkdownIsRefused: inputs that cost a Markdown parser
// more than linear time are refused by Parse (so validation and the site
// never parse them), with a position and what to do.
func TestPathologicalMarkdownIsRefused(t *testing.T) {
	for name, body := range map[string]string{
		"link destinations": strings.Repeat("[](", 80000),
		"nested quotes":     strings.Repeat("> ", 40000) + "x",
	} {
		src := "---\nincident: 2026-01-01-x\nstatus: draft\n---\n# Review\n\n" + body + "\n"
		doc, diags := postmortem.Parse("postmortems/2026-01-01-x.md", []byte(src))
		if diags.Errors() != 1 || diags[0].Check != postmortem.CheckPostmortem || diags[0].Line != 7 {
			t.Errorf("%s: %v", name, diags)
		}
		if p := doc.ParseBody(); len(p.Sections) != 0 {
			t.Errorf("%s: the body was parsed anyway", name)
		}
	}
	// prose within the limits is not refused
	ok := "# Review\n\n" + strings.Repeat("See [the dashboard](https://grafana.example/d/abc?from=now-6h) and > quoted. ", 2000) + "\n\n> > > three deep\n"
	if _, diags := postmortem.Parse("p.md", []byte("---\nincident: 2026-01-01-x\nstatus: draft\n---\n"+ok)); diags.Errors() > 0 {
		t.Errorf("ordinary prose refused: %v", diags)
	}
}
