package ghflow

import (
	"context"
	"fmt"

	"github.com/sev-dev/sev/internal/ghaction"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/review"
	"github.com/sev-dev/sev/internal/search"
	"github.com/sev-dev/sev/internal/workspace"
)

// Review writes (or updates in place) the one comment on a pull request
// that lists the incidents it declares or changes, with similar past
// incidents. Pull requests from forks and closed ones get nothing.
func Review(ctx context.Context, d Deps, ws *workspace.Workspace, ev *ghaction.PullRequestEvent) error {
	switch {
	case ev.FromFork():
		fmt.Fprintf(d.Out, "pull request #%d comes from a fork: no comment is written\n", ev.Number)
		return nil
	case ev.Action == "closed":
		fmt.Fprintf(d.Out, "pull request #%d is closed\n", ev.Number)
		return nil
	}
	body, err := reviewComment(ctx, d, ws, ev)
	if err != nil {
		return err
	}
	if body == "" {
		fmt.Fprintf(d.Out, "pull request #%d changes no incident\n", ev.Number)
		return nil
	}
	created, err := d.API.UpsertComment(ctx, ev.Number, "review", body)
	if err != nil {
		return err
	}
	verb := "updated"
	if created {
		verb = "wrote"
	}
	fmt.Fprintf(d.Out, "%s the review comment on pull request #%d\n", verb, ev.Number)
	return nil
}

func reviewComment(ctx context.Context, d Deps, ws *workspace.Workspace, ev *ghaction.PullRequestEvent) (string, error) {
	repo, err := ws.Repo()
	if err != nil {
		return "", err
	}
	base, head := gitstore.NewHash(ev.PullRequest.Base.SHA), gitstore.NewHash(ev.PullRequest.Head.SHA)
	changed, err := review.Changed(repo, ws.Settings, base, head)
	if err != nil {
		return "", fmt.Errorf("compare the pull request's commits (check out with fetch-depth: 0): %w", err)
	}
	if len(changed) == 0 {
		return "", nil
	}
	var idx *search.Index
	defer func() {
		if idx != nil {
			idx.Close()
		}
	}()
	return review.Comment(changed, review.Options{
		Settings: ws.Settings,
		HeadURL:  func(id string) string { return IncidentURL(d.Run, ev.PullRequest.Head.Ref, id) },
		BaseURL:  func(id string) string { return IncidentURL(d.Run, ev.PullRequest.Base.Ref, id) },
		Similar: func(id string, n int) ([]search.Hit, error) {
			if idx == nil {
				var broken int
				if idx, broken, err = ws.Search(false, false, nil); err != nil {
					return nil, err
				}
				if broken > 0 {
					fmt.Fprintf(d.Err, "sev: %d file(s) could not be indexed; run \"sev validate\"\n", broken)
				}
			}
			res, err := idx.Similar(ctx, id, search.Request{Limit: n, Location: ws.Settings.Location()})
			if err != nil {
				return nil, nil // the comment goes out without them
			}
			return res.Hits, nil
		},
	})
}
