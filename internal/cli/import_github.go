package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/ghapi"
	"github.com/sev-dev/sev/internal/importer"
)

// registerGitHubFlags adds the flags of sev import github.
func registerGitHubFlags(f *pflag.FlagSet, o *importOptions) {
	f.StringArrayVar(&o.Labels, "label", nil, "github: import the issues that have this label (repeat: issues with all of them); required")
	f.StringVar(&o.State, "state", "all", "github: the issues to import: open, closed or all")
	f.StringArrayVar(&o.SeverityLabels, "severity-label", nil, "github: LABEL=LEVEL, a label that sets the severity (repeat; replaces the default rule: sev1, SEV-1, severity: 1, P1)")
	f.StringVar(&o.Since, "since", "", "github: only the issues updated since this date or time (2026-01-31, 2026-01-31T08:00:00Z)")
}

// readGitHub reads the issues of the repository PATH names through
// GitHub's REST API: those with the --label labels, with their comments
// and, for those ever closed, their close and reopen events. The token is
// GITHUB_TOKEN or GH_TOKEN (none reads public repositories, at 60
// requests an hour); GITHUB_API_URL points at GitHub Enterprise Server.
// Requests are made one after the other, as GitHub asks of clients.
func readGitHub(o importOptions) ([]importer.Record, []importer.Problem, error) {
	repo, q, sevs, err := githubQuery(o)
	if err != nil {
		return nil, nil, err
	}
	token := cmp.Or(o.getenv("GITHUB_TOKEN"), o.getenv("GH_TOKEN"))
	api, err := ghapi.New(ghapi.Options{Repo: repo, Token: token, BaseURL: o.getenv("GITHUB_API_URL")})
	if err != nil {
		return nil, nil, err
	}
	issues, err := githubIssues(o.ctx, api, q)
	if err != nil {
		return nil, nil, explainGitHub(repo, token != "", err)
	}
	g := importer.GitHub{Repo: repo.String(), Query: o.Labels, SeverityLabels: sevs, Settings: o.settings, Visibility: o.Visibility}
	recs, probs := g.Records(issues)
	return recs, probs, nil
}

// githubQuery checks the arguments and flags of a GitHub import.
func githubQuery(o importOptions) (ghapi.Repo, ghapi.IssueQuery, map[string]int, error) {
	var q ghapi.IssueQuery
	repo, err := ghapi.ParseRepo(o.Path)
	if err != nil {
		return repo, q, nil, usagef("%q is not OWNER/REPO; a GitHub import reads a repository's issues, e.g. sev import github acme/status --label incident", o.Path)
	}
	if len(o.Labels) == 0 {
		return repo, q, nil, usagef("name the label that marks incidents, e.g. --label incident; without one every issue of %s would be imported", repo)
	}
	if o.URL != "" {
		return repo, q, nil, usagef("--url is for cstate; each issue links to its own page on GitHub")
	}
	if !slices.Contains(ghapi.States, o.State) {
		return repo, q, nil, usagef("--state %q: use one of %s", o.State, strings.Join(ghapi.States, ", "))
	}
	q = ghapi.IssueQuery{Labels: o.Labels, State: o.State}
	if o.Since != "" {
		t, err := importer.ParseTime(o.Since, nil)
		if err != nil {
			return repo, q, nil, usagef("--since: %v", err)
		}
		q.Since = t.At
	}
	sevs, err := severityLabels(o.SeverityLabels, o.settings)
	return repo, q, sevs, err
}

// severityLabels reads --severity-label LABEL=LEVEL flags.
func severityLabels(flags []string, s *config.Settings) (map[string]int, error) {
	m := map[string]int{}
	for _, f := range flags {
		i := strings.LastIndexByte(f, '=')
		var lvl int
		var err error
		if i > 0 {
			lvl, err = strconv.Atoi(strings.TrimSpace(f[i+1:]))
		}
		if i <= 0 || strings.TrimSpace(f[:i]) == "" || err != nil || lvl < 1 || lvl > len(s.Severities) {
			return nil, usagef("--severity-label %q: write LABEL=LEVEL with a configured level from 1 to %d, e.g. --severity-label P1=1", f, len(s.Severities))
		}
		m[strings.TrimSpace(f[:i])] = lvl
	}
	return m, nil
}

