// Package ghfake is a fake GitHub REST API for tests: an httptest.Server
// that serves the endpoints internal/ghapi calls from in-memory state
// (issues and pull requests, listed by label, state and update time with
// Link pagination; their close and reopen events; comments, reactions,
// labels, requested reviewers, collaborator permissions, and the
// repository settings sev github doctor reads: Pages, branch protection
// and rulesets, Actions secrets, variables and permissions) and exposes
// that state for assertions.
//
// Its point is that it cannot drift from the real API unnoticed. Every
// request is checked against GitHub's published OpenAPI description (the
// @octokit/openapi npm package at the module root): the method and path
// must be a documented operation, path and query parameters must be
// declared and of their declared types, and the JSON body must validate
// against the operation's request schema. A violation fails the test with
// t.Errorf, naming the method, the path and what is wrong, and is answered
// with 400. The validator is written here for the subset of JSON Schema
// the description uses (see schema.go) rather than taken from a library:
// that subset is small, and OpenAPI 3.0's nullable is not JSON Schema.
//
// The description is about 13 MB. It is read once per test binary into
// raw JSON per path and per component (about 65 ms on the development
// machine, see BenchmarkLoadSpec), and an operation and the schemas it
// refers to are decoded the first time a request needs them.
//
// Knobs simulate GitHub's bad days: FailNext answers the next request with
// a given status and headers (a rate limit, Retry-After, a 502), and
// SetPermission decides what the collaborator permission endpoint says.
package ghfake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options configures a Server. The zero value serves sev-dev/incidents to
// anyone, as a workflow's GITHUB_TOKEN would.
type Options struct {
	// Owner and Repo name the one repository served; others are 404.
	// Defaults: sev-dev and incidents.
	Owner, Repo string
	// Token, if set, must be sent as "Authorization: Bearer TOKEN";
	// requests without it are answered 401.
	Token string
	// Login is who the token acts as: GET /user answers it, and what the
	// token writes is by this user. Empty poses as an installation token:
	// GET /user answers 403 and writes are by github-actions[bot].
	Login string
	// Prefix is a path before the API's own, as GitHub Enterprise Server
	// has ("/api/v3").
	Prefix string
}

// Request is a request the Server received.
type Request struct {
	Method string
	// Path is the URL path without Options.Prefix.
	Path  string
	Query url.Values
	Body  []byte
	// Operation is the documented operationId, empty if none matched.
	Operation string
	// Status is what the Server answered.
	Status int
}

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the API root to give a client, with a trailing slash.
	URL string

	t    testing.TB
	spec *spec
	opts Options

	mu       sync.Mutex
	issues   map[int]*issue
	comments []*comment
	events   []*event
	perms    map[string]string
	settings Settings
	requests []Request
	failures []failure
	seq      int // issue numbers; comment and reaction ids derive from it
}

type failure struct {
	status int
	header http.Header
}

// New starts a Server that stops when the test ends. Without the npm
// package it skips the test, or fails it when the CI variable is set.
func New(t testing.TB, opts Options) *Server {
	t.Helper()
	sp, err := loadSpec()
	if sp = requireSpec(t, sp, err); sp == nil {
		return nil
	}
	if opts.Owner == "" {
		opts.Owner = "sev-dev"
	}
	if opts.Repo == "" {
		opts.Repo = "incidents"
	}
	opts.Prefix = strings.TrimSuffix(opts.Prefix, "/")
	s := &Server{t: t, spec: sp, opts: opts, issues: map[int]*issue{}, perms: map[string]string{}, settings: DefaultSettings()}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	s.URL = srv.URL + opts.Prefix + "/"
	return s
}

// requireSpec stops the test when the description could not be loaded:
// a skip on a developer's machine without the npm package, a failure in CI
// (the CI variable is set) or for any other reason.
func requireSpec(t testing.TB, sp *spec, err error) *spec {
	t.Helper()
	switch {
	case errors.Is(err, errNoSpec) && os.Getenv("CI") != "":
		t.Fatal("ghfake: " + err.Error() + " (CI must install it)")
	case errors.Is(err, errNoSpec):
		t.Skip("ghfake: " + err.Error())
	case err != nil:
		t.Fatalf("ghfake: %v", err)
	default:
		return sp
	}
	return nil
}

