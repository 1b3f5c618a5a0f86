package ghapi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/ghapi"
	"github.com/sev-dev/sev/internal/ghfake"
)

// ListIssues reads every page (Link headers), asks for all labels at once,
// leaves pull requests out and reads the closed and reopened states.
func TestListIssues(t *testing.T) {
	f := setup(t, ghfake.Options{})
	var want []int
	for i := range 150 {
		n := f.gh.AddIssue(ghfake.Issue{Title: "outage", Labels: []string{"incident", "sev2"}})
		if i%50 == 7 {
			f.gh.SetState(n, "closed", "not_planned", "ana")
		}
		want = append(want, n)
	}
	f.gh.AddIssue(ghfake.Issue{Title: "Declare: fix", PR: true, Labels: []string{"incident", "sev2"}})
	f.gh.AddIssue(ghfake.Issue{Title: "feature", Labels: []string{"sev2"}})
	reopened := want[7]
	f.gh.SetState(reopened, "open", "", "ana")

	from := len(f.gh.Requests())
	got, err := f.c.ListIssues(context.Background(), ghapi.IssueQuery{Labels: []string{"incident", "sev2"}, State: "all"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d issues, want %d", len(got), len(want))
	}
	for i, is := range got {
		if is.Number != want[i] || is.IsPR {
			t.Fatalf("issue %d is #%d (PR %v), want #%d: not oldest first, or a pull request", i, is.Number, is.IsPR, want[i])
		}
	}
	if closed := got[57]; closed.State != "closed" || closed.StateReason != "not_planned" || closed.Closed.IsZero() {
		t.Errorf("a closed issue reads as %+v", closed)
	}
	if r := got[7]; r.State != "open" || r.StateReason != "reopened" || !r.Closed.IsZero() {
		t.Errorf("a reopened issue reads as %+v", r)
	}
	reqs := f.gh.Requests()[from:]
	if len(reqs) != 2 {
		t.Fatalf("%d requests for 150 issues, want 2 pages of 100", len(reqs))
	}
	q := reqs[1].Query
	if q.Get("labels") != "incident,sev2" || q.Get("state") != "all" || q.Get("page") != "2" || q.Get("per_page") != "100" || q.Get("direction") != "asc" || q.Has("since") {
		t.Errorf("the second page was asked for with %v", q)
	}
}

func TestListIssuesSince(t *testing.T) {
	f := setup(t, ghfake.Options{})
	old := f.gh.AddIssue(ghfake.Issue{Title: "old", Labels: []string{"incident"}})
	quiet := f.gh.AddIssue(ghfake.Issue{Title: "quiet", Labels: []string{"incident"}})
	f.gh.AddComment(old, "ana", "still here")
	from := len(f.gh.Requests())
	// the comment is the fake's third change: 14:03
	since := time.Date(2026, 3, 2, 14, 3, 0, 0, time.UTC)
	got, err := f.c.ListIssues(context.Background(), ghapi.IssueQuery{Labels: []string{"incident"}, Since: since})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Number != old || got[0].Comments != 1 {
		t.Errorf("since %s: %+v; want only #%d (commented on), not #%d", since, got, old, quiet)
	}
	if q := f.gh.Requests()[from].Query; q.Get("since") != "2026-03-02T14:03:00Z" {
		t.Errorf("since= %q", q.Get("since"))
	}
	if _, err := f.c.ListIssues(context.Background(), ghapi.IssueQuery{State: "sleeping"}); err == nil || !strings.Contains(err.Error(), "open, closed or all") {
		t.Errorf("a bad state: %v", err)
	}
}

func TestStateEvents(t *testing.T) {
	f := setup(t, ghfake.Options{})
	n := f.gh.AddIssue(ghfake.Issue{Title: "outage", State: "closed", Author: "ana"})
	f.gh.SetState(n, "open", "", "bob")
	f.gh.SetState(n, "closed", "duplicate", "upptime-bot[bot]")
	other := f.gh.AddIssue(ghfake.Issue{Title: "other", State: "closed"})
	got, err := f.c.StateEvents(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	var s []string
	for _, ev := range got {
		s = append(s, ev.Event+" "+ev.Actor+" "+ev.StateReason+" "+ev.At.Format("15:04"))
	}
	want := "closed ana completed 14:02|reopened bob reopened 14:03|closed upptime-bot[bot] duplicate 14:04"
	if strings.Join(s, "|") != want {
		t.Errorf("events:\n%s\nwant\n%s", strings.Join(s, "|"), want)
	}
	if evs, _ := f.c.StateEvents(context.Background(), other); len(evs) != 1 || evs[0].ID == got[0].ID {
		t.Errorf("events of another issue: %+v", evs)
	}
	if _, err := f.c.StateEvents(context.Background(), 99); !ghapi.IsNotFound(err) {
		t.Errorf("events of a missing issue: %v", err)
	}
}
