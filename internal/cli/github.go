package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/ghaction"
	"github.com/sev-dev/sev/internal/ghapi"
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
	c.AddCommand(a.githubCommentCmd(), a.githubIntakeCmd(), a.githubReviewCmd())
	return c
}

// ghRun is what every GitHub command starts from: the runner's
// description of the step, its event and an API client.
type ghRun struct {
	run   *ghaction.Run
	event ghaction.Event
	api   *ghapi.Client
}

func (a *app) githubRun() (*ghRun, error) {
	run, ev, api, err := ghflow.FromEnv(a.getenv, a.now)
	if err != nil {
		return nil, err
	}
	return &ghRun{run: run, event: ev, api: api}, nil
}

// finishGitHub runs the rules on what a GitHub command recorded since
// start and sets the step's outputs: the incident, and whether anything
// was pushed (the workflow then rebuilds the site).
func (a *app) finishGitHub(gh *ghRun, id, start string, err error) error {
	if errors.Is(err, ghflow.ErrReplied) {
		return &findingsError{1}
	}
	if err != nil || id == "" {
		return err
	}
	ruleErr := a.automateSince(gh.run, start)
	if gh.run.OutputPath == "" {
		return ruleErr
	}
	if err := gh.run.SetOutput("incident", id); err != nil {
		return err
	}
	if err := gh.run.SetOutput("pushed", fmt.Sprint(a.head() != start)); err != nil {
		return err
	}
	return ruleErr
}

func (a *app) ghDeps(gh *ghRun) ghflow.Deps {
	return ghflow.Deps{API: gh.api, Run: gh.run, Out: a.stdout, Err: a.stderr}
}
