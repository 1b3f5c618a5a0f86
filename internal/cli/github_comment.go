package cli

import (
	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/ghflow"
)

func (a *app) githubCommentCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "comment",
		Short: "ChatOps: record the /sev commands of a new comment on an incident's issue or pull request",
		Long: `comment handles an issue_comment event. Each line of the comment that starts
with /sev is a command ("/sev help" lists them); each becomes a commit by
the commenter on the incident the issue or pull request is linked to, and
is pushed at once. Only people with write permission on the repository
may run commands. The comment gets a reaction (+1 when everything was
recorded, confused otherwise) and one reply that says what was recorded.
Handling the same comment again records nothing twice.`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error { return a.onEvent((*ghflow.Step).OnComment) },
	}
}
