package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/ops"
)

type assignOptions struct {
	ID    string
	Where whereFlags
	Write writeFlags
	ops.Assign
}

func (a *app) assignCmd() *cobra.Command {
	var o assignOptions
	c := &cobra.Command{
		Use:     "assign (ID | --where QUERY) ROLE [PERSON]",
		Short:   "Give a role (commander, comms, scribe, ...) to a person, or take it away with --remove (on those --where selects, too)",
		Example: "  sev assign checkout comms carol\n  sev assign checkout commander --oncall engineering-primary\n  sev assign checkout comms --remove\n  sev assign --where 'status:open org:payments' comms carol --yes",
		Args: func(cmd *cobra.Command, args []string) error {
			if err := o.Where.check(cmd); err != nil {
				return err
			}
			id, want := "ID ", 3 // ID ROLE PERSON
			if o.Where.set {
				id, want = "", 2
			}
			if o.Remove || o.OnCall != "" {
				want-- // no PERSON
			}
			switch {
			case len(args) == want:
				return nil
			case o.Where.set && len(args) == want+1:
				return bothError(cmd)
			case o.Remove:
				return usagef("assign --remove needs %sROLE", id)
			case o.OnCall != "":
				return usagef("assign --oncall ROTATION needs %sROLE, not a person", id)
			}
			return usagef("assign needs %sROLE PERSON (or --oncall ROTATION)", id)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			args = o.Where.target(&o.ID, args)
			o.Role = args[0]
			if len(args) == 2 {
				o.Person = args[1]
			}
			return a.runAssign(o)
		},
	}
	o.Where.register(c)
	o.Write.register(c.Flags())
	o.Write.registerAt(c.Flags())
	c.Flags().BoolVar(&o.Remove, "remove", false, "take the role away")
	c.Flags().StringVar(&o.OnCall, "oncall", "", "give the role to whoever is on call in this rotation now")
	return c
}

func (a *app) runAssign(o assignOptions) error {
	return a.edit(o.ID, o.Where, o.Write, func(env *ops.Env, inc *ops.Incident, by string, at time.Time) (*change.Change, error) {
		x := o.Assign
		x.At = at
		return env.Assign(inc, by, x)
	})
}
