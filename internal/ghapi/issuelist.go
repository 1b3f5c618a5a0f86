package ghapi

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/google/go-github/v93/github"
)

// IssueQuery selects a repository's issues for ListIssues.
type IssueQuery struct {
	// Labels are label names an issue must all have (GitHub's labels=).
	Labels []string
	// State is open, closed or all; open when empty, as on GitHub.
	State string
	// Since keeps the issues updated at or after it; zero keeps all.
	Since time.Time
}

// States are the values IssueQuery.State takes.
var States = []string{"open", "closed", "all"}

// ListIssues returns the issues q selects, oldest first, reading as many
// pages as there are. GitHub lists pull requests among issues; they are
// left out. The pages are asked for in order of creation, oldest first,
// so an issue opened while they are read comes at the end instead of
// pushing one already read onto the next page.
func (c *Client) ListIssues(ctx context.Context, q IssueQuery) ([]Issue, error) {
	op := "list the issues of " + c.repo.String()
	if q.State != "" && !slices.Contains(States, q.State) {
		return nil, fmt.Errorf("ghapi: %s: state %q is not open, closed or all", op, q.State)
	}
	opts := &github.IssueListByRepoOptions{
		Labels: q.Labels, State: q.State, Since: q.Since, Sort: "created", Direction: "asc",
		ListOptions: github.ListOptions{PerPage: 100, Page: 1},
	}
	var out []Issue
	for {
		page, resp, err := c.gh.Issues.ListByRepo(ctx, c.repo.Owner, c.repo.Name, opts)
		if err != nil {
			return nil, wrap(op, err)
		}
		for _, is := range page {
			if !is.IsPullRequest() {
				out = append(out, issue(is))
			}
		}
		// A next page that does not move forward would loop forever.
		if resp.NextPage <= opts.ListOptions.Page {
			return out, nil
		}
		opts.ListOptions.Page = resp.NextPage
	}
}

// StateEvent is an issue being closed or reopened.
type StateEvent struct {
	ID int64
	// Event is "closed" or "reopened".
	Event string
	// Actor is who did it; empty when GitHub does not say.
	Actor string
	At    time.Time
	// StateReason is why it was closed (completed, not_planned,
	// duplicate), or reopened; empty when GitHub gives none.
	StateReason string
}

// stateEvent is the part of an issue event StateEvents reads. go-github's
// IssueEvent has no state_reason, so the events are decoded here.
type stateEvent struct {
	ID    int64  `json:"id"`
	Event string `json:"event"`
	Actor *struct {
		Login string `json:"login"`
	} `json:"actor"`
	CreatedAt   time.Time `json:"created_at"`
	StateReason *string   `json:"state_reason"`
}

// StateEvents returns the times issue number was closed and reopened,
// oldest first, from its events (which also list labels, assignments and
// the like; those are left out).
func (c *Client) StateEvents(ctx context.Context, number int) ([]StateEvent, error) {
	op := fmt.Sprintf("list the events of %s#%d", c.repo, number)
	if err := positive(op, "issue number", int64(number)); err != nil {
		return nil, err
	}
	var out []StateEvent
	for page := 1; ; {
		u := fmt.Sprintf("repos/%s/%s/issues/%d/events?per_page=100&page=%d", c.repo.Owner, c.repo.Name, number, page)
		req, err := c.gh.NewRequest(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, wrap(op, err)
		}
		var evs []stateEvent
		resp, err := c.gh.Do(req, &evs)
		if err != nil {
			return nil, wrap(op, err)
		}
		for _, ev := range evs {
			if ev.Event != "closed" && ev.Event != "reopened" {
				continue
			}
			se := StateEvent{ID: ev.ID, Event: ev.Event, At: ev.CreatedAt}
			if ev.Actor != nil {
				se.Actor = ev.Actor.Login
			}
			if ev.StateReason != nil {
				se.StateReason = *ev.StateReason
			}
			out = append(out, se)
		}
		if resp.NextPage <= page {
			slices.SortStableFunc(out, func(a, b StateEvent) int { return a.At.Compare(b.At) })
			return out, nil
		}
		page = resp.NextPage
	}
}
