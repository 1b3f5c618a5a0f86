package present

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/timeline"
)

// The times to detect, mitigate and resolve stand under the milestones,
// not in the links; a note's further lines line up under its first.
func TestIncidentLayout(t *testing.T) {
	at := time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
	inc := &incident.Incident{ID: "2026-03-02-x", Title: "X", Severity: 1, Status: "resolved",
		Milestones: incident.Times{Started: at, Declared: at, Mitigated: at.Add(26 * time.Minute), Resolved: at.Add(time.Hour)},
		Links:      []incident.Link{{Kind: "chat", URL: "https://chat.example.com/x"}}}
	entries := []timeline.Entry{{ID: "n1", At: at, By: "alice", Type: timeline.Note, Text: "first line\nsecond line"}}
	var b strings.Builder
	Incident(&b, fstest.MapFS{}, config.Default(), inc, entries, nil)
	out := b.String()
	timeTo, links := strings.Index(out, "time to mitigate"), strings.Index(out, "Links:")
	if timeTo < 0 || links < 0 || timeTo > links {
		t.Errorf("the durations are not above the links:\n%s", out)
	}
	first := strings.Index(out, "first line")
	lineStart := strings.LastIndex(out[:first], "\n") + 1
	want := "\n" + strings.Repeat(" ", first-lineStart) + "second line"
	if !strings.Contains(out, want) {
		t.Errorf("the note's second line is not under its first:\n%s", out)
	}
}
