package site

import (
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/postmortem"
	"github.com/sev-dev/sev/internal/timeline"
)

// TestNowCardDatesAnOlderEntry: the latest entry on a Now card shows its
// day when it is not from the day of the build, in the organisation's
// zone, and only the time of day when it is.
func TestNowCardDatesAnOlderEntry(t *testing.T) {
	dir := repo(t, merge(map[string]string{"sev.yaml": testSettings}, incidentFiles("2026-03-01-checkout-errors", plainRecord, plainTimeline)))
	for _, c := range []struct {
		now       time.Time
		want, not string
	}{
		{testNow, `>1 Mar 10:31</time>`, `>10:31</time>`},
		// 22:59 UTC on 1 March is still 1 March in Berlin
		{time.Date(2026, 3, 1, 22, 59, 0, 0, time.UTC), `>10:31</time>`, `1 Mar 10:31`},
		// 23:00 UTC is 2 March in Berlin
		{time.Date(2026, 3, 1, 23, 0, 0, 0, time.UTC), `>1 Mar 10:31</time>`, `>10:31</time>`},
		{time.Date(2027, 1, 5, 9, 0, 0, 0, time.UTC), `>1 Mar 2026 10:31</time>`, `>1 Mar 10:31</time>`},
	} {
		out, _ := build(t, dir, Options{Now: c.now})
		now := string(tree(t, out)["index.html"])
		i := strings.Index(now, `class="last"`)
		if i < 0 {
			t.Fatalf("no latest entry on the Now page built at %s", c.now)
		}
		last := now[i : i+strings.Index(now[i:], "</p>")]
		if !strings.Contains(last, c.want) || strings.Contains(last, c.not) {
			t.Errorf("built at %s, the latest entry reads %s; want %s", c.now, last, c.want)
		}
	}
}

// TestMilestoneLabelledOnce: a timeline entry that marks a milestone
// carries the milestone's label and does not repeat it in its words.
func TestMilestoneLabelledOnce(t *testing.T) {
	tl := plainTimeline + `- id: 01aaaaaaaaaaaaad
  at: 2026-03-01T09:40:00Z
  by: carol
  type: note
  milestone: mitigated
  text: Error rate back to normal.
`
	dir := repo(t, merge(map[string]string{"sev.yaml": testSettings}, incidentFiles("2026-03-01-checkout-errors", plainRecord, tl)))
	out, _ := build(t, dir, Options{})
	page := string(tree(t, out)["incidents/2026-03-01-checkout-errors/index.html"])
	for _, want := range []string{
		`<span class="ms-label">mitigated</span> <span class="text">Error rate back to normal.</span>`,
		`<span class="ms-label">declared</span> <span class="text">at severity 1</span>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the incident page does not have %s", want)
		}
	}
	if strings.Contains(page, "[mitigated]") {
		t.Error("the incident page repeats the milestone in the entry's words")
	}
}

// TestPostmortemShownOnce: the incident page shows the postmortem's own
// writing; the regions sev generated from the record and timeline (which
// the page shows already), the empty sections and the title are left out,
// while a generated region a person rewrote stays.
func TestPostmortemShownOnce(t *testing.T) {
	rec := &incident.Incident{ID: "2026-03-01-checkout-errors", Title: "Checkout errors in EU", Severity: 1, Status: "open",
		Summary: "Checkout fails for some customers.", Impact: "Card payments fail."}
	rec.Milestones.Declared = time.Date(2026, 3, 1, 9, 10, 0, 0, time.UTC)
	entries := []timeline.Entry{{ID: "01aaaaaaaaaaaaab", At: rec.Milestones.Declared, By: "bob", Type: timeline.Note, Text: "We are investigating failed payments."}}
	draft, err := postmortem.Render(postmortem.Input{Settings: config.Default(), Record: rec, Entries: entries}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Replace(string(draft), "## Root cause and contributing factors\n", "## Root cause and contributing factors\n\nA pool limit of ten connections.\n", 1)
	body = strings.Replace(body, "\nCard payments fail.\n", "\nCard payments fail, in our words.\n", 1)
	pm := "---\nincident: 2026-03-01-checkout-errors\nstatus: draft\n---\n" + body
	dir := repo(t, merge(map[string]string{"sev.yaml": testSettings, "postmortems/2026-03-01-checkout-errors.md": pm},
		incidentFiles("2026-03-01-checkout-errors", plainRecord, plainTimeline)))
	out, _ := build(t, dir, Options{})
	page := string(tree(t, out)["incidents/2026-03-01-checkout-errors/index.html"])
	i := strings.Index(page, `<div class="prose">`)
	if i < 0 {
		t.Fatal("no postmortem on the incident page")
	}
	prose := page[i : i+strings.Index(page[i:], "</section>")]
	for _, want := range []string{"Root cause and contributing factors</h2>", "A pool limit of ten connections.", "Impact</h2>", "Card payments fail, in our words."} {
		if !strings.Contains(prose, want) {
			t.Errorf("the postmortem lacks %q:\n%s", want, prose)
		}
	}
	for _, not := range []string{"<h1", "Checkout fails for some customers", "We are investigating", "<table", "Summary</h2>", "Timeline</h2>", "What went well</h2>", "Follow-ups</h2>"} {
		if strings.Contains(prose, not) {
			t.Errorf("the postmortem repeats %q:\n%s", not, prose)
		}
	}
}
