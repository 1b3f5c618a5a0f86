package automation

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/notify"
	"github.com/sev-dev/sev/internal/rotation"
	"github.com/sev-dev/sev/internal/rule"
	"github.com/sev-dev/sev/internal/timeline"
)

type fakeNotifier struct {
	sent []string
	fail bool
}

func (f *fakeNotifier) Send(_ context.Context, ds []notify.Delivery) []notify.Receipt {
	var out []notify.Receipt
	for _, d := range ds {
		f.sent = append(f.sent, d.Person+">"+d.Channel+":"+string(d.Message.Action)+":"+d.Message.Text)
		r := notify.Receipt{Channel: d.Channel, Person: d.Person}
		if f.fail {
			r.Err = errors.New("503")
		}
		out = append(out, r)
	}
	return out
}

// A notify step resolves its targets when the rule fires (the on-call
// person, a channel), sends through the Notifier, and records a notify
// entry per delivery only when it succeeded; the next run sends only what
// failed.
func TestNotifyStep(t *testing.T) {
	s, diags := config.Parse(config.File, []byte(`people:
  - {handle: alice, timezone: UTC, contacts: {ntfy: alice-7f3a}}
notify:
  channels:
    - {name: phones, type: ntfy}
    - {name: ops, type: slack, url-env: SLACK}
`))
	if diags.Errors() > 0 {
		t.Fatal(diags)
	}
	rot, _ := rotation.Parse("rotations/primary.yaml", []byte("org: eng\ntimezone: UTC\nlayers:\n  - members: [alice]\n    shift: 1w\n    start: 2026-01-05T00:00:00Z\n"))
	env := &rule.Env{Settings: s, Rotations: []*rotation.Rotation{rot}}
	set, d := rule.ParseSet([]rule.File{{Path: "rules/quiet.yaml", Data: []byte(`on: {no-update-for: 30m}
steps:
  - notify: {to: [rotation:primary, channel:ops], text: "{{.Title}} has had no update for 30 minutes"}
`)}}, env)
	if d.Errors() > 0 {
		t.Fatal(d)
	}
	t0 := time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
	entries := []timeline.Entry{{ID: "decl0001", At: t0, By: "alice", Type: timeline.Declared, Severity: 1, Status: "open"}}
	rec := &incident.Incident{ID: "2026-03-02-checkout", Title: "Checkout errors", Severity: 1, Status: "open"}
	for _, e := range entries {
		incident.Apply(rec, e, s)
	}
	plan, _ := set.Automate(env, rule.Input{Record: rec, Timeline: entries}, nil, t0.Add(45*time.Minute))
	n := &fakeNotifier{fail: true}
	recs := &fakeRecorder{}
	if _, err := Run(context.Background(), []*rule.Plan{plan}, Deps{Notifier: n, Recorder: recs, Log: &strings.Builder{}}); err != nil {
		t.Fatal(err)
	}
	if len(n.sent) != 2 || len(recs.changes) != 0 {
		t.Fatalf("failing: sent %v, recorded %d changes", n.sent, len(recs.changes))
	}
	n.fail = false
	n.sent = nil
	if _, err := Run(context.Background(), []*rule.Plan{plan}, Deps{Notifier: n, Recorder: recs, Log: &strings.Builder{}}); err != nil {
		t.Fatal(err)
	}
	want := []string{"alice>phones:page:Checkout errors has had no update for 30 minutes", ">ops:page:Checkout errors has had no update for 30 minutes"}
	if strings.Join(n.sent, "|") != strings.Join(want, "|") {
		t.Errorf("sent %q, want %q", n.sent, want)
	}
	if len(recs.changes) != 1 || len(recs.changes[0].Entries) != 2 {
		t.Fatalf("recorded %+v", recs.changes)
	}
	for _, e := range recs.changes[0].Entries {
		if e.Type != timeline.Notify || e.Field != "page" || e.Value == "" {
			t.Errorf("receipt %+v", e)
		}
	}
	// with the receipts in the timeline, nothing is planned again
	entries = append(entries, recs.changes[0].Entries...)
	plan, _ = set.Automate(env, rule.Input{Record: rec, Timeline: entries}, nil, t0.Add(50*time.Minute))
	if len(plan.Actions()) != 0 {
		var kinds []string
		for _, a := range plan.Actions() {
			kinds = append(kinds, a.Describe(false))
		}
		t.Errorf("planned again: %v", kinds)
	}
}
