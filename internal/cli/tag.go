package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/ops"
)

type tagOptions struct {
	ID    string
	Write writeFlags
	ops.Tags
}

func (a *app) tagCmd() *cobra.Command {
	var o tagOptions
	c := &cobra.Command{
		Use:     "tag ID TAG...",
		Short:   "Tag an incident (or untag it with --remove)",
		Example: "  sev tag checkout pii\n  sev tag checkout pii --remove",
		Args:    minArgs(2, "ID and at least one TAG"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ID, o.Tags.Tags = args[0], args[1:]
			return a.runTag(o)
		},
	}
	o.Write.register(c.Flags())
	o.Write.registerAt(c.Flags())
	c.Flags().BoolVar(&o.Remove, "remove", false, "remove the tags")
	return c
}

func (a *app) runTag(o tagOptions) error {
	return a.change(o.ID, o.Write, func(env *ops.Env, inc *ops.Incident, by string, at time.Time) (*change.Change, error) {
		t := o.Tags
		t.At = at
		return env.Tag(inc, by, t)
	})
}
