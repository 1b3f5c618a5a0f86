package webhook

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// sleeps records the waits a Client asked for instead of waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.d = append(s.d, d)
	return ctx.Err()
}

func (s *sleeps) got() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

// halfJitter makes full jitter deterministic: half the ceiling.
func halfJitter(d time.Duration) time.Duration { return d / 2 }

// server is an httptest TLS server whose handler sees the attempt number.
type server struct {
	*httptest.Server
	hits atomic.Int32
}

func newServer(t *testing.T, h func(w http.ResponseWriter, r *http.Request, n int)) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h(w, r, int(s.hits.Add(1)))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(s.Certificate())
	return p
}

// testClient allows loopback (the test servers' address) and records
// sleeps; opts may change the options further.
func testClient(t *testing.T, s *server, opts ...func(*Options)) (*Client, *sleeps) {
	t.Helper()
	sl := &sleeps{}
	o := Options{AllowPrivate: true, Now: func() time.Time { return fixedNow }, Sleep: sl.sleep, Jitter: halfJitter}
	if s != nil {
		o.RootCAs = s.pool()
	}
	for _, f := range opts {
		f(&o)
	}
	c := New(o)
	t.Cleanup(c.Close)
	return c, sl
}

func jsonDelivery(url string) Delivery {
	return Delivery{Target: Target{Name: "siem", URL: url, Secret: testSecret}, Event: fixture()}
}

func sendOne(t *testing.T, c *Client, d Delivery) Result {
	t.Helper()
	rs := c.Send(context.Background(), []Delivery{d})
	if len(rs) != 1 {
		t.Fatalf("%d results for one delivery", len(rs))
	}
	return rs[0]
}

func check(t *testing.T, r Result, attempts, status int, kind error) {
	t.Helper()
	if r.Attempts != attempts || r.Status != status || !errors.Is(r.Err, kind) {
		t.Errorf("result: %d attempts, status %d, err %v; want %d attempts, status %d, err %v", r.Attempts, r.Status, r.Err, attempts, status, kind)
	}
}

// TestSignedJSON: the receiver verifies the signature, the headers are
// the documented ones and the delivery id header is the payload's id.
func TestSignedJSON(t *testing.T) {
	var mu sync.Mutex
	var problems []string
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		id, ts, sig := r.Header.Get(HeaderDelivery), r.Header.Get(HeaderTimestamp), r.Header.Get(HeaderSignature)
		if err := Verify(testSecret, id, ts, body, sig, fixedNow, time.Minute); err != nil {
			problems = append(problems, "verify: "+err.Error())
		}
		var payload struct {
			ID     string `json:"id"`
			SentAt string `json:"sent_at"`
		}
		if err := json.Unmarshal(body, &payload); err != nil || payload.ID != id || id != fixture().ID {
			problems = append(problems, "payload id "+payload.ID+" vs header "+id)
		}
		if ts != strconv.FormatInt(fixedNow.Unix(), 10) || payload.SentAt != "2026-03-02T14:05:00Z" {
			problems = append(problems, "timestamp "+ts+" / sent_at "+payload.SentAt)
		}
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || r.Header.Get("User-Agent") != UserAgent {
			problems = append(problems, "method/headers: "+r.Method+" "+r.Header.Get("Content-Type")+" "+r.Header.Get("User-Agent"))
		}
		w.WriteHeader(http.StatusNoContent)
	})
	c, sl := testClient(t, s)
	r := sendOne(t, c, jsonDelivery(s.URL+"/hook"))
	check(t, r, 1, 204, nil)
	if r.Err != nil || r.ID != fixture().ID || r.Name != "siem" || len(sl.got()) != 0 {
		t.Errorf("result %+v, sleeps %v", r, sl.got())
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// TestRetry5xx: 500 twice then 200; the waits follow the backoff and every
// attempt carries the same delivery id.
func TestRetry5xx(t *testing.T) {
	ids := make(chan string, 3)
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		ids <- r.Header.Get(HeaderDelivery)
		if n < 3 {
			w.WriteHeader(http.StatusInternalServerError)
		}
	})
	c, sl := testClient(t, s)
	check(t, sendOne(t, c, jsonDelivery(s.URL)), 3, 200, nil)
	if got := sl.got(); len(got) != 2 || got[0] != 500*time.Millisecond || got[1] != time.Second {
		t.Errorf("waits %v, want [500ms 1s] (half of 1s, 2s)", got)
	}
	close(ids)
	for id := range ids {
		if id != fixture().ID {
			t.Errorf("attempt sent id %q, want %q", id, fixture().ID)
		}
	}
}

