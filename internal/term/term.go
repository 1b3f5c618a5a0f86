// Package term makes user text safe to print for a person: in a terminal,
// a commit subject or a log line. Timeline notes and titles come from
// anyone who can open a pull request, so a byte that a terminal would act
// on (ESC starts a control sequence that can rewrite the screen or the
// window title, BEL rings, CR and backspace overwrite what was printed)
// or that reorders text (the bidirectional overrides of "Trojan Source")
// is shown as a visible escape such as \x1b or \u202e instead.
//
// Machine output (--json) is exact and never goes through this package.
package term

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"
)

// Unsafe reports whether r must not reach a terminal as it is: C0 and C1
// control characters, DEL, the bidirectional formatting characters, the
// line and paragraph separators, and invalid UTF-8 (utf8.RuneError).
// Tab and newline are judged by the caller.
func Unsafe(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	case r == 0x2028, r == 0x2029, r == utf8.RuneError:
		return true
	}
	return false
}

// Line makes s safe to print on one line: every unsafe character,
// newlines and tabs included, becomes a visible escape.
func Line(s string) string { return escape(s, false) }

// Text is Line for text that may span lines: newlines and tabs are kept.
func Text(s string) string { return escape(s, true) }

// Strip folds s to one line (runs of white space become one space) and
// drops every other unsafe character: for text from outside (an issue
// title) that must become a one-line field.
func Strip(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t' || r == '\r':
			return ' '
		case Unsafe(r):
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// Clean reports whether s has no unsafe character (newlines and tabs
// allowed when multiline).
func Clean(s string, multiline bool) bool {
	for _, r := range s {
		if Unsafe(r) && !(multiline && (r == '\n' || r == '\t')) {
			return false
		}
	}
	return true
}

func escape(s string, multiline bool) string {
	if Clean(s, multiline) && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case multiline && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case !Unsafe(r):
			b.WriteString(s[i : i+size])
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}

// Writer escapes what passes through it for a terminal, like Text, and
// also keeps a carriage return that ends a line ("\r\n", as iCalendar and
// Windows text have it). Unsafe characters from U+007F up are escaped as
// \uXXXX, which JSON reads as the same character, so JSON printed through a
// Writer still decodes to exactly the same values (JSON never carries a
// raw control character below U+0020). A rune split across two writes is
// held until it is complete; Flush writes what is held.
type Writer struct {
	mu   sync.Mutex
	w    io.Writer
	pend []byte
	mark []byte // ESC and a nonce when colour is on (SetColor), else nil
}

// NewWriter returns a Writer that writes to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write escapes p and writes it. It reports len(p) when the underlying
// writer took everything.
func (t *Writer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	data := append(t.pend, p...)
	t.pend = nil
	cut := len(data)
	if start := lastRuneStart(data); start < len(data) && !utf8.FullRune(data[start:]) {
		cut = start
	} else if cut > 0 && data[cut-1] == '\r' {
		cut-- // a CR is safe only when a LF follows
	}
	cut = t.holdMark(data, cut)
	t.pend = append([]byte(nil), data[cut:]...)
	if _, err := t.w.Write(t.render(data[:cut], cut < len(data))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes what Write held back, escaped.
func (t *Writer) Flush() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.pend) == 0 {
		return nil
	}
	_, err := t.w.Write(t.render(t.pend, false))
	t.pend = nil
	return err
}

func lastRuneStart(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if !utf8.RuneStart(b[i]) {
			continue
		}
		return i
	}
	return len(b)
}

// escapeBytes escapes b for a terminal; more says that more text follows
// b (so a final CR is not the end of the output).
func escapeBytes(b []byte, more bool) []byte {
	clean := true
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\t' || c >= 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			out = fmt.Appendf(out, `\x%02x`, b[i])
			size = 1
		case r == '\n' || r == '\t' || r == '\r' && i+1 < len(b) && b[i+1] == '\n':
			out = append(out, byte(r))
		case !Unsafe(r):
			out = append(out, b[i:i+size]...)
		case r < 0x20:
			out = fmt.Appendf(out, `\x%02x`, r)
		default:
			out = fmt.Appendf(out, `\u%04x`, r)
		}
		i += size
	}
	return out
}
