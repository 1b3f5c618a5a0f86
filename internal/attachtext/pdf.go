package attachtext

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/unicode/norm"
)

// PDFTime is how long reading one PDF may take. A reading that is still
// going then stops at its next text operator with what it has; one stuck
// inside the reader is abandoned a second later.
const PDFTime = 5 * time.Second

// MaxPages is how many pages of a PDF are read.
const MaxPages = 1000

// The page tree is walked at most this deep and through at most this many
// nodes: a damaged tree can loop or share subtrees.
const (
	maxDepth = 64
	maxNodes = 4 * MaxPages
)

// ErrEncrypted says a PDF cannot be read without a password.
var ErrEncrypted = errors.New("the PDF is encrypted with a password")

// errStop unwinds the reader when the text is complete: the cap or the
// deadline was reached.
var errStop = errors.New("stop")

// pdfText reads the text of a PDF's pages within limit.
func pdfText(data []byte, limit time.Duration) (string, error) {
	x := &extractor{deadline: time.Now().Add(limit), limit: limit}
	done := make(chan struct{})
	go func() {
		defer close(done)
		x.read(data)
	}()
	timer := time.NewTimer(max(limit, 0) + time.Second)
	defer timer.Stop()
	select {
	case <-done:
		return x.result()
	case <-timer.C:
		// the goroutine cannot be stopped from outside; it owns x, and
		// ends when the reader returns
		return "", fmt.Errorf("reading the PDF took longer than %s; its text is not searchable", limit)
	}
}

// extractor collects a PDF's text. Only its own goroutine touches it
// until it is done.
type extractor struct {
	deadline time.Time
	limit    time.Duration
	text     []byte
	open     error // the file could not be opened at all
	bad      int   // pages or page tree nodes that could not be read
	firstBad string
	nodes    int
	pages    int
	ops      int
	stopped  bool // the cap or the deadline was reached
	late     bool // the deadline was reached
}

