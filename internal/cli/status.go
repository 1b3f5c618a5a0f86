package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/ops"
)

type statusOptions struct {
	ID    string
	Write writeFlags
	ops.Status
}

func (a *app) statusCmd() *cobra.Command {
	var o statusOptions
	c := &cobra.Command{
		Use:     "status ID STATUS",
		Short:   "Change an incident's status",
		Example: "  sev status checkout resolved\n  sev status checkout declined --note \"False alarm: the monitor was misconfigured\"",
		Args:    exactArgs("ID", "STATUS"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ID, o.Status.Status = args[0], args[1]
			return a.runStatus(o)
		},
	}
	o.Write.register(c.Flags())
	o.Write.registerAt(c.Flags())
	c.Flags().StringVar(&o.Note, "note", "", "a note to record with the change")
	return c
}

func (a *app) runStatus(o statusOptions) error {
	return a.change(o.ID, o.Write, func(env *ops.Env, inc *ops.Incident, by string, at time.Time) (*change.Change, error) {
		s := o.Status
		s.At = at
		return env.Status(inc, by, s)
	})
}
