package yamlfile_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// TestRoundTrip: what Encode writes, Parse and Decode read back unchanged,
// including strings that would be misread if written plainly.
func TestRoundTrip(t *testing.T) {
	tricky := []string{"yes", "no", "true", "null", "~", "1.5", "0x1F", "2026-03-02", "- item", "a: b", "#hash", "'quoted'",
		"\"dq\"", "multi\nline\n", "trailing space ", " leading", "@handle", "%pct", "*star", "&amp", "!bang", "{x}", "[y]", "ünïcödé"}
	for _, s := range tricky {
		inc := incident.Incident{ID: "2026-03-02-x", Title: s, Severity: 1, Status: "open", Summary: s,
			Tags: []string{s, "plain"}, Roles: map[string]string{"commander": s},
			Milestones: incident.Times{Declared: time.Date(2026, 3, 2, 14, 5, 0, 0, time.FixedZone("", 3600))}}
		data, err := yamlfile.Encode(&inc)
		if err != nil {
			t.Fatal(err)
		}
		root, diags := yamlfile.Parse("x.yaml", data)
		d := yamlfile.NewDecoder("x.yaml")
		var back incident.Incident
		d.Decode(root, &back)
		diags.Append(d.Diags)
		if len(diags) > 0 {
			t.Errorf("%q: re-reading gave %v\n%s", s, diags, data)
			continue
		}
		if !back.Milestones.Declared.Equal(inc.Milestones.Declared) {
			t.Errorf("%q: time changed", s)
		}
		back.Milestones, inc.Milestones = incident.Times{}, incident.Times{}
		if !reflect.DeepEqual(back, inc) {
			t.Errorf("%q: round trip changed the record:\n%+v\n%+v\n%s", s, back, inc, data)
		}
	}
}

func TestParseTime(t *testing.T) {
	for in, ok := range map[string]bool{
		"2026-03-02T14:31:00Z":      true,
		"2026-03-02T14:31:00+01:00": true,
		"2026-03-02T14:31:00.5Z":    true,
		"2026-03-02T14:31:00":       false,
		"2026-03-02":                false,
		"yesterday":                 false,
	} {
		if _, err := yamlfile.ParseTime(in); (err == nil) != ok {
			t.Errorf("ParseTime(%q) error = %v", in, err)
		}
	}
}

// FuzzDecode: no input makes the strict reader panic.
func FuzzDecode(f *testing.F) {
	f.Add([]byte("id: 2026-03-02-x\ntitle: X\nseverity: 1\nstatus: open\n"))
	f.Add([]byte("- id: abcd\n  at: 2026-03-02T14:31:00Z\n  by: a\n  type: note\n  text: hi\n"))
	f.Add([]byte("a: &x 1\nb: *x\n<<: {c: 2}\n"))
	f.Add([]byte("--- \n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		root, _ := yamlfile.Parse("f.yaml", data)
		if root == nil {
			return
		}
		var inc incident.Incident
		yamlfile.NewDecoder("f.yaml").Decode(root, &inc)
		var entries []timeline.Entry
		yamlfile.NewDecoder("f.yaml").Decode(root, &entries)
	})
}

// TestCRLF: a file written with Windows line endings reads the same, and
// Encode writes LF only.
func TestCRLF(t *testing.T) {
	data := []byte("id: 2026-03-02-x\r\ntitle: X\r\nseverity: 1\r\nstatus: open\r\nsummary: \"a\\nb\"\r\n")
	root, diags := yamlfile.Parse("x.yaml", data)
	d := yamlfile.NewDecoder("x.yaml")
	var inc incident.Incident
	d.Decode(root, &inc)
	if len(diags)+len(d.Diags) > 0 || inc.Title != "X" || inc.Summary != "a\nb" {
		t.Fatalf("CRLF file read as %+v (%v %v)", inc, diags, d.Diags)
	}
	out, err := yamlfile.Encode(&inc)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "\r") {
		t.Errorf("Encode wrote a carriage return:\n%q", out)
	}
}

