package importer_test

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/importer"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/validate"
)

func TestDefaultSeverity(t *testing.T) {
	s := config.Default()
	for label, want := range map[string]int{
		"sev1": 1, "SEV-1": 1, "Sev 2": 2, "severity: 2": 2, "severity/3": 3, "P1": 1, "p3": 3, "priority-2": 2,
		"SEV1": 1, // the configured name
		"P4":   0, // three levels are configured
		"p0":   0, "sev": 0, "bug": 0, "sevenup": 0, "": 0, "sev1x": 0,
	} {
		if got := importer.DefaultSeverity(s, label); got != want {
			t.Errorf("DefaultSeverity(%q) = %d, want %d", label, got, want)
		}
	}
	s.Severities = []config.Severity{{Level: 1, Name: "Critical"}, {Level: 2, Name: "Minor"}}
	if got := importer.DefaultSeverity(s, "critical"); got != 1 {
		t.Errorf("a label that is a configured severity's name: %d", got)
	}
	if got := importer.DefaultSeverity(s, "sev3"); got != 0 {
		t.Errorf("sev3 with two levels configured: %d", got)
	}
}

var t0 = time.Date(2025, 6, 3, 9, 15, 0, 0, time.UTC)

func at(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }

// githubIssues are issues as GitHub gives them: one closed after
// comments, one closed and reopened, one closed as not planned without
// its events, an Upptime outage, and one with two severity labels.
var githubIssues = []importer.GitHubIssue{
	{
		Number: 12, Title: "Checkout errors in EU", Author: "ana", URL: "https://github.com/acme/ops/issues/12",
		Body:  "<!-- template: incident -->\n### What happened\n\nCheckout fails for 30% of EU customers.\n\nMore below.",
		State: "closed", StateReason: "completed", Created: at(0), Closed: at(90),
		Labels: []string{"incident", "SEV-1", "Payments", "team: checkout"},
		Comments: []importer.GitHubComment{
			{ID: 9001, Author: "bob", Body: "Rolled back deploy 4411", Created: at(30)},
			{ID: 9002, Author: "ana", Body: "  ", Created: at(40)},
		},
		Events: []importer.GitHubEvent{{ID: 77, Event: "closed", Actor: "bob", At: at(90), StateReason: "completed"}},
	},
	{
		Number: 13, Title: "Search is slow", Author: "carol", State: "open", StateReason: "reopened", Created: at(100),
		Labels: []string{"Incident", "p2"},
		Events: []importer.GitHubEvent{
			{ID: 80, Event: "closed", Actor: "carol", At: at(120)},
			{ID: 81, Event: "reopened", Actor: "dave", At: at(150)},
		},
	},
	{
		Number: 14, Title: "Not an incident", Author: "erin", State: "closed", StateReason: "not_planned",
		Created: at(200), Closed: at(210), Labels: []string{"incident"},
	},
	{
		Number: 15, Title: "🛑 Example.com API is down", Author: "upptime-bot", State: "closed", StateReason: "completed",
		Body:    "In [`a1b2c3d`](https://github.com/acme/ops/commit/a1b2c3d), Example.com API (https://api.example.com) was **down**:\n- HTTP code: 0\n- Response time: 0 ms\n",
		Created: at(300), Closed: at(347), Labels: []string{"status", "example-com-api", "incident"},
		Comments: []importer.GitHubComment{{ID: 9100, Author: "upptime-bot", Body: "**Resolved:** Example.com API is back up in [`e4f5a6b`](https://github.com/acme/ops/commit/e4f5a6b) after 47 minutes.", Created: at(347)}},
		Events:   []importer.GitHubEvent{{ID: 90, Event: "closed", Actor: "upptime-bot", At: at(347), StateReason: "completed"}},
	},
	{
		Number: 16, Title: "Two severities", Author: "ana", State: "open", Created: at(400),
		Labels: []string{"incident", "sev2", "P1", "maintenance"},
	},
}

