package ghapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The retry policy's constants. GitHub's guidance on rate limits: wait for
// retry-after when it is given, until x-ratelimit-reset when the primary
// limit is used up, and at least a minute otherwise.
const (
	defaultMaxWait   = 60 * time.Second
	secondaryDefault = time.Minute
	// resetSkew is added to a primary reset time: GitHub's clock and ours
	// differ, and a request a moment early is refused again.
	resetSkew = time.Second
	// maxAttempts bounds one call whatever the reason (a server that keeps
	// answering retry-after: 0 must not loop forever).
	maxAttempts = 8
	// maxServerRetries bounds retries after 5xx answers and network errors.
	maxServerRetries = 3
	backoffBase      = 500 * time.Millisecond
	backoffCap       = 8 * time.Second
	// attemptTimeout bounds one attempt, so a connection that hangs is
	// retried (or reported) instead of holding a workflow until its own
	// timeout hours later.
	attemptTimeout = 30 * time.Second
	// peekLimit is how much of a 403 body is read to tell a secondary rate
	// limit without headers from a permission error.
	peekLimit = 64 << 10
)

// WaitError reports a retry that was not attempted because the wait it
// needed was longer than what was left of Options.MaxWait or of the
// request's context.
type WaitError struct {
	Method, Path string
	// Reason is why GitHub asked to wait: "primary rate limit",
	// "secondary rate limit", "server error 503", "network error".
	Reason string
	// Wait is how long the retry would have had to wait.
	Wait time.Duration
	// Left is what remained of the allowed waiting.
	Left time.Duration
	// Bound names what ran out: "MaxWait" or "the context's deadline".
	Bound string
}

func (e *WaitError) Error() string {
	return fmt.Sprintf("%s %s: %s: a retry would wait %s, more than the %s left of %s (run the step again later, or raise MaxWait)",
		e.Method, e.Path, e.Reason, e.Wait.Round(time.Second), e.Left.Round(time.Second), e.Bound)
}

// transport is the retrying http.RoundTripper under go-github.
type transport struct {
	base           http.RoundTripper
	sleep          func(context.Context, time.Duration) error
	now            func() time.Time
	maxWait        time.Duration
	attemptTimeout time.Duration
	jitter         func(time.Duration) time.Duration
	logf           func(string, ...any)
}

func newTransport(base http.RoundTripper, opts Options) *transport {
	t := &transport{
		base:           base,
		sleep:          opts.Sleep,
		now:            opts.Now,
		maxWait:        opts.MaxWait,
		attemptTimeout: attemptTimeout,
		jitter:         func(d time.Duration) time.Duration { return rand.N(d) },
		logf:           opts.Logf,
	}
	if t.base == nil {
		t.base = http.DefaultTransport
	}
	if t.sleep == nil {
		t.sleep = sleep
	}
	if t.now == nil {
		t.now = time.Now
	}
	if t.maxWait <= 0 {
		t.maxWait = defaultMaxWait
	}
	if t.logf == nil {
		t.logf = func(string, ...any) {}
	}
	return t
}

func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// RoundTrip sends req, retrying as the package comment describes.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	req, err := replayable(req)
	if err != nil {
		return nil, err
	}
	var waited time.Duration
	serverRetries := 0
	for attempt := 1; ; attempt++ {
		resp, err := t.attempt(req)
		v := t.decide(req, resp, err, serverRetries)
		if v == nil || attempt == maxAttempts {
			return resp, err
		}
		discard(resp)
		if v.server {
			serverRetries++
		}
		if werr := t.fits(req, v, waited); werr != nil {
			return nil, werr
		}
		t.logf("ghapi: %s %s: %s, retrying in %s", req.Method, req.URL.Path, v.reason, v.wait.Round(time.Millisecond))
		if err := t.sleep(req.Context(), v.wait); err != nil {
			return nil, err
		}
		waited += v.wait
	}
}

// verdict is a decision to retry: after how long, why, and whether it
// counts against maxServerRetries.
type verdict struct {
	wait   time.Duration
	reason string
	server bool
}

// replayable returns req with a body that can be sent again: go-github's
// bodies are bytes.Buffers, which net/http already knows how to rewind;
// anything else is read into memory once, on a copy of req, since a
// RoundTripper must not change the request it is given.
func replayable(req *http.Request) (*http.Request, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return req, nil
	}
	if req.GetBody != nil {
		// Every attempt sends its own copy; the original is only closed,
		// as a RoundTripper must.
		req.Body.Close()
		return req, nil
	}
	b, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading the request body: %w", req.Method, req.URL.Path, err)
	}
	r := req.Clone(req.Context())
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	return r, nil
}

