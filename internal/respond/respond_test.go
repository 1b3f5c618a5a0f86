package respond

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/escalate"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/rotation"
	"github.com/sev-dev/sev/internal/timeline"
)

var t0 = time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)

func min(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }

func testEnv(t *testing.T) *Env {
	s, diags := config.Parse(config.File, []byte(`people:
  - {handle: alice, timezone: UTC, contacts: {ntfy: alice-7f3a, slack: U0ALICE1}}
  - {handle: bob, timezone: UTC, email: bob@example.com, contacts: {ntfy: bob-9c1d}}
  - {handle: carol, timezone: UTC}
notify:
  channels:
    - {name: phones, type: ntfy}
    - {name: mail, type: email, smtp: "smtp.example.com:587", from: sev@example.com}
    - {name: pd, type: pagerduty, key-env: PD}
    - {name: ops, type: slack, url-env: SLACK}
`))
	if diags.Errors() > 0 {
		t.Fatal(diags)
	}
	rot, diags := rotation.Parse("rotations/primary.yaml", []byte("org: eng\ntimezone: UTC\nlayers:\n  - members: [alice]\n    shift: 1w\n    start: 2026-01-05T00:00:00Z\n"))
	if rot == nil {
		t.Fatal(diags)
	}
	pol, diags := escalate.Parse("escalations/payments.yaml", []byte(`levels:
  - notify: [rotation:primary, channel:pd]
  - after: 5m
    notify: [person:bob, role:commander]
  - after: 10m
    notify: [person:alice]
    via: [ops]
`), escalate.Known{Settings: s, Rotations: []string{"primary"}})
	if pol == nil {
		t.Fatal(diags)
	}
	return &Env{Settings: s, Policies: []*escalate.Policy{pol}, Rotations: []*rotation.Rotation{rot}, SiteURL: "https://incidents.example.com/", By: "sev"}
}

// incidentAt builds an incident from its timeline, as the files would.
func incidentAt(t *testing.T, s *config.Settings, entries []timeline.Entry) *incident.Incident {
	rec := &incident.Incident{ID: "2026-03-02-checkout", Title: "Checkout errors", Severity: 1, Status: "open"}
	for _, e := range entries {
		if err := incident.Apply(rec, e, s); err != nil {
			t.Fatal(err)
		}
	}
	return rec
}

func describe(ss []Send) string {
	var out []string
	for _, s := range ss {
		out = append(out, fmt.Sprintf("%s:%s>%s", s.Receipt.Field, s.Receipt.Person, s.Delivery.Channel))
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func TestEscalationRunsUntilAcknowledged(t *testing.T) {
	env := testEnv(t)
	entries := []timeline.Entry{{ID: "decl0001", At: min(0), By: "carol", Type: timeline.Declared, Severity: 1, Status: "open"}}
	plan := func(now int) ([]Send, time.Time, []Problem) {
		return env.Plan(incidentAt(t, env.Settings, entries), entries, min(now))
	}
	if s, next, _ := plan(30); len(s) != 0 || !next.IsZero() {
		t.Fatalf("no escalation, yet %s next %v", describe(s), next)
	}
	entries = append(entries, timeline.Entry{ID: "esc00001", At: min(1), By: "carol", Type: timeline.Escalate, Value: "payments"})
	s, next, problems := plan(1)
	if got := describe(s); got != "page:>pd page:alice>phones" || !next.Equal(min(6)) || len(problems) != 0 {
		t.Fatalf("at 1m: %s next %v %v", got, next, problems)
	}
	if s[0].Receipt.Rotation == "" && s[1].Receipt.Rotation == "" {
		t.Error("alice's receipt does not say she came from the rotation")
	}
	// the receipts are committed: nothing is owed twice
	for _, x := range s {
		entries = append(entries, x.Receipt)
	}
	if s, _, _ := plan(3); len(s) != 0 {
		t.Fatalf("after the receipts: %s", describe(s))
	}
	s, _, problems = plan(6)
	if got := describe(s); got != "page:bob>mail page:bob>phones" || len(problems) != 1 || !strings.Contains(problems[0].Msg, "nobody holds the commander role") {
		t.Fatalf("at 6m: %s %v", got, problems)
	}
	for _, x := range s {
		entries = append(entries, x.Receipt)
	}
	// acknowledged at 8m: level 3 (at 16m) never comes, PagerDuty's
	// alert is acknowledged
	entries = append(entries, timeline.Entry{ID: "ack00001", At: min(8), By: "bob", Type: timeline.Note, Text: "on it", Milestone: "acknowledged"})
	s, next, _ = plan(30)
	if got := describe(s); got != "acknowledge:>pd" || !next.IsZero() {
		t.Fatalf("after the ack: %s next %v", got, next)
	}
	entries = append(entries, s[0].Receipt,
		timeline.Entry{ID: "res00001", At: min(40), By: "bob", Type: timeline.Status, Status: "resolved"})
	if s, _, _ := plan(41); describe(s) != "resolve:>pd" {
		t.Fatalf("after resolution: %s", describe(s))
	}
}

// Level 3 reaches alice through the chat channel named in via, which
// mentions her; a commander taking over stops the escalation too.
func TestViaAndCommander(t *testing.T) {
	env := testEnv(t)
	entries := []timeline.Entry{
		{ID: "decl0001", At: min(0), By: "carol", Type: timeline.Declared, Severity: 1, Status: "open"},
		{ID: "esc00001", At: min(0), By: "carol", Type: timeline.Escalate, Value: "payments"},
	}
	s, _, _ := env.Plan(incidentAt(t, env.Settings, entries), entries, min(15))
	if got := describe(s); got != "page:>pd page:alice>ops page:alice>phones page:bob>mail page:bob>phones" {
		t.Fatalf("at 15m: %s", got)
	}
	for _, x := range s {
		if x.Delivery.Channel == "ops" && x.Delivery.Message.Text != "level 3 of payments" {
			t.Errorf("ops: %+v", x.Delivery.Message)
		}
	}
	entries = append(entries, timeline.Entry{ID: "asg00001", At: min(2), By: "carol", Type: timeline.Assign, Role: "commander", Person: "carol"})
	if s, next, _ := env.Plan(incidentAt(t, env.Settings, entries), entries, min(15)); describe(s) != "page:>pd page:alice>phones" || !next.IsZero() {
		t.Fatalf("a commander at 2m: %s next %v", describe(s), next)
	}
}

func TestProblemsAndRestricted(t *testing.T) {
	env := testEnv(t)
	entries := []timeline.Entry{
		{ID: "decl0001", At: min(0), By: "carol", Type: timeline.Declared, Severity: 1, Status: "open"},
		{ID: "vis00001", At: min(0), By: "carol", Type: timeline.Set, Field: "visibility", Value: "restricted"},
		{ID: "esc00001", At: min(0), By: "carol", Type: timeline.Escalate, Value: "nonexistent"},
	}
	_, _, problems := env.Plan(incidentAt(t, env.Settings, entries), entries, min(1))
	if len(problems) != 1 || !strings.Contains(problems[0].Msg, `escalation policy "nonexistent" does not exist`) {
		t.Fatalf("problems: %v", problems)
	}
	entries[2].Value = "payments"
	s, _, _ := env.Plan(incidentAt(t, env.Settings, entries), entries, min(1))
	for _, x := range s {
		if !x.Delivery.Message.Incident.Restricted || x.Delivery.Message.Incident.URL != "" {
			t.Errorf("%s: restricted incident sent as %+v", x.Delivery.Channel, x.Delivery.Message.Incident)
		}
	}
}
