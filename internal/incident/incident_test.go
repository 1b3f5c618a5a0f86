package incident_test

import (
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/timeline"
)

func TestSlug(t *testing.T) {
	for _, c := range []struct{ title, want string }{
		{"Checkout errors in EU", "checkout-errors-in-eu"},
		{"  Café  DNS — outage!! ", "cafe-dns-outage"},
		{"api.eu-west-1 ERR_CONN_RESET", "api-eu-west-1-err-conn-reset"},
		{"日本語だけ", "incident"},
		{"A very long title that keeps going and going far beyond any reasonable length", "a-very-long-title-that-keeps-going-and-going-far"},
	} {
		if got := incident.Slug(c.title); got != c.want {
			t.Errorf("Slug(%q) = %q, want %q", c.title, got, c.want)
		}
	}
}

func TestValidID(t *testing.T) {
	for id, want := range map[string]bool{
		"2026-03-02-checkout":   true,
		"2026-03-02-checkout-2": true,
		"2026-02-30-checkout":   false,
		"2026-03-02-Checkout":   false,
		"2026-03-02--checkout":  false,
		"2026-03-02-checkout-":  false,
		"checkout":              false,
		"2026-03-02-":           false,
		"2026-03-02-a_b":        false,
	} {
		if got := incident.ValidID(id); got != want {
			t.Errorf("ValidID(%q) = %v, want %v", id, got, want)
		}
	}
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestApply checks how entries change a record, including the coupling of
// statuses and milestones of the same name.
func TestApply(t *testing.T) {
	s := config.Default()
	inc := &incident.Incident{ID: "2026-03-02-x", Title: "X", Severity: 3, Status: "open"}
	steps := []timeline.Entry{
		{Type: timeline.Assign, Role: "commander", Person: "alice", By: "alice", At: at("2026-03-02T14:00:00Z")},
		{Type: timeline.Note, Text: "rolled back", Milestone: "mitigated", By: "bob", At: at("2026-03-02T14:31:00Z")},
		{Type: timeline.Severity, Severity: 1, By: "alice", At: at("2026-03-02T14:32:00Z")},
		{Type: timeline.Tag, Tag: "payments", By: "alice", At: at("2026-03-02T14:33:00Z")},
		{Type: timeline.Tag, Tag: "payments", By: "alice", At: at("2026-03-02T14:33:00Z")},
		{Type: timeline.Link, Field: "chat", URL: "https://chat.example.com/x", By: "alice", At: at("2026-03-02T14:34:00Z")},
		{Type: timeline.Status, Status: "resolved", By: "carol", At: at("2026-03-02T15:00:00Z")},
		{Type: timeline.Note, Text: "late note", Milestone: "mitigated", By: "bob", At: at("2026-03-02T14:31:00Z")},
		{Type: timeline.Set, Field: "summary", Value: "Card payments failed", By: "alice", At: at("2026-03-02T15:01:00Z")},
		{Type: timeline.Add, Field: "orgs", Value: "legal", By: "alice", At: at("2026-03-02T15:02:00Z")},
		{ID: "rule-0123456789abcdef0123", Type: timeline.Note, Text: "Security process", By: "sev", At: at("2026-03-02T15:03:00Z")},
	}
	for _, e := range steps {
		if err := incident.Apply(inc, e, s); err != nil {
			t.Fatal(err)
		}
	}
	if inc.Status != "resolved" {
		t.Errorf("status = %q; a mitigated milestone must not move a resolved incident back", inc.Status)
	}
	if got := inc.Milestones.Mitigated; !got.Equal(at("2026-03-02T14:31:00Z")) {
		t.Errorf("mitigated = %v", got)
	}
	if got := inc.Milestones.Resolved; !got.Equal(at("2026-03-02T15:00:00Z")) {
		t.Errorf("resolved milestone = %v; setting the status must record it", got)
	}
	if inc.Severity != 1 || len(inc.Tags) != 1 || inc.Roles["commander"] != "alice" || len(inc.Links) != 1 {
		t.Errorf("record = %+v", inc)
	}
	if inc.Summary != "Card payments failed" || len(inc.Orgs) != 1 {
		t.Errorf("summary/orgs = %q %v", inc.Summary, inc.Orgs)
	}
	if want := []string{"bob", "carol"}; len(inc.Responders) != 2 || inc.Responders[0] != want[0] || inc.Responders[1] != want[1] {
		t.Errorf("responders = %v, want %v (people who wrote, without a role; automation is not one)", inc.Responders, want)
	}
	if err := incident.Apply(inc, timeline.Entry{Type: timeline.Set, Field: "severity", Value: "2"}, s); err == nil {
		t.Error("set severity must be refused: severity has its own entry type")
	}
}

func TestOrderProblem(t *testing.T) {
	var m incident.Times
	m.Started = at("2026-03-02T13:00:00Z")
	m.Declared = at("2026-03-02T14:00:00Z")
	m.Mitigated = at("2026-03-02T13:30:00Z")
	if a, b := incident.OrderProblem(m); a != "declared" || b != "mitigated" {
		t.Errorf("OrderProblem = %q, %q", a, b)
	}
	m.Mitigated = at("2026-03-02T14:00:00Z")
	if a, _ := incident.OrderProblem(m); a != "" {
		t.Errorf("equal times are in order, got a problem with %q", a)
	}
}

// Imported entries keep their authors without making them responders, and
// carry their precision onto the milestones they set; a later exact time
// for the milestone clears the mark.
func TestApplyImported(t *testing.T) {
	s := config.Default()
	inc := &incident.Incident{ID: "2020-11-12-x", Title: "X", Severity: 1, Status: "open"}
	steps := []timeline.Entry{
		{Type: timeline.Note, Text: "down", Milestone: "started", By: "Jane Doe", At: at("2020-11-12T00:00:00Z"), Imported: true, Precision: "day"},
		{Type: timeline.Status, Status: "resolved", By: "cstate", At: at("2020-11-14T00:00:00Z"), Imported: true, Precision: "day"},
	}
	for _, e := range steps {
		if err := incident.Apply(inc, e, s); err != nil {
			t.Fatal(err)
		}
	}
	if len(inc.Responders) != 0 {
		t.Errorf("responders = %v; imported authors are not responders", inc.Responders)
	}
	if inc.Precision["started"] != "day" || inc.Precision["resolved"] != "day" || inc.Exact("started") {
		t.Errorf("precision = %v; the entries' precision must reach the record", inc.Precision)
	}
	fix := timeline.Entry{Type: timeline.Note, Milestone: "started", By: "alice", At: at("2020-11-12T09:30:00Z")}
	if err := incident.Apply(inc, fix, s); err != nil {
		t.Fatal(err)
	}
	if _, ok := inc.Precision["started"]; ok || !inc.Exact("started") {
		t.Errorf("precision = %v; an exact correction must clear the day mark", inc.Precision)
	}
	if len(inc.Responders) != 1 || inc.Responders[0] != "alice" {
		t.Errorf("responders = %v; a sev entry's author is a responder", inc.Responders)
	}
	reopen := timeline.Entry{Type: timeline.Status, Status: "open", By: "alice", At: at("2026-01-01T00:00:00Z")}
	if err := incident.Apply(inc, reopen, s); err != nil {
		t.Fatal(err)
	}
	if len(inc.Precision) != 0 {
		t.Errorf("precision = %v; reopening clears the resolved milestone and its mark", inc.Precision)
	}
}
