package cli

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/automation"
	"github.com/sev-dev/sev/internal/ghaction"
	"github.com/sev-dev/sev/internal/ghflow"
	"github.com/sev-dev/sev/internal/watch"
)

type automateOptions struct {
	before, after string
	dryRun, push  bool
	baseURL       string
}

func (a *app) automateCmd() *cobra.Command {
	var o automateOptions
	c := &cobra.Command{
		Use:   "automate",
		Short: "Apply the automation rules (rules/*.yaml) to what changed, and record what they did",
		Long: `automate works out which timeline entries are new between two commits, plans
what the rules say should happen about them (and about overdue postmortems,
checked on every incident), and does it: entries and tags go into the
incidents as one commit per incident by "sev"; comments, labels, reviewer
requests, follow-up issues and webhooks go out, and each one that succeeded
leaves a receipt entry, so running automate again does nothing twice.

In GitHub Actions (the automate workflow) the range is the push's
before..after and the commits are pushed; elsewhere give --before (and
--after, default HEAD). Without a range only time-based rules run.
Webhooks go to public https addresses only unless SEV_WEBHOOKS_ALLOW_PRIVATE=1
or SEV_WEBHOOKS_ALLOW_HTTP=1 is set; secrets come from the environment
variables the rules name. See docs/rules.md and docs/github.md.`,
		Example: "  sev automate --before origin/main@{1} --dry-run\n  sev automate --before HEAD~3 --push",
		Args:    exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.automate(o)
		},
	}
	c.Flags().StringVar(&o.before, "before", "", "the commit the changes are counted from")
	c.Flags().StringVar(&o.after, "after", "", "the commit the changes are counted to (default HEAD)")
	c.Flags().BoolVar(&o.dryRun, "dry-run", false, "print the plan and do nothing")
	c.Flags().BoolVar(&o.push, "push", false, "push the commits (always in GitHub Actions)")
	c.Flags().StringVar(&o.baseURL, "base-url", "", "the site's address, for {{.URL}} in templates")
	return c
}

func (a *app) automate(o automateOptions) error {
	ws, err := a.open()
	if err != nil {
		return err
	}
	a.warnSettings(ws)
	var run *ghaction.Run
	if a.getenv("GITHUB_ACTIONS") == "true" {
		o.push = true
		if run, o.before, o.after, err = automation.PushRange(a.getenv, o.before, o.after); err != nil {
			return err
		}
		if o.before == "" {
			// an alert sent as a repository_dispatch: recorded first, then
			// the rules see its entries as new
			if o.before, err = a.dispatchedAlert(ws, run); err != nil {
				return err
			}
		}
	}
	return a.rulesFailed(automation.Apply(a.ctx, ws, automation.Options{Before: o.before, After: o.after, SiteURL: o.baseURL,
		DryRun: o.dryRun, Push: o.push, Runner: run, GitHub: ghflow.GitHubFromEnv(a.getenv, a.now), Getenv: a.getenv, Out: a.stdout, Err: a.stderr}))
}

// rulesFailed turns automation's errors into exit codes.
func (a *app) rulesFailed(err error) error {
	var re *automation.RevisionError
	var rules *automation.RulesError
	var failed *automation.FailedError
	switch {
	case errors.As(err, &re):
		return usagef("%v (check out with fetch-depth: 0)", err)
	case errors.As(err, &rules):
		return &findingsError{rules.N}
	case errors.As(err, &failed):
		fmt.Fprintf(a.stderr, "sev: %v\n", err)
		return &findingsError{failed.N}
	}
	return err
}

// dispatchedAlert records the alert of a repository_dispatch event of
// type sev-alert (client_payload.alert: an Alertmanager or Grafana
// webhook body) and returns the commit before it, "" for another event.
// GitHub authenticated the sender: only a token that may write to the
// repository can dispatch.
func (a *app) dispatchedAlert(ws *workspace, run *ghaction.Run) (string, error) {
	ev, err := run.Event()
	if err != nil {
		return "", err
	}
	d, ok := ev.(*ghaction.RepositoryDispatchEvent)
	if !ok || d.Action != "sev-alert" {
		return "", nil
	}
	var cp struct {
		Alert json.RawMessage `json:"alert"`
	}
	if err := json.Unmarshal(d.ClientPayload, &cp); err != nil || len(cp.Alert) == 0 {
		return "", usagef("a sev-alert dispatch carries the alert as client_payload.alert (GitHub allows only 10 top-level properties in client_payload)")
	}
	before := ws.Head()
	msg, err := watch.RecordAlert(ws, watch.Options{Now: a.now, By: automation.Actor}, cp.Alert)
	if err != nil {
		return "", err
	}
	fmt.Fprintln(a.stdout, msg)
	return before, nil
}
