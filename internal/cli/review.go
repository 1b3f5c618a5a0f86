package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/ghaction"
	"github.com/sev-dev/sev/internal/ghflow"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/review"
	"github.com/sev-dev/sev/internal/search"
)

func (a *app) githubReviewCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "review",
		Short: "Summarise the incidents a pull request opens or changes, with similar past incidents, in one comment",
		Long: `review handles a pull_request event. It compares the pull request's base and
head commits (both must be in the clone: check out with fetch-depth: 0),
and writes one comment on the pull request — updated in place on every
push, never duplicated — that lists each incident the pull request declares
or changes: severity, status, the timeline entries it adds, and the most
similar past incidents. Restricted incidents are named by ID only. Pull
requests from forks get nothing written: their workflow has no token that
may write, and validation alone runs for them.`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			gh, err := a.githubRun()
			if err != nil {
				return err
			}
			ev, ok := gh.event.(*ghaction.PullRequestEvent)
			switch {
			case !ok:
				fmt.Fprintf(a.stdout, "nothing to do for a %s event\n", gh.run.EventName)
				return nil
			case ev.FromFork():
				fmt.Fprintf(a.stdout, "pull request #%d comes from a fork: no comment is written\n", ev.Number)
				return nil
			case ev.Action == "closed":
				fmt.Fprintf(a.stdout, "pull request #%d is closed\n", ev.Number)
				return nil
			}
			body, err := a.review(gh, ev)
			if err != nil {
				return err
			}
			if body == "" {
				fmt.Fprintf(a.stdout, "pull request #%d changes no incident\n", ev.Number)
				return nil
			}
			created, err := gh.api.UpsertComment(a.ctx, ev.Number, "review", body)
			if err != nil {
				return err
			}
			verb := "updated"
			if created {
				verb = "wrote"
			}
			fmt.Fprintf(a.stdout, "%s the review comment on pull request #%d\n", verb, ev.Number)
			return nil
		},
	}
}

func (a *app) review(gh *ghRun, ev *ghaction.PullRequestEvent) (string, error) {
	ws, err := a.open()
	if err != nil {
		return "", err
	}
	repo, err := ws.Git(a.env)
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
		HeadURL:  func(id string) string { return ghflow.IncidentURL(gh.run, ev.PullRequest.Head.Ref, id) },
		BaseURL:  func(id string) string { return ghflow.IncidentURL(gh.run, ev.PullRequest.Base.Ref, id) },
		Similar: func(id string, n int) ([]search.Hit, error) {
			if idx == nil {
				if idx, err = a.openSearch(ws, &searchOptions{}); err != nil {
					return nil, err
				}
			}
			res, err := idx.Similar(a.ctx, id, search.Request{Limit: n, Location: ws.Settings.Location()})
			if err != nil {
				return nil, nil // the comment goes out without them
			}
			return res.Hits, nil
		},
	})
}
