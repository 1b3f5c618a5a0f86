package postmortem

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/golden"
)

const sectionDoc = `---
incident: 2026-03-02-checkout
status: draft
---

# Postmortem: Checkout

<!-- sev:begin overview 000000000000 -->
O
<!-- sev:end overview -->

## Summary

<!-- sev:begin summary 000000000000 -->
S
<!-- sev:end summary -->

## Root cause

<!-- What caused it? -->

### Trigger

T

## Lessons

L

## Follow-ups

<!-- sev:begin follow-ups 000000000000 -->
F
<!-- sev:end follow-ups -->
`

// TestSetSection: what each write does to a small postmortem, as the
// text between two markers of the document (the rest is checked to be
// unchanged by TestSetSectionKeepsTheRest and the fuzz test).
func TestSetSection(t *testing.T) {
	for _, c := range []struct {
		name, doc, heading, md string
		append                 bool
		// want is the whole document after the write, given as the
		// document before it with one replacement old -> new.
		old, new string
	}{
		{name: "replace, subsections too", heading: "Root cause", md: "The acquirer rotated its certificate.\n\n### Why it hurt\n\nPinning.",
			old: "<!-- What caused it? -->\n\n### Trigger\n\nT\n\n", new: "The acquirer rotated its certificate.\n\n### Why it hurt\n\nPinning.\n\n"},
		{name: "case and white space do not matter", heading: "  root   CAUSE ", md: "X",
			old: "<!-- What caused it? -->\n\n### Trigger\n\nT\n\n", new: "X\n\n"},
		{name: "part of a word is not a prefix", heading: "Less", md: "X",
			old: "## Lessons\n\nL\n", new: "## Lessons\n\nL\n\n## Less\n\nX\n"},
		{name: "the first words find the section", doc: strings.Replace(sectionDoc, "## Lessons", "## Lessons learned", 1), heading: "lessons", md: "X",
			old: "## Lessons learned\n\nL\n", new: "## Lessons learned\n\nX\n"},
		{name: "append before the first subsection", heading: "Root cause", md: "Also this.", append: true,
			old: "<!-- What caused it? -->\n\n### Trigger", new: "<!-- What caused it? -->\n\nAlso this.\n\n### Trigger"},
		{name: "append to a subsection", heading: "trigger", md: "More.\n", append: true,
			old: "T\n\n## Lessons", new: "T\n\nMore.\n\n## Lessons"},
		{name: "append after a generated part", heading: "Follow-ups", md: "Tracked in OPS.", append: true,
			old: "<!-- sev:end follow-ups -->\n", new: "<!-- sev:end follow-ups -->\n\nTracked in OPS.\n"},
		{name: "append after the overview", heading: "Postmortem: Checkout", md: "Written by the team.", append: true,
			old: "<!-- sev:end overview -->\n\n## Summary", new: "<!-- sev:end overview -->\n\nWritten by the team.\n\n## Summary"},
		{name: "a new section goes before the follow-ups", heading: "Customer communication", md: "\n\nWe emailed everyone.\n\n\n",
			old: "L\n\n## Follow-ups", new: "L\n\n## Customer communication\n\nWe emailed everyone.\n\n## Follow-ups"},
		{name: "a new section goes at the end without follow-ups", doc: "# Review\n\nText", heading: "Appendix", md: "A",
			old: "Text", new: "Text\n\n## Appendix\n\nA\n"},
		{name: "a new section in an empty document", doc: "", heading: "Notes", md: "N", old: "", new: "## Notes\n\nN\n"},
		{name: "append to a new section", doc: "# Review\n", heading: "Notes", md: "N", append: true, old: "# Review\n", new: "# Review\n\n## Notes\n\nN\n"},
		{name: "a setext heading", doc: "Notes\n=====\nold\n\nOther\n-----\n", heading: "notes", md: "N",
			old: "=====\nold\n\nOther\n-----\n", new: "=====\n\nN\n"},
		{name: "a setext subsection", doc: "## Notes\nold\n\nOther\n-----\nx\n", heading: "other", md: "N",
			old: "-----\nx\n", new: "-----\n\nN\n"},
		{name: "a heading on the last line", doc: "# Review\n\n## Notes", heading: "notes", md: "N",
			old: "## Notes", new: "## Notes\n\nN\n"},
		{name: "headings in code, quotes and lists are text", heading: "Lessons", md: "```sh\n# a comment\n```\n\n> # quoted\n\n- # listed",
			old: "## Lessons\n\nL\n", new: "## Lessons\n\n```sh\n# a comment\n```\n\n> # quoted\n\n- # listed\n"},
		{name: "the exact heading wins over a longer one", doc: "## Notes for later\n\na\n\n## Notes\n\nb\n", heading: "notes", md: "N",
			old: "## Notes\n\nb\n", new: "## Notes\n\nN\n"},
		{name: "CRLF is read as LF", doc: "## Notes\r\n\r\nold\r\n\r\n## Next\r\n", heading: "Notes", md: "a\r\nb\r\n",
			old: "## Notes\r\n\r\nold\r\n\r\n## Next\r\n", new: "## Notes\n\na\nb\n\n## Next\n"},
		{name: "the front matter is not Markdown", doc: "---\ntitle: x\n---\n## Notes\nold\n", heading: "notes", md: "N",
			old: "## Notes\nold\n", new: "## Notes\n\nN\n"},
		{name: "front matter without a newline at its end", doc: "---\na: b\n---", heading: "notes", md: "N",
			old: "---\na: b\n---", new: "---\na: b\n---\n\n## notes\n\nN\n"},
		{name: "a heading that looks like front matter's end", doc: "---\nincident: x\n---\nNotes\n---\nold\n", heading: "notes", md: "N",
			old: "Notes\n---\nold\n", new: "Notes\n---\n\nN\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc := c.doc
			if doc == "" && c.old != "" {
				doc = sectionDoc
			}
			if !strings.Contains(doc, c.old) {
				t.Fatalf("the test's old text is not in the document")
			}
			out, err := SetSection([]byte(doc), c.heading, c.md, c.append)
			if err != nil {
				t.Fatal(err)
			}
			want := strings.Replace(doc, c.old, c.new, 1)
			if c.old == "" {
				want = c.new
			}
			if string(out) != want {
				t.Errorf("got\n%s\nwant\n%s", out, want)
			}
		})
	}
}

