package webhook

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/golden"
)

// indent is a body made readable for its golden file.
func indent(t *testing.T, body []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := json.Indent(&b, body, "", "  "); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, body)
	}
	return append(b.Bytes(), '\n')
}

func TestBodyGolden(t *testing.T) {
	body, err := fixture().Body(fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "event.json", indent(t, body))
}

// TestBodyStableShape: an incident with nothing set still has every key,
// with empty lists and objects rather than null.
func TestBodyStableShape(t *testing.T) {
	body, err := Event{ID: "abc", Incident: Incident{ID: "2026-01-01-x"}}.Body(fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "type", "rule", "incident", "text", "sent_at"} {
		if _, ok := got[k]; !ok {
			t.Errorf("key %q missing from %s", k, body)
		}
	}
	inc := got["incident"].(map[string]any)
	for _, k := range []string{"id", "title", "severity", "severity_name", "status", "url", "tags", "orgs", "roles"} {
		if _, ok := inc[k]; !ok {
			t.Errorf("incident key %q missing from %s", k, body)
		}
	}
	if !strings.Contains(string(body), `"tags":[]`) || !strings.Contains(string(body), `"roles":{}`) {
		t.Errorf("empty lists should be [] and {}: %s", body)
	}
	if got["type"] != TypeRule {
		t.Errorf("type = %v, want %s", got["type"], TypeRule)
	}
}

// TestRedactedBody: a restricted incident's event carries its ids and
// nothing of the incident but its ID.
func TestRedactedBody(t *testing.T) {
	e := fixture()
	r := e.Redact()
	if !r.Incident.Redacted() || e.Incident.Redacted() {
		t.Fatalf("Redacted() = %v on the redacted event, %v on the original", r.Incident.Redacted(), e.Incident.Redacted())
	}
	body, err := r.Body(fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"` + e.ID + `","type":"sev.rule","incident":{"id":"2026-03-02-checkout-errors-in-eu"},"sent_at":"2026-03-02T14:05:00Z"}`
	if string(body) != want {
		t.Errorf("redacted body\n got %s\nwant %s", body, want)
	}
	for _, leak := range []string{"Checkout", "security", "payments", "alice", "SEV1", "sev1-security", "Follow"} {
		if strings.Contains(string(body), leak) {
			t.Errorf("redacted body contains %q: %s", leak, body)
		}
	}
	golden.Check(t, "event-redacted.json", indent(t, body))
}

func TestNewID(t *testing.T) {
	a := NewID("rule", "chat", "2026-03-02-x", "e1")
	if a != NewID("rule", "chat", "2026-03-02-x", "e1") {
		t.Error("NewID is not stable")
	}
	if len(a) != 32 || checkID(a) != nil {
		t.Errorf("NewID = %q, want 32 hex digits", a)
	}
	// The parts are length-prefixed, so moving a boundary changes the id.
	if NewID("ab", "c") == NewID("a", "bc") || NewID("a", "b") == NewID("ab") {
		t.Error("NewID collides when part boundaries move")
	}
}

func TestCheckID(t *testing.T) {
	for _, ok := range []string{"a", "A-b_9", strings.Repeat("x", 128)} {
		if err := checkID(ok); err != nil {
			t.Errorf("checkID(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "a.b", "a b", "é", "a\n", strings.Repeat("x", 129)} {
		if err := checkID(bad); err == nil {
			t.Errorf("checkID(%q) accepted it", bad)
		}
	}
}
