package cli

import (
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/present"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/spf13/cobra"
)

func (a *app) showCmd() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:     "show ID",
		Short:   "Show an incident's record and timeline",
		Example: "  sev show checkout\n  sev show checkout --json",
		Args:    exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.open()
			if err != nil {
				return err
			}
			id, err := ws.Resolve(args[0])
			if err != nil {
				return err
			}
			l, err := ws.Checked(id)
			if err != nil {
				return err
			}
			entries := timeline.Sorted(l.Entries)
			if asJSON {
				if entries == nil {
					entries = []timeline.Entry{}
				}
				return present.JSON(a.stdout, struct {
					Incident *incident.Incident `json:"incident"`
					Timeline []timeline.Entry   `json:"timeline"`
				}{l.Record, entries})
			}
			present.Incident(a.stdout, ws.FS, ws.Settings, l.Record, entries, l.Postmortem)
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}
