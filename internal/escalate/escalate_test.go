package escalate

import (
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/config"
)

func settings(t *testing.T) *config.Settings {
	s, diags := config.Parse(config.File, []byte(`people:
  - {handle: alice}
  - {handle: carol, email: carol@example.com}
notify:
  channels:
    - {name: pd, type: pagerduty, key-env: PD}
    - {name: phones, type: ntfy}
`))
	if diags.Errors() > 0 {
		t.Fatal(diags)
	}
	return s
}

func TestParseChecks(t *testing.T) {
	k := Known{Settings: settings(t), Rotations: []string{"payments-primary", "payments-secondary"}}
	p, diags := Parse("escalations/payments.yaml", []byte(`description: Payments
levels:
  - notify: [rotation:payments-primary, channel:phones]
  - after: 5m
    notify: [rotation:payments-secondary, channel:pd]
  - after: 15m
    notify: [person:carol@example.com, role:commander]
    via: [phones]
repeat: 2
repeat-after: 20m
`), k)
	if p == nil || len(diags) != 0 {
		t.Fatalf("%v", diags)
	}
	if got := p.Levels[2].Targets(); len(got) != 2 || got[0].Name != "carol" {
		t.Errorf("targets: %v", got)
	}
	_, diags = Parse("escalations/payments.yaml", []byte(`name: other
levels:
  - after: soon
    notify: [rotation:payments-primray, pager:alice, person:zed, channel:sms, role:boss, alice]
    via: [mail]
repeat: 11
`), k)
	var b strings.Builder
	diags.WriteText(&b)
	got := b.String()
	for _, want := range []string{
		`escalations/payments.yaml:1:7: name "other" does not match the file name "payments"`,
		`escalations/payments.yaml:3:12: after: "soon" is not a wait`,
		`4:14: no rotation "payments-primray" in rotations/ (or it has errors); did you mean "payments-primary"?`,
		`4:41: unknown target kind "pager"`,
		`4:54: no person "zed"`,
		`4:66: no channel "sms"`,
		`4:79: no role "boss"`,
		`4:90: "alice" is not a target`,
		`5:11: no channel "mail"`,
		`6:9: repeat must be from 0 to 10`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}

func policy(t *testing.T) *Policy {
	k := Known{Settings: settings(t), Rotations: []string{"a", "b"}}
	p, diags := Parse("escalations/p.yaml", []byte(`levels:
  - notify: [rotation:a]
  - after: 5m
    notify: [rotation:b]
repeat: 1
repeat-after: 10m
`), k)
	if p == nil {
		t.Fatal(diags)
	}
	return p
}

func TestDue(t *testing.T) {
	p := policy(t)
	start := time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
	st := State{Incident: "2026-03-02-x", Start: start}
	at := func(m int) time.Time { return start.Add(time.Duration(m) * time.Minute) }
	for _, c := range []struct {
		now  int
		stop int // minutes after start; -1: not stopped
		due  string
		next int // -1: none
	}{
		{0, -1, "0/0", 5},
		{4, -1, "0/0", 5},
		{5, -1, "0/0 0/1", 15},
		{15, -1, "0/0 0/1 1/0", 20},
		{60, -1, "0/0 0/1 1/0 1/1", -1},
		{60, 3, "0/0", -1}, // acknowledged at 3m: level 2 never comes
		{60, 5, "0/0", -1}, // a stop at the very time of a step stops it
		{60, 16, "0/0 0/1 1/0", -1},
	} {
		s := st
		if c.stop >= 0 {
			s.Stop = at(c.stop)
		}
		due, next := p.Due(s, at(c.now))
		var got []string
		for _, d := range due {
			got = append(got, strings.Join([]string{string(rune('0' + d.Pass)), string(rune('0' + d.Level))}, "/"))
		}
		want := at(c.next)
		if c.next < 0 {
			want = time.Time{}
		}
		if strings.Join(got, " ") != c.due || !next.Equal(want) {
			t.Errorf("now %dm stop %dm: due %v next %v; want %s next %dm", c.now, c.stop, got, next, c.due, c.next)
		}
	}
}

// Step IDs are the same for the same escalation, different for another
// level, pass, start or incident.
func TestStepIDs(t *testing.T) {
	p := policy(t)
	start := time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
	a := p.Steps("i1", start)
	b := p.Steps("i1", start)
	seen := map[string]bool{}
	for i := range a {
		if a[i].ID != b[i].ID {
			t.Errorf("step %d: %s then %s", i, a[i].ID, b[i].ID)
		}
		if seen[a[i].ID] {
			t.Errorf("step %d: ID %s twice", i, a[i].ID)
		}
		seen[a[i].ID] = true
	}
	for _, other := range [][]Step{p.Steps("i2", start), p.Steps("i1", start.Add(time.Second))} {
		for _, s := range other {
			if seen[s.ID] {
				t.Errorf("ID %s of another escalation collides", s.ID)
			}
		}
	}
}
