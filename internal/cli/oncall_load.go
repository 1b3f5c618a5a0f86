package cli

import (
	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/present"
	"github.com/sev-dev/sev/internal/rotation"
)

type oncallLoadOptions struct {
	From, To string
	JSON     bool
}

func (a *app) oncallLoadCmd() *cobra.Command {
	var o oncallLoadOptions
	c := &cobra.Command{
		Use:   "load --from DATE --to DATE",
		Short: "Hours on call per person, and how many fell outside working hours or at night",
		Long: `load adds up, for every person, the hours they were on call in any rotation
(overlapping shifts in two rotations count once), how many of those hours
fell outside their working hours (sev.yaml people[].working-hours, default
Monday to Friday 09:00-17:00) and how many at night (22:00-07:00), both in
the person's own time zone (people[].timezone, default the organisation's).`,
		Example: "  sev oncall load --from 2026-10-01 --to 2026-11-01\n  sev oncall load --from 2026-10-01 --to 2026-11-01 --json",
		Args:    exactArgs(),
		RunE:    func(cmd *cobra.Command, args []string) error { return a.runOncallLoad(o) },
	}
	c.Flags().StringVar(&o.From, "from", "", "start of the window (a date or an RFC 3339 time)")
	c.Flags().StringVar(&o.To, "to", "", "end of the window")
	c.Flags().BoolVar(&o.JSON, "json", false, "print JSON")
	return c
}

func (a *app) runOncallLoad(o oncallLoadOptions) error {
	if o.From == "" || o.To == "" {
		return usagef("load needs --from and --to")
	}
	ws, err := a.open()
	if err != nil {
		return err
	}
	f, t, err := ops.Window(o.From, o.To, ws.Settings.Location())
	if err != nil {
		return err
	}
	rs, _ := ws.Rotations()
	loads, err := rotation.Load(rs, ws.Settings, f, t)
	if err != nil {
		return err
	}
	return present.OnCallLoad(a.stdout, loads, o.JSON)
}
