package ghapi_test

import (
	"bytes"
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

func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func (f *fixture) statuses() []int {
	var out []int
	for _, r := range f.gh.Requests() {
		out = append(out, r.Status)
	}
	return out
}

func TestPrimaryRateLimitWaitsForReset(t *testing.T) {
	for _, status := range []int{http.StatusForbidden, http.StatusTooManyRequests} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			f := setup(t, ghfake.Options{})
			n := f.gh.AddIssue(ghfake.Issue{Title: "x"})
			reset := f.now.Add(42 * time.Second).Unix()
			f.gh.FailNext(status, header("X-Ratelimit-Remaining", "0", "X-Ratelimit-Reset", fmt.Sprint(reset)))
			if _, err := f.c.Issue(context.Background(), n); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(f.slept, []time.Duration{43 * time.Second}) {
				t.Errorf("slept %v, want 43s (until the reset and a second for clock skew)", f.slept)
			}
			if !slices.Equal(f.statuses(), []int{status, 200}) {
				t.Errorf("statuses %v", f.statuses())
			}
			if len(f.logged) != 1 || !strings.Contains(f.logged[0], "primary rate limit") || strings.Contains(f.logged[0], token) {
				t.Errorf("logged %q", f.logged)
			}
		})
	}
}

// A secondary rate limit refuses a request before acting on it, so even a
// POST is sent again, with the same body, and lands once.
func TestRetryAfterIsHonouredForPost(t *testing.T) {
	f := setup(t, ghfake.Options{})
	n := f.gh.AddIssue(ghfake.Issue{Title: "x"})
	f.gh.FailNext(http.StatusForbidden, header("Retry-After", "7"))
	if _, err := f.c.Comment(context.Background(), n, "Paged security"); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.slept, []time.Duration{7 * time.Second}) {
		t.Errorf("slept %v, want 7s", f.slept)
	}
	reqs := f.gh.Requests()
	if len(reqs) != 2 || !bytes.Equal(reqs[0].Body, reqs[1].Body) || len(reqs[1].Body) == 0 {
		t.Errorf("requests %+v: want the same body twice", reqs)
	}
	if got := f.gh.Comments(n); len(got) != 1 {
		t.Errorf("comments %+v, want exactly one", got)
	}
}

// Without retry-after or a used-up primary limit, a 429 is still a
// secondary limit: GitHub asks for at least a minute.
func TestBare429WaitsAMinute(t *testing.T) {
	f := setup(t, ghfake.Options{})
	n := f.gh.AddIssue(ghfake.Issue{Title: "x"})
	f.gh.FailNext(http.StatusTooManyRequests, nil)
	if _, err := f.c.Issue(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.slept, []time.Duration{time.Minute}) {
		t.Errorf("slept %v, want 1m", f.slept)
	}
}

func TestServerErrorRetriedForGet(t *testing.T) {
	f := setup(t, ghfake.Options{})
	n := f.gh.AddIssue(ghfake.Issue{Title: "x"})
	f.gh.FailNext(http.StatusBadGateway, nil)
	f.gh.FailNext(http.StatusServiceUnavailable, nil)
	if _, err := f.c.Issue(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.statuses(), []int{502, 503, 200}) {
		t.Errorf("statuses %v", f.statuses())
	}
	// Equal jitter: half of 500ms, then of 1s, fixed, the rest random.
	if len(f.slept) != 2 || f.slept[0] < 250*time.Millisecond || f.slept[0] >= 500*time.Millisecond ||
		f.slept[1] < 500*time.Millisecond || f.slept[1] >= time.Second {
		t.Errorf("slept %v, want one wait in [250ms, 500ms) and one in [500ms, 1s)", f.slept)
	}
}

func TestServerErrorRetriesRunOut(t *testing.T) {
	f := setup(t, ghfake.Options{})
	n := f.gh.AddIssue(ghfake.Issue{Title: "x"})
	for range 5 {
		f.gh.FailNext(http.StatusInternalServerError, nil)
	}
	_, err := f.c.Issue(context.Background(), n)
	var gerr *ghapi.Error
	if !errors.As(err, &gerr) || gerr.Status != 500 || !strings.Contains(err.Error(), "run the step again later") {
		t.Errorf("err = %v", err)
	}
	if len(f.gh.Requests()) != 4 {
		t.Errorf("%d requests, want 4 (three retries)", len(f.gh.Requests()))
	}
}