func TestGivesUpAfterAttempts(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "down for maintenance\n")
	})
	c, sl := testClient(t, s, func(o *Options) { o.MaxDelay = 3 * time.Second })
	r := sendOne(t, c, jsonDelivery(s.URL))
	check(t, r, 3, 503, ErrStatus)
	for _, want := range []string{`webhook "siem" (https://127.0.0.1:`, "answered 503 Service Unavailable", `"down for maintenance"`, "(after 3 attempts)"} {
		if r.Err == nil || !strings.Contains(r.Err.Error(), want) {
			t.Errorf("error %v lacks %q", r.Err, want)
		}
	}
	if len(sl.got()) != 2 {
		t.Errorf("waits %v, want two", sl.got())
	}
}

func TestNoRetry4xx(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		http.Error(w, "invalid_payload", http.StatusBadRequest)
	})
	c, sl := testClient(t, s)
	r := sendOne(t, c, jsonDelivery(s.URL))
	check(t, r, 1, 400, ErrStatus)
	if s.hits.Load() != 1 || len(sl.got()) != 0 {
		t.Errorf("%d requests, waits %v; want one request, no wait", s.hits.Load(), sl.got())
	}
	if !strings.Contains(r.Err.Error(), `400 Bad Request: "invalid_payload"`) {
		t.Errorf("error %v does not quote the status and body", r.Err)
	}
}

// TestGone: 410 Gone is a failure of its own kind, sent once and never
// retried, so automation can record it and stop trying every hour.
func TestGone(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		http.Error(w, "no_service", http.StatusGone)
	})
	c, sl := testClient(t, s)
	r := sendOne(t, c, jsonDelivery(s.URL))
	check(t, r, 1, 410, ErrGone)
	if s.hits.Load() != 1 || len(sl.got()) != 0 {
		t.Errorf("%d requests, waits %v; want one request, no wait", s.hits.Load(), sl.got())
	}
}

// TestRetryAfter: 429 waits what Retry-After says (seconds or a date),
// capped by MaxDelay.
func TestRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   time.Duration
	}{
		{"7", 7 * time.Second},
		{"3600", DefaultMaxDelay},
		{fixedNow.Add(20 * time.Second).Format(http.TimeFormat), 20 * time.Second},
		{"soon", 500 * time.Millisecond}, // unreadable: the backoff
	} {
		s := newServer(t, func(w http.ResponseWriter, _ *http.Request, n int) {
			if n == 1 {
				w.Header().Set("Retry-After", tc.header)
				w.WriteHeader(http.StatusTooManyRequests)
			}
		})
		c, sl := testClient(t, s)
		check(t, sendOne(t, c, jsonDelivery(s.URL)), 2, 200, nil)
		if got := sl.got(); len(got) != 1 || got[0] != tc.want {
			t.Errorf("Retry-After %q: waits %v, want [%s]", tc.header, got, tc.want)
		}
	}
}

// TestRetryAfterPastDeadline: a wait longer than the deadline's rest ends
// the delivery at once.
func TestRetryAfterPastDeadline(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Retry-After", "20")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	c, sl := testClient(t, s, func(o *Options) { o.Deadline = 5 * time.Second })
	r := sendOne(t, c, jsonDelivery(s.URL))
	check(t, r, 1, 429, ErrStatus)
	if len(sl.got()) != 0 || !strings.Contains(r.Err.Error(), "in 20s, would pass the deadline") {
		t.Errorf("waits %v, error %v", sl.got(), r.Err)
	}
}

