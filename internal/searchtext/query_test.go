package searchtext

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var testVocab = Vocabulary{
	Severity: func(v string) (int, error) {
		switch strings.ToLower(v) {
		case "1", "sev1":
			return 1, nil
		case "2", "sev2":
			return 2, nil
		case "3", "sev3":
			return 3, nil
		}
		return 0, fmt.Errorf("unknown severity %q; use one of 1 (SEV1), 2 (SEV2), 3 (SEV3)", v)
	},
	Statuses: []string{"open", "mitigated", "resolved", "closed", "declined"},
}

func TestParseQuery(t *testing.T) {
	q, err := ParseQuery(`database timeout "connection reset" -staging sev:1,SEV2 tag:Payments status:open -kind:drill after:2025-06-01 before:2025-07-01T00:00:00Z`, testVocab)
	if err != nil {
		t.Fatal(err)
	}
	want := []Clause{{Text: "database"}, {Text: "timeout"}, {Text: "connection reset", Phrase: true}, {Text: "staging", Not: true}}
	if fmt.Sprint(q.Text) != fmt.Sprint(want) {
		t.Errorf("text: %v, want %v", q.Text, want)
	}
	wantF := []Filter{{Field: FieldSev, Values: []string{"1", "2"}}, {Field: FieldTag, Values: []string{"payments"}},
		{Field: FieldStatus, Values: []string{"open"}}, {Field: FieldKind, Values: []string{"drill"}, Not: true}}
	if fmt.Sprint(q.Filters) != fmt.Sprint(wantF) {
		t.Errorf("filters: %v, want %v", q.Filters, wantF)
	}
	if !q.After.Equal(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)) || !q.Before.Equal(time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("dates: %v %v", q.After, q.Before)
	}
	// text that merely contains colons is text
	q, err = ParseQuery(`14:31 10.0.0.1:443 https://example.com/x cause: tag:"customer facing"`, testVocab)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Text) != 4 || len(q.Filters) != 1 || q.Filters[0].Values[0] != "customer facing" {
		t.Errorf("got %+v", q)
	}
}

func TestParseQueryErrors(t *testing.T) {
	for _, c := range []struct {
		q    string
		col  int
		want string
	}{
		{`database "connection reset`, 10, "never closed"},
		{`timeout foo:bar`, 9, `unknown filter "foo:"`},
		{`sev:x`, 5, `unknown severity "x"`},
		{`sev:1,`, 7, "empty value"},
		{`sev:1,x`, 7, `unknown severity "x"`},
		{`status:opne`, 8, `unknown status "opne"`},
		{`kind:real`, 6, `unknown kind`},
		{`after:2025-13-01`, 7, "bad date"},
		{`ünïcode before:yesterday`, 16, "bad date"},
		{`a"b"`, 2, "quote must start a phrase"},
		{`"a"b`, 4, "followed by a space"},
		{`-after:2025-01-01`, 1, "cannot be negated"},
	} {
		_, err := ParseQuery(c.q, testVocab)
		var qe *QueryError
		if !errors.As(err, &qe) {
			t.Errorf("%q: got %v, want a QueryError", c.q, err)
			continue
		}
		if qe.Col != c.col || !strings.Contains(qe.Msg, c.want) {
			t.Errorf("%q: got column %d %q, want column %d %q", c.q, qe.Col, qe.Msg, c.col, c.want)
		}
		lines := strings.Split(qe.Caret(), "\n")
		if len(lines) != 2 || utf8.RuneCountInString(lines[1]) != c.col {
			t.Errorf("%q: caret %q", c.q, qe.Caret())
		}
	}
}

// FuzzParseQuery: any input parses or fails with a position inside it
// (internal/search's FuzzCompileQuery also compiles what parses).
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`database timeout sev:1 tag:payments status:open after:2025-06-01`, `"dev cluster" -x`,
		`a:b`, `tag:"x y`, `\"`, `"\\"`, `-`, `--a`, `-"`, `sev:,`, "é\"", `10.0.0.1:80`, `"" ""`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s, testVocab)
		if err != nil {
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("%q: error %v is not a QueryError", s, err)
			}
			if n := utf8.RuneCountInString(qe.Query); qe.Col < 1 || qe.Col > n+1 {
				t.Fatalf("%q: column %d outside 1..%d", s, qe.Col, n+1)
			}
			return
		}
		if q == nil {
			t.Fatalf("%q: no query and no error", s)
		}
	})
}

func TestParsePostmortem(t *testing.T) {
	pm := ParsePostmortem([]byte("---\nstatus: draft\nauthors: [alice, bob]\nreviewers: carol\n---\n# Title\n\nIntro\n\n## Root cause\n\nA `flag` and [a link](https://x.example).\n\n<!-- sev:begin timeline x -->\n- 14:31 — rolled back\n<!-- sev:end timeline -->\n\n### Detail\n\nMore.\n"))
	// the generated region (a copy of the timeline) is left out
	if pm.Status != "draft" || strings.Join(pm.People, ",") != "alice,bob,carol" {
		t.Errorf("front matter: %+v", pm)
	}
	if len(pm.Sections) != 2 || pm.Sections[0].Heading != "Title" || pm.Sections[0].Text != "Intro" ||
		pm.Sections[1].Heading != "Root cause" || pm.Sections[1].Text != "A flag and a link.\nDetail\nMore." {
		t.Errorf("sections: %q", pm.Sections)
	}
	// broken front matter: the body is still read
	pm = ParsePostmortem([]byte("---\nstatus: [draft\n---\n## Impact\n\nEverything.\n"))
	if pm.Status != "" || len(pm.Sections) != 1 || pm.Sections[0].Text != "Everything." {
		t.Errorf("broken front matter: %+v", pm)
	}
	// no closing line: all of it is body
	pm = ParsePostmortem([]byte("---\nstatus: draft\n\nwords"))
	if len(pm.Sections) == 0 || !strings.Contains(pm.Sections[len(pm.Sections)-1].Text, "words") {
		t.Errorf("unclosed front matter: %+v", pm)
	}
}
