package ghapi

import (
	"context"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/google/go-github/v93/github"
)

// maxBody is the length GitHub accepts for an issue or comment body, in
// characters; a longer one is refused with a 422 that names no field.
const maxBody = 65536

// Issue is an issue or pull request as sev reads it.
type Issue struct {
	Number int
	Title  string
	Body   string
	Labels []string
	// State is "open" or "closed".
	State string
	// URL is the page people open (html_url).
	URL string
	// IsPR is true for a pull request (GitHub serves both as issues).
	IsPR   bool
	Author string
	// StateReason is why the issue is in its state (state_reason):
	// completed, not_planned or duplicate when closed, reopened when
	// opened again; empty when GitHub gives none.
	StateReason string
	// Created and Closed are created_at and closed_at; Closed is zero
	// for an open issue.
	Created, Closed time.Time
	// Comments is the number of comments.
	Comments int
}

// Issue reads issue or pull request number.
func (c *Client) Issue(ctx context.Context, number int) (Issue, error) {
	op := fmt.Sprintf("read %s#%d", c.repo, number)
	if err := positive(op, "issue number", int64(number)); err != nil {
		return Issue{}, err
	}
	is, _, err := c.gh.Issues.Get(ctx, c.repo.Owner, c.repo.Name, number)
	if err != nil {
		return Issue{}, wrap(op, err)
	}
	return issue(is), nil
}

func issue(is *github.Issue) Issue {
	out := Issue{
		Number:      is.GetNumber(),
		Title:       is.GetTitle(),
		Body:        is.GetBody(),
		State:       is.GetState(),
		URL:         is.GetHTMLURL(),
		IsPR:        is.IsPullRequest(),
		Author:      is.GetUser().GetLogin(),
		StateReason: is.GetStateReason(),
		Created:     is.GetCreatedAt().Time,
		Closed:      is.GetClosedAt().Time,
		Comments:    is.GetComments(),
	}
	for _, l := range is.Labels {
		out.Labels = append(out.Labels, l.GetName())
	}
	return out
}

// CreateIssue opens an issue and returns its number and page. Labels and
// assignees may be empty; GitHub drops them silently when the token
// cannot set them.
func (c *Client) CreateIssue(ctx context.Context, title, body string, labels, assignees []string) (int, string, error) {
	op := "open an issue in " + c.repo.String()
	if title == "" {
		return 0, "", fmt.Errorf("ghapi: %s: the title is empty", op)
	}
	if err := bodySize(op, body); err != nil {
		return 0, "", err
	}
	req := github.CreateIssueRequest{Title: title, Labels: labels, Assignees: assignees}
	if body != "" {
		req.Body = &body
	}
	is, _, err := c.gh.Issues.Create(ctx, c.repo.Owner, c.repo.Name, req)
	if err != nil {
		return 0, "", wrap(op, err)
	}
	return is.GetNumber(), is.GetHTMLURL(), nil
}

// EditIssueBody replaces the body of issue (or pull request) number.
func (c *Client) EditIssueBody(ctx context.Context, number int, body string) error {
	op := fmt.Sprintf("edit the body of %s#%d", c.repo, number)
	if err := positive(op, "issue number", int64(number)); err != nil {
		return err
	}
	if err := bodySize(op, body); err != nil {
		return err
	}
	_, _, err := c.gh.Issues.Update(ctx, c.repo.Owner, c.repo.Name, number, github.UpdateIssueRequest{Body: &body})
	return wrap(op, err)
}

// AddLabels adds labels to issue (or pull request) number, keeping the
// ones it has; labels that do not exist yet are created by GitHub.
func (c *Client) AddLabels(ctx context.Context, number int, labels []string) error {
	op := fmt.Sprintf("add labels to %s#%d", c.repo, number)
	if err := positive(op, "issue number", int64(number)); err != nil {
		return err
	}
	if len(labels) == 0 {
		return nil
	}
	// go-github sends a bare array, which GitHub accepts but its OpenAPI
	// description does not: the documented body is {"labels": [...]}.
	u := fmt.Sprintf("repos/%s/%s/issues/%d/labels", c.repo.Owner, c.repo.Name, number)
	req, err := c.gh.NewRequest(ctx, http.MethodPost, u, struct {
		Labels []string `json:"labels"`
	}{labels})
	if err != nil {
		return wrap(op, err)
	}
	_, err = c.gh.Do(req, nil)
	return wrap(op, err)
}

// RequestReviewers asks users (logins) and teams (slugs in the
// repository's organisation) to review pull request number.
func (c *Client) RequestReviewers(ctx context.Context, number int, users, teams []string) error {
	op := fmt.Sprintf("request reviewers on %s#%d", c.repo, number)
	if err := positive(op, "pull request number", int64(number)); err != nil {
		return err
	}
	if len(users) == 0 && len(teams) == 0 {
		return nil
	}
	_, _, err := c.gh.PullRequests.RequestReviewers(ctx, c.repo.Owner, c.repo.Name, number,
		github.ReviewersRequest{Reviewers: users, TeamReviewers: teams})
	return wrap(op, err)
}

func positive(op, what string, n int64) error {
	if n <= 0 {
		return fmt.Errorf("ghapi: %s: the %s must be positive, got %d", op, what, n)
	}
	return nil
}

func bodySize(op, body string) error {
	if n := utf8.RuneCountInString(body); n > maxBody {
		return fmt.Errorf("ghapi: %s: the body has %d characters; GitHub accepts at most %d", op, n, maxBody)
	}
	return nil
}
