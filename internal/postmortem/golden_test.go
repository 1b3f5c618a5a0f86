package postmortem

import (
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/golden"
	"github.com/sev-dev/sev/internal/timeline"
)

// TestDraftGolden keeps one postmortem draft, front matter and body, as a
// golden file (go test ./internal/postmortem -update, then review).
func TestDraftGolden(t *testing.T) {
	in := input("Card payments failed for 40% of EU customers.", "Alerts fire for checkout-api 5xx", "Rolled back deploy 4411")
	in.Record.Roles = map[string]string{"commander": "alice", "comms": "bob"}
	in.Record.Responders = []string{"carol"}
	in.Record.Impact = "About 1,200 failed orders."
	in.Record.Milestones.Detected = in.Record.Milestones.Started.Add(4 * time.Minute)
	in.Record.Milestones.Declared = in.Record.Milestones.Started.Add(6 * time.Minute)
	in.Record.Milestones.Mitigated = in.Record.Milestones.Started.Add(40 * time.Minute)
	in.Entries[1].Milestone, in.Entries[1].Key = "mitigated", true
	in.Entries = append(in.Entries, timeline.Entry{ID: "ez", At: in.Record.Milestones.Resolved, By: "alice", Type: timeline.Status, Status: "resolved", Key: true})
	meta := Meta{Incident: in.Record.ID, Status: "draft", Authors: []string{"alice"}}
	in.Meta = meta
	body, err := Render(in, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := New(meta, body)
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "draft.md", data)
	if _, diags := Parse("postmortems/"+in.Record.ID+".md", data); diags.Errors() > 0 {
		t.Errorf("the draft does not read back: %v", diags)
	}
}
