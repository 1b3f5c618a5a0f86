package ghapi

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/go-github/v93/github"
)

// Comment is a comment on an issue or pull request's conversation.
type Comment struct {
	ID     int64
	Body   string
	Author string
	// Bot is true when the author is an app or the Actions bot.
	Bot     bool
	URL     string
	Created time.Time
	Updated time.Time
}

// Reactions are the contents GitHub accepts for a reaction.
var Reactions = []string{"+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"}

// Comments returns every comment on issue (or pull request) number,
// oldest first, reading as many pages as there are.
func (c *Client) Comments(ctx context.Context, number int) ([]Comment, error) {
	op := fmt.Sprintf("list the comments of %s#%d", c.repo, number)
	if err := positive(op, "issue number", int64(number)); err != nil {
		return nil, err
	}
	var out []Comment
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100, Page: 1}}
	for {
		page, resp, err := c.gh.Issues.ListComments(ctx, c.repo.Owner, c.repo.Name, number, opts)
		if err != nil {
			return nil, wrap(op, err)
		}
		for _, ic := range page {
			out = append(out, comment(ic))
		}
		// A next page that does not move forward would loop forever.
		if resp.NextPage <= opts.Page {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

func comment(ic *github.IssueComment) Comment {
	return Comment{
		ID:      ic.GetID(),
		Body:    ic.GetBody(),
		Author:  ic.GetUser().GetLogin(),
		Bot:     ic.GetUser().GetType() == "Bot",
		URL:     ic.GetHTMLURL(),
		Created: ic.GetCreatedAt().Time,
		Updated: ic.GetUpdatedAt().Time,
	}
}

// Comment adds a comment to issue (or pull request) number.
func (c *Client) Comment(ctx context.Context, number int, body string) (Comment, error) {
	op := fmt.Sprintf("comment on %s#%d", c.repo, number)
	if err := positive(op, "issue number", int64(number)); err != nil {
		return Comment{}, err
	}
	if err := bodySize(op, body); err != nil {
		return Comment{}, err
	}
	ic, _, err := c.gh.Issues.CreateComment(ctx, c.repo.Owner, c.repo.Name, number, github.IssueCommentRequest{Body: body})
	if err != nil {
		return Comment{}, wrap(op, err)
	}
	return comment(ic), nil
}

// EditComment replaces the body of comment id.
func (c *Client) EditComment(ctx context.Context, id int64, body string) error {
	op := fmt.Sprintf("edit comment %d in %s", id, c.repo)
	if err := positive(op, "comment id", id); err != nil {
		return err
	}
	if err := bodySize(op, body); err != nil {
		return err
	}
	_, _, err := c.gh.Issues.UpdateComment(ctx, c.repo.Owner, c.repo.Name, id, github.IssueCommentRequest{Body: body})
	return wrap(op, err)
}

// Marker is the hidden line UpsertComment puts first in a comment's body
// to find it again: <!-- sev:NAME -->.
func Marker(name string) string { return "<!-- sev:" + name + " -->" }

// UpsertComment keeps one comment per marker name on issue (or pull
// request) number, so re-running a step never stacks up copies. The
// comment is the marker's line followed by body. An existing one is
// edited only if its body differs; created reports whether a new comment
// was made. Only comments by the token's own login are considered (by any
// bot when GitHub will not say who the token is), so a person who pastes
// the marker cannot have their comment taken over.
func (c *Client) UpsertComment(ctx context.Context, number int, marker, body string) (created bool, err error) {
	op := fmt.Sprintf("upsert the %q comment on %s#%d", marker, c.repo, number)
	if err := checkMarker(op, marker); err != nil {
		return false, err
	}
	want := Marker(marker) + "\n" + body
	if err := bodySize(op, want); err != nil {
		return false, err
	}
	mine, err := c.authoredByMe(ctx)
	if err != nil {
		return false, err
	}
	comments, err := c.Comments(ctx, number)
	if err != nil {
		return false, err
	}
	i := slices.IndexFunc(comments, func(cm Comment) bool {
		return mine(cm) && strings.Contains(cm.Body, Marker(marker))
	})
	if i < 0 {
		_, err := c.Comment(ctx, number, want)
		return err == nil, err
	}
	if comments[i].Body == want {
		return false, nil
	}
	return false, c.EditComment(ctx, comments[i].ID, want)
}

// checkMarker keeps marker names to characters that can neither end the
// HTML comment early nor be confused with another marker.
func checkMarker(op, name string) error {
	ok := name != "" && !strings.Contains(name, "--")
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("-._:/", r)) {
			ok = false
		}
	}
	if !ok {
		return fmt.Errorf("ghapi: %s: a marker name is lower-case letters, digits and - . _ : / without \"--\"", op)
	}
	return nil
}

// React adds a reaction to comment id; content is one of Reactions.
// Reacting twice with the same content is not an error.
func (c *Client) React(ctx context.Context, id int64, content string) error {
	op := fmt.Sprintf("react to comment %d in %s", id, c.repo)
	if err := positive(op, "comment id", id); err != nil {
		return err
	}
	if !slices.Contains(Reactions, content) {
		return fmt.Errorf("ghapi: %s: %q is not a reaction GitHub knows; use one of %s", op, content, strings.Join(Reactions, ", "))
	}
	_, _, err := c.gh.Reactions.CreateIssueCommentReaction(ctx, c.repo.Owner, c.repo.Name, id, content)
	return wrap(op, err)
}
