package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/ops"
)

type tagOptions struct {
	ID    string
	Where whereFlags
	Write writeFlags
	ops.Tags
}

func (a *app) tagCmd() *cobra.Command {
	var o tagOptions
	c := &cobra.Command{
		Use:     "tag (ID | --where QUERY) TAG...",
		Short:   "Tag an incident or those --where selects (or untag with --remove)",
		Example: "  sev tag checkout pii\n  sev tag checkout pii --remove\n  sev tag --where 'service:checkout-api before:2024-01-01' legacy",
		Args:    o.Where.atLeast(1, "at least one TAG"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Tags.Tags = o.Where.target(&o.ID, args)
			return a.runTag(o)
		},
	}
	o.Where.register(c)
	o.Write.register(c.Flags())
	o.Write.registerAt(c.Flags())
	c.Flags().BoolVar(&o.Remove, "remove", false, "remove the tags")
	return c
}

func (a *app) runTag(o tagOptions) error {
	return a.edit(o.ID, o.Where, o.Write, func(env *ops.Env, inc *ops.Incident, by string, at time.Time) (*change.Change, error) {
		t := o.Tags
		t.At = at
		return env.Tag(inc, by, t)
	})
}
