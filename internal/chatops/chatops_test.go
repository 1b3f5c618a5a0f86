package chatops

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/rotation"
	"github.com/sev-dev/sev/internal/timeline"
)

// who maps GitHub logins to sev handles as sev.yaml's people[].github does.
func who(login string) string {
	if login == "alice-gh" {
		return "alice"
	}
	return login
}

// env is an ops environment with sev.yaml's defaults and one rotation,
// legal, where carol is always on call.
func env(t *testing.T) *ops.Env {
	rot, diags := rotation.Parse("rotations/legal.yaml", []byte("org: legal\ntimezone: UTC\nlayers:\n  - name: all\n    members: [carol]\n    shift: 1w\n    start: 2026-01-05T09:00:00Z\n"))
	if diags.Errors() > 0 {
		t.Fatal(diags)
	}
	n := 0
	return &ops.Env{Settings: config.Default(), Now: time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC),
		NewID:     func() string { n++; return fmt.Sprintf("01test%010d", n) },
		Rotations: func() ([]*rotation.Rotation, error) { return []*rotation.Rotation{rot}, nil }}
}

// TestParseAndChange: each command makes the entries its sev command
// would, by the commenter, with logins mapped to handles.
func TestParseAndChange(t *testing.T) {
	cases := []struct {
		body string
		want []string // timeline.Describe of each entry, in order
	}{
		{"/sev note the database is back", []string{"the database is back"}},
		{"/sev ack", []string{"[acknowledged] Acknowledged"}},
		{"/sev acknowledge on it, checking the gateway", []string{"[acknowledged] on it, checking the gateway"}},
		{"/sev status mitigated", []string{"status → mitigated"}},
		{"/sev sev 1", []string{"severity → 1"}},
		{"/sev severity SEV2", []string{"severity → 2"}},
		{"/sev assign commander @alice-gh", []string{"commander → alice"}},
		{"/sev assign scribe me", []string{"scribe → bob"}},
		{"/sev unassign comms", []string{"comms unassigned"}},
		{"/sev tag database pii", []string{"tagged database", "tagged pii"}},
		{"/sev untag old", []string{"untagged old"}},
		{"/sev page legal", []string{"paged carol (on call in legal)"}},
		{"/sev link dashboard https://grafana.example/d/x", []string{"link dashboard https://grafana.example/d/x"}},
		{"Thanks!\n\n/sev status mitigated\r\n/sev note rolled back\nsecond paragraph\n\nthird\n/sev sev 3",
			[]string{"status → mitigated", "rolled back\nsecond paragraph\n\nthird", "severity → 3"}},
		{"just talking about /sev here", nil},
		{"> /sev status resolved\nquoting someone", nil},
		{"/several things", nil},
		{"/sev note --push $(rm -rf /) `id` ${{ secrets.X }}", []string{"--push $(rm -rf /) `id` ${{ secrets.X }}"}},
	}
	for _, c := range cases {
		cmds, err := Parse(c.body)
		if err != nil {
			t.Errorf("%q: %v", c.body, err)
			continue
		}
		var got []string
		for _, cmd := range cmds {
			inc := &ops.Incident{Record: &incident.Incident{ID: "ID", Status: "investigating", Severity: 4,
				Tags: []string{"old"}, Roles: map[string]string{"comms": "dave"}}}
			ch, err := cmd.Change(env(t), inc, "bob", who)
			if err != nil {
				t.Errorf("%q: %v", c.body, err)
				continue
			}
			for _, e := range ch.Entries {
				if e.By != "bob" {
					t.Errorf("%q: entry by %q", c.body, e.By)
				}
				got = append(got, timeline.Describe(e))
			}
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
	if err != nil || len(cmds) != 1 || cmds[0].Verb != "help" {
		t.Fatalf("help: %v %v", cmds, err)
	}
	for verb := range verbs {
		if verb != "severity" && !strings.Contains(Usage, "/sev "+verb) {
			t.Errorf("Usage does not mention %s", verb)
		}
	}
}
