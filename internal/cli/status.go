package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/ops"
)

type statusOptions struct {
	ID    string
	Where whereFlags
	Write writeFlags
	ops.Status
}

func (a *app) statusCmd() *cobra.Command {
	var o statusOptions
	c := &cobra.Command{
		Use:     "status (ID | --where QUERY) STATUS",
		Short:   "Change an incident's status (or that of those --where selects)",
		Example: "  sev status checkout resolved\n  sev status checkout declined --note \"False alarm: the monitor was misconfigured\"\n  sev status --where 'tag:legacy status:resolved' closed",
		Args:    o.Where.exact("STATUS"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Status.Status = o.Where.target(&o.ID, args)[0]
			return a.runStatus(o)
		},
	}
	o.Where.register(c)
	o.Write.register(c.Flags())
	o.Write.registerAt(c.Flags())
	c.Flags().StringVar(&o.Note, "note", "", "a note to record with the change")
	return c
}

func (a *app) runStatus(o statusOptions) error {
	return a.edit(o.ID, o.Where, o.Write, func(env *ops.Env, inc *ops.Incident, by string, at time.Time) (*change.Change, error) {
		s := o.Status
		s.At = at
		return env.Status(inc, by, s)
	})
}
