package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/ops"
)

type addOptions struct {
	ID    string
	Where whereFlags
	Write writeFlags
	ops.Add
}

func (a *app) addCmd() *cobra.Command {
	var o addOptions
	c := &cobra.Command{
		Use:     "add (ID | --where QUERY) FIELD VALUE...",
		Short:   "Add orgs, services or responders to an incident or those --where selects (or remove them with --remove)",
		Example: "  sev add checkout orgs legal pr\n  sev add checkout services checkout-api\n  sev add checkout responders dave --remove\n  sev add --where 'service:ledger-api' orgs finance",
		Args:    o.Where.atLeast(2, "FIELD (orgs, services or responders) and at least one VALUE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			args = o.Where.target(&o.ID, args)
			o.Field, o.Values = args[0], args[1:]
			return a.runAdd(o)
		},
	}
	o.Where.register(c)
	o.Write.register(c.Flags())
	o.Write.registerAt(c.Flags())
	c.Flags().BoolVar(&o.Remove, "remove", false, "remove the values")
	return c
}

func (a *app) runAdd(o addOptions) error {
	if err := ops.CheckAdd(o.Field); err != nil {
		return err
	}
	return a.edit(o.ID, o.Where, o.Write, func(env *ops.Env, inc *ops.Incident, by string, at time.Time) (*change.Change, error) {
		x := o.Add
		x.At = at
		return env.Add(inc, by, x)
	})
}
