package cli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/ghflow"
)

// The GitHub commands run inside a workflow (see docs/github.md): they read
// the event the runner saved, act through the GitHub API with the
// workflow's token, and record changes as commits like any other command.

func (a *app) githubCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "github",
		Short: "What sev's GitHub workflows run: ChatOps comments, issue-form intake, pull request reviews",
		Long: `These commands run inside GitHub Actions (the workflows that "sev init"
writes). They read the event from GITHUB_EVENT_PATH and call the GitHub API
with GITHUB_TOKEN; run them elsewhere with the same variables set to replay
an event.`,
	}
	c.AddCommand(a.githubCommentCmd(), a.githubIntakeCmd(), a.githubReviewCmd(), a.githubDoctorCmd(), a.githubSetupCmd())
	return c
}

// onEvent runs one of the GitHub commands: the step from the runner's
// environment, the repository, and the handler for the event.
func (a *app) onEvent(handle func(st *ghflow.Step, ctx context.Context, ws *workspace) error) error {
	st, err := ghflow.Start(a.getenv, a.now, a.stdout, a.stderr)
	if err != nil {
		return err
	}
	ws, err := a.open()
	if err != nil {
		return err
	}
	err = handle(st, a.ctx, ws)
	if errors.Is(err, ghflow.ErrReplied) {
		return &findingsError{1}
	}
	return a.rulesFailed(err)
}
