package rule_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/rule"
	"github.com/sev-dev/sev/internal/timeline"
)

var t0 = time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)

func mins(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }

func timedSet(t *testing.T) (*rule.Set, *rule.Env) {
	env := &rule.Env{Settings: config.Default()}
	files := []rule.File{
		{Path: "rules/unacked.yaml", Data: []byte("on: {unacknowledged-for: 5m}\nsteps:\n  - tag: unacked\n")},
		{Path: "rules/quiet.yaml", Data: []byte("on: {no-update-for: 30m}\nsteps:\n  - tag: quiet\n")},
		{Path: "rules/public-quiet.yaml", Data: []byte("on:\n  no-update-for: {after: 1h, public: true}\nsteps:\n  - tag: public-quiet\n")},
		{Path: "rules/open.yaml", Data: []byte("on: {open-for: 4h}\nsteps:\n  - tag: long\n")},
		{Path: "rules/mitigated.yaml", Data: []byte("on: {mitigated-for: 2h}\nsteps:\n  - tag: still-mitigated\n")},
	}
	set, diags := rule.ParseSet(files, env)
	if diags.Errors() > 0 || len(set.Rules) != 5 {
		t.Fatalf("%v", diags)
	}
	return set, env
}

func input(t *testing.T, env *rule.Env, entries []timeline.Entry) rule.Input {
	rec := &incident.Incident{ID: "2026-03-02-checkout", Title: "Checkout", Severity: 1, Status: "open"}
	for _, e := range entries {
		if err := incident.Apply(rec, e, env.Settings); err != nil {
			t.Fatal(err)
		}
	}
	return rule.Input{Record: rec, Timeline: entries}
}

func fired(p *rule.Plan) string {
	var out []string
	for _, f := range p.Firings {
		out = append(out, fmt.Sprintf("%s@%s", f.Rule, f.Event.At.Sub(t0)))
	}
	return strings.Join(out, " ")
}

func TestTimedTriggers(t *testing.T) {
	set, env := timedSet(t)
	entries := []timeline.Entry{
		{ID: "decl0001", At: mins(0), By: "alice", Type: timeline.Declared, Severity: 1, Status: "open"},
		{ID: "note0001", At: mins(10), By: "bob", Type: timeline.Note, Text: "looking", Public: true},
		{ID: "rule-x01", At: mins(20), By: "sev", Type: timeline.Tag, Tag: "noise"}, // automation is not an update
	}
	// live at 45m: not acknowledged within 5m; 35m since bob's note
	p, _ := set.Automate(env, input(t, env, entries), nil, mins(45))
	if got := fired(p); got != "unacked@5m0s quiet@40m0s" {
		t.Errorf("at 45m: %s", got)
	}
	// acknowledged at 3m: unacknowledged-for never fires
	acked := append([]timeline.Entry{entries[0], {ID: "ack00001", At: mins(3), By: "bob", Type: timeline.Note, Text: "mine", Milestone: "acknowledged"}}, entries[1:]...)
	p, _ = set.Automate(env, input(t, env, acked), nil, mins(45))
	if got := fired(p); strings.Contains(got, "unacked") {
		t.Errorf("acknowledged at 3m, yet: %s", got)
	}
	// later: open for 4h, mitigated at 1h and not resolved 2h later, no
	// public update for an hour after bob's note
	later := append(entries, timeline.Entry{ID: "mit00001", At: mins(60), By: "bob", Type: timeline.Note, Text: "rolled back", Milestone: "mitigated"})
	p, _ = set.Automate(env, input(t, env, later), nil, mins(300))
	if got := fired(p); got != "unacked@5m0s public-quiet@1h10m0s mitigated@3h0m0s quiet@1h30m0s open@4h0m0s" &&
		got != "unacked@5m0s public-quiet@1h10m0s quiet@1h30m0s mitigated@3h0m0s open@4h0m0s" {
		t.Errorf("at 5h: %s", got)
	}
	// resolved at 90m: automation does nothing timed about it any more,
	// and its replay nothing after 90m
	done := append(later, timeline.Entry{ID: "res00001", At: mins(90), By: "bob", Type: timeline.Status, Status: "resolved"})
	p, _ = set.Automate(env, input(t, env, done), nil, mins(300))
	if got := fired(p); got != "" {
		t.Errorf("resolved at 90m, yet automation fires: %s", got)
	}
	p, _ = set.Replay(env, input(t, env, done), mins(300))
	if got := fired(p); strings.Contains(got, "open@") || strings.Contains(got, "mitigated@") || !strings.Contains(got, "unacked@5m0s") {
		t.Errorf("replay of the resolved incident: %s", got)
	}
	// replay: every quiet stretch of the history, at its time
	hist := append(entries, timeline.Entry{ID: "note0002", At: mins(100), By: "bob", Type: timeline.Note, Text: "still on it"})
	p, _ = set.Replay(env, input(t, env, hist), mins(150))
	if got := fired(p); !strings.Contains(got, "quiet@40m0s") || !strings.Contains(got, "quiet@2h10m0s") {
		t.Errorf("replay: %s", got)
	}
}

func TestTimedTriggerErrors(t *testing.T) {
	env := &rule.Env{Settings: config.Default()}
	for body, want := range map[string]string{
		"on: unacknowledged-for\nsteps:\n  - tag: x\n":              "unacknowledged-for needs a wait",
		"on: {open-for: soon}\nsteps:\n  - tag: x\n":                `"soon" is not a wait from 1m to 2160h`,
		"on: {open-for: 10s}\nsteps:\n  - tag: x\n":                 `"10s" is not a wait`,
		"on: {open-for: {after: 1h}}\nsteps:\n  - tag: x\n":         "open-for takes a wait such as 15m",
		"on: {no-update-for: {public: true}}\nsteps:\n  - tag: x\n": "needs after, the wait",
	} {
		_, diags := rule.ParseSet([]rule.File{{Path: "rules/r.yaml", Data: []byte(body)}}, env)
		if !strings.Contains(fmt.Sprint(diags), want) {
			t.Errorf("%q: %v, want %q", body, diags, want)
		}
	}
}
