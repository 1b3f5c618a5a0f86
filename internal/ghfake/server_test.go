package ghfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// recorder is a testing.TB that keeps what the Server reports instead of
// failing the test; everything else goes to the real test.
type recorder struct {
	testing.TB
	mu              sync.Mutex
	errs            []string
	skipped, failed string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) Skip(args ...any)  { r.skipped = fmt.Sprint(args...) }
func (r *recorder) Fatal(args ...any) { r.failed = fmt.Sprint(args...) }

func (r *recorder) reported() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.errs
	r.errs = nil
	return out
}

func send(t *testing.T, method, url, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	json.Unmarshal(b, &out)
	return resp.StatusCode, out
}

func TestViolationsFailTheTest(t *testing.T) {
	rec := &recorder{TB: t}
	s := New(rec, Options{})
	if s == nil {
		// the recorder caught New's skip or failure; pass it on
		if rec.failed != "" {
			t.Fatal(rec.failed)
		}
		t.Skip(rec.skipped)
	}
	n := s.AddIssue(Issue{Title: "x"})
	comments := fmt.Sprintf("%srepos/sev-dev/incidents/issues/%d/comments", s.URL, n)
	for _, tc := range []struct {
		method, url, body, want string
	}{
		{"POST", comments, `{"body": 5}`, fmt.Sprintf("ghfake: POST /repos/sev-dev/incidents/issues/%d/comments: body.body: want string, got integer 5", n)},
		{"POST", comments, `{"text": "hi"}`, `missing required property "body"`},
		{"GET", s.URL + "repos/sev-dev/incidents/wat", ``, "ghfake: GET /repos/sev-dev/incidents/wat: no operation in GitHub's OpenAPI description has this path"},
		{"GET", comments + "?sort=created", ``, "query parameter sort: not documented"},
	} {
		status, body := send(t, tc.method, tc.url, tc.body)
		errs := rec.reported()
		if status != http.StatusBadRequest || len(errs) != 1 || !strings.Contains(errs[0], tc.want) {
			t.Errorf("%s %s %s: status %d, reported %q; want 400 and %q", tc.method, tc.url, tc.body, status, errs, tc.want)
		}
		if msg, _ := body["message"].(string); !strings.Contains(msg, "OpenAPI") {
			t.Errorf("400 message %q", msg)
		}
	}
	if got := s.Comments(n); len(got) != 0 {
		t.Errorf("rejected requests changed the state: %+v", got)
	}
	if status, _ := send(t, "POST", comments, `{"body": "fine"}`); status != http.StatusCreated || len(rec.reported()) != 0 {
		t.Errorf("a valid request: status %d", status)
	}
	reqs := s.Requests()
	if len(reqs) != 5 || reqs[0].Operation != "issues/create-comment" || reqs[0].Status != 400 || reqs[2].Operation != "" || reqs[4].Status != 201 {
		t.Errorf("recorded %+v", reqs)
	}
}

// An operation GitHub documents but the fake does not serve fails too.
func TestUnimplementedOperation(t *testing.T) {
	rec := &recorder{TB: t}
	s := New(rec, Options{})
	status, _ := send(t, "GET", s.URL+"repos/sev-dev/incidents/issues/events", "")
	errs := rec.reported()
	if status != http.StatusNotImplemented || len(errs) != 1 || !strings.Contains(errs[0], "issues/list-events-for-repo is documented, but ghfake does not implement it") {
		t.Errorf("status %d, reported %q", status, errs)
	}
}

func TestFailNextComesAfterValidation(t *testing.T) {
	rec := &recorder{TB: t}
	s := New(rec, Options{Token: "t0k"})
	n := s.AddIssue(Issue{Title: "x"})
	s.FailNext(http.StatusForbidden, http.Header{"Retry-After": {"5"}})
	url := fmt.Sprintf("%srepos/sev-dev/incidents/issues/%d", s.URL, n)

	// A request without the token is refused before the failure is used.
	if status, _ := send(t, "GET", url, ""); status != http.StatusUnauthorized {
		t.Errorf("without the token: %d", status)
	}
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer t0k")
	for i, want := range []int{http.StatusForbidden, http.StatusOK} {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]any
		json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("request %d: status %d, want %d", i, resp.StatusCode, want)
		}
		if want == http.StatusForbidden && (resp.Header.Get("Retry-After") != "5" || !strings.Contains(fmt.Sprint(body["message"]), "secondary rate limit")) {
			t.Errorf("the failure: headers %v, body %v", resp.Header, body)
		}
	}
	if errs := rec.reported(); len(errs) != 0 {
		t.Errorf("reported %q", errs)
	}
}

func TestMissingDescription(t *testing.T) {
	for _, ci := range []string{"", "true"} {
		t.Setenv("CI", ci)
		rec := &recorder{TB: t}
		if sp := requireSpec(rec, nil, errNoSpec); sp != nil {
			t.Error("requireSpec returned a spec")
		}
		gotSkip, gotFail := rec.skipped != "", rec.failed != ""
		if gotSkip == (ci != "") || gotFail == (ci == "") || !strings.Contains(rec.skipped+rec.failed, "run `npm ci` at the module root") {
			t.Errorf("CI=%q: skipped %q, failed %q", ci, rec.skipped, rec.failed)
		}
	}
}
