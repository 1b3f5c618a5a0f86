package ghsetup

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/ghapi"
)

// InputError is a mistake in how the doctor was called: no token, no
// repository to check (exit 2 on the command line).
type InputError struct{ error }

// ErrNoToken means neither GITHUB_TOKEN nor GH_TOKEN is set.
var ErrNoToken = &InputError{errors.New("set GITHUB_TOKEN or GH_TOKEN to a token that can read the repository (with the GitHub CLI: GH_TOKEN=$(gh auth token))")}

// githubRemote matches the owner and name in a github.com remote URL:
// https://github.com/o/r(.git), git@github.com:o/r(.git),
// ssh://git@github.com/o/r(.git).
var githubRemote = regexp.MustCompile(`^(?:https://(?:[^@/]+@)?github\.com/|git@github\.com:|ssh://git@github\.com/)([^/]+)/([^/]+?)(?:\.git)?/?$`)

// RepoOf names the repository to check: repo when given (owner/name),
// else GITHUB_REPOSITORY, else the github.com repository remoteURL (the
// origin remote) points to.
func RepoOf(repo string, getenv func(string) string, remoteURL string) (ghapi.Repo, error) {
	if s := cmp.Or(repo, getenv("GITHUB_REPOSITORY")); s != "" {
		r, err := ghapi.ParseRepo(s)
		if err != nil {
			return r, &InputError{err}
		}
		return r, nil
	}
	if m := githubRemote.FindStringSubmatch(remoteURL); m != nil {
		return ghapi.Repo{Owner: m[1], Name: m[2]}, nil
	}
	if remoteURL == "" {
		return ghapi.Repo{}, &InputError{errors.New("the repository has no origin remote; name it with --repo OWNER/NAME")}
	}
	return ghapi.Repo{}, &InputError{fmt.Errorf("the origin remote %s is not on github.com; name the repository with --repo OWNER/NAME (and GITHUB_API_URL for GitHub Enterprise Server)", remoteURL)}
}

// PagesURL is where GitHub Pages serves a repository's site without a
// custom domain: https://owner.github.io/name/, or https://owner.github.io/
// for the owner's own owner.github.io repository. Pages hosts are lower
// case; the path keeps the repository's case, as Pages serves it.
func PagesURL(r ghapi.Repo) string {
	host := strings.ToLower(r.Owner) + ".github.io"
	if strings.EqualFold(r.Name, host) {
		return "https://" + host + "/"
	}
	return "https://" + host + "/" + r.Name + "/"
}

// Client is an API client for repo with the token from GITHUB_TOKEN or
// GH_TOKEN, at GITHUB_API_URL (default api.github.com).
func Client(repo ghapi.Repo, getenv func(string) string, now func() time.Time) (*ghapi.Client, error) {
	token := cmp.Or(getenv("GITHUB_TOKEN"), getenv("GH_TOKEN"))
	if token == "" {
		return nil, ErrNoToken
	}
	return ghapi.New(ghapi.Options{Repo: repo, Token: token, BaseURL: getenv("GITHUB_API_URL"), Now: now})
}