func (x *extractor) read(data []byte) {
	defer func() {
		if v := recover(); v != nil {
			x.open = fmt.Errorf("not a readable PDF: %v", v)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err == nil {
		x.walk(r.Trailer().Key("Root").Key("Pages"), 0)
		return
	}
	msg := err.Error()
	switch {
	case errors.Is(err, pdf.ErrInvalidPassword):
		x.open = ErrEncrypted
	case strings.Contains(msg, "encrypt"):
		x.open = fmt.Errorf("the PDF's encryption cannot be read (%s)", msg)
	case !bytes.HasPrefix(data, []byte("%PDF-")):
		x.open = errors.New("this is not a PDF file")
	default:
		x.open = fmt.Errorf("not a readable PDF: %s", msg)
	}
}

// walk visits a node of the page tree: a Pages node's kids in order, or a
// page.
func (x *extractor) walk(node pdf.Value, depth int) {
	if x.stopped || depth > maxDepth || x.nodes >= maxNodes || x.pages >= MaxPages {
		return
	}
	x.nodes++
	defer x.recoverPage(fmt.Sprintf("page tree node at depth %d", depth))
	kids := node.Key("Kids")
	if kids.Kind() == pdf.Array && node.Key("Type").Name() != "Page" {
		for i := 0; i < kids.Len() && !x.stopped; i++ {
			x.walk(kids.Index(i), depth+1)
		}
		return
	}
	if node.Kind() != pdf.Dict {
		return
	}
	x.pages++
	x.page(pdf.Page{V: node}, x.pages)
}

// recoverPage turns a panic of the reader into a page that could not be
// read; errStop is the extractor's own.
func (x *extractor) recoverPage(what string) {
	v := recover()
	if v == nil {
		return
	}
	if v == errStop {
		x.stopped = true
		return
	}
	x.bad++
	if x.firstBad == "" {
		x.firstBad = fmt.Sprintf("%s: %v", what, v)
	}
}

// page interprets a page's content streams for their text operators.
func (x *extractor) page(p pdf.Page, num int) {
	defer x.recoverPage(fmt.Sprintf("page %d", num))
	contents := p.V.Key("Contents")
	if k := contents.Kind(); k != pdf.Stream && k != pdf.Array {
		return
	}
	fonts := map[string]pdf.TextEncoding{}
	var enc pdf.TextEncoding = latin1{}
	var args []pdf.Value
	lastY := 0.0
	x.newline()
	pdf.Interpret(contents, func(stk *pdf.Stack, op string) {
		if x.ops++; x.ops%512 == 0 && time.Now().After(x.deadline) {
			x.late = true
			panic(errStop)
		}
		args = args[:0]
		for range stk.Len() {
			args = append(args, pdf.Value{})
		}
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		switch op {
		case "BT", "ET", "T*":
			x.newline()
		case "Tf":
			if len(args) > 0 {
				enc = x.font(p, fonts, args[0].Name())
			}
		case "Td", "TD":
			if len(args) == 2 && args[1].Float64() != 0 {
				x.newline()
			} else {
				x.space()
			}
		case "Tm":
			if len(args) == 6 && args[5].Float64() != lastY {
				lastY = args[5].Float64()
				x.newline()
			} else {
				x.space()
			}
		case "'", "\"":
			x.newline()
			if len(args) > 0 {
				x.show(enc, args[len(args)-1])
			}
		case "Tj":
			if len(args) > 0 {
				x.show(enc, args[0])
			}
		case "TJ":
			if len(args) == 0 {
				return
			}
			for i := 0; i < args[0].Len(); i++ {
				v := args[0].Index(i)
				switch v.Kind() {
				case pdf.String:
					x.show(enc, v)
				case pdf.Integer, pdf.Real:
					// a move to the right of more than a fifth of the
					// font size is the gap between two words
					if v.Float64() < -200 {
						x.space()
					}
				}
			}
		}
	})
}

// font is the encoding of a page's font, read once per page; a font
// that cannot be read is taken as Latin-1.
func (x *extractor) font(p pdf.Page, cache map[string]pdf.TextEncoding, name string) (enc pdf.TextEncoding) {
	if e, ok := cache[name]; ok {
		return e
	}
	defer func() {
		if v := recover(); v != nil {
			if v == errStop {
				panic(v)
			}
			enc = latin1{}
		}
		cache[name] = enc
	}()
	f := p.Font(name)
	if f.V.Kind() != pdf.Dict {
		return latin1{}
	}
	if e := f.Encoder(); e != nil {
		return e
	}
	return latin1{}
}

// show adds a string operand's text.
func (x *extractor) show(enc pdf.TextEncoding, v pdf.Value) {
	if v.Kind() != pdf.String {
		return
	}
	s := enc.Decode(v.RawString())
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			continue // not decodable: neither text nor a separator
		case r == '\n' || r == '\r':
			x.newline()
			continue
		case unicode.IsControl(r) || unicode.IsSpace(r):
			x.space()
			continue
		}
		if len(x.text)+utf8.RuneLen(r) > MaxText {
			panic(errStop)
		}
		x.text = utf8.AppendRune(x.text, r)
	}
}

// space separates two words, unless something does already.
func (x *extractor) space() {
	if n := len(x.text); n > 0 && !isSep(x.text[n-1]) {
		x.text = append(x.text, ' ')
	}
}

// newline ends a line, unless it is ended already.
func (x *extractor) newline() {
	n := len(x.text)
	switch {
	case n == 0 || x.text[n-1] == '\n':
	case x.text[n-1] == ' ':
		x.text[n-1] = '\n'
	default:
		x.text = append(x.text, '\n')
	}
}

func isSep(c byte) bool { return c == ' ' || c == '\n' }

// result is the text read, with NFKC normalisation (ligatures such as
// "ﬁ" become "fi", full-width letters plain ones), and what went wrong.
func (x *extractor) result() (string, error) {
	if x.open != nil {
		return "", x.open
	}
	text := Truncate(strings.TrimSpace(string(norm.NFKC.Bytes(x.text))), MaxText)
	switch {
	case x.late:
		return text, fmt.Errorf("reading the PDF took longer than %s; only the text read by then is searchable", x.limit)
	case x.bad > 0 && text == "":
		return "", fmt.Errorf("no text could be read (%s)", x.firstBad)
	case x.bad > 0:
		return text, fmt.Errorf("%d part(s) could not be read (%s); the rest is searchable", x.bad, x.firstBad)
	}
	return text, nil
}

// latin1 decodes a string whose font is unknown byte by byte.
type latin1 struct{}

func (latin1) Decode(raw string) string {
	r := make([]rune, len(raw))
	for i := 0; i < len(raw); i++ {
		r[i] = rune(raw[i])
	}
	return string(r)
}
