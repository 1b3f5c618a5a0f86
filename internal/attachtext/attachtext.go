// Package attachtext turns an incident's attached file into the text its
// search indexes: a log, a CSV export or any other file the attachment
// policy treats as text (internal/attachment) as it is, a Markdown file as
// its prose without the markup, a PDF as the text of its pages. Images,
// archives and other binary files have no text.
//
// Extract is a function of a file's name and bytes. What it returns is
// capped (MaxText), and a PDF is read with bounds on its pages and its
// time (MaxPages, PDFTime): a PDF is a program-like format that a
// damaged or hostile file can make any reader loop or allocate on, so the
// reader runs on its own goroutine, every panic in it is recovered, and a
// reading that overruns its time is abandoned. What cannot be read is an
// error that says why (the file is encrypted, it is not a PDF); the
// caller reports it, and the incident is indexed without that text.
//
// PDFs are read with github.com/ledongthuc/pdf (pure Go, no cgo, a
// maintained fork of rsc.io/pdf); this package walks the page tree and
// interprets the text operators itself, so that words placed by kerning
// rather than by spaces stay apart and the bounds hold.
package attachtext

import (
	"path"
	"strings"
	"unicode/utf8"

	"github.com/sev-dev/sev/internal/attachment"
	"github.com/sev-dev/sev/internal/searchtext"
)

// MaxText is the most text, in bytes, that one attachment contributes;
// the rest of a longer file is not searchable.
const MaxText = 1 << 20

// Kind is how an attachment's text is read.
type Kind int

// The kinds of attachment.
const (
	None     Kind = iota // no text: an image, an archive, a binary file
	Text                 // text as it is
	Markdown             // Markdown, read for its prose
	PDF                  // a PDF, read for the text of its pages
)

// KindOf says how the text of an attachment named name with content data
// is read.
func KindOf(name string, data []byte) Kind {
	switch ext := strings.ToLower(path.Ext(name)); {
	case ext == ".pdf":
		return PDF
	case !attachment.Text(name, data):
		return None
	case ext == ".md" || ext == ".markdown":
		return Markdown
	}
	return Text
}

// Extract returns the searchable text of the attachment named name whose
// content is data, at most MaxText bytes of it. A file without text
// gives "". An error says why some or all of a PDF's text could not be
// read; text that was read before the problem is returned with it.
func Extract(name string, data []byte) (string, error) {
	switch KindOf(name, data) {
	case Text:
		return Truncate(string(data), MaxText), nil
	case Markdown:
		return Truncate(searchtext.MarkdownText(data), MaxText), nil
	case PDF:
		return pdfText(data, PDFTime)
	}
	return "", nil
}

// Truncate cuts s to at most max bytes, at the last line break or space in
// the final kilobyte when there is one (so no word is cut in half), and
// never inside a UTF-8 sequence.
func Truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if i := strings.LastIndexAny(s[:cut], "\n \t"); i >= 0 && cut-i < 1024 {
		cut = i
	}
	return s[:cut]
}
