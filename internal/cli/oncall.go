package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/present"
	"github.com/sev-dev/sev/internal/rotation"
)

type oncallOptions struct {
	At, From, To string
	JSON         bool
}

func (a *app) oncallCmd() *cobra.Command {
	var o oncallOptions
	c := &cobra.Command{
		Use:   "oncall [ROTATION|ORG]",
		Short: "Who is on call now, at a time, or over a window, for every rotation or one org",
		Long: `oncall answers from the files in rotations/: who is on call in each rotation
now (or --at a time), until when, and who is next; with --from and --to it
lists the handoffs in that window. Give a rotation name, a unique prefix of
one, or an org to see all of that org's rotations.`,
		Example: `  sev oncall
  sev oncall legal
  sev oncall legal --at 2026-12-25T03:00:00+01:00
  sev oncall legal --from 2026-12-01 --to 2027-01-01
  sev oncall --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return a.runOncall(o, args) },
	}
	c.Flags().StringVar(&o.At, "at", "", "the instant to ask about (RFC 3339, or a date for its midnight), instead of now")
	c.Flags().StringVar(&o.From, "from", "", "start of a window (a date or an RFC 3339 time)")
	c.Flags().StringVar(&o.To, "to", "", "end of the window")
	c.Flags().BoolVar(&o.JSON, "json", false, "print JSON")
	c.AddCommand(a.oncallExportCmd(), a.oncallLoadCmd())
	return c
}

func (a *app) runOncall(o oncallOptions, args []string) error {
	ws, err := a.open()
	if err != nil {
		return err
	}
	all, diags := ws.Rotations()
	if len(diags) > 0 && diags.Errors() > 0 {
		fmt.Fprintf(a.stderr, "sev: %d rotation file(s) have problems and are left out; run \"sev validate\"\n", diags.Errors())
	}
	picked, err := rotation.Pick(all, strings.Join(args, "")) // at most one: a rotation, a prefix or an org
	if err != nil {
		return err
	}
	loc := ws.Settings.Location()
	if (o.From == "") != (o.To == "") {
		return usagef("--from and --to go together")
	}
	if o.From != "" {
		f, t, err := ops.Window(o.From, o.To, loc)
		if err != nil {
			return err
		}
		return present.OnCallWindow(a.stdout, picked, f, t, o.JSON)
	}
	when := a.now()
	if o.At != "" {
		if when, err = ops.Instant("at", o.At, loc); err != nil {
			return err
		}
	}
	return present.OnCallNow(a.stdout, picked, when, o.JSON)
}
