package cli

import (
	"cmp"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/automation"
	"github.com/sev-dev/sev/internal/ghaction"
	"github.com/sev-dev/sev/internal/present"
)

// Automation writes its entries and commits as this handle.
const automationActor = "sev"

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
	}
	fresh, err := a.freshEntries(ws, o.before, o.after)
	if err != nil {
		return err
	}
	return a.applyRules(ws, run, fresh, o)
}

// freshEntries maps each incident changed between before and after to the
// ids of the timeline entries after has and before had not
// (automation.Fresh). An empty before gives none.
func (a *app) freshEntries(ws *workspace, before, after string) (map[string][]string, error) {
	if before == "" {
		return nil, nil
	}
	repo, err := ws.Git(a.env)
	if err != nil {
		return nil, err
	}
	fresh, err := automation.Fresh(repo, ws.Settings, before, cmp.Or(after, "HEAD"))
	var re *automation.RevisionError
	if errors.As(err, &re) {
		return nil, usagef("%v (check out with fetch-depth: 0)", err)
	}
	return fresh, err
}

func (a *app) applyRules(ws *workspace, run *ghaction.Run, fresh map[string][]string, o automateOptions) error {
	env, set, err := a.loadRules(ws, o.baseURL)
	if err != nil {
		return err
	}
	env.Author = automationActor
	me, err := ws.Whoami(automationActor)
	if err != nil {
		return err
	}
	plans, warnings, leftOut, err := automation.Plans(ws.FS, ws.Settings, set, env, fresh, a.now())
	if err != nil {
		return err
	}
	if o.dryRun {
		present.Plans(a.stdout, plans)
		plans = nil
	}
	warnings.WriteText(a.stderr)
	a.leftOut(leftOut)
	sum, err := automation.Execute(a.ctx, plans, automation.Deps{
		GitHub: func() (automation.GitHub, error) {
			gh, err := a.githubRun()
			if err != nil {
				return nil, err
			}
			return automation.Client{Client: gh.api}, nil
		},
		Recorder: ws.Recorder(me),
		Getenv:   a.getenv,
		Log:      a.stdout,
	}, a.now)
	if err != nil {
		return err
	}
	if !o.dryRun && sum.Commits > 0 && o.push {
		if err := ws.Push(); err != nil {
			return err
		}
	}
	if err := sum.Report(run); err != nil {
		return err
	}
	if sum.Failed > 0 {
		fmt.Fprintf(a.stderr, "sev: %d action(s) failed; they are tried again on the next run\n", sum.Failed)
		return &findingsError{sum.Failed}
	}
	return nil
}

// automateSince applies the rules to what was committed since before, in
// the same job: the ChatOps and intake workflows push with the workflow's
// token, and such pushes start no workflow, so the automate workflow
// never sees them.
func (a *app) automateSince(run *ghaction.Run, before string) error {
	if before == "" || before == a.head() {
		return nil
	}
	ws, err := a.open()
	if err != nil {
		return err
	}
	fresh, err := a.freshEntries(ws, before, "HEAD")
	if err != nil || len(fresh) == 0 {
		return err
	}
	return a.applyRules(ws, run, fresh, automateOptions{push: true})
}

// head is the current commit of the repository ("" when there is none).
func (a *app) head() string {
	ws, err := a.open()
	if err != nil {
		return ""
	}
	return ws.Head()
}
