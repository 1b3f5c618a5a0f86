package cli

import (
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/ops"
)

type noteOptions struct {
	ID    string
	Write writeFlags
	ops.Note
}

func (a *app) noteCmd() *cobra.Command {
	var o noteOptions
	c := &cobra.Command{
		Use:   "note ID TEXT",
		Short: "Append a note to an incident's timeline, optionally marking a milestone",
		Example: `  sev note checkout "Rolled back deploy 4411" --milestone mitigated --at 2026-03-02T14:31:00Z
  sev note checkout "Customers see errors again" --key --public`,
		Args: exactArgs("ID", "TEXT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ID, o.Text = args[0], args[1]
			return a.runNote(o)
		},
	}
	c.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usagef("%v; a note that starts with - goes after --: sev note ID -- '-5%% errors after the deploy'", err)
	})
	c.Example += "\n  sev note checkout -- '-5% errors since the rollback'   # a note that starts with -"
	o.Write.register(c.Flags())
	o.Write.registerAt(c.Flags())
	c.Flags().StringVar(&o.Milestone, "milestone", "", "mark a milestone: "+strings.Join(incident.Milestones, ", "))
	c.Flags().BoolVar(&o.Key, "key", false, "mark the entry as a key moment")
	c.Flags().BoolVar(&o.Public, "public", false, "show the entry on the public status page")
	c.Flags().StringVar(&o.Corrects, "corrects", "", "the id of an earlier entry this note corrects (entries are never edited)")
	return c
}

func (a *app) runNote(o noteOptions) error {
	if err := ops.CheckNote(o.Note); err != nil {
		return err
	}
	return a.change(o.ID, o.Write, func(env *ops.Env, inc *ops.Incident, by string, at time.Time) (*change.Change, error) {
		n := o.Note
		n.At = at
		return env.Note(inc, by, n)
	})
}
