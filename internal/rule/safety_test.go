package rule_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/rule"
)

var liveMentionRE = regexp.MustCompile(`(^|[^A-Za-z0-9_\x{200B}])@([A-Za-z0-9][A-Za-z0-9/-]*)`)

// TestHostilePlans checks what the hostile fixture's rules send: GitHub
// bodies end with their one marker and hold no other markup, the only live
// mentions are the rule's own and the people sev.yaml resolves, and a
// restricted incident's comment, issue and webhooks say nothing but its
// ID.
func TestHostilePlans(t *testing.T) {
	f := loadFixture(t, "testdata/plan/hostile.txtar")
	allowed := map[string]bool{"northwind/sre": true, "alice-gh": true}
	for _, in := range f.inputs(t) {
		plan, _ := f.set.Replay(f.env, in, f.now)
		if len(plan.Actions()) != 7 {
			t.Fatalf("%s: %d actions, want 7", in.Record.ID, len(plan.Actions()))
		}
		for _, a := range plan.Actions() {
			if a.Body != "" {
				checkBody(t, a, allowed)
			}
			if in.Record.Restricted() {
				checkRestricted(t, in.Record.ID, a, []string{in.Record.Title, in.Record.Summary, "pii", "Customer", "exposed"})
			}
		}
	}
}

func checkBody(t *testing.T, a rule.Action, allowed map[string]bool) {
	t.Helper()
	// the marker that finds the comment again is ghapi's to add, once
	body := a.Body
	if strings.Contains(body, "<!--") || strings.Contains(body, "-->") {
		t.Errorf("%s: a marker or comment in the body: %q", a.StepKind, a.Body)
	}
	if strings.ContainsAny(body, "<>") {
		t.Errorf("%s: markup in the body: %q", a.StepKind, body)
	}
	for _, m := range liveMentionRE.FindAllStringSubmatch(body+" "+a.Title, -1) {
		if !allowed[m[2]] {
			t.Errorf("%s: live mention @%s in %q", a.StepKind, m[2], body)
		}
	}
}

func checkRestricted(t *testing.T, id string, a rule.Action, secrets []string) {
	t.Helper()
	var sent []string
	switch a.Kind {
	case rule.KindEntry:
		return // notes stay in the restricted incident
	case rule.KindWebhook:
		sent = append(sent, string(a.Webhook.Payload))
		var p struct {
			Incident map[string]any `json:"incident"`
		}
		if a.Webhook.Format == "json" {
			if err := json.Unmarshal(a.Webhook.Payload, &p); err != nil {
				t.Fatal(err)
			}
			if len(p.Incident) != 2 || p.Incident["id"] != id || p.Incident["restricted"] != true {
				t.Errorf("webhook %s: the incident is %v, want only its id", a.Webhook.Name, p.Incident)
			}
		}
	default:
		sent = append(sent, a.Title, a.Body)
	}
	for _, s := range sent {
		for _, secret := range secrets {
			if strings.Contains(s, secret) {
				t.Errorf("%s of restricted %s says %q: %q", a.StepKind, id, secret, s)
			}
		}
	}
}

// TestRestrictedLaterInTheSamePush: what an incident declared internal
// and restricted later in the same push sends, for events from before the
// restriction, names only its ID — in automation and in the replay.
func TestRestrictedLaterInTheSamePush(t *testing.T) {
	f := loadFixture(t, "testdata/plan/restricted-later.txtar")
	secrets := []string{"zqxtitle", "zqxsummary", "Customer", "exposed"}
	for _, in := range f.inputs(t) {
		plans := map[string]*rule.Plan{}
		plans["automate"], _ = f.set.Automate(f.env, in, ids(in.Timeline), f.now)
		plans["replay"], _ = f.set.Replay(f.env, in, f.now)
		for how, plan := range plans {
			outside := 0
			for _, a := range plan.Actions() {
				if a.Kind != rule.KindEntry {
					outside++
				}
				checkRestricted(t, in.Record.ID, a, secrets)
			}
			if outside < 5 {
				t.Errorf("%s: %d actions outside the repository, want at least 5 (the test checks nothing)", how, outside)
			}
		}
	}
}
