package ghapi

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-github/v93/github"
)

// These tests drive the transport directly with plain httptest servers,
// for what a fake GitHub cannot do: drop connections and hang.

type sleeps struct{ got []time.Duration }

func (s *sleeps) sleep(_ context.Context, d time.Duration) error {
	s.got = append(s.got, d)
	return nil
}

func newTestTransport(s *sleeps) *transport {
	t := newTransport(nil, Options{Sleep: s.sleep, Now: func() time.Time { return time.Unix(1_800_000_000, 0) }})
	t.jitter = func(time.Duration) time.Duration { return 0 }
	return t
}

// dropFirst serves handler after closing the first n connections without
// an answer.
func dropFirst(t *testing.T, n int32, handler http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= n {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		handler(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestNetworkErrorRetriedForGetOnly(t *testing.T) {
	srv, calls := dropFirst(t, 1, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "{}") })
	s := &sleeps{}
	tr := newTestTransport(s)
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/repos/a/b/issues/1", nil)
	resp, err := tr.RoundTrip(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET: %v, %v", resp, err)
	}
	resp.Body.Close()
	if calls.Load() != 2 || len(s.got) != 1 || s.got[0] != backoffBase/2 {
		t.Errorf("GET: %d calls, slept %v", calls.Load(), s.got)
	}

	srv, calls = dropFirst(t, 1, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "{}") })
	req, _ = http.NewRequest(http.MethodPost, srv.URL+"/repos/a/b/issues/1/comments", strings.NewReader(`{"body":"x"}`))
	if _, err := tr.RoundTrip(req); err == nil || calls.Load() != 1 {
		t.Errorf("POST after a dropped connection: err %v after %d calls; want an error after one", err, calls.Load())
	}
}

func TestHungAttemptIsRetried(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			<-r.Context().Done()
			return
		}
		io.WriteString(w, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)
	s := &sleeps{}
	tr := newTestTransport(s)
	tr.attemptTimeout = 100 * time.Millisecond
	var logged []string
	tr.logf = func(format string, args ...any) { logged = append(logged, format) }
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/user", nil)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	// The second attempt's timeout must not cut its body short.
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || string(b) != `{"ok":true}` || calls.Load() != 2 {
		t.Errorf("body %q, %v after %d calls", b, err, calls.Load())
	}
}

// A body without GetBody is read once so that it can be sent again.
func TestBodyWithoutGetBodyIsReplayed(t *testing.T) {
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		if len(bodies) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusCreated)
	}))
	t.Cleanup(srv.Close)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/x", io.NopCloser(strings.NewReader(`{"body":"once"}`)))
	req.GetBody = nil
	resp, err := newTestTransport(&sleeps{}).RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("%v, %v", resp, err)
	}
	resp.Body.Close()
	if len(bodies) != 2 || bodies[0] != `{"body":"once"}` || bodies[1] != bodies[0] {
		t.Errorf("bodies sent: %q", bodies)
	}
}

func TestForbiddenBodies(t *testing.T) {
	for _, tc := range []struct {
		body  string
		retry bool
	}{
		{`{"message":"You have exceeded a secondary rate limit and have been temporarily blocked"}`, true},
		{`{"message":"Resource not accessible by integration"}`, false},
	} {
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) == 1 {
				w.WriteHeader(http.StatusForbidden)
				io.WriteString(w, tc.body)
				return
			}
			io.WriteString(w, "{}")
		}))
		s := &sleeps{}
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/x", nil)
		resp, err := newTestTransport(s).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		srv.Close()
		if tc.retry && (resp.StatusCode != 200 || len(s.got) != 1 || s.got[0] != time.Minute) {
			t.Errorf("%s: status %d, slept %v; want a minute's wait and a retry", tc.body, resp.StatusCode, s.got)
		}
		// The peek must leave the body whole for go-github's error.
		if !tc.retry && (resp.StatusCode != 403 || string(b) != tc.body || len(s.got) != 0) {
			t.Errorf("%s: status %d, body %q, slept %v", tc.body, resp.StatusCode, b, s.got)
		}
	}
}

func TestRetryAfterAsDate(t *testing.T) {
	tr := newTestTransport(&sleeps{})
	at := tr.now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	resp := &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {at}}, Body: http.NoBody}
	if v := tr.rateLimit(resp); v == nil || v.wait != 90*time.Second {
		t.Errorf("verdict %+v, want a 90s wait", v)
	}
}

func TestRole(t *testing.T) {
	yes, no := new(true), new(false)
	for _, tc := range []struct {
		lvl  github.RepositoryPermissionLevel
		want string
	}{
		{github.RepositoryPermissionLevel{RoleName: new("maintain"), Permission: new("write")}, "maintain"},
		{github.RepositoryPermissionLevel{RoleName: new("incident-responder"), Permission: new("write"),
			User: &github.User{Permissions: &github.RepositoryPermissions{Admin: no, Maintain: no, Push: yes, Triage: yes, Pull: yes}}}, "write"},
		{github.RepositoryPermissionLevel{RoleName: new("auditor"), Permission: new("read")}, "read"},
		{github.RepositoryPermissionLevel{}, "none"},
	} {
		if got := role(&tc.lvl); got != tc.want {
			t.Errorf("role(%+v) = %q, want %q", tc.lvl, got, tc.want)
		}
	}
}
