package site

import (
	"bytes"
	"html/template"
	"regexp"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"

	"github.com/sev-dev/sev/internal/postmortem"
)

// md renders postmortems: the same extensions as the postmortem package's
// parser, heading anchors, and goldmark's defaults for safety — raw HTML
// is omitted and javascript:, vbscript:, file: and data: links are
// dropped — so what a person writes renders as text and links only.
// It is built on first use, not when sev starts.
var md = sync.OnceValue(func() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
})

var (
	wikiAt       = regexp.MustCompile(`^\[\[[^\[\]\n]{1,100}\]\]`)
	mayMention   = regexp.MustCompile(`\d{4}-\d{2}-\d{2}-[a-z0-9]`)
	regionMarker = regexp.MustCompile(`(?m)^<!-- sev:(begin|end) [^\n]*-->[ \t]*$`)
)

// markdown renders a postmortem's body for its incident's page. Links to
// incidents ([[id]], [[id|label]] and plain IDs) become links to their
// pages; a link to an incident that is not in this build (restricted, or
// unknown) becomes plain text that does not name it. The page shows the
// incident's facts, timeline and follow-ups beside it, so the generated
// regions nobody edited are left out, and so are the leading title and
// the headings left with nothing under them.
func (g *gen) markdown(doc *postmortem.Doc) (template.HTML, error) {
	src := doc.Source
	gen := postmortem.Generated(src[doc.Body:])
	if len(gen) > 0 {
		src = bytes.Clone(src)
		for _, s := range gen {
			for i := doc.Body + s.Start; i < doc.Body+s.End; i++ {
				if src[i] != '\n' {
					src[i] = ' ' // blanked, not cut: the links' offsets stay right
				}
			}
		}
	}
	generated := func(off int) bool {
		for _, s := range gen {
			if off >= doc.Body+s.Start && off < doc.Body+s.End {
				return true
			}
		}
		return false
	}
	var refs []postmortem.Ref
	if body := src[doc.Body:]; bytes.Contains(body, []byte("[[")) || mayMention.Match(body) {
		refs = doc.ParseBody().Refs // a second goldmark parse, only when it can find something
	}
	var b bytes.Buffer
	last := doc.Body
	for _, r := range refs {
		if r.Offset < last || generated(r.Offset) {
			continue
		}
		end := r.Offset + len(r.Target)
		label := r.Target
		if r.Explicit {
			m := wikiAt.Find(src[r.Offset:])
			if m == nil {
				continue
			}
			end = r.Offset + len(m)
			inner := string(m[2 : len(m)-2])
			if i := strings.IndexByte(inner, '|'); i >= 0 {
				label = strings.TrimSpace(inner[i+1:])
			} else if inc := g.lib.Get(r.Target); inc != nil {
				label = inc.Record.Title
			}
		}
		b.Write(src[last:r.Offset])
		if inc := g.lib.Get(r.Target); inc != nil {
			b.WriteString("[" + escapeMarkdown(label) + "](../" + inc.ID() + "/)")
		} else if r.Explicit {
			b.WriteString("*(a link to an incident not in this library)*")
		} else {
			b.Write(src[r.Offset:end])
		}
		last = end
	}
	b.Write(src[last:])
	body := regionMarker.ReplaceAll(b.Bytes(), nil)
	var out bytes.Buffer
	if err := md().Convert(body, &out); err != nil {
		return "", err
	}
	html := strings.ReplaceAll(out.String(), "<!-- raw HTML omitted -->", "")
	for {
		shorter := dropEmptyHeadings(html)
		if shorter == html {
			break
		}
		html = shorter // a heading whose subheadings all went is empty now
	}
	return template.HTML(html), nil
}

var headingTag = regexp.MustCompile(`(?s)<h([1-6])[^>]*>.*?</h[1-6]>`)

// dropEmptyHeadings removes from rendered Markdown a leading top-level
// heading (the postmortem's title: the page has its own) and every
// heading with nothing under it before the next heading of its level or
// above, or the end.
func dropEmptyHeadings(html string) string {
	hs := headingTag.FindAllStringSubmatchIndex(html, -1)
	var b strings.Builder
	last := 0
	for i, h := range hs {
		level := html[h[2]]
		empty := true
		if i+1 < len(hs) {
			between := html[h[1]:hs[i+1][0]]
			empty = strings.TrimSpace(between) == "" && html[hs[i+1][2]] <= level
		} else {
			empty = strings.TrimSpace(html[h[1]:]) == ""
		}
		if i == 0 && level == '1' && strings.TrimSpace(html[:h[0]]) == "" && strings.HasPrefix(html[h[0]:], "<h1 id=\"postmortem") {
			empty = true
		}
		if empty {
			b.WriteString(html[last:h[0]])
			last = h[1]
		}
	}
	b.WriteString(html[last:])
	return b.String()
}

// escapeMarkdown backslash-escapes ASCII punctuation so a title is text
// inside a link label.
func escapeMarkdown(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && strings.ContainsRune("\\`*_{}[]()#+-.!<>|~\"'&:;=?@$%^,/", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
