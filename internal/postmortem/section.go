package postmortem

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"golang.org/x/text/cases"
)

// What a SectionError's fault lies in.
const (
	InDocument = "document" // the postmortem written to
	InHeading  = "heading"  // the heading asked for
	InText     = "text"     // the Markdown given
)

// SectionError is a section write that SetSection refused. In says where
// the fault lies (InDocument, InHeading or InText); Line and Col are
// 1-based in the document or the text, zero when the fault has no single
// place.
type SectionError struct {
	In        string
	Line, Col int
	Msg       string
}

func (e *SectionError) Error() string {
	where := "the postmortem"
	if e.In == InText {
		where = "the text"
	}
	switch {
	case e.Line > 0 && e.Col > 0:
		return fmt.Sprintf("line %d, column %d of %s: %s", e.Line, e.Col, where, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("line %d of %s: %s", e.Line, where, e.Msg)
	}
	return e.Msg
}

func textErr(line, col int, format string, args ...any) *SectionError {
	return &SectionError{In: InText, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

func headingErr(format string, args ...any) *SectionError {
	return &SectionError{In: InHeading, Msg: fmt.Sprintf(format, args...)}
}

func docErr(line, col int, format string, args ...any) *SectionError {
	return &SectionError{In: InDocument, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// SetSection writes markdown into one section of a postmortem and returns
// the new document. doc is a whole postmortem file (front matter, then
// Markdown) or only its Markdown. CRLF line endings are read as LF, as
// Parse reads them; apart from that, everything outside the section comes
// back byte for byte.
//
// The section is the one whose heading reads heading, compared without
// regard to case, with runs of white space as one space; failing that, the
// one heading that begins with heading's words ("Root cause" finds "Root
// cause and contributing factors"). Its content, everything up to the
// next heading of the same or a higher level, is replaced by markdown;
// with appendMode, markdown is added after the section's own text, before
// its first subsection. Blank lines around markdown are dropped, and one
// blank line separates it from what comes before and after it; CRLF in it
// is read as LF. When no heading matches, a new level-2 section is
// added: before the section holding the generated follow-ups when that is
// a level-2 section (follow-ups close a postmortem), else at the end.
//
// It refuses, with a *SectionError: markdown that is empty, not UTF-8, or
// holds control characters other than tab and newline or region markers;
// a section holding a generated region (replaced; appending after the
// region is fine); headings in markdown of the section's level or higher,
// which would end the section early; markdown that leaves a block open
// and so would take in the headings after it; a heading that matches
// several sections.
func SetSection(doc []byte, heading, markdown string, appendMode bool) ([]byte, error) {
	e, err := newSectionEdit(doc, heading)
	if err != nil {
		return nil, err
	}
	t, err := cleanText(markdown)
	if err != nil {
		return nil, err
	}
	return e.write(t, appendMode)
}

// FindSection is the section SetSection would write for heading, with
// its heading as written in doc, its line in doc and the byte range of
// its content in doc (with CRLF read as LF): from the line after the
// heading to the next heading of the same or a higher level. false: no
// section matches, so SetSection would add one.
func FindSection(doc []byte, heading string) (Section, bool, error) {
	e, err := newSectionEdit(doc, heading)
	if err != nil || e.target < 0 {
		return Section{}, false, err
	}
	h := e.heads[e.target]
	return Section{Heading: h.text, Level: h.level, Line: e.docLine(h.start),
		Start: e.at + h.end, End: e.at + e.sectionEnd(e.target)}, true, nil
}

// sectionEdit is a document read for a section write: its Markdown
// body, top-level headings and generated regions, and the section asked
// for (target, -1 when none matches).
type sectionEdit struct {
	src     []byte // the document, LF line endings
	at      int    // where the Markdown starts in src
	body    []byte // src[at:]
	heads   []heading
	regions []region
	want    string // the heading asked for, cleaned
	target  int
}

// heading is a heading at the top level of a body: its level, plain text,
// and the byte range of its lines (a setext heading's underline included).
type heading struct {
	level      int
	text       string
	start, end int
}

func newSectionEdit(doc []byte, want string) (*sectionEdit, error) {
	src := bytes.ReplaceAll(doc, []byte("\r\n"), []byte("\n"))
	at := 0
	first, _, _ := bytes.Cut(src, []byte("\n"))
	if string(bytes.TrimSuffix(first, []byte("\r"))) == "---" { // a document that opens front matter
		front, ok := frontMatterEnd(src)
		if !ok {
			return nil, docErr(1, 0, "the front matter is not closed: add a line --- after its last field")
		}
		at = front
	}
	e := &sectionEdit{src: src, at: at, body: src[at:], target: -1}
	if err := cleanHeading(want); err != nil {
		return nil, err
	}
	e.want = strings.Join(strings.Fields(want), " ")
	if pos, msg, bad := costly("", e.body, 1); bad {
		return nil, docErr(e.docLine(lineStart(e.body, pos.Line)), pos.Col, "%s", msg)
	}
	e.heads = headingsOf(e.body)
	e.regions = findRegions(string(e.body))
	t, err := e.match()
	e.target = t
	return e, err
}

// frontMatterEnd is the offset after the line --- that closes the front
// matter src opens, the way Parse finds it.
func frontMatterEnd(src []byte) (int, bool) {
	if !bytes.HasPrefix(src, []byte("---\n")) {
		return 0, false
	}
	end := bytes.Index(src[3:], []byte("\n---\n"))
	switch {
	case end >= 0:
		return 3 + end + 5, true
	case bytes.HasSuffix(src, []byte("\n---")) && len(src) >= 7:
		return len(src), true
	}
	return 0, false
}

// docLine is the line in the whole document of an offset in the body.
func (e *sectionEdit) docLine(off int) int {
	return bytes.Count(e.src[:e.at+off], []byte("\n")) + 1
}

// lineStart is the offset where the 1-based line n of b starts.
func lineStart(b []byte, n int) int {
	off := 0
	for ; n > 1; n-- {
		i := bytes.IndexByte(b[off:], '\n')
		if i < 0 {
			return len(b)
		}
		off += i + 1
	}
	return off
}

// headingsOf lists the headings at the top level of a body: those that
// end sections. Headings in quotes or lists do not.
func headingsOf(src []byte) []heading {
	root := Markdown.Parser().Parse(text.NewReader(src))
	var out []heading
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok {
			continue
		}
		pos := h.Pos()
		if pos < 0 && h.Lines().Len() > 0 {
			pos = h.Lines().At(0).Start
		}
		if pos < 0 {
			continue
		}
		start := bytes.LastIndexByte(src[:pos], '\n') + 1
		end := lineEnd(src, pos)
		if !atxHeading.Match(src[pos:end]) && h.Lines().Len() > 0 {
			// a setext heading: its text lines, then the underline
			last := h.Lines().At(h.Lines().Len() - 1)
			end = lineEnd(src, lineEnd(src, max(last.Start, last.Stop-1)))
		}
		out = append(out, heading{level: h.Level, text: plainText(h, src), start: start, end: end})
	}
	return out
}

var atxHeading = regexp.MustCompile(`^#{1,6}(?:[ \t\n]|$)`)

// lineEnd is the offset after the newline that ends the line holding off
// (the end of src on its last line).
func lineEnd(src []byte, off int) int {
	if off >= len(src) {
		return len(src)
	}
	if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(src)
}

// sectionEnd is where section i ends: at the next heading of the same or
// a higher level, or at the end.
func (e *sectionEdit) sectionEnd(i int) int {
	for _, h := range e.heads[i+1:] {
		if h.level <= e.heads[i].level {
			return h.start
		}
	}
	return len(e.body)
}

// fold is a heading as it is compared: case folded, runs of white space
// as one space. (A cases.Caser keeps state, so each call makes its own:
// SetSection may run on many goroutines.)
func fold(s string) string {
	return cases.Fold().String(strings.Join(strings.Fields(s), " "))
}

// match finds the section asked for: the heading that reads the same,
// else the one heading that begins with the words asked for.
func (e *sectionEdit) match() (int, error) {
	want := fold(e.want)
	var same, starts []int
	for i, h := range e.heads {
		have := fold(h.text)
		switch {
		case have == want:
			same = append(same, i)
		case strings.HasPrefix(have, want+" "):
			starts = append(starts, i)
		}
	}
	for _, found := range [][]int{same, starts} {
		switch {
		case len(found) == 1:
			return found[0], nil
		case len(found) > 1:
			var where []string
			for _, i := range found {
				where = append(where, fmt.Sprintf("%q on line %d", e.heads[i].text, e.docLine(e.heads[i].start)))
			}
			return -1, docErr(0, 0, "%d sections match %q: %s; give the whole heading, or rename one of them",
				len(found), e.want, strings.Join(where, ", "))
		}
	}
	return -1, nil
}

// name is the section's heading as written, or as asked for when it is
// new.
func (e *sectionEdit) name() string {
	if e.target < 0 {
		return e.want
	}
	return e.heads[e.target].text
}

// write puts the text into the section, or into a new one.
func (e *sectionEdit) write(t sectionText, appendMode bool) ([]byte, error) {
	var from, to int
	var head string // the new section's heading line, if one is added
	level := 2
	if e.target < 0 {
		from = e.newSectionAt()
		to, head = from, "## "+e.want+"\n\n"
	} else {
		h := e.heads[e.target]
		level = h.level
		end := e.sectionEnd(e.target)
		if appendMode {
			end = len(e.body)
			if e.target+1 < len(e.heads) {
				end = e.heads[e.target+1].start // before the first subsection
			}
		}
		if err := e.checkRegions(h, end, appendMode); err != nil {
			return nil, err
		}
		from, to = h.end, end
		if appendMode {
			from = trimBlankLines(e.body, h.end, end)
		}
	}
	gap := separator(e.src[:e.at+from]) // the front matter's closing line may lack its newline
	insert := gap + head + t.md + "\n"
	if to < len(e.body) {
		insert += "\n"
	}
	out := make([]byte, 0, len(e.src)+len(insert))
	out = append(out, e.src[:e.at+from]...)
	out = append(out, insert...)
	out = append(out, e.body[to:]...)
	v := written{body: out[e.at:], textAt: from + len(gap) + len(head), textEnd: from + len(insert), oldTo: to, level: level, skipped: t.skipped, mdLen: len(t.md), headAt: -1}
	if head != "" {
		v.headAt = from + len(gap)
	}
	if err := e.verify(v); err != nil {
		return nil, err
	}
	return out, nil
}

// newSectionAt is where a new section goes: before the level-2 section
// that holds the generated follow-ups, else at the end.
func (e *sectionEdit) newSectionAt() int {
	for _, r := range e.regions {
		if r.name != "follow-ups" {
			continue
		}
		for i := len(e.heads) - 1; i >= 0; i-- {
			if h := e.heads[i]; h.start < r.start {
				if h.level == 2 {
					return h.start
				}
				break
			}
		}
	}
	return len(e.body)
}

// checkRegions refuses to write over a generated region: a section's
// content that holds one cannot be replaced, and nothing goes inside one.
func (e *sectionEdit) checkRegions(h heading, end int, appendMode bool) error {
	for _, r := range e.regions {
		inside := h.start >= r.start && h.start < r.end
		if appendMode {
			inside = inside || (end > r.start && end < r.end)
		} else {
			inside = inside || (r.start < end && h.end < r.end)
		}
		if inside {
			return docErr(e.docLine(r.start), 0,
				"section %q holds the generated %s part (<!-- sev:begin %s … --> to <!-- sev:end %s -->), which sev rewrites from the incident, so it cannot be replaced; "+
					"change the incident and refresh the postmortem, or add text after the part in append mode (--append)",
				h.text, r.name, r.name, r.name)
		}
	}
	return nil
}

// trimBlankLines moves end back over the blank lines that end the text
// between start and end.
func trimBlankLines(src []byte, start, end int) int {
	for end > start {
		prev := bytes.LastIndexByte(src[:end-1], '\n') + 1
		if prev < start || len(bytes.TrimSpace(src[prev:end])) > 0 {
			break
		}
		end = prev
	}
	return end
}

// separator is what to add after pre so that new text starts a block of
// its own: the end of pre's last line and a blank line.
func separator(pre []byte) string {
	switch {
	case len(pre) == 0:
		return ""
	case pre[len(pre)-1] != '\n':
		return "\n\n"
	}
	last := pre[bytes.LastIndexByte(pre[:len(pre)-1], '\n')+1:]
	if len(bytes.TrimSpace(last)) == 0 {
		return ""
	}
	return "\n"
}

// written is a new body and where the text went in it: from textAt to
// textEnd, in place of the old body's bytes up to oldTo; headAt is where
// the new section's heading starts, -1 when none was added.
type written struct {
	body                           []byte
	headAt, textAt, textEnd, oldTo int
	level, skipped, mdLen          int
}

// verify reads the new body back: the text's headings must be below the
// section's level, a new section's heading must read as asked, and the
// headings after the text must be those that followed it before, in the
// same places, so the text cannot have swallowed anything that follows.
func (e *sectionEdit) verify(w written) error {
	heads := headingsOf(w.body)
	textLine := func(off int) int { return w.skipped + bytes.Count(w.body[w.textAt:off], []byte("\n")) + 1 }
	var after []heading
	headOK := w.headAt < 0
	for _, h := range heads {
		switch {
		case h.start >= w.textEnd:
			after = append(after, h)
		case h.start >= w.textAt && h.level <= w.level:
			return textErr(textLine(h.start), 1, "a level-%d heading (%q) would end the section %q here; use level %d (%s) or deeper",
				h.level, h.text, e.name(), w.level+1, strings.Repeat("#", w.level+1))
		case h.start == w.headAt:
			headOK = h.level == 2 && fold(h.text) == fold(e.want)
		}
	}
	if !headOK {
		return headingErr("the new section's heading %q would not read back as written: write it as plain text, "+
			"and check that nothing before it is left open (a code block, an HTML comment)", e.want)
	}
	shift := w.textEnd - w.oldTo
	i := 0
	for _, h := range e.heads {
		if h.start < w.oldTo {
			continue
		}
		if i >= len(after) || after[i].start != h.start+shift || after[i].level != h.level {
			return textErr(textLine(w.textAt+w.mdLen), 0, "the text leaves something open at its end (a code block, an HTML block or comment, a list or a quote), "+
				"which would take in the heading %q that follows; close it", h.text)
		}
		i++
	}
	return nil
}
