package site

import (
	"strings"
	"testing"
	"time"
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
