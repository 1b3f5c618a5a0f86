package ghapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/ghapi"
	"github.com/sev-dev/sev/internal/ghfake"
)

const token = "ghs_secretTOKEN123"

var repo = ghapi.Repo{Owner: "sev-dev", Name: "incidents"}

// fixture is a fake GitHub and a client for it whose waits are recorded
// instead of slept.
type fixture struct {
	gh     *ghfake.Server
	c      *ghapi.Client
	slept  []time.Duration
	now    time.Time
	logged []string
}

func setup(t *testing.T, fo ghfake.Options, edit ...func(*ghapi.Options)) *fixture {
	t.Helper()
	fo.Token = token
	f := &fixture{gh: ghfake.New(t, fo), now: time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)}
	opts := ghapi.Options{
		Repo:    repo,
		Token:   token,
		BaseURL: f.gh.URL,
		Now:     func() time.Time { return f.now },
		Sleep: func(ctx context.Context, d time.Duration) error {
			f.slept = append(f.slept, d)
			f.now = f.now.Add(d)
			return ctx.Err()
		},
		Logf: func(format string, args ...any) { f.logged = append(f.logged, fmt.Sprintf(format, args...)) },
	}
	for _, e := range edit {
		e(&opts)
	}
	c, err := ghapi.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	f.c = c
	return f
}

