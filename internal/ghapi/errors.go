package ghapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/go-github/v93/github"
)

// Error is a call GitHub answered with an error status.
type Error struct {
	// Op says what was being done, e.g. "add labels to sev-dev/incidents#12".
	Op string
	// Status is GitHub's HTTP status code.
	Status int
	// Message is GitHub's message, with the details of a 422 appended.
	Message string
	// Hint says what usually fixes it.
	Hint string
	err  error
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("ghapi: %s: GitHub answered %d %s", e.Op, e.Status, http.StatusText(e.Status))
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.Hint != "" {
		msg += " (" + e.Hint + ")"
	}
	return msg
}

// Unwrap returns go-github's error.
func (e *Error) Unwrap() error { return e.err }

// IsNotFound reports whether err is GitHub's 404.
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusNotFound
}

// rateLimited is the hint for a rate limit that outlasted the retries.
const rateLimited = "GitHub's rate limit; the waits it asked for were used up, run the step again later"

func hint(status int) string {
	switch {
	case status == http.StatusUnauthorized:
		return "the token is missing, expired or revoked; check GITHUB_TOKEN"
	case status == http.StatusForbidden:
		return "the token lacks a permission; in a workflow grant it under permissions:, e.g. issues: write and pull-requests: write"
	case status == http.StatusNotFound:
		return "the repository, issue or comment does not exist, or the token cannot see it"
	case status == http.StatusGone:
		return "issues are disabled in this repository, or the item was deleted"
	case status >= 500:
		return "GitHub failed; calls that are safe to repeat were retried; run the step again later"
	}
	return ""
}

// wrap turns go-github's errors into ones that say what sev was doing.
// None of them can contain the token: go-github sends it in a header and
// neither its errors nor the retry policy's mention headers.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var werr *WaitError
	if errors.As(err, &werr) {
		return fmt.Errorf("ghapi: %s: %w", op, werr)
	}
	var rerr *github.ErrorResponse
	if errors.As(err, &rerr) && rerr.Response != nil {
		return &Error{Op: op, Status: rerr.Response.StatusCode, Message: message(rerr), Hint: hint(rerr.Response.StatusCode), err: err}
	}
	var lerr *github.RateLimitError
	if errors.As(err, &lerr) && lerr.Response != nil {
		return &Error{Op: op, Status: lerr.Response.StatusCode, Message: lerr.Message, Hint: rateLimited, err: err}
	}
	var aerr *github.AbuseRateLimitError
	if errors.As(err, &aerr) && aerr.Response != nil {
		return &Error{Op: op, Status: aerr.Response.StatusCode, Message: aerr.Message, Hint: rateLimited, err: err}
	}
	return fmt.Errorf("ghapi: %s: %w", op, err)
}

// message is GitHub's message followed by the field errors of a 422.
func message(r *github.ErrorResponse) string {
	parts := []string{r.Message}
	for _, e := range r.Errors {
		switch {
		case e.Message != "":
			parts = append(parts, e.Message)
		case e.Field != "":
			parts = append(parts, fmt.Sprintf("%s %s is %s", e.Resource, e.Field, e.Code))
		}
	}
	return strings.Join(parts, "; ")
}
