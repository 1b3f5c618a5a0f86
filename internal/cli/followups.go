package cli

import (
	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/present"
)

type followupsOptions struct {
	present.FollowUpFilter
	JSON bool
}

func (a *app) followupsCmd() *cobra.Command {
	var o followupsOptions
	c := &cobra.Command{
		Use:   "followups",
		Short: "List the follow-up actions of every postmortem",
		Long: `followups lists the follow-ups of all postmortems: who owns them, when
they are due and whether they are overdue. A follow-up without a due date
gets the deadline the postmortems policy in sev.yaml sets for its type,
counted from when its incident was resolved.`,
		Example: `  sev followups --open
  sev followups --overdue --json
  sev followups --owner dave`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error { return a.runFollowups(o) },
	}
	c.Flags().BoolVar(&o.Open, "open", false, "only follow-ups still open")
	c.Flags().BoolVar(&o.Overdue, "overdue", false, "only open follow-ups past their deadline")
	c.Flags().BoolVar(&o.JSON, "json", false, "print JSON")
	c.Flags().StringVar(&o.Owner, "owner", "", "only follow-ups owned by this handle")
	c.Flags().BoolVar(&o.IncludeRestricted, "include-restricted", false, "include follow-ups of restricted incidents")
	return c
}

func (a *app) runFollowups(o followupsOptions) error {
	ws, err := a.open()
	if err != nil {
		return err
	}
	rows, left, err := present.FollowUps(ws.FS, ws.Settings, a.now(), o.FollowUpFilter)
	if err != nil {
		return err
	}
	a.leftOut(left)
	if o.JSON {
		return present.JSON(a.stdout, rows)
	}
	return present.FollowUpTable(a.stdout, rows)
}