func TestRedirectNotFollowed(t *testing.T) {
	var elsewhere atomic.Int32
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.URL.Path == "/elsewhere" {
			elsewhere.Add(1)
			return
		}
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	})
	c, sl := testClient(t, s)
	r := sendOne(t, c, jsonDelivery(s.URL+"/hook"))
	check(t, r, 1, 302, ErrStatus)
	if elsewhere.Load() != 0 || len(sl.got()) != 0 {
		t.Errorf("redirect followed (%d) or retried (%v)", elsewhere.Load(), sl.got())
	}
	if !strings.Contains(r.Err.Error(), "302 Found: redirects are not followed") {
		t.Errorf("error %v does not name the redirect", r.Err)
	}
}

// hang answers nothing until the client gives up. The body is read first:
// only then does the server notice the client closing the connection.
func hang(r *http.Request) {
	io.Copy(io.Discard, r.Body)
	select {
	case <-r.Context().Done():
	case <-time.After(10 * time.Second):
	}
}

// TestTimeoutRetried: an attempt that gets no answer in time is retried.
func TestTimeoutRetried(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			hang(r)
		}
	})
	c, sl := testClient(t, s, func(o *Options) { o.AttemptTimeout = 200 * time.Millisecond })
	check(t, sendOne(t, c, jsonDelivery(s.URL)), 2, 200, nil)
	if len(sl.got()) != 1 {
		t.Errorf("waits %v, want one", sl.got())
	}
}

func TestTimeoutsExhausted(t *testing.T) {
	s := newServer(t, func(_ http.ResponseWriter, r *http.Request, _ int) { hang(r) })
	c, _ := testClient(t, s, func(o *Options) { o.AttemptTimeout = 100 * time.Millisecond; o.Attempts = 2 })
	r := sendOne(t, c, jsonDelivery(s.URL))
	check(t, r, 2, 0, ErrTimeout)
	if !strings.Contains(r.Err.Error(), "no response within 100ms (after 2 attempts)") {
		t.Errorf("error %v", r.Err)
	}
}

// TestLoopbackRefusedByDefault: without AllowPrivate neither an IP
// literal nor a name that resolves to loopback is dialled.
func TestLoopbackRefusedByDefault(t *testing.T) {
	s := newServer(t, func(http.ResponseWriter, *http.Request, int) {})
	c, sl := testClient(t, s, func(o *Options) { o.AllowPrivate = false })
	port := s.URL[strings.LastIndex(s.URL, ":"):]
	for _, u := range []string{s.URL, "https://localhost" + port} {
		r := sendOne(t, c, jsonDelivery(u))
		check(t, r, 1, 0, ErrRefused)
		if r.Err == nil || !strings.Contains(r.Err.Error(), "loopback address") {
			t.Errorf("%s: error %v does not say loopback", u, r.Err)
		}
	}
	if s.hits.Load() != 0 || len(sl.got()) != 0 {
		t.Errorf("%d requests reached the server, waits %v", s.hits.Load(), sl.got())
	}
}

// TestHTTPRefusedByDefault: http:// is refused before any connection,
// and allowed with AllowHTTP.
func TestHTTPRefusedByDefault(t *testing.T) {
	var hits atomic.Int32
	plain := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer plain.Close()
	c, _ := testClient(t, nil)
	r := sendOne(t, c, jsonDelivery(plain.URL))
	check(t, r, 0, 0, ErrRefused)
	if hits.Load() != 0 || !strings.Contains(r.Err.Error(), "http:// is refused") {
		t.Errorf("%d requests, error %v", hits.Load(), r.Err)
	}
	c, _ = testClient(t, nil, func(o *Options) { o.AllowHTTP = true })
	check(t, sendOne(t, c, jsonDelivery(plain.URL)), 1, 200, nil)
}

