package term

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain text", "plain text"},
		{"Café ☕", "Café ☕"},
		{"red \x1b[31mALERT\x1b[0m", `red \x1b[31mALERT\x1b[0m`},
		{"bell\a", `bell\x07`},
		{"over\rwrite", `over\x0dwrite`},
		{"back\bspace", `back\x08space`},
		{"c1 \u009b31m", `c1 \x9b31m`},
		{"title \x1b]0;pwned\x07", `title \x1b]0;pwned\x07`},
		{"rlo \u202eevil", `rlo \u202eevil`},
		{"isolate \u2066x\u2069", `isolate \u2066x\u2069`},
		{"two\nlines\tand tab", `two\x0alines\x09and tab`},
		{"bad \xff utf8", `bad \xff utf8`},
		{"del\x7f", `del\x7f`},
	} {
		if got := Line(c.in); got != c.want {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTextKeepsLines(t *testing.T) {
	if got := Text("a\nb\tc\x1b"); got != "a\nb\tc\\x1b" {
		t.Errorf("Text = %q", got)
	}
}

// FuzzLine: whatever goes in, what comes out is valid UTF-8 without a
// single character a terminal acts on.
func FuzzLine(f *testing.F) {
	f.Add("\x1b[2J\u202e\r\n\xff")
	f.Fuzz(func(t *testing.T, s string) {
		out := Line(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Line(%q) = %q is not UTF-8", s, out)
		}
		for _, r := range out {
			if Unsafe(r) {
				t.Fatalf("Line(%q) = %q keeps %U", s, out, r)
			}
		}
		if Clean(s, false) && out != s {
			t.Fatalf("clean %q changed to %q", s, out)
		}
	})
}

func TestWriter(t *testing.T) {
	var b strings.Builder
	w := NewWriter(&b)
	for _, chunk := range []string{"ok\r\n", "evil\x1b[2J", "\xe2\x80", "\xaeleft\r", "over", "\r", "\n", "caf\xc3", "\xa9 end\xff"} {
		if _, err := w.Write([]byte(chunk)); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	want := `ok` + "\r\n" + `evil\x1b[2J\u202eleft\x0dover` + "\r\n" + `café end\xff`
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
}

// JSON printed through a Writer decodes to the same values.
func TestWriterKeepsJSON(t *testing.T) {
	v := map[string]string{"note": "a\x1b[31mb\u202ec\u0085d\x7f\u2028e\r\n"}
	raw, _ := json.Marshal(v)
	var b strings.Builder
	w := NewWriter(&b)
	w.Write(raw)
	w.Flush()
	var got map[string]string
	if err := json.Unmarshal([]byte(b.String()), &got); err != nil {
		t.Fatalf("%s: %v", b.String(), err)
	}
	if got["note"] != v["note"] {
		t.Errorf("got %q, want %q", got["note"], v["note"])
	}
	for _, r := range b.String() {
		if Unsafe(r) {
			t.Errorf("output keeps %U", r)
		}
	}
}

func TestStrip(t *testing.T) {
	if got := Strip(" Checkout\n\terrors \x1b[2J\u202e in EU \xff"); got != "Checkout errors [2J in EU" {
		t.Errorf("Strip = %q", got)
	}
}