// SetPermission sets user's role in the repository: admin, maintain,
// write, triage, read or none. Users never set do not exist (404).
func (s *Server) SetPermission(user, perm string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.perms[user] = perm
}

// FailNext makes the next request that passes validation fail with status
// and headers, before it changes anything. Calls queue up in order.
func (s *Server) FailNext(status int, header http.Header) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, failure{status, header.Clone()})
}

// Requests returns every request received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	copy(out, s.requests)
	return out
}

// ServeHTTP validates, records and answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.t.Errorf("ghfake: %s %s: reading the body: %v", r.Method, r.URL.Path, err)
		return
	}
	path, ok := strings.CutPrefix(r.URL.Path, s.opts.Prefix)
	if !ok || !strings.HasPrefix(path, "/") {
		path = r.URL.Path
	}
	c := s.spec.checkRequest(r.Method, path, r.URL.Query(), r.Header.Get("Content-Type"), body)
	c.path = path
	if !ok {
		c.problems = append([]string{fmt.Sprintf("the path is outside the API root %s/", s.opts.Prefix)}, c.problems...)
	}
	rec := Request{Method: r.Method, Path: path, Query: r.URL.Query(), Body: body}
	if c.op != nil {
		rec.Operation = c.op.id
	}
	resp := s.answer(r, c)
	rec.Status = resp.status
	s.mu.Lock()
	s.requests = append(s.requests, rec)
	s.mu.Unlock()
	resp.write(w)
}

// answer decides the response: validation problems first, then
// credentials, queued failures and finally the endpoint itself.
func (s *Server) answer(r *http.Request, c checked) response {
	if len(c.problems) > 0 {
		for _, p := range c.problems {
			s.t.Errorf("ghfake: %s %s: %s", r.Method, r.URL.Path, p)
		}
		return errorResponse(http.StatusBadRequest, "ghfake: the request does not match GitHub's OpenAPI description: "+strings.Join(c.problems, "; "))
	}
	if s.opts.Token != "" && r.Header.Get("Authorization") != "Bearer "+s.opts.Token {
		return errorResponse(http.StatusUnauthorized, "Bad credentials")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.failures) > 0 {
		f := s.failures[0]
		s.failures = s.failures[1:]
		return failed(f)
	}
	h, ok := handlers[c.op.id]
	if !ok {
		s.t.Errorf("ghfake: %s %s: %s is documented, but ghfake does not implement it", r.Method, r.URL.Path, c.op.id)
		return errorResponse(http.StatusNotImplemented, "ghfake does not implement "+c.op.id)
	}
	if c.params["owner"] != "" && (c.params["owner"] != s.opts.Owner || c.params["repo"] != s.opts.Repo) {
		return notFound()
	}
	return h(s, call{checked: c, query: r.URL.Query(), url: s.URL + strings.TrimPrefix(c.path, "/")})
}

// call is what a handler gets: the checked request, its query and the
// URL it was sent to (for Link headers).
type call struct {
	checked
	query url.Values
	url   string
}

// response is an answer before it is written.
type response struct {
	status int
	header http.Header
	body   any
}

func (r response) write(w http.ResponseWriter) {
	for k, vs := range r.header {
		w.Header()[k] = vs
	}
	if r.body == nil {
		w.WriteHeader(r.status)
		return
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r.body); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(r.status)
	w.Write(buf.Bytes())
}

func errorResponse(status int, msg string) response {
	return response{status: status, body: map[string]any{
		"message":           msg,
		"documentation_url": "https://docs.github.com/rest",
		"status":            fmt.Sprint(status),
	}}
}

// failed words a queued failure the way GitHub does, so that clients
// that read the message (go-github does) see what they would see.
func failed(f failure) response {
	msg := http.StatusText(f.status)
	doc := "https://docs.github.com/rest"
	switch {
	case f.header.Get("X-Ratelimit-Remaining") == "0":
		msg = "API rate limit exceeded for installation."
		doc = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#primary-rate-limit"
	case f.header.Get("Retry-After") != "" && f.status < 500, f.status == http.StatusTooManyRequests:
		msg = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
		doc = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
	}
	resp := errorResponse(f.status, msg)
	resp.body.(map[string]any)["documentation_url"] = doc
	resp.header = f.header
	return resp
}

// epoch is when the fake's history starts; each change is a minute later,
// so timestamps are deterministic.
var epoch = time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