// TestSetSectionRefuses: each refusal, with the place it names.
func TestSetSectionRefuses(t *testing.T) {
	for _, c := range []struct {
		name, doc, heading, md string
		append                 bool
		in                     string
		line, col              int
		msg                    string
	}{
		{in: InDocument, name: "a generated part", heading: "summary", md: "x", line: 14,
			msg: `section "Summary" holds the generated summary part (<!-- sev:begin summary … --> to <!-- sev:end summary -->)`},
		{in: InDocument, name: "the title's section holds the overview", heading: "Postmortem: Checkout", md: "x", line: 8, msg: "generated overview part"},
		{in: InDocument, name: "several headings match", heading: "t", md: "x", doc: "## T one\n\n## T two\n",
			msg: `2 sections match "t": "T one" on line 1, "T two" on line 3; give the whole heading`},
		{in: InDocument, name: "several headings read the same", heading: "notes", md: "x", doc: "## Notes\n\n### notes\n", msg: `2 sections match "notes"`},
		{name: "a heading of the section's level", heading: "Root cause", md: "Intro\n\n## Next", in: InText, line: 3, col: 1,
			msg: `a level-2 heading ("Next") would end the section "Root cause" here; use level 3 (###) or deeper`},
		{name: "a higher heading, after dropped blank lines", heading: "trigger", md: "\n\nIntro\n\n## Next", in: InText, line: 5, col: 1,
			msg: `level-2 heading ("Next") would end the section "Trigger" here; use level 4 (####)`},
		{name: "a setext heading", heading: "Lessons", md: "Big news\n========", append: true, in: InText, line: 1, col: 1, msg: "a level-1 heading"},
		{name: "a new section's text with a level-2 heading", heading: "New", md: "## x", in: InText, line: 1, col: 1, msg: `would end the section "New"`},
		{name: "an unclosed code block", heading: "Root cause", md: "Look:\n\n```\n$ tail -f", in: InText, line: 4,
			msg: `the text leaves something open at its end (a code block, an HTML block or comment, a list or a quote), which would take in the heading "Lessons" that follows`},
		{name: "an unclosed HTML comment", heading: "Lessons", md: "<!-- draft", in: InText, line: 1, msg: `take in the heading "Follow-ups"`},
		{name: "a list that takes in an indented heading", heading: "a", md: "- item", doc: "## A\n\nx\n\n   ## B\n", in: InText, line: 1, msg: `heading "B"`},
		{name: "empty text", heading: "Lessons", md: " \n\n", in: InText, msg: "the text is empty"},
		{name: "not UTF-8", heading: "Lessons", md: "ok\nnot \xff ok", in: InText, line: 2, col: 5, msg: "not valid UTF-8 (byte 0xff)"},
		{name: "a control character", heading: "Lessons", md: "a\x1b[31mb", in: InText, line: 1, col: 2, msg: "control or bidirectional character U+001B"},
		{name: "a NUL", heading: "Lessons", md: "é\x00", in: InText, line: 1, col: 2, msg: "U+0000"},
		{name: "a bidirectional override", heading: "Lessons", md: "a\u202eb", in: InText, line: 1, col: 2, msg: "U+202E"},
		{name: "a lone carriage return", heading: "Lessons", md: "a\rb", in: InText, line: 1, col: 2, msg: "U+000D"},
		{name: "a region marker", heading: "Lessons", md: "x\n  <!-- sev:end follow-ups -->", in: InText, line: 2, col: 1, msg: "sev:begin or sev:end marker"},
		{name: "a costly line", heading: "Lessons", md: "x\n" + strings.Repeat("[](", 1<<12) + strings.Repeat("a", 1<<10), in: InText, line: 2, msg: `too many "](" in it`},
		{name: "an empty heading", heading: " \t", md: "x", in: InHeading, msg: "heading is empty"},
		{name: "a heading on two lines", heading: "a\nb", md: "x", in: InHeading, msg: "control character U+000A"},
		{name: "a new heading that does not read back", heading: "Notes #", md: "x", in: InHeading, msg: `the new section's heading "Notes #" would not read back as written`},
		{name: "a new heading with markup", heading: "*Notes*", md: "x", in: InHeading, msg: "would not read back"},
		{name: "a new heading after an open code block", doc: "# R\n\n```\ncode\n", heading: "Notes", md: "x", in: InHeading, msg: "would not read back"},
		{in: InDocument, name: "an unclosed front matter", doc: "---\nincident: x\n", heading: "Notes", md: "x", line: 1, msg: "the front matter is not closed"},
		{in: InDocument, name: "a document that is only an opening ---", doc: "---", heading: "Notes", md: "x", line: 1, msg: "the front matter is not closed"},
		{in: InDocument, name: "a costly document", doc: "x\n\n" + strings.Repeat(">", 40) + " deep\n", heading: "Notes", md: "x", line: 3, col: 1, msg: "block quotes nested 40 deep"},
		{in: InDocument, name: "a costly document after front matter", doc: "---\na: b\n---\n" + strings.Repeat(">", 40) + "\n", heading: "Notes", md: "x", line: 4, msg: "block quotes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc := c.doc
			if doc == "" {
				doc = sectionDoc
			}
			_, err := SetSection([]byte(doc), c.heading, c.md, c.append)
			var se *SectionError
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want a *SectionError", err)
			}
			if !strings.Contains(se.Msg, c.msg) {
				t.Errorf("message %q does not say %q", se.Msg, c.msg)
			}
			if se.In != c.in || se.Line != c.line || (c.col != 0 && se.Col != c.col) {
				t.Errorf("got in %s, line %d, column %d; want %s, %d, %d (%s)", se.In, se.Line, se.Col, c.in, c.line, c.col, se)
			}
		})
	}
}

