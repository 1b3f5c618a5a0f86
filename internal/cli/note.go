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
	Where whereFlags
	Write writeFlags
	ops.Note
}

func (a *app) noteCmd() *cobra.Command {
	var o noteOptions
	c := &cobra.Command{
		Use:   "note (ID | --where QUERY) TEXT",
		Short: "Append a note to an incident's timeline (or to those --where selects), optionally marking a milestone",
		Example: `  sev note checkout "Rolled back deploy 4411" --milestone mitigated --at 2026-03-02T14:31:00Z
  sev note checkout "Customers see errors again" --key --public
  sev note --where 'tag:legacy status:resolved' "Superseded by the 2026 platform migration" --yes`,
		Args: o.Where.exact("TEXT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Text = o.Where.target(&o.ID, args)[0]
			return a.runNote(o)
		},
	}
	c.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		if flagSuggestion(c, err) != "" {
			return flagError(c, err)
		}
		return usagef("%v; a note that starts with - goes after --: sev note ID -- '-5%% errors after the deploy'", err)
	})
	c.Example += "\n  sev note checkout -- '-5% errors since the rollback'   # a note that starts with -"
	o.Write.register(c.Flags())
	o.Write.registerAt(c.Flags())
	c.Flags().StringVar(&o.Milestone, "milestone", "", "mark a milestone: "+strings.Join(incident.Milestones, ", "))
	c.Flags().BoolVar(&o.Key, "key", false, "mark the entry as a key moment")
	c.Flags().BoolVar(&o.Public, "public", false, "show the entry on the public status page")
	c.Flags().StringVar(&o.Corrects, "corrects", "", "the id of an earlier entry this note corrects (entries are never edited)")
	o.Where.register(c)
	return c
}

func (a *app) runNote(o noteOptions) error {
	if err := ops.CheckNote(o.Note); err != nil {
		return err
	}
	if o.Where.set && o.Corrects != "" {
		return usagef("--corrects names an entry of one incident; it does not go with --where")
	}
	return a.edit(o.ID, o.Where, o.Write, func(env *ops.Env, inc *ops.Incident, by string, at time.Time) (*change.Change, error) {
		n := o.Note
		n.At = at
		return env.Note(inc, by, n)
	})
}