// attempt sends one copy of req under its own timeout, which ends when
// the response body is closed.
func (t *transport) attempt(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(req.Context(), t.attemptTimeout)
	r := req.Clone(ctx)
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			cancel()
			return nil, fmt.Errorf("%s %s: rewinding the request body: %w", req.Method, req.URL.Path, err)
		}
		r.Body = body
	}
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

func discard(resp *http.Response) {
	if resp != nil {
		io.Copy(io.Discard, io.LimitReader(resp.Body, peekLimit))
		resp.Body.Close()
	}
}

// fits reports a *WaitError when waiting v.wait more would exceed MaxWait
// or outlive the request's context.
func (t *transport) fits(req *http.Request, v *verdict, waited time.Duration) error {
	werr := &WaitError{Method: req.Method, Path: req.URL.Path, Reason: v.reason, Wait: v.wait}
	if left := t.maxWait - waited; v.wait > left {
		werr.Left, werr.Bound = left, "MaxWait"
		return werr
	}
	if deadline, ok := req.Context().Deadline(); ok {
		if left := time.Until(deadline); v.wait >= left {
			werr.Left, werr.Bound = max(left, 0), "the context's deadline"
			return werr
		}
	}
	return nil
}

// decide says whether and after how long a failed attempt is retried;
// nil means it is not.
func (t *transport) decide(req *http.Request, resp *http.Response, err error, serverRetries int) *verdict {
	idempotent := isIdempotent(req.Method)
	if err != nil {
		if req.Context().Err() != nil || !idempotent || serverRetries >= maxServerRetries {
			return nil
		}
		return &verdict{t.backoff(serverRetries), "network error (" + t.networkCause(err) + ")", true}
	}
	switch code := resp.StatusCode; {
	case code == http.StatusForbidden || code == http.StatusTooManyRequests:
		return t.rateLimit(resp)
	case code >= 500 && code != http.StatusNotImplemented:
		if !idempotent || serverRetries >= maxServerRetries {
			return nil
		}
		v := &verdict{t.backoff(serverRetries), fmt.Sprintf("server error %d", code), true}
		if d, ok := t.retryAfter(resp); ok {
			v.wait = d
		}
		return v
	}
	return nil
}

// rateLimit reads a 403 or 429. Every method is retried, because GitHub
// refused the request before acting on it.
func (t *transport) rateLimit(resp *http.Response) *verdict {
	if d, ok := t.retryAfter(resp); ok {
		return &verdict{wait: d, reason: "secondary rate limit"}
	}
	if resp.Header.Get("X-Ratelimit-Remaining") == "0" {
		v := &verdict{wait: secondaryDefault, reason: "primary rate limit"}
		if reset, err := strconv.ParseInt(resp.Header.Get("X-Ratelimit-Reset"), 10, 64); err == nil {
			v.wait = max(time.Unix(reset, 0).Sub(t.now()), 0) + resetSkew
		}
		return v
	}
	if resp.StatusCode == http.StatusTooManyRequests || mentionsSecondaryLimit(resp) {
		return &verdict{wait: secondaryDefault, reason: "secondary rate limit"}
	}
	return nil
}

// retryAfter reads Retry-After as seconds or as an HTTP date.
func (t *transport) retryAfter(resp *http.Response) (time.Duration, bool) {
	v := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(t.now()), 0), true
	}
	return 0, false
}

// mentionsSecondaryLimit peeks at a 403's body for GitHub's wording of a
// secondary rate limit that came without headers, and puts the bytes back.
func mentionsSecondaryLimit(resp *http.Response) bool {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, peekLimit))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(b), resp.Body), resp.Body}
	return bytes.Contains(bytes.ToLower(b), []byte("secondary rate limit"))
}

// backoff is exponential with equal jitter: half the step is fixed, the
// other half random, so retries from many runners spread out.
func (t *transport) backoff(retry int) time.Duration {
	d := min(backoffBase<<retry, backoffCap)
	return d/2 + t.jitter(d/2)
}

func isIdempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// networkCause describes a failed attempt. The base transport's errors
// name the host and port but, unlike http.Client's, not the URL.
func (t *transport) networkCause(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "no answer within " + t.attemptTimeout.String()
	}
	return err.Error()
}