// TestFindSection: the section found, as written, with its range.
func TestFindSection(t *testing.T) {
	s, ok, err := FindSection([]byte(sectionDoc), "ROOT cause")
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if s.Heading != "Root cause" || s.Level != 2 || s.Line != 18 {
		t.Errorf("got %+v", s)
	}
	if got := sectionDoc[s.Start:s.End]; got != "\n<!-- What caused it? -->\n\n### Trigger\n\nT\n\n" {
		t.Errorf("content %q", got)
	}
	if _, ok, err := FindSection([]byte(sectionDoc), "Appendix"); ok || err != nil {
		t.Errorf("found a section that is not there: %v %v", ok, err)
	}
}

// TestSetSectionReadsBack: the draft with its sections written still
// parses as a postmortem, the written text is where it was asked for, a
// second identical write changes nothing, and the generated parts are
// still refreshed afterwards. The result is a golden file.
func TestSetSectionReadsBack(t *testing.T) {
	doc, err := os.ReadFile("testdata/draft.md")
	if err != nil {
		t.Fatal(err)
	}
	writes := []struct {
		heading, md string
		append      bool
	}{
		{"Root cause", "The acquirer rotated its intermediate certificate; our client pinned the old chain.\n\n### Contributing factors\n\n- No alert on certificate expiry.\n- See [[2026-03-02-checkout]].", false},
		{"what went well", "The rollback took two minutes.", true},
		{"Timeline", "The first alert went to the wrong channel.", true},
		{"Customer communication", "A status page update at 14:20.", false},
	}
	for _, w := range writes {
		if doc, err = SetSection(doc, w.heading, w.md, w.append); err != nil {
			t.Fatalf("%s: %v", w.heading, err)
		}
	}
	again, err := SetSection(doc, writes[0].heading, writes[0].md, false)
	if err != nil || !bytes.Equal(again, doc) {
		t.Errorf("writing the same text again changed the document (%v)", err)
	}
	golden.Check(t, "section.md", doc)
	d, diags := Parse("postmortems/2026-03-02-checkout.md", doc)
	if diags.Errors() > 0 {
		t.Fatal(diags)
	}
	var headings []string
	for _, s := range d.ParseBody().Sections {
		headings = append(headings, s.Heading)
	}
	want := "Postmortem: Checkout down|Summary|Impact|Timeline|Root cause and contributing factors|Contributing factors|Detection and response|What went well|What went badly|Where we got lucky|Lessons learned|Customer communication|Follow-ups"
	if got := strings.Join(headings, "|"); got != want {
		t.Errorf("sections\n%s\nwant\n%s", got, want)
	}
	if refs := d.ParseBody().Refs; len(refs) != 2 || !refs[1].Explicit {
		t.Errorf("the link in the written text is not read: %+v", refs)
	}
	if u := Unwritten(d); strings.Join(u, "|") != "Detection and response|What went badly|Where we got lucky|Lessons learned" {
		t.Errorf("unwritten: %v", u)
	}
	in := input("A new summary.", "Alerts fire for checkout-api 5xx")
	fresh, err := Render(in, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	refreshed, kept := Refresh(doc[d.Body:], fresh)
	if len(kept) > 0 || !bytes.Contains(refreshed, []byte("\nA new summary.\n")) || !bytes.Contains(refreshed, []byte("\nA status page update at 14:20.\n")) {
		t.Errorf("after a section write the generated parts are not refreshed (kept %v)", kept)
	}
}

// FuzzSetSection: whatever the document and the text, SetSection either
// refuses or changes only the section: the bytes before the section's
// content and after its end are the document's own (a new section is a
// pure insertion), the text is in the result, and writing the same text
// again changes nothing.
func FuzzSetSection(f *testing.F) {
	draft, err := os.ReadFile("testdata/draft.md")
	if err != nil {
		f.Fatal(err)
	}
	for _, doc := range []string{sectionDoc, string(draft), "", "# A\n\n## B\nb\n\n### C\n\n## D\n", "A\n=\nx\n\nB\n-\ny\n", "---\na: b\n---\n```\n## x\n"} {
		for _, h := range []string{"root cause", "B", "c", "Follow-ups", "New one"} {
			f.Add(doc, h, "Some *text*.\n\n### Sub\n\n- a\n- b\n", false)
			f.Add(doc, h, "```\ncode", true)
		}
	}
	f.Fuzz(func(t *testing.T, doc, heading, md string, appendMode bool) {
		out, err := SetSection([]byte(doc), heading, md, appendMode)
		if err != nil {
			var se *SectionError
			if !errors.As(err, &se) {
				t.Fatalf("not a *SectionError: %v", err)
			}
			return
		}
		src := strings.ReplaceAll(doc, "\r\n", "\n")
		sec, found, err := FindSection([]byte(doc), heading)
		if err != nil {
			t.Fatalf("SetSection wrote what FindSection refuses: %v", err)
		}
		got := string(out)
		if found {
			if !strings.HasPrefix(got, src[:sec.Start]) || !strings.HasSuffix(got, src[sec.End:]) {
				t.Fatalf("the document changed outside the section %q [%d:%d]:\n%q\n->\n%q", sec.Heading, sec.Start, sec.End, src, got)
			}
		} else if common(got, src) < len(src) {
			t.Fatalf("a new section is not a pure insertion:\n%q\n->\n%q", src, got)
		}
		text, _ := cleanText(md)
		if !strings.Contains(got, text.md) {
			t.Fatalf("the text %q is not in the result", text.md)
		}
		if appendMode {
			return
		}
		again, err := SetSection(out, heading, md, false)
		var se *SectionError
		if errors.As(err, &se) && strings.Contains(se.Msg, "sections match") {
			return // the text holds a heading that reads the same, deeper
		}
		// (a document's stray CR before the new text's newline is read
		// as a CRLF line ending the second time)
		if err != nil || string(again) != strings.ReplaceAll(got, "\r\n", "\n") {
			t.Fatalf("writing the same text again: %v\n%q\n->\n%q", err, got, again)
		}
	})
}

// common is how many bytes a and b share at their start and end, with
// neither counted twice.
func common(a, b string) int {
	n := min(len(a), len(b))
	p := 0
	for p < n && a[p] == b[p] {
		p++
	}
	s := 0
	for s < n-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	return p + s
}
