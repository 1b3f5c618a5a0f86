package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/ghaction"
	"github.com/sev-dev/sev/internal/ghflow"
)

func (a *app) githubIntakeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "intake",
		Short: "Declare the incident an issue form reports, and link the issue and the incident both ways",
		Long: `intake handles an issues event (opened, or labeled "incident"). It declares
an incident from the issue form (the issue's title; the form's Severity,
"What is happening" and "Who noticed"), by the issue's author, links the
issue from the incident's record and pushes; then it replies on the issue
with the incident's ID and where to find it. From then on, /sev comments on
the issue are the incident's ChatOps channel. An issue that is already
linked to an incident is not declared again.`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error { return a.runGitHubIntake() },
	}
}

func (a *app) runGitHubIntake() error {
	gh, err := a.githubRun()
	if err != nil {
		return err
	}
	ev, ok := gh.event.(*ghaction.IssuesEvent)
	switch {
	case !ok || ev.Issue.IsPullRequest():
		fmt.Fprintf(a.stdout, "nothing to do for a %s event\n", gh.run.EventName)
		return nil
	case !ev.Issue.HasLabel(ghflow.IntakeLabel) ||
		(ev.Action != "opened" && ev.Action != "reopened" && (ev.Action != "labeled" || ev.Label == nil || ev.Label.Name != ghflow.IntakeLabel)):
		fmt.Fprintf(a.stdout, "issue #%d: not an incident report (no %q label added)\n", ev.Issue.Number, ghflow.IntakeLabel)
		return nil
	}
	ws, err := a.open()
	if err != nil {
		return err
	}
	id, start, err := ghflow.Intake(a.ctx, a.ghDeps(gh), ws, ev)
	return a.finishGitHub(gh, id, start, err)
}