// TestUnknownAuthority: a certificate the client does not trust is a
// connection failure, not retried.
func TestUnknownAuthority(t *testing.T) {
	s := newServer(t, func(http.ResponseWriter, *http.Request, int) {})
	c, sl := testClient(t, s, func(o *Options) { o.RootCAs = x509.NewCertPool() })
	r := sendOne(t, c, jsonDelivery(s.URL))
	check(t, r, 1, 0, ErrNetwork)
	if len(sl.got()) != 0 || !strings.Contains(r.Err.Error(), "certificate") {
		t.Errorf("waits %v, error %v", sl.got(), r.Err)
	}
}

// TestOneFailureDoesNotStopOthers: a failing, a refused and a good
// endpoint are all attempted and reported in order.
func TestOneFailureDoesNotStopOthers(t *testing.T) {
	bad := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { w.WriteHeader(http.StatusNotFound) })
	good := newServer(t, func(http.ResponseWriter, *http.Request, int) {})
	for _, conc := range []int{1, 4} {
		pool := bad.pool()
		pool.AddCert(good.Certificate())
		c, _ := testClient(t, nil, func(o *Options) { o.RootCAs = pool; o.Concurrency = conc })
		ds := []Delivery{jsonDelivery(bad.URL), jsonDelivery("http://example.com/"), jsonDelivery(good.URL)}
		ds[0].Name, ds[1].Name, ds[2].Name = "bad", "plain", "good"
		rs := c.Send(context.Background(), ds)
		if len(rs) != 3 || rs[0].Name != "bad" || rs[1].Name != "plain" || rs[2].Name != "good" {
			t.Fatalf("results out of order: %+v", rs)
		}
		check(t, rs[0], 1, 404, ErrStatus)
		check(t, rs[1], 0, 0, ErrRefused)
		check(t, rs[2], 1, 200, nil)
	}
	if bad.hits.Load() != 2 || good.hits.Load() != 2 {
		t.Errorf("bad hit %d times, good %d; want 2 each", bad.hits.Load(), good.hits.Load())
	}
}

// TestSlack: the Slack body is posted with the delivery id, unsigned
// unless a secret is set.
func TestSlack(t *testing.T) {
	want, _ := fixture().SlackBody()
	for _, secret := range []Secret{"", testSecret} {
		var got []byte
		var hdr http.Header
		s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			got, _ = io.ReadAll(r.Body)
			hdr = r.Header.Clone()
			io.WriteString(w, "ok")
		})
		c, _ := testClient(t, s)
		d := Delivery{Target: Target{Name: "chat", URL: s.URL + "/services/T/B/X", URLEnv: "SLACK_URL", Format: FormatSlack, Secret: secret}, Event: fixture()}
		check(t, sendOne(t, c, d), 1, 200, nil)
		if string(got) != string(want) || hdr.Get(HeaderDelivery) != fixture().ID {
			t.Errorf("secret %v: body %s, delivery %q", secret != "", got, hdr.Get(HeaderDelivery))
		}
		signed := hdr.Get(HeaderSignature) != ""
		if signed != (secret != "") || (hdr.Get(HeaderTimestamp) != "") != signed {
			t.Errorf("secret %v: signature header %q, timestamp %q", secret != "", hdr.Get(HeaderSignature), hdr.Get(HeaderTimestamp))
		}
		if signed {
			if err := Verify(testSecret, hdr.Get(HeaderDelivery), hdr.Get(HeaderTimestamp), got, hdr.Get(HeaderSignature), fixedNow, 0); err != nil {
				t.Errorf("signed Slack body: %v", err)
			}
		}
	}
}

