package cli

import (
	"github.com/sev-dev/sev/internal/present"
	"github.com/spf13/cobra"
)

type listOptions struct{ Open, JSON, Restricted bool }

func (a *app) listCmd() *cobra.Command {
	var o listOptions
	c := &cobra.Command{
		Use:   "list",
		Short: "List incidents; --open shows what is on fire now, most severe first",
		Long: `list prints the incidents, newest first. With --open it prints only the
incidents whose status is active (open, mitigated by default), most severe
first and then oldest first. Restricted incidents are left out unless
--include-restricted is given.`,
		Example: "  sev list --open\n  sev list --json",
		Args:    exactArgs(),
		RunE:    func(cmd *cobra.Command, args []string) error { return a.runList(o) },
	}
	c.Flags().BoolVar(&o.Open, "open", false, "only active incidents, most severe first")
	c.Flags().BoolVar(&o.JSON, "json", false, "print JSON")
	c.Flags().BoolVar(&o.Restricted, "include-restricted", false, "include restricted incidents")
	return c
}

func (a *app) runList(o listOptions) error {
	ws, err := a.open()
	if err != nil {
		return err
	}
	recs, problems := ws.LoadAll()
	shown, hidden := present.Select(ws.Settings, recs, o.Open, o.Restricted)
	if o.JSON {
		return present.JSON(a.stdout, shown)
	}
	present.List(a.stdout, ws.Settings, a.now(), shown)
	present.Hidden(a.stderr, hidden)
	a.leftOut(problems)
	return nil
}
