package cli

import (
	"fmt"

	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/present"
	"github.com/spf13/cobra"
)

func (a *app) listCmd() *cobra.Command {
	var open, asJSON, restricted bool
	c := &cobra.Command{
		Use:   "list",
		Short: "List incidents; --open shows what is on fire now, most severe first",
		Long: `list prints the incidents, newest first. With --open it prints only the
incidents whose status is active (open, mitigated by default), most severe
first and then oldest first. Restricted incidents are left out unless
--include-restricted is given.`,
		Example: "  sev list --open\n  sev list --json",
		Args:    exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.open()
			if err != nil {
				return err
			}
			recs, problems := ws.LoadAll()
			var shown []*incident.Incident
			hidden := 0
			for _, r := range recs {
				if open && !present.Active(ws.Settings, r) {
					continue
				}
				if r.Restricted() && !restricted {
					hidden++
					continue
				}
				shown = append(shown, r)
			}
			present.Sort(shown, open)
			if asJSON {
				if shown == nil {
					shown = []*incident.Incident{}
				}
				return present.JSON(a.stdout, shown)
			}
			present.List(a.stdout, ws.Settings, a.now(), shown)
			if hidden > 0 {
				fmt.Fprintf(a.stderr, "%d restricted incident(s) not shown; add --include-restricted to see them\n", hidden)
			}
			a.leftOut(problems)
			return nil
		},
	}
	c.Flags().BoolVar(&open, "open", false, "only active incidents, most severe first")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.Flags().BoolVar(&restricted, "include-restricted", false, "include restricted incidents")
	return c
}
