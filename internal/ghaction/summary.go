package ghaction

import (
	"fmt"
	"net/url"
	"os"
	"strings"
)

// Markdown is a fragment of GitHub-flavoured Markdown that may be placed in
// a summary as it is. Text from users (titles, comments, names) becomes
// Markdown only through Text, Code or Link; an untyped string constant
// converts implicitly, so fixed wording needs no ceremony, but a string
// variable does not, which keeps user text from slipping in unescaped.
type Markdown string

// markdownEscapes are the ASCII characters that can start or end Markdown
// syntax inside a line (emphasis, links, images, code, strikethrough) or at
// its start (headings, lists, block quotes). CommonMark renders any ASCII
// punctuation after a backslash as itself.
const markdownEscapes = "\\`*_{}[]()#+-.!~"

// Text escapes s so it renders as exactly its characters: Markdown and
// HTML syntax is escaped, | cannot split a table cell, an @ cannot mention
// (and notify) anyone, and a line break becomes <br> so the fragment stays
// on one line of the Markdown source, where it can be a table cell.
func Text(s string) Markdown {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '&':
			b.WriteString("&amp;")
		case c == '<':
			b.WriteString("&lt;")
		case c == '>':
			b.WriteString("&gt;")
		case c == '|':
			b.WriteString("&#124;")
		case c == '@':
			// A zero-width space after the @ breaks the mention; the reader
			// still sees "@name".
			b.WriteString("@&#8203;")
		case c == '\r' || c == '\n':
			if c == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b.WriteString("<br>")
		case strings.IndexByte(markdownEscapes, c) >= 0:
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return Markdown(b.String())
}

// Code shows s in a monospace font, escaped like Text. It uses <code>
// rather than backticks: a backtick code span cannot hold every string,
// and inside a table a | in a code span would still split the cell.
func Code(s string) Markdown {
	return "<code>" + Text(s) + "</code>"
}

// Link links text to href when href is an absolute http(s) URL without
// credentials, and is Text(text) otherwise, so a javascript: or relative
// link from user data never becomes a link.
func Link(text, href string) Markdown {
	u, err := url.Parse(href)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return Text(text)
	}
	dest := strings.NewReplacer("(", "%28", ")", "%29", "<", "%3C", ">", "%3E", " ", "%20", "\\", "%5C", "|", "%7C").
		Replace(u.String())
	return "[" + Text(text) + "](" + Markdown(dest) + ")"
}

// Summary builds a job summary. The zero value is ready to use.
type Summary struct {
	b strings.Builder
}

// Heading adds a heading of the level (1–6).
func (s *Summary) Heading(level int, text Markdown) {
	level = min(max(level, 1), 6)
	s.block(strings.Repeat("#", level) + " " + line(text))
}

// Paragraph adds a paragraph.
func (s *Summary) Paragraph(text Markdown) {
	s.block(line(text))
}

// List adds a bulleted list with one item per element.
func (s *Summary) List(items ...Markdown) {
	var b strings.Builder
	for _, it := range items {
		b.WriteString("- " + line(it) + "\n")
	}
	s.block(strings.TrimSuffix(b.String(), "\n"))
}

// Table adds a table. Rows with fewer cells than the header are padded
// with empty cells; cells beyond the header's are dropped.
func (s *Summary) Table(header []Markdown, rows [][]Markdown) {
	if len(header) == 0 {
		return
	}
	var b strings.Builder
	row := func(cells []Markdown) {
		b.WriteString("|")
		for i := range header {
			cell := Markdown("")
			if i < len(cells) {
				cell = cells[i]
			}
			b.WriteString(" " + line(cell) + " |")
		}
		b.WriteString("\n")
	}
	row(header)
	b.WriteString("|" + strings.Repeat(" --- |", len(header)) + "\n")
	for _, r := range rows {
		row(r)
	}
	s.block(strings.TrimSuffix(b.String(), "\n"))
}

// String is the summary's Markdown.
func (s *Summary) String() string { return s.b.String() }

func (s *Summary) block(md string) {
	if s.b.Len() > 0 {
		s.b.WriteString("\n")
	}
	s.b.WriteString(md + "\n")
}

// line keeps a fragment on one line of the Markdown source and without
// leading blanks (four would make it a code block).
func line(m Markdown) string {
	s := strings.NewReplacer("\r\n", "<br>", "\r", "<br>", "\n", "<br>").Replace(string(m))
	return strings.TrimLeft(s, " \t")
}

// maxSummary is GitHub's limit on one step's summary; a larger file is
// not shown at all.
const maxSummary = 1 << 20

// AppendSummary appends the summary to the file at SummaryPath
// (GITHUB_STEP_SUMMARY). What would take the step's summary past GitHub's
// 1 MiB limit is cut at a line and replaced by a note that says so,
// because GitHub drops an oversized summary entirely.
func (r *Run) AppendSummary(s *Summary) error {
	f, err := os.OpenFile(r.SummaryPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("ghaction: write the job summary: %w", err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("ghaction: write the job summary: %w", err)
	}
	_, werr := f.WriteString(fitSummary(s.String(), maxSummary-int(info.Size())))
	if err := f.Close(); werr == nil {
		werr = err
	}
	if werr != nil {
		return fmt.Errorf("ghaction: write the job summary: %w", werr)
	}
	return nil
}

const cutNote = "\n_The rest of this summary was left out: GitHub shows at most 1 MiB per step._\n"

// fitSummary returns md if it fits in room bytes, and otherwise as many
// whole lines of it as fit with the note.
func fitSummary(md string, room int) string {
	if len(md) <= room {
		return md
	}
	keep := room - len(cutNote)
	if keep <= 0 {
		return ""
	}
	cut := strings.LastIndexByte(md[:keep], '\n') + 1
	return md[:cut] + cutNote
}