// requests returns "METHOD path" for the requests received since from.
func (f *fixture) requests(from int) []string {
	var out []string
	for _, r := range f.gh.Requests()[from:] {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

func TestIssue(t *testing.T) {
	f := setup(t, ghfake.Options{})
	n := f.gh.AddIssue(ghfake.Issue{Title: "Checkout errors in EU", Body: "what we know", Labels: []string{"sev1", "security"}, Author: "ana"})
	pr := f.gh.AddIssue(ghfake.Issue{Title: "Declare: queue backlog", PR: true})

	got, err := f.c.Issue(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	want := ghapi.Issue{Number: n, Title: "Checkout errors in EU", Body: "what we know", Labels: []string{"sev1", "security"},
		State: "open", URL: fmt.Sprintf("https://github.com/sev-dev/incidents/issues/%d", n), Author: "ana",
		Created: time.Date(2026, 3, 2, 14, 1, 0, 0, time.UTC)}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Issue = %+v\nwant   %+v", got, want)
	}
	if got, err := f.c.Issue(context.Background(), pr); err != nil || !got.IsPR {
		t.Errorf("Issue(%d) = %+v, %v; want a pull request", pr, got, err)
	}
}

func TestIssueNotFound(t *testing.T) {
	f := setup(t, ghfake.Options{})
	_, err := f.c.Issue(context.Background(), 99)
	if !ghapi.IsNotFound(err) {
		t.Fatalf("err = %v, want a 404", err)
	}
	for _, want := range []string{"read sev-dev/incidents#99", "404 Not Found", "does not exist"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestBadInputMakesNoRequest(t *testing.T) {
	f := setup(t, ghfake.Options{})
	ctx := context.Background()
	long := strings.Repeat("é", 65537)
	for name, call := range map[string]func() error{
		"issue 0":        func() error { _, err := f.c.Issue(ctx, 0); return err },
		"empty title":    func() error { _, _, err := f.c.CreateIssue(ctx, "", "b", nil, nil); return err },
		"long body":      func() error { _, err := f.c.Comment(ctx, 1, long); return err },
		"comment id":     func() error { return f.c.EditComment(ctx, -1, "b") },
		"reaction":       func() error { return f.c.React(ctx, 5, "thumbsup") },
		"marker":         func() error { _, err := f.c.UpsertComment(ctx, 1, "status-->", "b"); return err },
		"login":          func() error { _, err := f.c.Permission(ctx, "a/b"); return err },
		"negative PR":    func() error { return f.c.RequestReviewers(ctx, -2, []string{"ana"}, nil) },
		"labels issue 0": func() error { return f.c.AddLabels(ctx, 0, []string{"x"}) },
	} {
		if err := call(); err == nil || !strings.HasPrefix(err.Error(), "ghapi: ") {
			t.Errorf("%s: err = %v, want a ghapi error", name, err)
		}
	}
	if got := f.requests(0); len(got) != 0 {
		t.Errorf("bad input sent requests: %v", got)
	}
}

func TestCreateIssue(t *testing.T) {
	f := setup(t, ghfake.Options{})
	f.gh.AddIssue(ghfake.Issue{Title: "intake"})
	n, url, err := f.c.CreateIssue(context.Background(), "FU-1: add a circuit breaker", "from 2026-03-02-checkout", []string{"follow-up"}, []string{"ana"})
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 || url != "https://github.com/sev-dev/incidents/issues/2" {
		t.Errorf("CreateIssue = %d, %q", n, url)
	}
	got, _ := f.gh.Issue(n)
	if got.Title != "FU-1: add a circuit breaker" || got.Body != "from 2026-03-02-checkout" || !slices.Equal(got.Labels, []string{"follow-up"}) ||
		!slices.Equal(got.Assignees, []string{"ana"}) || got.Author != "github-actions[bot]" {
		t.Errorf("created %+v", got)
	}
}

func TestEditIssueBody(t *testing.T) {
	f := setup(t, ghfake.Options{})
	n := f.gh.AddIssue(ghfake.Issue{Title: "intake", Body: "old", Labels: []string{"sev2"}})
	if err := f.c.EditIssueBody(context.Background(), n, "Declared as 2026-03-02-checkout"); err != nil {
		t.Fatal(err)
	}
	got, _ := f.gh.Issue(n)
	if got.Body != "Declared as 2026-03-02-checkout" || got.Title != "intake" || !slices.Equal(got.Labels, []string{"sev2"}) {
		t.Errorf("after the edit: %+v (only the body should change)", got)
	}
}

func TestComments(t *testing.T) {
	f := setup(t, ghfake.Options{})
	n := f.gh.AddIssue(ghfake.Issue{Title: "busy"})
	other := f.gh.AddIssue(ghfake.Issue{Title: "other"})
	f.gh.AddComment(other, "bo", "not this one")
	for i := range 250 {
		f.gh.AddComment(n, "ana", fmt.Sprintf("note %d", i))
	}
	got, err := f.c.Comments(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 250 || got[0].Body != "note 0" || got[249].Body != "note 249" || got[0].Author != "ana" || got[0].Bot {
		t.Fatalf("Comments returned %d comments, first %+v", len(got), got[0])
	}
	if got[0].Created.IsZero() || !got[0].Created.Before(got[1].Created) {
		t.Errorf("creation times %v, %v", got[0].Created, got[1].Created)
	}
	var pages []string
	for _, r := range f.gh.Requests() {
		pages = append(pages, r.Query.Get("page"))
	}
	if !slices.Equal(pages, []string{"1", "2", "3"}) {
		t.Errorf("pages requested: %v, want 1 2 3", pages)
	}
}

func TestCommentAndEdit(t *testing.T) {
	f := setup(t, ghfake.Options{})
	n := f.gh.AddIssue(ghfake.Issue{Title: "x"})
	cm, err := f.c.Comment(context.Background(), n, "Paged **security** on call")
	if err != nil {
		t.Fatal(err)
	}
	if cm.ID == 0 || cm.Author != "github-actions[bot]" || !cm.Bot || !strings.Contains(cm.URL, "#issuecomment-") {
		t.Errorf("Comment returned %+v", cm)
	}
	if err := f.c.EditComment(context.Background(), cm.ID, "Paged security on call: ana"); err != nil {
		t.Fatal(err)
	}
	got := f.gh.Comments(n)
	if len(got) != 1 || got[0].Body != "Paged security on call: ana" || got[0].Edits != 1 {
		t.Errorf("comments on the fake: %+v", got)
	}
	if err := f.c.EditComment(context.Background(), 4242, "x"); !ghapi.IsNotFound(err) {
		t.Errorf("editing a missing comment: %v", err)
	}
}

func TestReact(t *testing.T) {
	f := setup(t, ghfake.Options{})
	n := f.gh.AddIssue(ghfake.Issue{Title: "x"})
	id := f.gh.AddComment(n, "ana", "/sev status mitigated")
	for _, content := range []string{"eyes", "+1", "+1"} {
		if err := f.c.React(context.Background(), id, content); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := f.gh.Comment(id)
	var contents []string
	for _, r := range got.Reactions {
		contents = append(contents, r.User+":"+r.Content)
	}
	if !slices.Equal(contents, []string{"github-actions[bot]:eyes", "github-actions[bot]:+1"}) {
		t.Errorf("reactions: %v", contents)
	}
}

func TestAddLabels(t *testing.T) {
	f := setup(t, ghfake.Options{})
	n := f.gh.AddIssue(ghfake.Issue{Title: "x", Labels: []string{"incident"}})
	if err := f.c.AddLabels(context.Background(), n, []string{"sev1", "incident", "security"}); err != nil {
		t.Fatal(err)
	}
	if err := f.c.AddLabels(context.Background(), n, nil); err != nil {
		t.Fatal(err)
	}
	got, _ := f.gh.Issue(n)
	if !slices.Equal(got.Labels, []string{"incident", "sev1", "security"}) {
		t.Errorf("labels: %v", got.Labels)
	}
	if reqs := f.requests(0); len(reqs) != 1 {
		t.Errorf("requests: %v; adding no labels should send none", reqs)
	}
}

func TestRequestReviewers(t *testing.T) {
	f := setup(t, ghfake.Options{})
	pr := f.gh.AddIssue(ghfake.Issue{Title: "postmortem", PR: true, Author: "ana"})
	issue := f.gh.AddIssue(ghfake.Issue{Title: "not a PR"})
	ctx := context.Background()
	if err := f.c.RequestReviewers(ctx, pr, []string{"bo", "cy"}, []string{"sre"}); err != nil {
		t.Fatal(err)
	}
	got, _ := f.gh.Issue(pr)
	if !slices.Equal(got.Reviewers, []string{"bo", "cy"}) || !slices.Equal(got.TeamReviewers, []string{"sre"}) {
		t.Errorf("requested: %v %v", got.Reviewers, got.TeamReviewers)
	}
	if err := f.c.RequestReviewers(ctx, issue, []string{"bo"}, nil); !ghapi.IsNotFound(err) {
		t.Errorf("on an issue: %v, want 404", err)
	}
	err := f.c.RequestReviewers(ctx, pr, []string{"ana"}, nil)
	var gerr *ghapi.Error
	if !errors.As(err, &gerr) || gerr.Status != http.StatusUnprocessableEntity || !strings.Contains(err.Error(), "pull request author") {
		t.Errorf("asking the author: %v", err)
	}
}

func TestPermission(t *testing.T) {
	f := setup(t, ghfake.Options{})
	for _, p := range []string{"admin", "maintain", "write", "triage", "read", "none"} {
		f.gh.SetPermission("u-"+p, p)
	}
	for user, want := range map[string]string{
		"u-admin": "admin", "u-maintain": "maintain", "u-write": "write", "u-triage": "triage",
		"u-read": "read", "u-none": "none", "ghost": "none", "dependabot[bot]": "none",
	} {
		got, err := f.c.Permission(context.Background(), user)
		if err != nil || got != want {
			t.Errorf("Permission(%s) = %q, %v; want %q", user, got, err, want)
		}
		can, err := f.c.CanWrite(context.Background(), user)
		if wantCan := want == "admin" || want == "maintain" || want == "write"; err != nil || can != wantCan {
			t.Errorf("CanWrite(%s) = %v, %v; want %v", user, can, err, wantCan)
		}
	}
}

func TestBadTokenIsExplainedWithoutTheToken(t *testing.T) {
	f := setup(t, ghfake.Options{}, func(o *ghapi.Options) { o.Token = token + "-revoked" })
	_, err := f.c.Issue(context.Background(), 1)
	if err == nil || !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "GITHUB_TOKEN") {
		t.Fatalf("err = %v, want a 401 that names GITHUB_TOKEN", err)
	}
	if strings.Contains(err.Error(), token) {
		t.Errorf("the error shows the token: %v", err)
	}
}

func TestEnterpriseBaseURL(t *testing.T) {
	f := setup(t, ghfake.Options{Prefix: "/api/v3"}, func(o *ghapi.Options) {
		o.BaseURL = strings.TrimSuffix(o.BaseURL, "/")
	})
	n := f.gh.AddIssue(ghfake.Issue{Title: "on GHES"})
	if got, err := f.c.Issue(context.Background(), n); err != nil || got.Title != "on GHES" {
		t.Fatalf("Issue = %+v, %v", got, err)
	}
}

func TestForAnotherRepository(t *testing.T) {
	f := setup(t, ghfake.Options{})
	other, err := f.c.For(ghapi.Repo{Owner: "sev-dev", Name: "checkout"})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = other.CreateIssue(context.Background(), "FU-2", "", nil, nil)
	if !ghapi.IsNotFound(err) || !strings.Contains(err.Error(), "sev-dev/checkout") {
		t.Errorf("err = %v, want a 404 naming sev-dev/checkout", err)
	}
	if _, err := f.c.For(ghapi.Repo{Owner: "..", Name: "x"}); err == nil {
		t.Error("For accepted the owner ..")
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	for _, opts := range []ghapi.Options{
		{Repo: ghapi.Repo{Owner: "sev-dev"}},
		{Repo: repo, BaseURL: "ftp://example.com"},
		{Repo: repo, BaseURL: "https://user:pw@example.com/api/v3"},
		{Repo: repo, BaseURL: "example.com/api/v3"},
	} {
		if _, err := ghapi.New(opts); err == nil {
			t.Errorf("New(%+v) accepted it", opts)
		}
	}
}

func TestParseRepo(t *testing.T) {
	if r, err := ghapi.ParseRepo("sev-dev/incidents"); err != nil || r != repo {
		t.Errorf("ParseRepo = %v, %v", r, err)
	}
	for _, bad := range []string{"", "sev-dev", "a/b/c", "/x", "a b/c"} {
		if _, err := ghapi.ParseRepo(bad); err == nil || !strings.Contains(err.Error(), "owner/name") {
			t.Errorf("ParseRepo(%q) = %v", bad, err)
		}
	}
}
