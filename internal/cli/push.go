package cli

import (
	"fmt"

	"github.com/sev-dev/sev/internal/txn"
	"github.com/spf13/cobra"
)

// pushOptions: sev push takes no options of its own.
type pushOptions struct{}

func (a *app) pushCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "push",
		Short: "Push what was committed, re-applying it on top of a remote that moved",
		Long: `push sends the current branch to the remote (sev.yaml's remote, default
origin). When others pushed first, it fetches their commits and re-applies
each local sev change on top of them — appending the same timeline entries
to the newer files — then tries again with a jittered backoff. It reports
success only when the remote accepted the push.`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error { return a.runPush(pushOptions{}) },
	}
}

func (a *app) runPush(pushOptions) error {
	ws, err := a.open()
	if err != nil {
		return err
	}
	if err := ws.Push(); err != nil {
		return err
	}
	repo, err := ws.Git(a.env)
	if err != nil {
		return err
	}
	branch, head, _ := repo.Head()
	fmt.Fprintf(a.stdout, "pushed %s to %s/%s\n", txn.Short(head), ws.Settings.Remote, branch.Short())
	return nil
}
