package cli

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/ops"
)

func (a *app) ackCmd() *cobra.Command {
	var w writeFlags
	var note string
	c := &cobra.Command{
		Use:   "ack ID",
		Short: "Acknowledge an incident: you have it, and its escalation stops",
		Example: `  sev ack checkout
  sev ack checkout --note "Looking at the payment gateway" --push`,
		Args: exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			err := a.change(args[0], w, func(env *ops.Env, inc *ops.Incident, by string, at time.Time) (*change.Change, error) {
				return env.Ack(inc, by, ops.Ack{Note: note, At: at})
			})
			var done *ops.AlreadyError
			if errors.As(err, &done) { // acknowledging twice is not a failure
				fmt.Fprintf(a.stderr, "sev: %v\n", done)
				return nil
			}
			return err
		},
	}
	w.register(c.Flags())
	w.registerAt(c.Flags())
	c.Flags().StringVar(&note, "note", "", "what you are doing (default: \"Acknowledged\")")
	return c
}
