// Package pdftest writes small, valid PDF files for tests, so that no test
// needs a PDF downloaded or checked in: one page per string, each line of
// it a line of text in Helvetica, and options for the ways real files
// encode text (compressed content, words placed by kerning instead of
// spaces, a font whose codes map to Unicode through a ToUnicode CMap) and
// for a file encrypted with a password nobody knows.
package pdftest

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
	"unicode/utf16"
)

// Options say how the text is written.
type Options struct {
	// Compress writes the content streams with FlateDecode.
	Compress bool
	// Kerned separates words by moving the next glyph (a TJ array)
	// rather than by space characters, as many producers do.
	Kerned bool
	// CMap writes the text in a font without an encoding whose one-byte
	// codes map to Unicode through a ToUnicode CMap, so any character
	// can be written (ligatures, accents, CJK).
	CMap bool
	// Encrypted adds a standard security handler with a user password:
	// the file cannot be read without it.
	Encrypted bool
}

// PDF returns a PDF with one page per element of pages.
func PDF(o Options, pages ...string) []byte {
	w := &writer{}
	w.buf.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	codes := map[rune]byte{}
	var order []rune
	code := func(r rune) byte {
		c, ok := codes[r]
		if !ok {
			if len(order) == 255 {
				panic("pdftest: more than 255 distinct characters in a CMap font")
			}
			order = append(order, r)
			c = byte(len(order))
			codes[r] = c
		}
		return c
	}
	// objects 1 catalog, 2 page tree, 3 font; then per page: page, content
	n := len(pages)
	kids := make([]string, n)
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 4+2*i)
	}
	var contents [][]byte
	for _, p := range pages {
		contents = append(contents, content(p, o, code))
	}
	w.object(1, "<< /Type /Catalog /Pages 2 0 R >>")
	w.object(2, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n))
	fontNum := 3
	next := 4 + 2*n
	if o.CMap {
		w.object(fontNum, fmt.Sprintf("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode %d 0 R >>", next))
	} else {
		w.object(fontNum, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	}
	for i := range pages {
		w.object(4+2*i, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", 5+2*i))
		w.stream(5+2*i, contents[i], o.Compress)
	}
	if o.CMap {
		w.stream(next, cmap(order), o.Compress)
		next++
	}
	trailer := fmt.Sprintf("<< /Size %d /Root 1 0 R", next)
	if o.Encrypted {
		w.object(next, "<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <"+strings.Repeat("5a", 32)+"> /U <"+strings.Repeat("a5", 32)+"> >>")
		next++
		trailer = fmt.Sprintf("<< /Size %d /Root 1 0 R /Encrypt %d 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]", next, next-1)
	}
	w.finish(trailer+" >>", next)
	return w.buf.Bytes()
}

// content is a page's content stream: a line of text per line of s.
func content(s string, o Options, code func(rune) byte) []byte {
	var b bytes.Buffer
	b.WriteString("BT\n/F1 11 Tf\n72 720 Td\n14 TL\n")
	str := func(t string) string {
		if !o.CMap {
			return "(" + escape(latin1(t)) + ")"
		}
		var h strings.Builder
		h.WriteByte('<')
		for _, r := range t {
			fmt.Fprintf(&h, "%02x", code(r))
		}
		h.WriteByte('>')
		return h.String()
	}
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteString("T*\n")
		}
		if !o.Kerned {
			b.WriteString(str(line) + " Tj\n")
			continue
		}
		var parts []string
		for _, word := range strings.Fields(line) {
			parts = append(parts, str(word))
		}
		b.WriteString("[" + strings.Join(parts, " -278 ") + "] TJ\n")
	}
	b.WriteString("ET\n")
	return b.Bytes()
}

// cmap maps codes 1, 2, ... to the runes in order.
func cmap(order []rune) []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n")
	b.WriteString("/CMapName /Test-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<01> <ff>\nendcodespacerange\n")
	for first := 0; first < len(order); first += 100 {
		chunk := order[first:min(len(order), first+100)]
		fmt.Fprintf(&b, "%d beginbfchar\n", len(chunk))
		for i, r := range chunk {
			var hex strings.Builder
			for _, u := range utf16.Encode([]rune{r}) {
				fmt.Fprintf(&hex, "%04x", u)
			}
			fmt.Fprintf(&b, "<%02x> <%s>\n", first+i+1, hex.String())
		}
		b.WriteString("endbfchar\n")
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}

// latin1 keeps the characters WinAnsiEncoding shares with Latin-1.
func latin1(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 256 {
			b.WriteByte(byte(r))
		} else {
			b.WriteByte('?')
		}
	}
	return b.String()
}

func escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`).Replace(s)
}

// writer lays out numbered objects and remembers their offsets.
type writer struct {
	buf     bytes.Buffer
	offsets map[int]int
}

func (w *writer) object(num int, body string) {
	w.mark(num)
	fmt.Fprintf(&w.buf, "%d 0 obj\n%s\nendobj\n", num, body)
}

func (w *writer) stream(num int, data []byte, compress bool) {
	filter := ""
	if compress {
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(data)
		zw.Close()
		data, filter = z.Bytes(), " /Filter /FlateDecode"
	}
	w.mark(num)
	fmt.Fprintf(&w.buf, "%d 0 obj\n<< /Length %d%s >>\nstream\n", num, len(data), filter)
	w.buf.Write(data)
	w.buf.WriteString("\nendstream\nendobj\n")
}

func (w *writer) mark(num int) {
	if w.offsets == nil {
		w.offsets = map[int]int{}
	}
	w.offsets[num] = w.buf.Len()
}

// finish writes the cross-reference table for objects 1 to size-1 and
// the trailer.
func (w *writer) finish(trailer string, size int) {
	start := w.buf.Len()
	fmt.Fprintf(&w.buf, "xref\n0 %d\n0000000000 65535 f \n", size)
	for i := 1; i < size; i++ {
		fmt.Fprintf(&w.buf, "%010d 00000 n \n", w.offsets[i])
	}
	fmt.Fprintf(&w.buf, "trailer\n%s\nstartxref\n%d\n%%%%EOF\n", trailer, start)
}

// Raw returns a PDF of the given objects, numbered from 1, with a correct
// cross-reference table and a trailer whose root is object 1: for files
// that are damaged on purpose. Stream returns the text of a stream object.
func Raw(objects ...string) []byte {
	w := &writer{}
	w.buf.WriteString("%PDF-1.4\n")
	for i, o := range objects {
		w.object(i+1, o)
	}
	w.finish(fmt.Sprintf("<< /Size %d /Root 1 0 R >>", len(objects)+1), len(objects)+1)
	return w.buf.Bytes()
}

// Stream is a stream object's text, with its length, for Raw; dict holds
// the dictionary's other entries.
func Stream(dict string, data []byte) string {
	return fmt.Sprintf("<< /Length %d %s >>\nstream\n%s\nendstream", len(data), dict, data)
}
