package term

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"io"
)

// Style is how a piece of text sev itself chose is shown on a colour
// terminal. Plain shows it as it is; it exists so that every cell of a
// table column can be painted alike and the column stays aligned.
type Style byte

// The styles, few and meaningful: Red for SEV1 and errors, Yellow for
// warnings and SEV2, Green for a resolved status, Bold for headings.
const (
	Plain Style = iota + 1
	Bold
	Red
	Yellow
	Green
)

// sgr is the Select Graphic Rendition sequence of each style; reset (the
// style byte '0') ends any of them.
var sgr = map[byte]string{
	'0':                "\x1b[0m",
	'0' + byte(Plain):  "",
	'0' + byte(Bold):   "\x1b[1m",
	'0' + byte(Red):    "\x1b[31m",
	'0' + byte(Yellow): "\x1b[33m",
	'0' + byte(Green):  "\x1b[32m",
}

// WantColor reports whether output to a terminal should be coloured:
// only when it is a terminal, NO_COLOR is unset or empty
// (https://no-color.org) and TERM is not "dumb". Flags that turn colour
// off (--no-color) are the caller's.
func WantColor(isTerminal bool, getenv func(string) string) bool {
	return isTerminal && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

// SetColor turns colour on or off for what Paint marks from now on. With
// colour on, the Writer knows a mark made of ESC and a random nonce drawn
// here: a mark becomes a colour sequence, and every other ESC, which can
// only come from data, is escaped as always. The nonce is drawn after
// every file was written, so no incident file can hold a mark.
func (t *Writer) SetColor(on bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.mark = nil
	if !on {
		return
	}
	nonce := make([]byte, 12)
	if _, err := rand.Read(nonce); err != nil {
		return // no randomness, no colour: never a guessable mark
	}
	t.mark = append([]byte{0x1b}, hex.EncodeToString(nonce)...)
}

// Paint returns s marked to be shown in style st when w is a Writer with
// colour on, and s unchanged otherwise. The marks have the same length
// whatever the style, so a tabwriter column whose cells are all painted
// stays aligned. s itself is escaped by the Writer like any other text.
func Paint(w io.Writer, st Style, s string) string {
	t, ok := w.(*Writer)
	if !ok {
		return s
	}
	t.mu.Lock()
	mark := string(t.mark)
	t.mu.Unlock()
	if mark == "" {
		return s
	}
	end := "0"
	if st == Plain {
		end = string(rune('0' + Plain)) // nothing to reset
	}
	return mark + string(rune('0'+st)) + s + mark + end
}

// render escapes b for a terminal and turns the Writer's marks into colour
// sequences.
func (t *Writer) render(b []byte, more bool) []byte {
	if len(t.mark) == 0 {
		return escapeBytes(b, more)
	}
	var out []byte
	for {
		i := bytes.Index(b, t.mark)
		if i < 0 || i+len(t.mark) >= len(b) {
			return append(out, escapeBytes(b, more)...)
		}
		code, ok := sgr[b[i+len(t.mark)]]
		if !ok {
			// not a style: escape through the ESC and look again after it
			out = append(out, escapeBytes(b[:i+1], true)...)
			b = b[i+1:]
			continue
		}
		out = append(append(out, escapeBytes(b[:i], true)...), code...)
		b = b[i+len(t.mark)+1:]
	}
}

// holdMark moves cut back to the start of a mark that data[:cut] ends
// with only in part, so a mark split across two writes is still one.
func (t *Writer) holdMark(data []byte, cut int) int {
	if len(t.mark) == 0 {
		return cut
	}
	i := bytes.LastIndexByte(data[:cut], 0x1b)
	if i < 0 || cut-i > len(t.mark) {
		return cut
	}
	if bytes.HasPrefix(t.mark, data[i:cut]) {
		return i
	}
	return cut
}
