package automation

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/ghaction"
	"github.com/sev-dev/sev/internal/present"
	"github.com/sev-dev/sev/internal/rule"
	"github.com/sev-dev/sev/internal/validate"
	"github.com/sev-dev/sev/internal/workspace"
)

// Actor is the handle automation writes its entries and commits as.
const Actor = "sev"

// Options are one automation run's.
type Options struct {
	// Before and After are the commit range whose new entries the rules
	// react to (After defaults to HEAD); without Before only time-based
	// rules run.
	Before, After string
	// SiteURL is {{.URL}} in templates.
	SiteURL string
	// DryRun prints the plan and does nothing; Push pushes the commits.
	DryRun, Push bool
	// OnlyNew runs nothing when the range adds no entry (after ChatOps
	// or intake committed, the time-based rules wait for the hourly run).
	OnlyNew bool
	// Runner is the GitHub Actions step, for the job summary (nil
	// elsewhere); GitHub gives its API client when an action needs it.
	Runner *ghaction.Run
	GitHub func() (GitHub, error)
	Getenv func(string) string
	// Out receives one line per action; Err warnings and what was left
	// out.
	Out, Err io.Writer
	// LeaveGitHub leaves the actions that need GitHub's API (comments,
	// labels, reviewers, issues) to the workflows: sev watch runs the
	// rules for their timed triggers without a GitHub token.
	LeaveGitHub bool
}

// RulesError means rules/ has errors: nothing ran.
type RulesError struct{ N int }

func (e *RulesError) Error() string { return fmt.Sprintf("%d problem(s) in rules/", e.N) }

// FailedError means some actions failed; the next run tries them again.
type FailedError struct{ N int }

func (e *FailedError) Error() string {
	return fmt.Sprintf("%d action(s) failed; they are tried again on the next run", e.N)
}

// Apply runs the rules on the workspace: the plans for the new entries of
// Before..After (and the time-based triggers), carried out as the
// automation actor, pushed, and summarised for the job.
func Apply(ctx context.Context, ws *workspace.Workspace, o Options) error {
	var fresh map[string][]string
	if o.Before != "" {
		repo, err := ws.Repo()
		if err != nil {
			return err
		}
		var own int
		if fresh, own, err = Fresh(repo, ws.Settings, o.Before, cmp.Or(o.After, "HEAD")); err != nil {
			return err
		}
		if len(fresh) == 0 && own > 0 {
			// automation's own push (with an App's token, it starts the
			// workflow): everything it holds was done by the run that made it
			fmt.Fprintf(o.Out, "nothing to do: the commits hold only the %d entries automation wrote\n", own)
			return nil
		}
	}
	if o.OnlyNew && len(fresh) == 0 {
		return nil
	}
	env, set, err := LoadRules(ws, o.SiteURL, o.Err)
	if err != nil {
		return err
	}
	env.Author = Actor
	me, err := ws.Whoami(Actor)
	if err != nil {
		return err
	}
	plans, warnings, leftOut, err := Plans(ws.FS, ws.Settings, set, env, fresh, ws.Now())
	if err != nil {
		return err
	}
	if o.DryRun {
		present.Plans(o.Out, plans)
		plans = nil
	}
	_ = warnings.WriteText(o.Err)
	present.LeftOut(o.Err, leftOut)
	app := o.Getenv != nil && o.Getenv("SEV_GITHUB_APP") == "true"
	sum, err := Execute(ctx, plans, Deps{GitHub: o.GitHub, Recorder: ws.Recorder(me), Getenv: o.Getenv, App: app, Log: o.Out, Settings: ws.Settings, LeaveGitHub: o.LeaveGitHub}, ws.Now)
	if err != nil {
		return err
	}
	if !o.DryRun && sum.Commits > 0 && o.Push {
		if err := ws.Push(); err != nil {
			return err
		}
	}
	if err := sum.Report(o.Runner); err != nil {
		return err
	}
	if sum.Failed > 0 {
		return &FailedError{sum.Failed}
	}
	return nil
}

// LoadRules reads rules/ with the settings and the rotations that pass
// the gate, and writes their problems to w; errors stop: a RulesError.
func LoadRules(ws *workspace.Workspace, siteURL string, w io.Writer) (*rule.Env, *rule.Set, error) {
	env, set, rotErrs, diags, err := ws.Rules(siteURL)
	if err != nil {
		return nil, nil, err
	}
	if rotErrs > 0 {
		fmt.Fprintf(w, "sev: warning: %d problem(s) in rotations/ leave rotations out; run \"sev validate\"\n", rotErrs)
	}
	if err := diags.WriteText(w); err != nil {
		return nil, nil, err
	}
	if n := diags.Errors(); n > 0 {
		fmt.Fprintf(w, "sev: %d problem(s) in %s/; fix them, then run the command again\n", n, rule.Folder)
		return nil, nil, &RulesError{n}
	}
	return env, set, nil
}

// Test replays the repository's history under its rules (sev rules
// test): what each rule would have done, as of o.Now, shown as o asks.
// The rules' problems and warnings go to w; leftOut are the incidents
// the loading gate kept out of the replay.
func Test(ws *workspace.Workspace, siteURL string, o rule.ReportOptions, w io.Writer) (report *rule.Report, leftOut diag.List, err error) {
	env, set, err := LoadRules(ws, siteURL, w)
	if err != nil {
		return nil, nil, err
	}
	if o.Rule != "" && set.Rule(o.Rule) == nil {
		return nil, nil, fmt.Errorf("no rule %q; the rules are: %s", o.Rule, strings.Join(set.Names(), ", "))
	}
	incs, leftOut := validate.LoadAll(ws.FS, ws.Settings)
	plans, warnings := Replay(set, env, incs, o.Now)
	if err := warnings.WriteText(w); err != nil {
		return nil, nil, err
	}
	return rule.NewReport(set, plans, o), leftOut, nil
}
