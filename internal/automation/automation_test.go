package automation

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/ghapi"
	"github.com/sev-dev/sev/internal/rule"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/webhook"
)

type fakeGitHub struct {
	repo  string
	calls *[]string
	fail  bool
}

func (f fakeGitHub) call(s string) error {
	*f.calls = append(*f.calls, f.repo+" "+s)
	if f.fail {
		return errors.New("422 Unprocessable Entity")
	}
	return nil
}

func (f fakeGitHub) UpsertComment(_ context.Context, n int, marker, body string) (bool, error) {
	return true, f.call(fmt.Sprintf("comment #%d %s: %s", n, marker, body))
}
func (f fakeGitHub) AddLabels(_ context.Context, n int, labels []string) error {
	return f.call(fmt.Sprintf("labels #%d %v", n, labels))
}
func (f fakeGitHub) RequestReviewers(_ context.Context, n int, users, teams []string) error {
	return f.call(fmt.Sprintf("reviewers #%d %v %v", n, users, teams))
}
func (f fakeGitHub) CreateIssue(_ context.Context, title, _ string, _, _ []string) (int, string, error) {
	return 7, "", f.call("issue " + title)
}
func (f fakeGitHub) For(r ghapi.Repo) (GitHub, error) {
	f.repo = r.Owner + "/" + r.Name
	return f, nil
}

type fakeHooks struct {
	sent []string
	errs map[string]error
}

func (h *fakeHooks) Send(_ context.Context, ds []webhook.Delivery) []webhook.Result {
	var out []webhook.Result
	for _, d := range ds {
		h.sent = append(h.sent, d.Event.ID)
		out = append(out, webhook.Result{Err: h.errs[d.Event.ID]})
	}
	return out
}

type fakeRecorder struct{ changes []*change.Change }

func (r *fakeRecorder) Record(ch *change.Change, restricted bool) error {
	r.changes = append(r.changes, ch)
	return nil
}

func receipt(id string) *timeline.Entry {
	return &timeline.Entry{ID: id, Type: timeline.Note, By: "sev", Text: "done " + id}
}

