package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/ops"
)

type pageOptions struct {
	ID    string
	Write writeFlags
	ops.Page
}

func (a *app) pageCmd() *cobra.Command {
	var o pageOptions
	c := &cobra.Command{
		Use:   "page ID ROTATION...",
		Short: "Page whoever is on call in a rotation (or every rotation of an org) now, and record who it was",
		Long: `Page records, for each named rotation (or every rotation of a named org),
who is on call there now, as a page entry in the timeline and in the
record's paged list. sev does not call anyone itself: a rule's webhook step,
or the team's paging tool, does the calling.`,
		Example: "  sev page checkout legal\n  sev page checkout sre security",
		Args:    minArgs(2, "ID and at least one ROTATION"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ID, o.Rotations = args[0], args[1:]
			return a.runPage(o)
		},
	}
	o.Write.register(c.Flags())
	o.Write.registerAt(c.Flags())
	return c
}

func (a *app) runPage(o pageOptions) error {
	return a.change(o.ID, o.Write, func(env *ops.Env, inc *ops.Incident, by string, at time.Time) (*change.Change, error) {
		p := o.Page
		p.At = at
		return env.Page(inc, by, p)
	})
}