func TestGitHubRecords(t *testing.T) {
	s := config.Default()
	g := importer.GitHub{Repo: "acme/ops", Query: []string{"incident"}, Settings: s}
	recs, probs := g.Records(githubIssues)
	if len(recs) != 5 {
		t.Fatalf("%d records", len(recs))
	}
	r := recs[0]
	if r.Source.ID != "acme/ops#12" || r.Source.System != "github" || r.Source.URL != "https://github.com/acme/ops/issues/12" ||
		r.Severity != 1 || r.Visibility != "internal" || !r.Done || r.Status != "resolved" || r.Author != "ana" ||
		r.Summary != "Checkout fails for 30% of EU customers." || !slices.Equal(r.Tags, []string{"Payments", "team: checkout"}) {
		t.Errorf("the closed issue: %+v", r)
	}
	var keys []string
	for _, e := range r.Entries {
		keys = append(keys, e.Key+"/"+e.By+"/"+e.Status)
	}
	if got := strings.Join(keys, " "); got != "body/ana/ comment:9001/bob/ event:77/bob/resolved" {
		t.Errorf("the closed issue's entries: %s", got)
	}
	if r := recs[1]; r.Severity != 2 || r.Done || len(r.Tags) != 0 {
		t.Errorf("the reopened issue: %+v", r)
	}
	if r := recs[2]; r.Status != "declined" || len(r.Entries) != 1 || r.Entries[0].Key != "closed" || !r.Entries[0].At.At.Equal(at(210)) {
		t.Errorf("the issue closed as not planned: %+v", r)
	}
	if r := recs[3]; r.Title != "Example.com API is down" || !slices.Equal(r.Services, []string{"example-com-api"}) ||
		len(r.Tags) != 0 || r.Severity != 1 || !strings.HasPrefix(r.Summary, "In [`a1b2c3d`]") {
		t.Errorf("the Upptime issue: %+v", r)
	}
	if r := recs[4]; r.Severity != 1 || r.Kind != "maintenance" || len(r.Tags) != 0 {
		t.Errorf("two severity labels: %+v", r)
	}
	if len(probs) != 1 || probs[0].Where != "acme/ops#16" || !strings.Contains(probs[0].Message, "the most severe (1)") {
		t.Errorf("problems: %v", probs)
	}

	slow := importer.GitHubIssue{Number: 17, Title: "⚠️ Café has degraded performance", State: "open", Created: at(500),
		Labels: []string{"status", "cafe", "frontend"}}
	if recs, _ := g.Records([]importer.GitHubIssue{slow}); recs[0].Title != "Café has degraded performance" || recs[0].Severity != 2 ||
		!slices.Equal(recs[0].Services, []string{"cafe"}) || !slices.Equal(recs[0].Tags, []string{"frontend"}) {
		t.Errorf("a slow Upptime site: %+v", recs[0])
	}
	slow.Labels = []string{"cafe"}
	if recs, _ := g.Records([]importer.GitHubIssue{slow}); recs[0].Severity != 0 || len(recs[0].Services) != 0 {
		t.Errorf("Upptime's title without its status label: %+v", recs[0])
	}

	g.SeverityLabels = map[string]int{"Payments": 2}
	g.Visibility = "public"
	recs, _ = g.Records(githubIssues[:1])
	if r := recs[0]; r.Severity != 2 || !slices.Equal(r.Tags, []string{"SEV-1", "team: checkout"}) || !r.Entries[0].Public || r.Entries[2].Public {
		t.Errorf("with --severity-label Payments=2, public: %+v", r)
	}
}

// What the records become: incidents that validate, in the status the
// issue is in now, with the reopening recorded; a second import of the
// same issues changes nothing, and a new comment is appended once.
func TestGitHubImport(t *testing.T) {
	s := config.Default()
	g := importer.GitHub{Repo: "acme/ops", Query: []string{"incident"}, Settings: s}
	recs, _ := g.Records(githubIssues)
	repo := fstest.MapFS{}
	read := func(p string) ([]byte, bool, error) {
		f, ok := repo[p]
		if !ok {
			return nil, false, nil
		}
		return f.Data, true, nil
	}
	now := time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)
	res := importer.Build(s, importer.Scan(repo, s), recs, now).Apply(s, read)
	if len(res.Created) != 5 || len(res.Problems) != 0 {
		t.Fatalf("created %v; problems %v", res.Created, res.Problems)
	}
	for f, b := range res.Files {
		repo[f] = &fstest.MapFile{Data: b}
	}
	incs, diags := validate.LoadAll(repo, s)
	if diags.Errors() > 0 {
		t.Fatalf("the import does not validate:\n%s", diags.Error())
	}
	status := map[string]string{}
	for _, inc := range incs {
		status[inc.Record.ID] = inc.Record.Status
	}
	for id, want := range map[string]string{
		"2025-06-03-checkout-errors-in-eu":   "resolved",
		"2025-06-03-search-is-slow":          "open",
		"2025-06-03-not-an-incident":         "declined",
		"2025-06-03-example-com-api-is-down": "resolved",
		"2025-06-03-two-severities":          "open",
	} {
		if status[id] != want {
			t.Errorf("%s: status %q, want %q (all: %v)", id, status[id], want, status)
		}
	}
	rec, _, _ := incident.Parse("", repo[layout.Record("2025-06-03-search-is-slow")].Data)
	if !rec.Milestones.Resolved.IsZero() {
		t.Errorf("the reopened incident keeps its resolved milestone: %v", rec.Milestones.Resolved)
	}
	entries, _, _ := timeline.Parse("", repo[layout.Timeline("2025-06-03-search-is-slow")].Data)
	var seq []string
	for _, e := range entries {
		seq = append(seq, e.Type+":"+e.Status+"@"+e.At.Format("15:04"))
	}
	if got := strings.Join(seq, " "); got != "declared:open@10:55 status:resolved@11:15 status:open@11:45" {
		t.Errorf("the reopened incident's timeline: %s", got)
	}

	again := importer.Build(s, importer.Scan(repo, s), recs, now.Add(time.Hour)).Apply(s, read)
	if len(again.Files) != 0 || len(again.Unchanged) != 5 {
		t.Fatalf("a second import wrote %d files (%v unchanged)", len(again.Files), again.Unchanged)
	}
	more := slices.Clone(githubIssues)
	more[0].Comments = append(slices.Clone(more[0].Comments), importer.GitHubComment{ID: 9003, Author: "carol", Body: "Postmortem scheduled", Created: at(200)})
	recs, _ = g.Records(more)
	for range 2 {
		res := importer.Build(s, importer.Scan(repo, s), recs, now.Add(2*time.Hour)).Apply(s, read)
		for f, b := range res.Files {
			repo[f] = &fstest.MapFile{Data: b}
		}
	}
	if n := strings.Count(string(repo[layout.Timeline("2025-06-03-checkout-errors-in-eu")].Data), "Postmortem scheduled"); n != 1 {
		t.Errorf("the new comment is in the timeline %d times, want once", n)
	}
}
