package cli

import (
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/ops"
)

type linkOptions struct {
	ID    string
	Where whereFlags
	Write writeFlags
	ops.Link
}

func (a *app) linkCmd() *cobra.Command {
	var o linkOptions
	c := &cobra.Command{
		Use:   "link (ID | --where QUERY) KIND URL",
		Short: "Link where the work happens: " + strings.Join(incident.LinkKinds, ", ") + " (on those --where selects, too)",
		Example: `  sev link checkout chat https://chat.example.com/archives/C042 --title "#inc-checkout"
  sev link checkout call https://meet.example.com/abc-defg-hij
  sev link checkout dashboard https://grafana.example.com/d/checkout --remove
  sev link --where 'tag:eu-outage' doc https://wiki.example.com/eu-outage-review`,
		Args: o.Where.exact("KIND", "URL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			args = o.Where.target(&o.ID, args)
			o.Kind, o.URL = args[0], args[1]
			return a.runLink(o)
		},
	}
	o.Where.register(c)
	o.Write.register(c.Flags())
	o.Write.registerAt(c.Flags())
	c.Flags().StringVar(&o.Title, "title", "", "what to show instead of the URL")
	c.Flags().BoolVar(&o.Remove, "remove", false, "remove the link")
	return c
}

func (a *app) runLink(o linkOptions) error {
	if err := ops.CheckLink(o.Kind, o.URL); err != nil {
		return err
	}
	return a.edit(o.ID, o.Where, o.Write, func(env *ops.Env, inc *ops.Incident, by string, at time.Time) (*change.Change, error) {
		l := o.Link
		l.At = at
		return env.Link(inc, by, l)
	})
}
