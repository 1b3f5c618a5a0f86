package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/present"
)

type declareOptions struct {
	write writeFlags
	ops.Declare
}

func (a *app) declareCmd() *cobra.Command {
	var o declareOptions
	c := &cobra.Command{
		Use:   "declare TITLE",
		Short: "Declare an incident: only a title is needed",
		Long: `declare creates incidents/<year>/<id>/ with the record and its timeline and
commits it. The ID is the declaration date and a slug of the title.
Everything but the title has a default from sev.yaml: the least severe
severity, the first active status, internal visibility, kind normal.`,
		Example: `  sev declare "Checkout errors in EU" --sev 1 --tag payments --org engineering --commander alice
  sev declare "Leaked credential" --sev 1 --tag security --visibility restricted
  sev declare "Database failover drill" --kind drill --sev 3
  sev declare "Orders database upgrade" --kind maintenance --visibility public --service orders-db \
    --window 2026-12-10T02:00:00+01:00/2026-12-10T04:00:00+01:00`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 || strings.TrimSpace(args[0]) == "" {
				return usagef("declare needs a TITLE, in quotes")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.SeveritySet = cmd.Flags().Changed("sev")
			return a.declare(args[0], o)
		},
	}
	fl := c.Flags()
	o.write.register(fl)
	fl.StringVar(&o.Severity, "sev", "", "severity: a level (1 is the most severe) or its name (SEV1)")
	fl.StringArrayVar(&o.Tags, "tag", nil, "a tag (repeatable)")
	fl.StringArrayVar(&o.Orgs, "org", nil, "an affected or responding organisation (repeatable)")
	fl.StringArrayVar(&o.Services, "service", nil, "an affected service (repeatable)")
	fl.StringVar(&o.Commander, "commander", "", "who leads the response")
	fl.StringArrayVar(&o.Roles, "role", nil, "another role as ROLE=PERSON, e.g. comms=carol (repeatable)")
	fl.StringVar(&o.Visibility, "visibility", "", "public, internal (default) or restricted")
	fl.StringVar(&o.Kind, "kind", "", "normal (default), drill, maintenance or backfill")
	fl.StringVar(&o.Summary, "summary", "", "what is happening")
	fl.StringVar(&o.Impact, "impact", "", "who or what is affected")
	o.write.registerAt(fl)
	fl.StringVar(&o.Started, "started", "", "when the impact began (RFC 3339)")
	fl.StringVar(&o.Detected, "detected", "", "when it was detected (RFC 3339)")
	fl.StringArrayVar(&o.Links, "link", nil, "a link as KIND=URL, e.g. chat=https://... (repeatable)")
	fl.StringArrayVar(&o.Page, "page", nil, "page whoever is on call in this rotation (or org) now, and record who it was (repeatable)")
	fl.StringVar(&o.Window, "window", "", "a maintenance's planned window, START/END (RFC 3339 times); the status page lists it as scheduled until START")
	fl.StringVar(&o.Slug, "slug", "", "the ID's slug, instead of one made from the title (restricted incidents get a neutral one)")
	return c
}

func (a *app) declare(title string, o declareOptions) error {
	at, err := ops.At(o.write.at)
	if err != nil {
		return err
	}
	ws, err := a.open()
	if err != nil {
		return err
	}
	a.warnSettings(ws)
	d := o.Declare
	d.Title, d.At = title, at
	ch, head, err := ws.DeclareAs(o.write.by, o.write.write(), d)
	if err != nil {
		return err
	}
	present.Declared(a.stdout, ws.Settings, ch, head)
	return nil
}
