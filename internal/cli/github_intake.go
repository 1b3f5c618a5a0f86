package cli

import (
	"github.com/spf13/cobra"

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
		RunE: func(cmd *cobra.Command, args []string) error { return a.onEvent((*ghflow.Step).OnIssue) },
	}
}
