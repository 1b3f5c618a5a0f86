package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/present"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/validate"
)

// loadAll reads every incident through the validation gate, on all
// cores, and returns the records that pass with the findings of those that
// do not.
func (ws *workspace) loadAll() ([]*incident.Incident, diag.List) {
	incs, diags := validate.LoadAll(ws.fsys, ws.settings)
	recs := make([]*incident.Incident, len(incs))
	for i, inc := range incs {
		recs[i] = inc.Record
	}
	return recs, diags
}

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
			recs, problems := ws.loadAll()
			var shown []*incident.Incident
			hidden := 0
			for _, r := range recs {
				if open && !present.Active(ws.settings, r) {
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
			present.List(a.stdout, ws.settings, a.now(), shown)
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
			id, err := ws.resolve(args[0])
			if err != nil {
				return err
			}
			l, err := ws.checked(id)
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
			present.Incident(a.stdout, ws.fsys, ws.settings, l.Record, entries, l.Postmortem)
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}