// A POST that failed with a 5xx may have been applied: it is not sent again.
func TestServerErrorNotRetriedForPost(t *testing.T) {
	f := setup(t, ghfake.Options{})
	n := f.gh.AddIssue(ghfake.Issue{Title: "x"})
	f.gh.FailNext(http.StatusBadGateway, nil)
	_, err := f.c.Comment(context.Background(), n, "Paged security")
	var gerr *ghapi.Error
	if !errors.As(err, &gerr) || gerr.Status != http.StatusBadGateway || !strings.Contains(err.Error(), "comment on sev-dev/incidents#1") {
		t.Fatalf("err = %v, want a 502 that says what was being done", err)
	}
	if len(f.gh.Requests()) != 1 || len(f.slept) != 0 {
		t.Errorf("%d requests, slept %v; want one request and no wait", len(f.gh.Requests()), f.slept)
	}
}

func TestWaitLongerThanMaxWaitFails(t *testing.T) {
	f := setup(t, ghfake.Options{})
	n := f.gh.AddIssue(ghfake.Issue{Title: "x"})
	reset := f.now.Add(2 * time.Hour).Unix()
	f.gh.FailNext(http.StatusForbidden, header("X-Ratelimit-Remaining", "0", "X-Ratelimit-Reset", fmt.Sprint(reset)))
	_, err := f.c.Issue(context.Background(), n)
	var werr *ghapi.WaitError
	if !errors.As(err, &werr) || werr.Bound != "MaxWait" || werr.Reason != "primary rate limit" {
		t.Fatalf("err = %v, want a WaitError for MaxWait", err)
	}
	for _, want := range []string{"read sev-dev/incidents#1", "GET /repos/sev-dev/incidents/issues/1", "primary rate limit", "2h0m1s", "1m0s left of MaxWait"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if len(f.slept) != 0 || len(f.gh.Requests()) != 1 {
		t.Errorf("slept %v after %d requests; it should give up at once", f.slept, len(f.gh.Requests()))
	}
}

// MaxWait bounds the sum of the waits of one call.
func TestMaxWaitIsABudget(t *testing.T) {
	f := setup(t, ghfake.Options{}, func(o *ghapi.Options) { o.MaxWait = 10 * time.Second })
	n := f.gh.AddIssue(ghfake.Issue{Title: "x"})
	f.gh.FailNext(http.StatusForbidden, header("Retry-After", "6"))
	f.gh.FailNext(http.StatusForbidden, header("Retry-After", "6"))
	_, err := f.c.Issue(context.Background(), n)
	var werr *ghapi.WaitError
	if !errors.As(err, &werr) || werr.Left != 4*time.Second {
		t.Errorf("err = %v, want a WaitError with 4s left", err)
	}
	if !slices.Equal(f.slept, []time.Duration{6 * time.Second}) {
		t.Errorf("slept %v", f.slept)
	}
}

func TestWaitPastTheContextDeadlineFails(t *testing.T) {
	f := setup(t, ghfake.Options{})
	n := f.gh.AddIssue(ghfake.Issue{Title: "x"})
	f.gh.FailNext(http.StatusForbidden, header("Retry-After", "30"))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := f.c.Issue(ctx, n)
	var werr *ghapi.WaitError
	if !errors.As(err, &werr) || werr.Bound != "the context's deadline" {
		t.Errorf("err = %v, want a WaitError for the context", err)
	}
}

func TestCancelledWhileWaiting(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	f := setup(t, ghfake.Options{}, func(o *ghapi.Options) {
		o.Sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
	})
	n := f.gh.AddIssue(ghfake.Issue{Title: "x"})
	f.gh.FailNext(http.StatusForbidden, header("Retry-After", "3"))
	if _, err := f.c.Issue(ctx, n); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// A 403 that is not a rate limit is a permission problem: no retry.
func TestForbiddenIsNotRetried(t *testing.T) {
	f := setup(t, ghfake.Options{})
	n := f.gh.AddIssue(ghfake.Issue{Title: "x"})
	f.gh.FailNext(http.StatusForbidden, nil)
	err := f.c.AddLabels(context.Background(), n, []string{"sev1"})
	if err == nil || !strings.Contains(err.Error(), "permissions:") || len(f.slept) != 0 {
		t.Errorf("err = %v, slept %v", err, f.slept)
	}
}

// A server that keeps asking for no wait at all is not retried forever,
// and the error says it was a rate limit, not a missing permission.
func TestRateLimitAttemptsRunOut(t *testing.T) {
	f := setup(t, ghfake.Options{})
	n := f.gh.AddIssue(ghfake.Issue{Title: "x"})
	for range 10 {
		f.gh.FailNext(http.StatusForbidden, header("Retry-After", "0"))
	}
	_, err := f.c.Issue(context.Background(), n)
	var gerr *ghapi.Error
	if !errors.As(err, &gerr) || gerr.Status != 403 || !strings.Contains(err.Error(), "rate limit") || strings.Contains(err.Error(), "permissions:") {
		t.Errorf("err = %v", err)
	}
	if len(f.gh.Requests()) != 8 {
		t.Errorf("%d requests, want 8", len(f.gh.Requests()))
	}
}
