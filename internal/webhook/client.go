package webhook

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"
)

// The defaults Options fall back to.
const (
	DefaultAttempts       = 3
	DefaultAttemptTimeout = 10 * time.Second
	DefaultDeadline       = 60 * time.Second
	DefaultBaseDelay      = time.Second
	DefaultMaxDelay       = 30 * time.Second
	DefaultConcurrency    = 4
)

// Options configure a Client. The zero value is the safe default: https
// only, public addresses only, the Default* limits.
type Options struct {
	// AllowHTTP permits http:// URLs.
	AllowHTTP bool
	// AllowPrivate permits loopback, private, link-local and the other
	// non-public addresses (see the package documentation).
	AllowPrivate bool
	// Attempts is the most requests per delivery.
	Attempts int
	// AttemptTimeout bounds one request, from dialling to the last byte
	// of the response read.
	AttemptTimeout time.Duration
	// Deadline bounds one delivery: all attempts and the waits between.
	Deadline time.Duration
	// BaseDelay is the ceiling of the first backoff wait; it doubles for
	// each further attempt.
	BaseDelay time.Duration
	// MaxDelay caps backoff waits and Retry-After.
	MaxDelay time.Duration
	// Concurrency is how many deliveries run at once.
	Concurrency int
	// RootCAs replaces the system's certificate pool (tests).
	RootCAs *x509.CertPool
	// Logger receives a line per attempt; nil discards them.
	Logger *slog.Logger
	// Now is the clock for timestamps and Retry-After dates.
	Now func() time.Time
	// Sleep waits between attempts; it returns ctx.Err() if ctx ends first.
	Sleep func(ctx context.Context, d time.Duration) error
	// Jitter returns a random duration in [0, d).
	Jitter func(d time.Duration) time.Duration
}

func (o Options) withDefaults() Options {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.AttemptTimeout, DefaultAttemptTimeout)
	def(&o.Deadline, DefaultDeadline)
	def(&o.BaseDelay, DefaultBaseDelay)
	def(&o.MaxDelay, DefaultMaxDelay)
	if o.Attempts <= 0 {
		o.Attempts = DefaultAttempts
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	if o.Jitter == nil {
		o.Jitter = jitter
	}
	return o
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d)
}

// Client delivers webhooks. It is safe for concurrent use.
type Client struct {
	opts Options
	http *http.Client
}

// New returns a Client with opts, defaults filled in.
func New(opts Options) *Client {
	opts = opts.withDefaults()
	return &Client{opts: opts, http: newHTTPClient(opts)}
}

func newHTTPClient(o Options) *http.Client {
	dialer := &net.Dialer{Timeout: o.AttemptTimeout, KeepAlive: 30 * time.Second}
	if !o.AllowPrivate {
		dialer.Control = dialControl
	}
	tr := &http.Transport{
		Proxy:                  nil, // the address policy must see the endpoint, not a proxy
		DialContext:            dialer.DialContext,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: o.RootCAs},
		TLSHandshakeTimeout:    o.AttemptTimeout,
		ForceAttemptHTTP2:      true,
		MaxIdleConnsPerHost:    2,
		IdleConnTimeout:        30 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
	}
	return &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Close releases the client's idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// Delivery is one event for one target.
type Delivery struct {
	Target
	Event Event

	// prepared is a body rendered elsewhere (see Prepared), posted as is.
	prepared []byte
}

// Prepared is a Delivery of a body another package rendered, such as the
// payload in an automation plan: it is posted byte for byte (it must be a
// JSON document) and signed like any other, with id as X-Sev-Delivery.
// Redaction and escaping are then the renderer's job.
func Prepared(t Target, id string, body []byte) Delivery {
	return Delivery{Target: t, Event: Event{ID: id}, prepared: body}
}

// Result is what happened to one Delivery.
type Result struct {
	// Name is the target's name.
	Name string
	// ID is the event id sent as X-Sev-Delivery.
	ID string
	// Attempts is how many requests were made (0 if none could be).
	Attempts int
	// Status is the last HTTP status received, 0 when none was.
	Status int
	// Err is nil when the endpoint answered 2xx, else an *Error.
	Err error
}

// Send delivers every Delivery, Options.Concurrency at a time, and returns
// their results in the same order. A failure of one never stops another.
func (c *Client) Send(ctx context.Context, ds []Delivery) []Result {
	results := make([]Result, len(ds))
	slots := make(chan struct{}, c.opts.Concurrency)
	var wg sync.WaitGroup
	for i, d := range ds {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			results[i] = c.deliver(ctx, d)
		})
	}
	wg.Wait()
	return results
}

func (c *Client) deliver(ctx context.Context, d Delivery) Result {
	res := Result{Name: d.Name, ID: d.Event.ID}
	if err := c.check(d); err != nil {
		c.opts.Logger.Error("webhook not sent", "webhook", d.Target, "id", d.Event.ID, "error", err.Error())
		res.Err = err
		return res
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Deadline)
	defer cancel()
	for {
		res.Attempts++
		o := c.attempt(ctx, d)
		o.reason = d.scrub(o.reason)
		res.Status = o.status
		if o.kind == nil {
			c.opts.Logger.Info("webhook delivered", "webhook", d.Target, "id", d.Event.ID, "attempts", res.Attempts, "status", o.status)
			return res
		}
		if !o.retry || res.Attempts >= c.opts.Attempts {
			return c.fail(d, res, o)
		}
		wait := c.wait(res.Attempts, o.retryAfter)
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			o.reason += fmt.Sprintf("; the next attempt, in %s, would pass the deadline", wait.Round(time.Millisecond))
			return c.fail(d, res, o)
		}
		c.opts.Logger.Warn("webhook attempt failed, will retry", "webhook", d.Target, "id", d.Event.ID,
			"attempt", res.Attempts, "error", o.reason, "retry_in", wait)
		if err := c.opts.Sleep(ctx, wait); err != nil {
			return c.fail(d, res, ended(ctx))
		}
	}
}

func (c *Client) check(d Delivery) error {
	if err := d.Target.check(c.opts.AllowHTTP); err != nil {
		return err
	}
	if d.prepared != nil {
		if err := checkID(d.Event.ID); err != nil {
			return d.invalid(err.Error())
		}
		if !json.Valid(d.prepared) {
			return d.invalid("the prepared body is not a JSON document")
		}
		return nil
	}
	if err := d.Event.check(); err != nil {
		return d.invalid(err.Error())
	}
	return nil
}

func (c *Client) fail(d Delivery, res Result, o outcome) Result {
	err := &Error{Webhook: d.Target.String(), Attempts: res.Attempts, Status: o.status, Reason: o.reason, kind: o.kind}
	c.opts.Logger.Error("webhook failed", "webhook", d.Target, "id", d.Event.ID, "attempts", res.Attempts, "error", err.Error())
	res.Err = err
	return res
}

// wait is the pause before the attempt after attempt n: Retry-After when
// the response gave one, else full jitter under BaseDelay·2^(n-1), both
// capped at MaxDelay.
func (c *Client) wait(n int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return min(retryAfter, c.opts.MaxDelay)
	}
	ceil := c.opts.BaseDelay
	for i := 1; i < n && ceil < c.opts.MaxDelay; i++ {
		ceil *= 2
	}
	return c.opts.Jitter(min(ceil, c.opts.MaxDelay))
}
