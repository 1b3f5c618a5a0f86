package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/ops"
)

type setOptions struct {
	ID    string
	Write writeFlags
	ops.Set
}

func (a *app) setCmd() *cobra.Command {
	var o setOptions
	c := &cobra.Command{
		Use:   "set ID FIELD VALUE",
		Short: "Set a field of the record: title, summary, impact, kind or visibility",
		Example: `  sev set checkout summary "Card payments failed for 40% of EU customers"
  sev set checkout visibility public`,
		Args: exactArgs("ID", "FIELD", "VALUE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ID, o.Field, o.Value = args[0], args[1], args[2]
			return a.runSet(o)
		},
	}
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
	return a.change(o.ID, o.Write, func(env *ops.Env, inc *ops.Incident, by string, at time.Time) (*change.Change, error) {
		s := o.Set
		s.At = at
		return env.Set(inc, by, s)
	})
}
