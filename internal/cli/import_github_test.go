package cli

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/config"
)

const fixtureToken = "ghp_fixtureTOKEN0123456789"

// githubFixtures serves testdata/github as GitHub would serve the issues
// of acme/status: the issue list in two pages joined by a Link header,
// each issue's comments and events; other paths are 404 and a request
// with another token is 401 (one without a token is served, as GitHub
// serves a public repository). It records the requests.
type githubFixtures struct {
	srv  *httptest.Server
	mu   sync.Mutex
	reqs []string
}

func newGitHubFixtures(t *testing.T) *githubFixtures {
	f := &githubFixtures{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.reqs = append(f.reqs, r.URL.Path+"?"+r.URL.RawQuery)
		f.mu.Unlock()
		if auth := r.Header.Get("Authorization"); auth != "" && auth != "Bearer "+fixtureToken {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}`))
			return
		}
		file := ""
		const repo = "/repos/acme/status/issues"
		switch rest, _ := strings.CutPrefix(r.URL.Path, repo); {
		case r.URL.Path == repo && r.URL.Query().Get("page") == "2":
			file = "issues-page-2.json"
		case r.URL.Path == repo:
			file = "issues-page-1.json"
			next := *r.URL
			q := next.Query()
			q.Set("page", "2")
			next.RawQuery = q.Encode()
			link := "<" + f.srv.URL + next.String() + ">"
			w.Header().Set("Link", link+`; rel="next", `+link+`; rel="last"`)
		case strings.HasSuffix(rest, "/comments"):
			file = "comments-" + strings.Trim(strings.TrimSuffix(rest, "/comments"), "/") + ".json"
		case strings.HasSuffix(rest, "/events"):
			file = "events-" + strings.Trim(strings.TrimSuffix(rest, "/events"), "/") + ".json"
		}
		data, err := os.ReadFile(filepath.Join("testdata", "github", file))
		if file == "" || err != nil {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}`))
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(data)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *githubFixtures) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.reqs)
}

func (f *githubFixtures) options(token string, edit func(*importOptions)) importOptions {
	env := map[string]string{"GITHUB_API_URL": f.srv.URL, "GITHUB_TOKEN": token}
	o := importOptions{Source: "github", Path: "acme/status", Labels: []string{"status"}, State: "all",
		getenv: func(k string) string { return env[k] }, ctx: context.Background(), settings: config.Default()}
	if edit != nil {
		edit(&o)
	}
	return o
}

