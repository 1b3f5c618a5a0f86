package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	// maxRequestBody bounds what one webhook may post.
	maxRequestBody = 1 << 20
	// maxResponseBody is how much of a response is read (the rest is
	// dropped with the connection).
	maxResponseBody = 64 << 10
	// maxRetryAfter bounds a Retry-After in seconds before capping, so
	// the conversion to a Duration cannot overflow.
	maxRetryAfter = 1 << 20
)

// outcome is one attempt's result; kind is nil on success and reason is
// not yet scrubbed.
type outcome struct {
	status     int
	reason     string
	kind       error
	retry      bool
	retryAfter time.Duration
}

func (c *Client) attempt(ctx context.Context, d Delivery) outcome {
	now := c.opts.Now()
	body, err := d.body(now)
	if err != nil {
		return outcome{reason: err.Error(), kind: ErrInvalid}
	}
	if len(body) > maxRequestBody {
		return outcome{reason: fmt.Sprintf("the body is %d bytes, more than the %d allowed; shorten the rule's text", len(body), maxRequestBody), kind: ErrInvalid}
	}
	actx, cancel := context.WithTimeout(ctx, c.opts.AttemptTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, d.URL, bytes.NewReader(body))
	if err != nil {
		return outcome{reason: "the request could not be built from the URL", kind: ErrInvalid}
	}
	d.header(req.Header, now, body)
	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportFailure(ctx, actx, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody))
	return c.statusOutcome(d, resp, data)
}

func (d Delivery) body(now time.Time) ([]byte, error) {
	if d.prepared != nil {
		return d.prepared, nil
	}
	if d.format() == FormatSlack {
		return d.Event.SlackBody()
	}
	return d.Event.Body(now)
}

func (d Delivery) header(h http.Header, now time.Time, body []byte) {
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", UserAgent)
	h.Set(HeaderDelivery, d.Event.ID)
	for k, v := range d.Header {
		h.Set(k, string(v))
	}
	if d.Secret != "" && d.format() != FormatProvider {
		ts := now.Unix()
		h.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
		h.Set(HeaderSignature, Sign(string(d.Secret), d.Event.ID, ts, body))
	}
}

// transportFailure classifies an error from the HTTP client. Only the
// attempt's own timeout is retried.
func (c *Client) transportFailure(ctx, actx context.Context, err error) outcome {
	var refused *addrError
	switch {
	case errors.As(err, &refused):
		return outcome{reason: refused.Error() + "; non-public addresses are used only when the organisation allows them", kind: ErrRefused}
	case ctx.Err() != nil:
		return ended(ctx)
	case actx.Err() != nil || isTimeout(err):
		return outcome{reason: fmt.Sprintf("no response within %s", c.opts.AttemptTimeout), kind: ErrTimeout, retry: true}
	}
	return outcome{reason: "the connection failed: " + cause(err), kind: ErrNetwork}
}

// ended is the outcome when the delivery's context is over.
func ended(ctx context.Context) outcome {
	if errors.Is(ctx.Err(), context.Canceled) {
		return outcome{reason: "cancelled", kind: context.Canceled}
	}
	return outcome{reason: "the delivery's deadline passed", kind: context.DeadlineExceeded}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// cause is the transport error without the *url.Error wrapper, whose text
// starts with the method and the full URL.
func cause(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

func (c *Client) statusOutcome(d Delivery, resp *http.Response, body []byte) outcome {
	code := resp.StatusCode
	o := outcome{status: code}
	if code >= 200 && code < 300 {
		return o
	}
	o.kind = ErrStatus
	o.reason = "the endpoint answered " + statusText(code)
	switch {
	case code >= 300 && code < 400:
		o.reason += ": redirects are not followed; put the final URL in the rule"
		return o
	case code == http.StatusGone:
		o.kind = ErrGone
		o.reason += ": the endpoint was removed; update or remove the webhook in the rule"
	case code == http.StatusTooManyRequests || code >= 500:
		o.retry = true
		o.retryAfter = retryAfter(resp.Header.Get("Retry-After"), c.opts.Now())
	}
	if s := d.snippet(body); s != "" {
		o.reason += ": " + s
	}
	return o
}

// statusText names a status by its code and the standard text, never the
// server's own reason phrase.
func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return strconv.Itoa(code)
}

// retryAfter reads a Retry-After header (seconds or an HTTP date); 0 means
// absent, unreadable or already past.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		return time.Duration(min(max(n, 0), maxRetryAfter)) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil || !t.After(now) {
		return 0
	}
	return min(t.Sub(now), maxRetryAfter*time.Second)
}
