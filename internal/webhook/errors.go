package webhook

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode"
)

// The kinds of failure; an *Error unwraps to one of them (or to
// context.Canceled or context.DeadlineExceeded when the caller's context
// or the delivery's deadline ended it).
var (
	// ErrInvalid: the delivery cannot be sent as given (missing secret,
	// bad URL, bad event id, unset variable).
	ErrInvalid = errors.New("invalid webhook")
	// ErrRefused: the address policy refused the URL or the address it
	// resolved to.
	ErrRefused = errors.New("webhook refused by policy")
	// ErrStatus: the endpoint answered with a status other than 2xx.
	ErrStatus = errors.New("webhook endpoint answered with an error status")
	// ErrGone: the endpoint answered 410 Gone: it was removed for good
	// (a deleted Slack or Teams webhook), so sending again is pointless.
	ErrGone = errors.New("webhook endpoint is gone")
	// ErrTimeout: attempts timed out.
	ErrTimeout = errors.New("webhook timed out")
	// ErrNetwork: the connection failed (DNS, TLS, refused, reset).
	ErrNetwork = errors.New("webhook connection failed")
)

// Error is a failed delivery. Its text is built only from safe parts and
// scrubbed, and it unwraps only to a sentinel, never to the transport
// error, whose text contains the URL.
type Error struct {
	// Webhook is the target's label (Target.String).
	Webhook string
	// Attempts is how many requests were made.
	Attempts int
	// Status is the last HTTP status, 0 when none was received.
	Status int
	// Reason says what went wrong and, when known, how to fix it.
	Reason string
	kind   error
}

// Error is the label, the reason and, after retries, the attempt count.
func (e *Error) Error() string {
	s := e.Webhook + ": " + e.Reason
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return s
}

// Unwrap returns the kind of failure (ErrStatus, ErrTimeout, …).
func (e *Error) Unwrap() error { return e.kind }

// minScrub is the shortest piece of a URL scrubbed on its own: shorter
// ones ("v1", "hooks") are not secret and would mangle messages.
const minScrub = 8

// sensitive lists the strings of t that no message may contain, longest
// first so a longer one is replaced before a piece of it.
func (t Target) sensitive() []string {
	var out []string
	add := func(s string, min int) {
		if len(s) >= min {
			out = append(out, s)
		}
	}
	add(string(t.Secret), 4)
	for _, v := range t.Header {
		add(string(v), 4)
		if _, cred, ok := strings.Cut(string(v), " "); ok { // "GenieKey KEY", "Bearer TOKEN"
			add(cred, 4)
		}
	}
	u, err := url.Parse(t.URL)
	if t.URLEnv != "" {
		add(t.URL, 1)
	}
	if err == nil {
		if t.URLEnv != "" {
			add(u.Host, 1)
			add(u.Hostname(), 1)
			add(u.Path, 2)
			add(u.EscapedPath(), 2)
			for seg := range strings.SplitSeq(u.Path, "/") {
				add(seg, minScrub)
			}
		}
		add(u.RawQuery, 1)
		for _, vs := range u.Query() {
			for _, v := range vs {
				add(v, minScrub)
			}
		}
		if p, ok := u.User.Password(); ok {
			add(p, 1)
		}
		add(u.User.String(), 1)
	}
	slices.SortFunc(out, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	return out
}

// scrub removes every sensitive string of t from s.
func (t Target) scrub(s string) string {
	for _, v := range t.sensitive() {
		s = strings.ReplaceAll(s, v, redacted)
	}
	return s
}

// maxSnippet is how much of an error response's body a message quotes.
const maxSnippet = 200

// snippet is the start of a response body, printable and scrubbed, quoted,
// or "" when the body is empty.
func (t Target) snippet(body []byte) string {
	// Scrub the whole body before cutting it, so a cut cannot leave a
	// prefix of a secret that no longer matches.
	s := t.scrub(strings.ToValidUTF8(string(body), ""))
	if len(s) > maxSnippet {
		s = strings.ToValidUTF8(s[:maxSnippet], "")
	}
	s = strings.TrimSpace(strings.Map(func(r rune) rune {
		if !unicode.IsPrint(r) {
			return ' '
		}
		return r
	}, s))
	if s == "" {
		return ""
	}
	return fmt.Sprintf("%q", s)
}
