package cli

import (
	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/ghflow"
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
		RunE: func(cmd *cobra.Command, args []string) error { return a.onEvent((*ghflow.Step).OnPullRequest) },
	}
}