// The reader asks for the labelled issues of every state, oldest first,
// follows the Link header to the second page, leaves the pull request
// out, reads comments only where there are some and events only for
// issues that were closed, and maps an Upptime outage, a reopened issue
// and one closed as not planned.
func TestReadGitHub(t *testing.T) {
	f := newGitHubFixtures(t)
	recs, probs, err := readGitHub(f.options(fixtureToken, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(probs) != 0 {
		t.Errorf("problems: %v", probs)
	}
	var ids []string
	for _, r := range recs {
		ids = append(ids, r.Source.ID)
	}
	if got := strings.Join(ids, " "); got != "acme/status#3 acme/status#5 acme/status#7 acme/status#8" {
		t.Fatalf("records %s; want every issue of both pages and no pull request", got)
	}
	wantReqs := []string{
		"/repos/acme/status/issues?direction=asc&labels=status&page=1&per_page=100&sort=created&state=all",
		"/repos/acme/status/issues?direction=asc&labels=status&page=2&per_page=100&sort=created&state=all",
		"/repos/acme/status/issues/3/comments?page=1&per_page=100",
		"/repos/acme/status/issues/3/events?per_page=100&page=1",
		"/repos/acme/status/issues/5/comments?page=1&per_page=100",
		"/repos/acme/status/issues/5/events?per_page=100&page=1",
		"/repos/acme/status/issues/8/events?per_page=100&page=1",
	}
	if got := f.requests(); !slices.Equal(got, wantReqs) {
		t.Errorf("requests:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantReqs, "\n"))
	}

	up := recs[0]
	closedAt := time.Date(2025, 2, 10, 4, 59, 1, 0, time.UTC)
	if up.Title != "Example API is down" || !slices.Equal(up.Services, []string{"example-api"}) || len(up.Tags) != 0 ||
		up.Severity != 1 || !up.Done || up.Author != "github-actions[bot]" || up.Source.URL != "https://github.com/acme/status/issues/3" ||
		!up.Declared.At.Equal(time.Date(2025, 2, 10, 4, 12, 33, 0, time.UTC)) {
		t.Errorf("the Upptime outage: %+v", up)
	}
	if last := up.Entries[len(up.Entries)-1]; last.Status != "resolved" || !last.At.At.Equal(closedAt) || last.By != "github-actions[bot]" {
		t.Errorf("the Upptime outage ends with %+v, want resolved at %s", last, closedAt)
	}
	if c := up.Entries[1]; c.Key != "comment:2650000001" || !strings.HasPrefix(c.Text, "**Resolved:** Example API is back up") {
		t.Errorf("the Upptime outage's comment: %+v", c)
	}

	re := recs[1]
	var seq []string
	for _, e := range re.Entries {
		seq = append(seq, e.Key+"="+e.Status)
	}
	if re.Done || re.Severity != 2 || !slices.Equal(re.Tags, []string{"payments"}) ||
		re.Summary != "Payments with EU cards fail at the 3-D Secure step." ||
		strings.Join(seq, " ") != "body= comment:2650000101= comment:2650000102= event:16000000102=resolved event:16000000103=open" {
		t.Errorf("the reopened issue: %+v\nentries %s", re, seq)
	}
	if slow := recs[2]; slow.Title != "Docs site has degraded performance" || slow.Severity != 2 || slow.Done ||
		!slices.Equal(slow.Services, []string{"docs-site"}) {
		t.Errorf("the slow site: %+v", slow)
	}
	if no := recs[3]; no.Status != "declined" || no.Entries[len(no.Entries)-1].Status != "declined" {
		t.Errorf("the issue closed as not planned: %+v", no)
	}
}

// Refusals name the repository and what to check, never the token, and
// bad flags are usage errors that make no request.
func TestReadGitHubErrors(t *testing.T) {
	f := newGitHubFixtures(t)
	_, _, err := readGitHub(f.options("ghp_wrongTOKEN", nil))
	if err == nil || !strings.Contains(err.Error(), "GitHub did not accept the token (401 Unauthorized: Bad credentials)") ||
		!strings.Contains(err.Error(), "check GITHUB_TOKEN") || strings.Contains(err.Error(), "ghp_wrongTOKEN") {
		t.Errorf("a wrong token: %v", err)
	}
	_, _, err = readGitHub(f.options(fixtureToken, func(o *importOptions) { o.Path = "acme/nothing" }))
	if err == nil || !strings.Contains(err.Error(), "GitHub knows no repository acme/nothing that the token can read (404 Not Found") {
		t.Errorf("a missing repository: %v", err)
	}
	_, _, err = readGitHub(f.options("", func(o *importOptions) { o.Path = "acme/private" }))
	if err == nil || !strings.Contains(err.Error(), "no token was given: set GITHUB_TOKEN or GH_TOKEN") {
		t.Errorf("a missing repository without a token: %v", err)
	}
	n := len(f.requests())
	for name, edit := range map[string]func(*importOptions){
		"no label":         func(o *importOptions) { o.Labels = nil },
		"not a repository": func(o *importOptions) { o.Path = "../status" },
		"a bad state":      func(o *importOptions) { o.State = "resolved" },
		"a bad since":      func(o *importOptions) { o.Since = "last week" },
		"a bad level":      func(o *importOptions) { o.SeverityLabels = []string{"P0=0"} },
		"a level too high": func(o *importOptions) { o.SeverityLabels = []string{"P4=4"} },
		"no level":         func(o *importOptions) { o.SeverityLabels = []string{"P1"} },
		"the cstate url":   func(o *importOptions) { o.URL = "https://status.example.com" },
	} {
		_, _, err := readGitHub(f.options(fixtureToken, edit))
		var ue *usageError
		if !errors.As(err, &ue) {
			t.Errorf("%s: %v, want a usage error", name, err)
		}
	}
	if got := len(f.requests()); got != n {
		t.Errorf("bad flags sent %d requests", got-n)
	}
	o := f.options(fixtureToken, func(o *importOptions) { o.SeverityLabels = []string{"payments=1", "a=b=3"} })
	if _, q, sevs, err := githubQuery(o); err != nil || sevs["payments"] != 1 || sevs["a=b"] != 3 || q.State != "all" {
		t.Errorf("--severity-label payments=1 a=b=3: %v %v", sevs, err)
	}
	recs, _, _ := readGitHub(f.options(fixtureToken, func(o *importOptions) { o.SeverityLabels = []string{"payments=1"} }))
	if recs[1].Severity != 1 || !slices.Equal(recs[1].Tags, []string{"SEV-2"}) {
		t.Errorf("with --severity-label payments=1: %+v", recs[1])
	}
}
