package cli

import (
	"github.com/sev-dev/sev/internal/present"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/spf13/cobra"
)

type showOptions struct {
	ID   string
	JSON bool
}

func (a *app) showCmd() *cobra.Command {
	var o showOptions
	c := &cobra.Command{
		Use:     "show ID",
		Short:   "Show an incident's record and timeline",
		Example: "  sev show checkout\n  sev show checkout --json",
		Args:    exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ID = args[0]
			return a.runShow(o)
		},
	}
	c.Flags().BoolVar(&o.JSON, "json", false, "print JSON")
	return c
}

func (a *app) runShow(o showOptions) error {
	ws, err := a.open()
	if err != nil {
		return err
	}
	l, err := ws.Checked(o.ID)
	if err != nil {
		return err
	}
	if o.JSON {
		return present.IncidentJSON(a.stdout, l.Record, timeline.Sorted(l.Entries))
	}
	present.Incident(a.stdout, ws.FS, ws.Settings, l.Record, timeline.Sorted(l.Entries), l.Postmortem)
	return nil
}
