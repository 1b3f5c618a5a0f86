package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/ops"
)

type severityOptions struct {
	ID    string
	Where whereFlags
	Write writeFlags
	ops.Severity
}

func (a *app) severityCmd() *cobra.Command {
	var o severityOptions
	c := &cobra.Command{
		Use:     "severity (ID | --where QUERY) LEVEL",
		Short:   "Change an incident's severity (or that of those --where selects), recorded in the timeline like any change",
		Example: "  sev severity checkout 2\n  sev severity checkout SEV1 --note \"EU and US affected now\"\n  sev severity --where 'tag:ddos sev:3' 2 --dry-run",
		Args:    o.Where.exact("LEVEL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Level = o.Where.target(&o.ID, args)[0]
			return a.runSeverity(o)
		},
	}
	o.Where.register(c)
	o.Write.register(c.Flags())
	o.Write.registerAt(c.Flags())
	c.Flags().StringVar(&o.Note, "note", "", "why the severity changed")
	return c
}

func (a *app) runSeverity(o severityOptions) error {
	return a.edit(o.ID, o.Where, o.Write, func(env *ops.Env, inc *ops.Incident, by string, at time.Time) (*change.Change, error) {
		s := o.Severity
		s.At = at
		return env.Severity(inc, by, s)
	})
}
