package chatops

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// who maps GitHub logins to sev handles as sev.yaml's people[].github does.
func who(login string) string {
	if login == "alice-gh" {
		return "alice"
	}
	return login
}

func TestParseAndArgv(t *testing.T) {
	cases := []struct {
		body string
		want [][]string
	}{
		{"/sev note the database is back", [][]string{{"note", "ID", "--by", "bob", "--", "the database is back"}}},
		{"/sev status mitigated", [][]string{{"status", "ID", "mitigated", "--by", "bob"}}},
		{"/sev sev 1", [][]string{{"severity", "ID", "1", "--by", "bob"}}},
		{"/sev severity SEV2", [][]string{{"severity", "ID", "2", "--by", "bob"}}},
		{"/sev assign commander @alice-gh", [][]string{{"assign", "ID", "commander", "alice", "--by", "bob"}}},
		{"/sev assign scribe me", [][]string{{"assign", "ID", "scribe", "bob", "--by", "bob"}}},
		{"/sev unassign scribe", [][]string{{"assign", "ID", "scribe", "--remove", "--by", "bob"}}},
		{"/sev tag database pii", [][]string{{"tag", "ID", "database", "pii", "--by", "bob"}}},
		{"/sev untag pii", [][]string{{"tag", "ID", "pii", "--remove", "--by", "bob"}}},
		{"/sev page legal", [][]string{{"page", "ID", "legal", "--by", "bob"}}},
		{"/sev link dashboard https://grafana.example/d/x", [][]string{{"link", "ID", "dashboard", "https://grafana.example/d/x", "--by", "bob"}}},
		{"Thanks!\n\n/sev status mitigated\r\n/sev note rolled back\nsecond paragraph\n\nthird\n/sev sev 3",
			[][]string{
				{"status", "ID", "mitigated", "--by", "bob"},
				{"note", "ID", "--by", "bob", "--", "rolled back\nsecond paragraph\n\nthird"},
				{"severity", "ID", "3", "--by", "bob"},
			}},
		{"just talking about /sev here", nil},
		{"> /sev status resolved\nquoting someone", nil},
		{"/several things", nil},
		{"/sev note --push $(rm -rf /) `id` ${{ secrets.X }}", [][]string{{"note", "ID", "--by", "bob", "--", "--push $(rm -rf /) `id` ${{ secrets.X }}"}}},
	}
	for _, c := range cases {
		cmds, err := Parse(c.body)
		if err != nil {
			t.Errorf("%q: %v", c.body, err)
			continue
		}
		var got [][]string
		for _, cmd := range cmds {
			got = append(got, cmd.Argv("ID", "bob", who))
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q:\n got %q\nwant %q", c.body, got, c.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := map[string]string{
		"/sev":                            "line 1: a command is missing after /sev",
		"ok\n/sev resolve":                "line 2: unknown command \"resolve\"",
		"/sev note":                       "needs the text",
		"/sev status":                     "needs exactly one word",
		"/sev status --remove":            "cannot start with '-'",
		"/sev sev high":                   "a level such as 1",
		"/sev assign commander":           "needs a role and a person",
		"/sev tag":                        "at least one name",
		"/sev link dashboard":             "needs a kind and a URL",
		"/sev status mitigated\n/sev bad": "line 2",
		"/sev tag --no-commit x":          "cannot start with '-'",
	}
	for body, want := range cases {
		cmds, err := Parse(body)
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want one containing %q", body, err, want)
		}
		if cmds != nil {
			t.Errorf("%q: a comment with an error gave commands %v", body, cmds)
		}
	}
}

func TestHelp(t *testing.T) {
	cmds, err := Parse("/sev help")
	if err != nil || len(cmds) != 1 || cmds[0].Verb != "help" || cmds[0].Argv("ID", "bob", who) != nil {
		t.Fatalf("help: %v %v", cmds, err)
	}
	for verb := range verbs {
		if verb != "severity" && !strings.Contains(Usage, "/sev "+verb) {
			t.Errorf("Usage does not mention %s", verb)
		}
	}
}
