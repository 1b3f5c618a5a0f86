package cli

import (
	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/present"
)

func (a *app) followupsCmd() *cobra.Command {
	var open, overdue, asJSON, restricted bool
	var owner string
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
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.open()
			if err != nil {
				return err
			}
			rows, left, err := present.FollowUps(ws.FS, ws.Settings, a.now(), restricted)
			if err != nil {
				return err
			}
			a.leftOut(left)
			var out []present.FollowUpRow
			for _, r := range rows {
				if (open || overdue) && !r.Open() || overdue && !r.Overdue || owner != "" && r.Owner != owner {
					continue
				}
				out = append(out, r)
			}
			if asJSON {
				if out == nil {
					out = []present.FollowUpRow{}
				}
				return present.JSON(a.stdout, out)
			}
			return present.FollowUpTable(a.stdout, out)
		},
	}
	c.Flags().BoolVar(&open, "open", false, "only follow-ups still open")
	c.Flags().BoolVar(&overdue, "overdue", false, "only open follow-ups past their deadline")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.Flags().StringVar(&owner, "owner", "", "only follow-ups owned by this handle")
	c.Flags().BoolVar(&restricted, "include-restricted", false, "include follow-ups of restricted incidents")
	return c
}
