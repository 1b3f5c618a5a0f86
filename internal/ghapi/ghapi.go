// Package ghapi is sev's adapter for GitHub's REST API: the handful of calls
// the GitHub Action and ChatOps make (comments, reactions, labels, review
// requests, issues, a commenter's permission) and those sev import github
// makes (issues listed by label, every page, with their close and reopen
// events), phrased as intentions over one repository and carried out by
// go-github.
//
// Two things sit under go-github. First, a retrying http.RoundTripper that is
// the one place where waiting happens: a primary rate limit (403 or 429 with
// x-ratelimit-remaining: 0) waits until x-ratelimit-reset, a secondary one
// waits for retry-after (or a minute when GitHub names none), and server
// errors (5xx) and network failures are retried with jittered exponential
// backoff, but only for idempotent methods: a POST that may already have
// been applied is not sent twice. The waits of one request add up to at
// most Options.MaxWait and end before the request's context does; a wait
// that would exceed either fails at once with a *WaitError instead of
// sleeping into a certain timeout. Each attempt has 30 seconds, so a hung
// connection is retried (or reported) rather than holding a workflow. go-github's
// own pre-emptive rate-limit check is switched off so that this policy is
// the only one. Second, errors are rewritten for people: the operation, the
// repository and issue, GitHub's status and message, and what usually fixes
// it. The token is only ever placed in the Authorization header (by
// go-github); no error or log line carries it.
//
// Tests run against internal/ghfake, a fake GitHub that checks every request
// against GitHub's published OpenAPI description.
package ghapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v93/github"
)

// DefaultBaseURL is the REST API of github.com. GitHub Enterprise Server
// publishes its own in GITHUB_API_URL (https://HOST/api/v3).
const DefaultBaseURL = "https://api.github.com/"

// userAgent names sev to GitHub, which asks every client to identify itself.
const userAgent = "sev (+https://github.com/sev-dev/sev)"

// Repo names a repository on GitHub.
type Repo struct {
	Owner, Name string
}

// String returns "owner/name".
func (r Repo) String() string { return r.Owner + "/" + r.Name }

// ParseRepo reads "owner/name", the form of GITHUB_REPOSITORY.
func ParseRepo(s string) (Repo, error) {
	owner, name, ok := strings.Cut(s, "/")
	if !ok || !validName(owner) || !validName(name) {
		return Repo{}, fmt.Errorf("ghapi: repository %q is not owner/name (for example sev-dev/incidents)", s)
	}
	return Repo{Owner: owner, Name: name}, nil
}

// validName accepts the characters GitHub allows in owner and repository
// names, which also keeps them from changing the shape of a request path.
func validName(s string) bool {
	if s == "" || s == "." || s == ".." {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// Options configures a Client. Only Repo is required.
type Options struct {
	// Repo is the repository every call acts on.
	Repo Repo
	// Token authenticates the calls (GITHUB_TOKEN in a workflow). Empty
	// makes unauthenticated calls, which can only read public data.
	Token string
	// BaseURL is the REST API's root: DefaultBaseURL when empty, or
	// GITHUB_API_URL on GitHub Enterprise Server.
	BaseURL string
	// HTTPClient sends the requests; its Transport is wrapped by the retry
	// policy. A Timeout set on it bounds a whole call, waits included.
	HTTPClient *http.Client
	// Login is the login the token acts as, if known. UpsertComment only
	// edits comments by this login; when empty the Client asks GitHub
	// (GET /user), and if the token cannot say (a workflow's GITHUB_TOKEN
	// or an app installation token) it only edits comments by bots.
	Login string
	// Sleep waits for d or until ctx is done (tests inject a fake clock).
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock that rate-limit reset times are compared with.
	Now func() time.Time
	// MaxWait bounds the total time one request spends waiting between
	// attempts (a call that reads several pages makes several requests);
	// 60 seconds when zero.
	MaxWait time.Duration
	// Logf, if set, is told about every wait and its reason.
	Logf func(format string, args ...any)
}

// Client makes sev's GitHub calls for one repository. It is safe for
// concurrent use.
type Client struct {
	gh   *github.Client
	repo Repo
	who  *identity
}

// identity is the login the token acts as, shared by the clients For
// returns: Options.Login, or what GitHub said when asked.
type identity struct {
	known string
	mu    sync.Mutex
	asked bool
	login string
}

// New returns a Client for opts.Repo.
func New(opts Options) (*Client, error) {
	if !validName(opts.Repo.Owner) || !validName(opts.Repo.Name) {
		return nil, fmt.Errorf("ghapi: repository %q is not owner/name (for example sev-dev/incidents)", opts.Repo.String())
	}
	base, err := baseURL(opts.BaseURL)
	if err != nil {
		return nil, err
	}
	hc := &http.Client{}
	if opts.HTTPClient != nil {
		*hc = *opts.HTTPClient
	}
	hc.Transport = newTransport(hc.Transport, opts)
	ghOpts := []github.ClientOptionsFunc{
		github.WithHTTPClient(hc),
		github.WithURLs(&base, nil),
		github.WithUserAgent(userAgent),
		github.WithDisableRateLimitCheck(),
	}
	if opts.Token != "" {
		ghOpts = append(ghOpts, github.WithAuthToken(opts.Token))
	}
	gh, err := github.NewClient(ghOpts...)
	if err != nil {
		return nil, fmt.Errorf("ghapi: %w", err)
	}
	return &Client{gh: gh, repo: opts.Repo, who: &identity{known: opts.Login}}, nil
}

// For returns a Client for another repository that shares this one's
// connection, retry policy and identity (a follow-up issue may belong to
// the service's own repository).
func (c *Client) For(r Repo) (*Client, error) {
	if !validName(r.Owner) || !validName(r.Name) {
		return nil, fmt.Errorf("ghapi: repository %q is not owner/name (for example sev-dev/incidents)", r.String())
	}
	return &Client{gh: c.gh, repo: r, who: c.who}, nil
}

// Repo returns the repository the Client acts on.
func (c *Client) Repo() Repo { return c.repo }

// baseURL checks the API root and gives it the trailing slash go-github
// resolves paths against.
func baseURL(s string) (string, error) {
	if s == "" {
		return DefaultBaseURL, nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("ghapi: API URL %q is not an http(s) URL without credentials or query; set GITHUB_API_URL to the API root, for example https://github.example.com/api/v3", s)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u.String(), nil
}
