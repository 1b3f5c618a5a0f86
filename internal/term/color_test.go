package term

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestPaintOnAColourWriter: with colour on, painted text arrives between a
// colour sequence and a reset, and the text itself is still escaped.
func TestPaintOnAColourWriter(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	w.SetColor(true)
	fmt.Fprintf(w, "%s %s\n", Paint(w, Red, "SEV1"), Paint(w, Bold, "title \x1b[32mfake"))
	w.Flush()
	want := "\x1b[31mSEV1\x1b[0m \x1b[1mtitle \\x1b[32mfake\x1b[0m\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

// TestPaintWithoutColour: colour off (the default, and always when piped)
// leaves text as it is, with no escape sequence at all.
func TestPaintWithoutColour(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	fmt.Fprintln(w, Paint(w, Red, "SEV1"))
	w.SetColor(true)
	w.SetColor(false)
	fmt.Fprintln(w, Paint(w, Yellow, "warning"))
	if got := b.String(); got != "SEV1\nwarning\n" {
		t.Errorf("got %q", got)
	}
	if got := Paint(&b, Red, "x"); got != "x" {
		t.Errorf("Paint on a plain writer = %q", got)
	}
}

// TestDataCannotForgeAMark: an ESC in data, even one followed by what
// looks like a style byte, is escaped; only marks the Writer drew colour.
func TestDataCannotForgeAMark(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	w.SetColor(true)
	other := NewWriter(&bytes.Buffer{})
	other.SetColor(true)
	forged := Paint(other, Red, "x") // another Writer's nonce
	fmt.Fprint(w, "a\x1b3b ", forged)
	w.Flush()
	if strings.Contains(b.String(), "\x1b") {
		t.Errorf("data reached the terminal as a control sequence: %q", b.String())
	}
}

// TestMarkSplitAcrossWrites: a mark cut in two by the writes is still
// turned into colour.
func TestMarkSplitAcrossWrites(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	w.SetColor(true)
	s := Paint(w, Green, "resolved")
	for i := 0; i < len(s); i++ {
		w.Write([]byte{s[i]})
	}
	w.Flush()
	if want := "\x1b[32mresolved\x1b[0m"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func TestWantColor(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, c := range []struct {
		tty  bool
		env  func(string) string
		want bool
	}{
		{true, env("TERM", "xterm-256color"), true},
		{false, env("TERM", "xterm-256color"), false},
		{true, env("TERM", "xterm", "NO_COLOR", "1"), false},
		{true, env("TERM", "xterm", "NO_COLOR", ""), true},
		{true, env("TERM", "dumb"), false},
	} {
		if got := WantColor(c.tty, c.env); got != c.want {
			t.Errorf("WantColor(%v, ...) = %v, want %v", c.tty, got, c.want)
		}
	}
}

// TestPlainLeavesNoSequence: Plain marks exist only for alignment and
// print nothing.
func TestPlainLeavesNoSequence(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	w.SetColor(true)
	fmt.Fprint(w, Paint(w, Plain, "id"))
	w.Flush()
	if b.String() != "id" {
		t.Errorf("got %q", b.String())
	}
}
