package cli

import (
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/validate"
)

func (a *app) escalateCmd() *cobra.Command {
	var w writeFlags
	c := &cobra.Command{
		Use:     "escalate ID POLICY",
		Short:   "Start an escalation policy (escalations/POLICY.yaml) for an incident; sev watch notifies its levels",
		Example: `  sev escalate checkout payments --push`,
		Args:    exactArgs("ID", "POLICY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.open()
			if err != nil {
				return err
			}
			pols, diags := validate.Escalations(ws.FS, ws.Settings)
			var names []string
			for _, p := range pols {
				if p.Name == args[1] {
					return a.change(args[0], w, func(env *ops.Env, inc *ops.Incident, by string, at time.Time) (*change.Change, error) {
						return env.Escalate(inc, by, ops.Escalate{Policy: args[1], At: at})
					})
				}
				names = append(names, p.Name)
			}
			if diags.Errors() > 0 {
				a.leftOut(diags)
			}
			return usagef("no escalation policy %q that passes validation in escalations/ (there: %s); run \"sev validate\"", args[1], orNone(strings.Join(names, ", ")))
		},
	}
	w.register(c.Flags())
	w.registerAt(c.Flags())
	return c
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
