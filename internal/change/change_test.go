package change_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/timeline"
)

func files(m map[string][]byte) change.ReadFunc {
	return func(p string) ([]byte, bool, error) {
		b, ok := m[p]
		return b, ok, nil
	}
}

var t0 = time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)

// TestReapply: the same change applied to two different versions of the
// files appends its entry to each, keeps what others wrote, and is a no-op
// where it is already present.
func TestReapply(t *testing.T) {
	s := config.Default()
	id := "2026-03-02-checkout"
	create := &change.Change{Incident: id, Create: &incident.Incident{ID: id, Title: "Checkout", Severity: 1, Status: "open"},
		Entries: []timeline.Entry{{ID: "aaaa0001", At: t0, By: "alice", Type: timeline.Declared}}}
	base, err := create.Apply(s, files(nil))
	if err != nil {
		t.Fatal(err)
	}
	note := func(eid, by, text string) *change.Change {
		return &change.Change{Incident: id, Entries: []timeline.Entry{{ID: eid, At: t0.Add(time.Minute), By: by, Type: timeline.Note, Text: text}}}
	}
	mine := note("bbbb0001", "bob", "rolled back")
	theirs := note("cccc0001", "carol", "error rate falling")
	afterTheirs, err := theirs.Apply(s, files(base))
	if err != nil {
		t.Fatal(err)
	}
	merged := map[string][]byte{}
	for k, v := range base {
		merged[k] = v
	}
	for k, v := range afterTheirs {
		merged[k] = v
	}
	out, err := mine.Apply(s, files(merged))
	if err != nil {
		t.Fatal(err)
	}
	tl := string(out[layout.Timeline(id)])
	if !strings.Contains(tl, "error rate falling") || !strings.Contains(tl, "rolled back") {
		t.Errorf("re-applied timeline lost an entry:\n%s", tl)
	}
	if !strings.HasPrefix(tl, string(merged[layout.Timeline(id)])) {
		t.Error("re-applying rewrote what was already there instead of appending")
	}
	rec := string(out[layout.Record(id)])
	if !strings.Contains(rec, "responders: [carol, bob]") {
		t.Errorf("record does not have both responders:\n%s", rec)
	}
	for k, v := range out {
		merged[k] = v
	}
	if _, err := mine.Apply(s, files(merged)); !errors.Is(err, change.ErrNothing) {
		t.Errorf("applying the same change twice: %v, want ErrNothing", err)
	}
	if _, err := create.Apply(s, files(merged)); !errors.Is(err, change.ErrNothing) {
		t.Errorf("re-applying a declaration that landed already: %v, want ErrNothing", err)
	}
	other := *create
	other.Entries = []timeline.Entry{{ID: "dddd0001", At: t0, By: "dave", Type: timeline.Declared}}
	if _, err := other.Apply(s, files(merged)); !errors.Is(err, change.ErrExists) {
		t.Errorf("declaring over someone else's incident: %v, want ErrExists", err)
	}
	// a change that would write an invalid file is refused
	bad := &change.Change{Incident: id, Entries: []timeline.Entry{{ID: "eeee0001", At: t0, By: "bob", Type: timeline.Assign, Role: "", Person: "x"}}}
	var inv *change.InvalidError
	if _, err := bad.Apply(s, files(merged)); !errors.As(err, &inv) {
		t.Errorf("an assign entry without a role: %v, want InvalidError", err)
	}
}

func TestMessageOfRestrictedIncident(t *testing.T) {
	ch := &change.Change{Incident: "2026-03-02-restricted-k7qz",
		Create:  &incident.Incident{Title: "Leaked payroll key"},
		Entries: []timeline.Entry{{Type: timeline.Declared}, {Type: timeline.Note, Text: "key rotated"}}}
	msg := ch.Message(true)
	if strings.Contains(msg, "payroll") || strings.Contains(msg, "rotated") {
		t.Errorf("restricted commit message leaks:\n%s", msg)
	}
	if !strings.HasPrefix(msg, "2026-03-02-restricted-k7qz: declared; note\n") {
		t.Errorf("message = %q", msg)
	}
}

// TestFingerprint: the same request made twice (new ids, new times) has
// one fingerprint; another text, incident or author has another.
func TestFingerprint(t *testing.T) {
	at := time.Date(2026, 3, 2, 14, 5, 0, 0, time.UTC)
	note := func(id, text string, when time.Time) *change.Change {
		return &change.Change{Incident: "2026-03-02-x", Entries: []timeline.Entry{{ID: id, At: when, By: "alice", Type: timeline.Note, Text: text}}}
	}
	a := note("01aaaaaaaaaaaaaa", "rolled back", at).Fingerprint("alice")
	if b := note("01bbbbbbbbbbbbbb", "rolled back", at.Add(time.Minute)).Fingerprint("alice"); a != b {
		t.Errorf("the same note twice: %s and %s", a, b)
	}
	for name, other := range map[string]string{
		"text":     note("01c", "rolled forward", at).Fingerprint("alice"),
		"author":   note("01c", "rolled back", at).Fingerprint("bob"),
		"incident": (&change.Change{Incident: "2026-03-02-y", Entries: note("01c", "rolled back", at).Entries}).Fingerprint("alice"),
	} {
		if other == a {
			t.Errorf("another %s has the same fingerprint", name)
		}
	}
}
