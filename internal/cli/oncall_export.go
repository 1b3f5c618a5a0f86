package cli

import (
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/rotation"
	"github.com/spf13/cobra"
)

type oncallExportOptions struct{ ICS, Person, From, To string }

func (a *app) oncallExportCmd() *cobra.Command {
	var o oncallExportOptions
	c := &cobra.Command{
		Use:   "export --ics ROTATION",
		Short: "Write a rotation's shifts as an iCalendar (.ics) file on standard output",
		Long: `export writes the shifts of one rotation as iCalendar events, for calendar
apps to import or subscribe to. Each event's UID is derived from the
rotation, the person and the start, so a re-exported calendar updates
instead of duplicating. The window defaults to the past week and the next
26 weeks.`,
		Example: "  sev oncall export --ics rotations/legal.yaml > legal.ics\n  sev oncall export --ics rotations/legal.yaml --person alice",
		Args:    exactArgs(),
		RunE:    func(cmd *cobra.Command, args []string) error { return a.runOncallExport(o) },
	}
	c.Flags().StringVar(&o.ICS, "ics", "", "the rotation to export: its name (legal) or its file (rotations/legal.yaml)")
	c.Flags().StringVar(&o.Person, "person", "", "only this person's shifts")
	c.Flags().StringVar(&o.From, "from", "", "start of the window (a date or an RFC 3339 time)")
	c.Flags().StringVar(&o.To, "to", "", "end of the window")
	return c
}

func (a *app) runOncallExport(o oncallExportOptions) error {
	if o.ICS == "" {
		return usagef("export needs --ics ROTATION-FILE")
	}
	ws, err := a.open()
	if err != nil {
		return err
	}
	r, err := ws.RotationFile(o.ICS)
	if err != nil {
		return err
	}
	now := a.now()
	f, t, err := ops.WindowOr(o.From, o.To, r.Location(), now.AddDate(0, 0, -7), now.AddDate(0, 0, 7*26))
	if err != nil {
		return err
	}
	_, err = a.raw.Write(rotation.ICS(r, r.Shifts(f, t, o.Person), now))
	return err
}