// TestRunCarriesOutPlans: entries first as one commit, then the actions
// outside, then a receipt commit for those that succeeded; a failed
// action leaves no receipt and is counted; a webhook that is gone leaves
// a receipt that says so, so it is not sent again.
func TestRunCarriesOutPlans(t *testing.T) {
	var calls []string
	gh := fakeGitHub{repo: "org/incidents", calls: &calls}
	hooks := &fakeHooks{errs: map[string]error{"gone": fmt.Errorf("410: %w", webhook.ErrGone), "down": errors.New("503")}}
	rec := &fakeRecorder{}
	plans := []*rule.Plan{{
		Incident: "2026-03-02-checkout",
		Firings: []rule.Firing{{Rule: "sev1-comms", Actions: []rule.Action{
			{Kind: rule.KindEntry, Entry: &timeline.Entry{ID: "e1", Type: timeline.Tag, Tag: "customer-facing"}},
			{Kind: rule.KindComment, Key: "k1", Target: &rule.Target{Owner: "org", Repo: "incidents", Number: 4}, Body: "Paging comms", Receipt: receipt("r1")},
			{Kind: rule.KindLabels, Repo: "org/other", Target: nil, Labels: []string{"sev1"}, Receipt: receipt("r2")},
			{Kind: rule.KindWebhook, Webhook: &rule.Webhook{Name: "pager", URL: "https://hooks.example/p", Format: "json", SecretEnv: "HOOK_SECRET", ID: "gone"}, Receipt: receipt("r3")},
			{Kind: rule.KindWebhook, Webhook: &rule.Webhook{Name: "chat", URL: "https://hooks.example/c", Format: "json", SecretEnv: "HOOK_SECRET", ID: "down"}, Receipt: receipt("r4")},
			{Kind: rule.KindIssue, Skip: "no issue is linked", Receipt: receipt("r5")},
		}}},
	}}
	sum, err := Run(context.Background(), plans, Deps{
		GitHub:   func() (GitHub, error) { return gh, nil },
		Webhooks: hooks, Recorder: rec, Getenv: secret,
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Commits != 2 || sum.Failed != 2 || len(sum.Rows) != 4 {
		t.Errorf("summary: %d commits, %d failed, %d rows", sum.Commits, sum.Failed, len(sum.Rows))
	}
	if len(rec.changes) != 2 || len(rec.changes[0].Entries) != 1 || rec.changes[0].Entries[0].ID != "e1" {
		t.Fatalf("first commit: %+v", rec.changes)
	}
	var ids []string
	for _, e := range rec.changes[1].Entries {
		ids = append(ids, e.ID)
	}
	if strings.Join(ids, ",") != "r1,r2,r3" {
		t.Errorf("receipts %v, want r1,r2,r3 (the failed webhook has none, the skipped action is not done)", ids)
	}
	if !strings.Contains(rec.changes[1].Entries[2].Text, "410 Gone") {
		t.Errorf("the gone webhook's receipt: %q", rec.changes[1].Entries[2].Text)
	}
	want := []string{"org/incidents comment #4 k1: Paging comms", "org/other labels #0 [sev1]"}
	if strings.Join(calls, "|") != strings.Join(want, "|") {
		t.Errorf("GitHub calls %q, want %q", calls, want)
	}
}

// TestRunWithoutGitHub: a GitHub action outside a workflow fails (and is
// retried next time); the rest of the plan still runs.
func TestRunWithoutGitHub(t *testing.T) {
	rec := &fakeRecorder{}
	hooks := &fakeHooks{}
	plans := []*rule.Plan{{Incident: "x", Firings: []rule.Firing{{Rule: "r", Actions: []rule.Action{
		{Kind: rule.KindComment, Body: "hi", Receipt: receipt("r1")},
		{Kind: rule.KindWebhook, Webhook: &rule.Webhook{Name: "w", URL: "https://hooks.example/w", Format: "json", SecretEnv: "HOOK_SECRET", ID: "ok"}, Receipt: receipt("r2")},
	}}}}}
	sum, err := Run(context.Background(), plans, Deps{
		GitHub:   func() (GitHub, error) { return nil, errors.New("GITHUB_TOKEN is not set") },
		Webhooks: hooks, Recorder: rec, Getenv: secret,
	})
	if err != nil || sum.Failed != 1 || len(rec.changes) != 1 || rec.changes[0].Entries[0].ID != "r2" {
		t.Fatalf("err %v, summary %+v, changes %+v", err, sum, rec.changes)
	}
	if !strings.Contains(string(sum.Rows[0][3]), `GITHUB\_TOKEN is not set`) {
		t.Errorf("the failure does not say why: %q", sum.Rows[0][3])
	}
}

// TestRunStopsWhenTheRepositoryCannotBeWritten: an error recording is an
// error of the run (nothing else is sent for that incident).
func TestRunStopsWhenTheRepositoryCannotBeWritten(t *testing.T) {
	hooks := &fakeHooks{}
	plans := []*rule.Plan{{Incident: "x", Firings: []rule.Firing{{Rule: "r", Actions: []rule.Action{
		{Kind: rule.KindEntry, Entry: &timeline.Entry{ID: "e1"}},
		{Kind: rule.KindWebhook, Webhook: &rule.Webhook{Name: "w", URL: "https://hooks.example/w", Format: "json", SecretEnv: "HOOK_SECRET", ID: "ok"}},
	}}}}}
	_, err := Run(context.Background(), plans, Deps{Webhooks: hooks, Recorder: failingRecorder{}, Getenv: secret})
	if err == nil || !strings.Contains(err.Error(), "x: record what the rules did") || len(hooks.sent) != 0 {
		t.Fatalf("err %v, sent %v", err, hooks.sent)
	}
}

func secret(k string) string {
	if k == "HOOK_SECRET" {
		return "a-signing-secret-of-32-bytes-xyz"
	}
	return ""
}

type failingRecorder struct{}

func (failingRecorder) Record(*change.Change, bool) error { return errors.New("disk full") }

// TestRunAppOnlyActions: team reviewers and issues in another repository
// need a GitHub App's token. Without one, the people are requested, the
// teams and the other repository's issue are not tried, and each leaves
// a receipt that says which token is needed, so the hourly run does not
// try them for ever; with an App whose token GitHub refuses, the same.
func TestRunAppOnlyActions(t *testing.T) {
	plan := func() []*rule.Plan {
		return []*rule.Plan{{Incident: "2026-03-02-checkout", Firings: []rule.Firing{{Rule: "review", Actions: []rule.Action{
			{Kind: rule.KindReviewers, Target: &rule.Target{Owner: "org", Repo: "incidents", Number: 4}, Users: []string{"alice"}, Teams: []string{"org/sre"}, Receipt: receipt("r1")},
			{Kind: rule.KindIssue, Repo: "org/platform", Title: "Follow up", Receipt: receipt("r2")},
			{Kind: rule.KindIssue, Repo: "org/incidents", Title: "Here", Receipt: receipt("r3")},
		}}}}}
	}
	getenv := func(k string) string {
		if k == "GITHUB_REPOSITORY" {
			return "org/incidents"
		}
		return ""
	}
	for _, c := range []struct {
		name     string
		app      bool
		refuse   bool
		calls    string
		failed   int
		receipts []string
	}{
		{name: "the workflow's token", calls: "org/incidents reviewers #4 [alice] []|org/incidents issue Here", failed: 2,
			receipts: []string{"needs a GitHub App's token: the workflow's token cannot see the organisation's teams", "opening an issue in org/platform needs a GitHub App's token", "done r3"}},
		{name: "an App's token", app: true, calls: "org/incidents reviewers #4 [alice] [org/sre]|org/platform issue Follow up|org/incidents issue Here",
			receipts: []string{"done r1", "done r2", "done r3"}},
		{name: "an App's token GitHub refuses", app: true, refuse: true, calls: "org/incidents reviewers #4 [alice] [org/sre]|org/platform issue Follow up|org/incidents issue Here",
			failed: 2, receipts: []string{"GitHub refused the App's token", "GitHub refused the App's token", "done r3"}},
	} {
		var calls []string
		rec := &fakeRecorder{}
		gh := refusingGitHub{fakeGitHub{repo: "org/incidents", calls: &calls}, c.refuse}
		sum, err := Run(context.Background(), plan(), Deps{GitHub: func() (GitHub, error) { return gh, nil }, Recorder: rec, Getenv: getenv, App: c.app})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(calls, "|"); got != c.calls {
			t.Errorf("%s: GitHub calls %q; want %q", c.name, got, c.calls)
		}
		if sum.Failed != c.failed {
			t.Errorf("%s: %d failed; want %d", c.name, sum.Failed, c.failed)
		}
		var texts []string
		for _, ch := range rec.changes {
			for _, e := range ch.Entries {
				texts = append(texts, e.Text)
			}
		}
		if len(texts) != len(c.receipts) {
			t.Fatalf("%s: receipts %q; want %d", c.name, texts, len(c.receipts))
		}
		for i, want := range c.receipts {
			if !strings.Contains(texts[i], want) {
				t.Errorf("%s: receipt %d is %q; want it to say %q", c.name, i, texts[i], want)
			}
		}
	}
}

// refusingGitHub answers 403 to what only an App may do, when refuse is set.
type refusingGitHub struct {
	fakeGitHub
	refuse bool
}

func (f refusingGitHub) RequestReviewers(ctx context.Context, n int, users, teams []string) error {
	err := f.fakeGitHub.RequestReviewers(ctx, n, users, teams)
	if f.refuse && len(teams) > 0 {
		return &ghapi.Error{Op: "request reviewers", Status: 403}
	}
	return err
}

func (f refusingGitHub) CreateIssue(ctx context.Context, title, body string, labels, assignees []string) (int, string, error) {
	n, u, err := f.fakeGitHub.CreateIssue(ctx, title, body, labels, assignees)
	if f.refuse && f.repo != "org/incidents" {
		return 0, "", &ghapi.Error{Op: "create an issue", Status: 404}
	}
	return n, u, err
}

func (f refusingGitHub) For(r ghapi.Repo) (GitHub, error) {
	g, _ := f.fakeGitHub.For(r)
	return refusingGitHub{g.(fakeGitHub), f.refuse}, nil
}