// TestTrickyText: text that a literal block cannot hold is written in a
// form that reads back exactly.
func TestTrickyText(t *testing.T) {
	for _, v := range []string{"\tindented\nline2", "line\ttab\nx", " leading\nx", "trailing \nx", "a\r\nb", "\n\nx", "x\n\n"} {
		inc := incident.Incident{ID: "2026-03-02-x", Title: "X", Severity: 1, Status: "open", Summary: v}
		data, err := yamlfile.Encode(&inc)
		if err != nil {
			t.Fatal(err)
		}
		root, diags := yamlfile.Parse("x.yaml", data)
		d := yamlfile.NewDecoder("x.yaml")
		var back incident.Incident
		d.Decode(root, &back)
		if len(diags)+len(d.Diags) > 0 || back.Summary != v {
			t.Errorf("%q came back as %q (%v %v)\n%s", v, back.Summary, diags, d.Diags, data)
		}
	}
}

// Suggest names the closest candidate within two edits (one for short
// names), and the first of equally close ones.
func TestSuggest(t *testing.T) {
	names := []string{"declare", "decline", "init", "link", "list", "payments", "sre", "security", "searches"}
	for in, want := range map[string]string{
		"decalre": "declare", "declar": "declare", "paymnets": "payments", "payment": "payments",
		"srr": "sre", "sr": "sre", "x": "", "secruity": "security", "searchs": "searches",
		"deploy": "", "": "", "paymentsgatewayeu": "", "declined": "decline",
		// a swap of neighbours is one edit: "lsit" is "list", not "init"
		"lsit": "list", "ilst": "list", "lits": "list", "secrutiy": "security",
	} {
		if got := yamlfile.Suggest(in, names); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkSuggest is the suggestion for an unknown name among 200
// services, as a validation of imported incidents asks it thousands of
// times.
func BenchmarkSuggest(b *testing.B) {
	var names []string
	for i := range 200 {
		names = append(names, fmt.Sprintf("service-%03d-%s", i, strings.Repeat("x", i%17)))
	}
	for b.Loop() {
		yamlfile.Suggest("payments-gateway-eu", names)
		yamlfile.Suggest("service-042-xx", names)
	}
}

// A syntax error is placed at the line and column at fault, not where
// the parser's own count (the line before, inside a construct) says.
func TestSyntaxErrorPlace(t *testing.T) {
	for in, want := range map[string]string{
		"id: x\ntitle: ok\nseverity: 2\ntags: [a, b\nstatus: open\n": "f.yaml:4:8: invalid YAML: did not find expected ',' or ']'",
		"id: x\ntitle: [unclosed\nseverity: 2\n":                     "f.yaml:2:9: invalid YAML: did not find expected ',' or ']'",
		"id: x\ntitle: ok\n\tseverity: 2\n":                          "f.yaml:3:1: invalid YAML: found a tab character that violates indentation",
		"id: x\ntitle: \"abc\nseverity: 2\n":                         "f.yaml:2:8: invalid YAML: found unexpected end of stream",
		"id: x\ntitle: a: b: c\n":                                    "f.yaml:2:9: invalid YAML: mapping values are not allowed in this context",
		"a: 1\n---\nb: 2\nc: [\n":                                    "f.yaml:4:4: invalid YAML: did not find expected node content",
	} {
		_, diags := yamlfile.Parse("f.yaml", []byte(in))
		if len(diags) != 1 || !strings.HasPrefix(diags[0].String(), want) {
			t.Errorf("%q:\n got %v\nwant %s", in, diags, want)
		}
	}
}

// A syntax error's place is inside the file: a line it has, and a column
// on that line.
func FuzzSyntaxPlace(f *testing.F) {
	for _, s := range []string{"a: [b\n", "a: \"b\nc: d\n", "a:\n\tb: c\n", "a: b: c\n", "- [\n- {\n", "a: 1\n---\nb: [\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		_, diags := yamlfile.Parse("f.yaml", []byte(data))
		// lines as YAML counts them
		lines := strings.Split(strings.ReplaceAll(strings.ReplaceAll(data, "\r\n", "\n"), "\r", "\n"), "\n")
		for _, d := range diags {
			if d.Check != yamlfile.CheckSyntax || d.Pos.Line == 0 {
				continue
			}
			if d.Pos.Line > len(lines) {
				t.Fatalf("line %d of a file of %d lines: %v", d.Pos.Line, len(lines), d)
			}
			if d.Pos.Col > len(lines[d.Pos.Line-1])+1 {
				t.Fatalf("column %d of a line of %d bytes: %v", d.Pos.Col, len(lines[d.Pos.Line-1]), d)
			}
		}
	})
}
