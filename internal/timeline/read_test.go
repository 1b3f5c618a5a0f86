package timeline

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// sameAsParse fails when Read and Parse disagree on data: the entries, or
// whether the file has errors.
func sameAsParse(t *testing.T, name string, data []byte) {
	t.Helper()
	want, _, wantDiags := Parse("timeline.yaml", data)
	got, gotDiags := Read("timeline.yaml", data)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: Read gives\n%#v\nParse gives\n%#v\nfile:\n%s", name, got, want, data)
	}
	if (gotDiags.Errors() > 0) != (wantDiags.Errors() > 0) {
		t.Errorf("%s: Read reports %v, Parse %v", name, gotDiags, wantDiags)
	}
}

var at = time.Date(2026, 3, 2, 14, 31, 0, 0, time.UTC)

// texts that sev writes in every style the encoder has: plain, quoted for
// YAML 1.1 readers, double-quoted with escapes, literal blocks.
var texts = []string{
	"Rolled back deploy 5104",
	"yes", "no", "null", "true", "~", "on",
	"12", "1e3", "0x1F", "2026-03-02", "-5", ".inf", "007",
	"it's broken", "'quoted'", `"double"`, `back\slash`,
	"key: value", "a #hash", "trailing:", "#start", "- dash", "? what", "@alice look", "`cmd`", "%percent",
	"<!-- sev:end x -->", "{flow}", "[list]", "*alias", "&anchor", "!tag", "|pipe", ">fold",
	"line one\nline two", "line one\n\nline three\n", "ends with newline\n", "\nstarts with newline",
	"tab\there", "cr\rhere", " leading space", "trailing space ", "a\n  indented\nline", "two\n\n\n",
	"ünïcödé ✓ 🚒", "\u0085next line", "\u2028separator", "bom\ufeffinside", "nul\x00byte", "del\x7f",
	"",
}

func TestReadMatchesParseForEncodedEntries(t *testing.T) {
	var entries []Entry
	for i, text := range texts {
		entries = append(entries, Entry{
			ID: "01jq0000000000" + string(rune('a'+i%26)) + string(rune('a'+i/26)), At: at.Add(time.Duration(i) * time.Minute),
			By: "alice", Type: Note, Text: text, Value: text, Key: i%2 == 0, Public: i%3 == 0, Severity: i % 4,
			Recorded: at.Add(time.Hour),
		})
	}
	for i, e := range entries {
		one, err := Encode("../../../schema/timeline.schema.json", []Entry{e})
		if err != nil {
			t.Fatal(err)
		}
		sameAsParse(t, "text "+texts[i], one)
	}
	all, err := Encode("../../../schema/timeline.schema.json", entries)
	if err != nil {
		t.Fatal(err)
	}
	sameAsParse(t, "all entries", all)
}

// The scanner must take the files sev writes, or it is dead code.
func TestReadScansWhatSevWrites(t *testing.T) {
	common := []string{"Rolled back deploy 5104", "it's broken", "key: value", "line one\nline two", "yes", "ünïcödé"}
	for _, text := range common {
		data, err := Encode("../../../schema/timeline.schema.json", []Entry{{ID: "01jq00000000abcd", At: at, By: "alice", Type: Note, Text: text, Key: true}})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := scan(data); !ok {
			t.Errorf("%q: the scanner gave up on\n%s", text, data)
		}
	}
}

