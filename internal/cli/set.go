package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/ops"
)

type setOptions struct {
	ID    string
	Where whereFlags
	Write writeFlags
	ops.Set
}

func (a *app) setCmd() *cobra.Command {
	var o setOptions
	c := &cobra.Command{
		Use:   "set (ID | --where QUERY) FIELD VALUE",
		Short: "Set a field of the record: title, summary, impact, kind, visibility or window (on those --where selects, too)",
		Example: `  sev set checkout summary "Card payments failed for 40% of EU customers"
  sev set checkout visibility public
  sev set db-upgrade window 2026-12-10T02:00:00Z/2026-12-10T04:00:00Z
  sev set --where 'tag:gameday' kind drill`,
		Args: o.Where.exact("FIELD", "VALUE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			args = o.Where.target(&o.ID, args)
			o.Field, o.Value = args[0], args[1]
			return a.runSet(o)
		},
	}
	o.Where.register(c)
	o.Write.register(c.Flags())
	o.Write.registerAt(c.Flags())
	return c
}

func (a *app) runSet(o setOptions) error {
	// a field or value that can never work is refused before the
	// incident is even looked up
	if err := ops.CheckSet(o.Field, o.Value); err != nil {
		return err
	}
	return a.edit(o.ID, o.Where, o.Write, func(env *ops.Env, inc *ops.Incident, by string, at time.Time) (*change.Change, error) {
		s := o.Set
		s.At = at
		return env.Set(inc, by, s)
	})
}