// githubIssues reads the issues q selects, with the comments of those
// that have any and the events of those that were ever closed.
func githubIssues(ctx context.Context, api *ghapi.Client, q ghapi.IssueQuery) ([]importer.GitHubIssue, error) {
	list, err := api.ListIssues(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]importer.GitHubIssue, 0, len(list))
	for _, is := range list {
		gi := importer.GitHubIssue{
			Number: is.Number, Title: is.Title, Body: is.Body, State: is.State, StateReason: is.StateReason,
			Labels: is.Labels, Author: is.Author, Created: is.Created, Closed: is.Closed, URL: is.URL,
		}
		if is.Comments > 0 {
			cs, err := api.Comments(ctx, is.Number)
			if err != nil {
				return nil, err
			}
			for _, c := range cs {
				gi.Comments = append(gi.Comments, importer.GitHubComment{ID: c.ID, Author: c.Author, Body: c.Body, Created: c.Created})
			}
		}
		if is.State == "closed" || is.StateReason == "reopened" {
			evs, err := api.StateEvents(ctx, is.Number)
			if err != nil {
				return nil, err
			}
			for _, ev := range evs {
				gi.Events = append(gi.Events, importer.GitHubEvent{ID: ev.ID, Event: ev.Event, Actor: ev.Actor, At: ev.At, StateReason: ev.StateReason})
			}
		}
		out = append(out, gi)
	}
	return out, nil
}

// explainGitHub says what to check when GitHub refuses: the token, its
// permissions, the repository's name. Nothing here can hold the token.
func explainGitHub(repo ghapi.Repo, authed bool, err error) error {
	noToken := "no token was given: set GITHUB_TOKEN or GH_TOKEN (with the GitHub CLI: GH_TOKEN=$(gh auth token))"
	var ge *ghapi.Error
	if errors.As(err, &ge) {
		said := fmt.Sprintf("%d %s", ge.Status, http.StatusText(ge.Status))
		if ge.Message != "" {
			said += ": " + ge.Message
		}
		switch {
		case ge.Status == http.StatusUnauthorized && !authed:
			return fmt.Errorf("GitHub asks for a token (%s): %s", said, noToken)
		case ge.Status == http.StatusUnauthorized:
			return fmt.Errorf("GitHub did not accept the token (%s): it is mistyped, expired or revoked; check GITHUB_TOKEN or GH_TOKEN", said)
		case ge.Status == http.StatusForbidden && authed:
			return fmt.Errorf("GitHub refused to show the issues of %s (%s): the token may not read them; a fine-grained token needs read access to Issues of %s, a classic one the repo scope for a private repository, and an organisation with SAML SSO must have authorised it", repo, said, repo)
		case ge.Status == http.StatusForbidden:
			return fmt.Errorf("GitHub refused to show the issues of %s (%s): %s", repo, said, noToken)
		case ge.Status == http.StatusNotFound && authed:
			return fmt.Errorf("GitHub knows no repository %s that the token can read (%s): check OWNER/REPO and that the token has access to it; for GitHub Enterprise Server set GITHUB_API_URL", repo, said)
		case ge.Status == http.StatusNotFound:
			return fmt.Errorf("GitHub knows no public repository %s (%s): check OWNER/REPO; a private repository needs a token, and %s; for GitHub Enterprise Server set GITHUB_API_URL", repo, said, noToken)
		}
	}
	var we *ghapi.WaitError
	if errors.As(err, &we) && !authed {
		return fmt.Errorf("%w; without a token GitHub allows 60 requests an hour: %s", err, noToken)
	}
	return err
}