// Files sev did not write, or wrote differently: the answer is Parse's.
func TestReadMatchesParseForHandWrittenFiles(t *testing.T) {
	head := "# yaml-language-server: $schema=../../../schema/timeline.schema.json\n"
	entry := "- id: 01jq00000000abcd\n  at: 2026-03-02T14:31:00Z\n  by: alice\n  type: note\n"
	cases := map[string]string{
		"empty":               "",
		"only comments":       head,
		"canonical":           head + entry + "  text: hello\n",
		"no final newline":    head + entry + "  text: hello",
		"comment in the list": head + entry + "# a comment\n" + entry,
		"indented comment":    head + entry + "  # a comment\n  text: hello\n",
		"trailing comment":    head + entry + "  text: hello # world\n",
		"flow list":           head + "- {id: 01jq00000000abcd, at: 2026-03-02T14:31:00Z, by: alice, type: note}\n",
		"folded plain":        head + entry + "  text: hello\n    world\n",
		"folded block":        head + entry + "  text: >-\n    hello\n    world\n",
		"keep block":          head + entry + "  text: |+\n    hello\n\n",
		"indicator block":     head + entry + "  text: |2-\n      hello\n",
		"deeper block":        head + entry + "  text: |-\n      hello\n      world\n",
		"block blank lines":   head + entry + "  text: |\n    hello\n\n    world\n\n\n- id: 01jq00000000abce\n  at: 2026-03-02T14:31:00Z\n  by: bob\n  type: note\n",
		"block at the end":    head + entry + "  text: |\n    hello\n\n",
		"quoted time":         head + "- id: 01jq00000000abcd\n  at: \"2026-03-02T14:31:00Z\"\n  by: alice\n  type: note\n",
		"time without zone":   head + "- id: 01jq00000000abcd\n  at: 2026-03-02T14:31:00\n  by: alice\n  type: note\n",
		"date only":           head + "- id: 01jq00000000abcd\n  at: 2026-03-02\n  by: alice\n  type: note\n",
		"missing by":          head + "- id: 01jq00000000abcd\n  at: 2026-03-02T14:31:00Z\n  type: note\n",
		"duplicate key":       head + entry + "  by: bob\n",
		"unknown key":         head + entry + "  txet: hello\n",
		"bool text":           head + entry + "  text: true\n",
		"null text":           head + entry + "  text: ~\n",
		"empty text":          head + entry + "  text:\n",
		"number severity":     head + entry + "  severity: 2\n",
		"signed severity":     head + entry + "  severity: +2\n",
		"hex severity":        head + entry + "  severity: 0x2\n",
		"text severity":       head + entry + "  severity: two\n",
		"yes key":             head + entry + "  key: yes\n",
		"True key":            head + entry + "  key: True\n",
		"anchor":              head + entry + "  text: &a hello\n",
		"alias":               head + entry + "  text: *a\n",
		"tag":                 head + entry + "  text: !!str hello\n",
		"second document":     head + entry + "---\n" + entry,
		"mapping at the top":  "id: 01jq00000000abcd\n",
		"nested list":         head + entry + "  text:\n    - a\n",
		"single quotes":       head + entry + "  text: 'it''s ok'\n",
		"bad single quotes":   head + entry + "  text: 'it's'\n",
		"double escapes":      head + entry + "  text: \"a\\tb\\u00e9\\x41\\U0001F692\\\\\\\"\\/\"\n",
		"yaml-only escapes":   head + entry + "  text: \"a\\eb\\N\\_\\L\\P\\ c\"\n",
		"surrogate escape":    head + entry + "  text: \"\\ud800\"\n",
		"crlf":                strings.ReplaceAll(head+entry, "\n", "\r\n"),
		"tab indent":          head + entry + "\ttext: hello\n",
		"bom":                 "\ufeff" + head + entry,
		"control character":   head + entry + "  text: a\x01b\n",
		"invalid utf-8":       head + entry + "  text: a\xffb\n",
		"colon at the end":    head + entry + "  text: hello:\n",
		"merge key":           head + entry + "  <<: {text: x}\n",
	}
	for name, data := range cases {
		sameAsParse(t, name, []byte(data))
	}
}

// Every timeline of the demo organisation reads the same both ways, and
// through the scanner.
func TestReadDemoTimelines(t *testing.T) {
	n := 0
	err := filepath.WalkDir("../../incidents", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.Name() != "timeline.yaml" {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		sameAsParse(t, p, data)
		if _, ok := scan(data); !ok {
			t.Errorf("%s: the scanner gave up on a file sev wrote", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Fatalf("read %d demo timelines, want the demo's", n)
	}
}

// FuzzRead: whenever the scanner answers, Parse gives the same entries and
// no error.
func FuzzRead(f *testing.F) {
	f.Add([]byte("# h\n- id: 01jq00000000abcd\n  at: 2026-03-02T14:31:00Z\n  by: alice\n  type: note\n  text: |-\n    a\n\n    b\n  key: true\n"))
	f.Add([]byte("- id: x1234\n  at: 2026-03-02T14:31:00+01:00\n  by: a\n  type: note\n  text: 'it''s'\n  severity: 3\n"))
	f.Add([]byte("- id: x1234\n  at: 2026-03-02T14:31:00Z\n  by: a\n  type: note\n  value: \"\\u00e9\\n\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, ok := scan(data)
		if !ok {
			return
		}
		want, _, diags := Parse("timeline.yaml", data)
		if diags.Errors() > 0 {
			t.Fatalf("the scanner read a file Parse rejects: %v\n%q", diags, data)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("scanner\n%#v\nParse\n%#v\nfile %q", got, want, data)
		}
	})
}
