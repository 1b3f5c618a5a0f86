package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/ops"
)

type assignOptions struct {
	ID    string
	Write writeFlags
	ops.Assign
}

func (a *app) assignCmd() *cobra.Command {
	var o assignOptions
	c := &cobra.Command{
		Use:     "assign ID ROLE [PERSON]",
		Short:   "Give a role (commander, comms, scribe, ...) to a person, or take it away with --remove",
		Example: "  sev assign checkout comms carol\n  sev assign checkout commander --oncall engineering-primary\n  sev assign checkout comms --remove",
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case o.Remove && len(args) != 2:
				return usagef("assign --remove needs ID ROLE")
			case o.OnCall != "" && len(args) != 2:
				return usagef("assign --oncall ROTATION needs ID ROLE, not a person")
			case !o.Remove && o.OnCall == "" && len(args) != 3:
				return usagef("assign needs ID ROLE PERSON (or --oncall ROTATION)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ID, o.Role = args[0], args[1]
			if len(args) == 3 {
				o.Person = args[2]
			}
			return a.runAssign(o)
		},
	}
	o.Write.register(c.Flags())
	o.Write.registerAt(c.Flags())
	c.Flags().BoolVar(&o.Remove, "remove", false, "take the role away")
	c.Flags().StringVar(&o.OnCall, "oncall", "", "give the role to whoever is on call in this rotation now")
	return c
}

func (a *app) runAssign(o assignOptions) error {
	return a.change(o.ID, o.Write, func(env *ops.Env, inc *ops.Incident, by string, at time.Time) (*change.Change, error) {
		x := o.Assign
		x.At = at
		return env.Assign(inc, by, x)
	})
}