// TestPrepared: a body rendered elsewhere is posted byte for byte and
// signed; one that is not JSON, or has a bad id, is refused.
func TestPrepared(t *testing.T) {
	body := []byte(`{"id":"0123abcd","incident":{"id":"2026-03-02-x","restricted":true}}`)
	var got []byte
	var hdr http.Header
	s := newServer(t, func(_ http.ResponseWriter, r *http.Request, _ int) {
		got, _ = io.ReadAll(r.Body)
		hdr = r.Header.Clone()
	})
	c, _ := testClient(t, s)
	tg := Target{Name: "siem", URL: s.URL, Secret: testSecret}
	check(t, sendOne(t, c, Prepared(tg, "0123abcd", body)), 1, 200, nil)
	if string(got) != string(body) || hdr.Get(HeaderDelivery) != "0123abcd" {
		t.Errorf("posted %s with id %q", got, hdr.Get(HeaderDelivery))
	}
	if err := Verify(testSecret, "0123abcd", hdr.Get(HeaderTimestamp), got, hdr.Get(HeaderSignature), fixedNow, 0); err != nil {
		t.Errorf("prepared body signature: %v", err)
	}
	for _, d := range []Delivery{Prepared(tg, "0123abcd", []byte("{")), Prepared(tg, "a.b", body)} {
		if r := sendOne(t, c, d); !errors.Is(r.Err, ErrInvalid) {
			t.Errorf("err = %v, want ErrInvalid", r.Err)
		}
	}
	if s.hits.Load() != 1 {
		t.Errorf("%d requests, want 1", s.hits.Load())
	}
}

// TestInvalidDeliveries are refused before any request.
func TestInvalidDeliveries(t *testing.T) {
	s := newServer(t, func(http.ResponseWriter, *http.Request, int) {})
	c, _ := testClient(t, s)
	mk := func(f func(*Delivery)) Delivery { d := jsonDelivery(s.URL); f(&d); return d }
	for _, tc := range []struct {
		d    Delivery
		want string
	}{
		{mk(func(d *Delivery) { d.Secret = "" }), "needs a secret"},
		{mk(func(d *Delivery) { d.Secret = "short" }), "shorter than 16 bytes"},
		{mk(func(d *Delivery) { d.Event.ID = "a.b" }), `event id "a.b" has '.'`},
		{mk(func(d *Delivery) { d.Event.ID = "" }), "has no id"},
		{mk(func(d *Delivery) { d.Event.Incident.ID = "" }), "names no incident"},
		{mk(func(d *Delivery) { d.URL = "/relative" }), "not an absolute URL"},
		{mk(func(d *Delivery) { d.Format = "xml" }), `unknown format "xml"`},
		{mk(func(d *Delivery) { d.Event.Text = strings.Repeat("x", maxRequestBody) }), "more than the 1048576 allowed"},
	} {
		r := sendOne(t, c, tc.d)
		if !errors.Is(r.Err, ErrInvalid) || !strings.Contains(r.Err.Error(), tc.want) {
			t.Errorf("err = %v, want ErrInvalid containing %q", r.Err, tc.want)
		}
	}
	if s.hits.Load() != 0 {
		t.Errorf("%d invalid deliveries reached the server", s.hits.Load())
	}
}

func TestCancelled(t *testing.T) {
	s := newServer(t, func(http.ResponseWriter, *http.Request, int) {})
	c, _ := testClient(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := c.Send(ctx, []Delivery{jsonDelivery(s.URL)})[0]
	if !errors.Is(r.Err, context.Canceled) || s.hits.Load() != 0 {
		t.Errorf("err %v, %d requests", r.Err, s.hits.Load())
	}
}

func TestBackoffCeiling(t *testing.T) {
	c := New(Options{Jitter: func(d time.Duration) time.Duration { return d }})
	for n, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 5: 16 * time.Second, 6: 30 * time.Second, 200: 30 * time.Second} {
		if got := c.wait(n, 0); got != want {
			t.Errorf("wait(%d) = %s, want %s", n, got, want)
		}
	}
}
