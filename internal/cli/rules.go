package cli

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/automation"
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/present"
	"github.com/sev-dev/sev/internal/rule"
)

// rulesTestOptions are sev rules test's flags.
type rulesTestOptions struct {
	rule, since, baseURL  string
	asJSON, allRestricted bool
}

func (a *app) rulesCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "rules",
		Short: "Work with the automation rules in rules/",
		Long: `Automation rules (rules/*.yaml) say what happens when something happens to
an incident: a trigger, a condition and steps. See docs/rules.md.`,
		Args: exactArgs(),
	}
	c.AddCommand(a.rulesTestCmd())
	return c
}

func (a *app) rulesTestCmd() *cobra.Command {
	var o rulesTestOptions
	c := &cobra.Command{
		Use:   "test [--rule NAME] [--since DATE]",
		Short: "Replay the repository's history and show what each rule would have done",
		Long: `test replays every incident's timeline, entry by entry in the order it was
written, with the record as it was then and the on-call rotations at that
time, and prints for each rule the incidents it would have fired on, when,
on which event, and each action it would have taken. Nothing is done: no
entry is written, no comment posted, no webhook called.

Restricted incidents are listed by ID; the text a rule would write into
them is shown with --include-restricted. A rule file with errors is
reported and nothing is replayed (exit 1).`,
		Example: "  sev rules test\n  sev rules test --rule security-sev1 --since 2026-01-01\n  sev rules test --json",
		Args:    exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.rulesTest(o)
		},
	}
	c.Flags().StringVar(&o.rule, "rule", "", "show only this rule")
	c.Flags().StringVar(&o.since, "since", "", "show only what happened from this date (YYYY-MM-DD, or an RFC 3339 time)")
	c.Flags().StringVar(&o.baseURL, "base-url", "", "the site's address, for {{.URL}} in templates")
	c.Flags().BoolVar(&o.asJSON, "json", false, "print JSON")
	c.Flags().BoolVar(&o.allRestricted, "include-restricted", false, "show the text rules would write into restricted incidents")
	return c
}

func (a *app) rulesTest(o rulesTestOptions) error {
	ws, err := a.open()
	if err != nil {
		return err
	}
	a.warnSettings(ws)
	ro := rule.ReportOptions{Rule: o.rule, Now: a.now(), ShowRestricted: o.allRestricted}
	if o.since != "" {
		if ro.Since, err = ops.Instant("since", o.since, ws.Settings.Location()); err != nil {
			return err
		}
	}
	report, leftOut, err := automation.Test(ws, o.baseURL, ro, a.stderr)
	var re *automation.RulesError
	if errors.As(err, &re) {
		return &findingsError{re.N}
	}
	if err != nil {
		return err
	}
	a.leftOut(leftOut)
	if o.asJSON {
		return present.JSON(a.stdout, report)
	}
	return report.WriteText(a.stdout, ws.Settings.Location())
}
