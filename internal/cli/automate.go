package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/ghaction"
	"github.com/sev-dev/sev/internal/ghapi"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/rule"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/validate"
	"github.com/sev-dev/sev/internal/webhook"
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
		if run, err = ghaction.FromEnv(a.getenv); err != nil {
			return err
		}
		o.push = true
		if o.before == "" {
			if ev, err := run.Event(); err != nil {
				return err
			} else if push, ok := ev.(*ghaction.PushEvent); ok {
				o.before, o.after = push.Base(), push.After
			}
		}
	}
	fresh, err := a.freshEntries(ws, o.before, o.after)
	if err != nil {
		return err
	}
	return a.applyRules(ws, run, fresh, o)
}

// freshEntries maps each incident changed between before and after to the
// ids of the timeline entries after has and before had not. An empty
// before (no range, or a push that created the branch) gives none.
func (a *app) freshEntries(ws *workspace, before, after string) (map[string][]string, error) {
	if before == "" {
		return nil, nil
	}
	repo, err := ws.gitRepo(a.env)
	if err != nil {
		return nil, err
	}
	if after == "" {
		after = "HEAD"
	}
	resolve := func(flag, rev string) (gitstore.Hash, error) {
		h, err := repo.Resolve(rev)
		if err != nil {
			return gitstore.ZeroHash, usagef("--%s %s: %v (check out with fetch-depth: 0)", flag, rev, err)
		}
		return h, nil
	}
	b, err := resolve("before", before)
	if err != nil {
		return nil, err
	}
	e, err := resolve("after", after)
	if err != nil {
		return nil, err
	}
	changed, err := changedIncidents(repo, ws.settings, b, e)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, r := range changed {
		for _, en := range r.added {
			out[r.inc.ID] = append(out[r.inc.ID], en.ID)
		}
	}
	return out, nil
}

// automation is one run's executor: it carries out plans and counts.
type automation struct {
	a        *app
	ws       *workspace
	run      *ghaction.Run
	api      *ghapi.Client
	hooks    *webhook.Client
	done     [][]ghaction.Markdown // summary rows
	failed   int
	commits  int
	identity identity
}

func (a *app) applyRules(ws *workspace, run *ghaction.Run, fresh map[string][]string, o automateOptions) error {
	env, set, err := a.loadRules(ws, o.baseURL)
	if err != nil {
		return err
	}
	env.Author = automationActor
	ids, err := layout.IDs(ws.fsys)
	if err != nil {
		return err
	}
	me, err := a.whoami(ws, automationActor)
	if err != nil {
		return err
	}
	x := &automation{a: a, ws: ws, run: run, identity: me}
	var warnings diag.List
	var leftOut diag.List
	for _, id := range ids {
		// Through the gate: nothing is sent or commented about an
		// incident that sev validate rejects.
		l, problems := validate.Load(ws.fsys, ws.settings, id)
		if l == nil {
			leftOut.Append(problems)
			continue
		}
		plan, d := set.Automate(env, ruleInput(l), fresh[id], a.now())
		warnings.Append(d)
		if plan == nil || len(plan.Firings) == 0 {
			continue
		}
		if o.dryRun {
			for _, f := range plan.Firings {
				for _, act := range f.Actions {
					fmt.Fprintf(a.stdout, "%s: %s: %s\n", id, f.Rule, act.Describe(plan.Restricted))
				}
			}
			continue
		}
		if err := x.carryOut(plan); err != nil {
			return err
		}
	}
	warnings.Sort()
	warnings.WriteText(a.stderr)
	a.leftOut(leftOut)
	if x.hooks != nil {
		x.hooks.Close()
	}
	if !o.dryRun && x.commits > 0 && o.push {
		if err := a.pushNow(ws); err != nil {
			return err
		}
	}
	if err := x.report(); err != nil {
		return err
	}
	if x.failed > 0 {
		fmt.Fprintf(a.stderr, "sev: %d action(s) failed; they are tried again on the next run\n", x.failed)
		return &findingsError{x.failed}
	}
	return nil
}

// carryOut does one incident's plan: the entries as one commit, then each
// action outside the repository, then the receipts of those that
// succeeded as a second commit.
func (x *automation) carryOut(plan *rule.Plan) error {
	if entries := plan.Entries(); len(entries) > 0 {
		if err := x.commit(plan, entries); err != nil {
			return err
		}
	}
	var receipts []timeline.Entry
	for _, f := range plan.Firings {
		for _, act := range f.Actions {
			if act.Kind == rule.KindEntry || act.Skip != "" {
				continue
			}
			what := act.Describe(plan.Restricted)
			if err := x.external(act); errors.Is(err, webhook.ErrGone) && act.Receipt != nil {
				// Gone for good: recorded as given up, so later runs do not
				// try it again every hour; the rule needs a new URL.
				x.failed++
				x.log(plan.Incident, f.Rule, what, "failed for good: "+err.Error())
				gone := *act.Receipt
				gone.Text = fmt.Sprintf("Automation rule %s: the webhook %s answered 410 Gone; it is not sent again (fix the rule's URL)", f.Rule, act.Webhook.Name)
				receipts = append(receipts, gone)
				continue
			} else if err != nil {
				x.failed++
				x.log(plan.Incident, f.Rule, what, "failed: "+err.Error())
				continue
			}
			x.log(plan.Incident, f.Rule, what, "done")
			if act.Receipt != nil {
				receipts = append(receipts, *act.Receipt)
			}
		}
	}
	if len(receipts) > 0 {
		return x.commit(plan, receipts)
	}
	return nil
}

func (x *automation) commit(plan *rule.Plan, entries []timeline.Entry) error {
	ch := &change.Change{Incident: plan.Incident, Entries: entries}
	_, err := x.a.commit(x.ws, ch, x.identity, writeFlags{again: true}, plan.Restricted)
	switch {
	case errors.Is(err, change.ErrNothing):
		return nil
	case err != nil:
		return fmt.Errorf("%s: record what the rules did: %w", plan.Incident, err)
	}
	x.commits++
	return nil
}

// external carries out one action outside the repository.
func (x *automation) external(act rule.Action) error {
	if act.Kind == rule.KindWebhook {
		return x.webhook(act.Webhook)
	}
	api, number, err := x.github(act)
	if err != nil {
		return err
	}
	ctx := x.a.ctx
	switch act.Kind {
	case rule.KindComment:
		_, err = api.UpsertComment(ctx, number, act.Key, act.Body)
	case rule.KindLabels:
		err = api.AddLabels(ctx, number, act.Labels)
	case rule.KindReviewers:
		err = api.RequestReviewers(ctx, number, act.Users, act.Teams)
	case rule.KindIssue:
		_, _, err = api.CreateIssue(ctx, act.Title, act.Body, act.Labels, act.Assignees)
	default:
		err = fmt.Errorf("unknown action kind %q", act.Kind)
	}
	return err
}

// github is the API client for the action's repository, and the issue
// or pull request number it acts on.
func (x *automation) github(act rule.Action) (*ghapi.Client, int, error) {
	if x.api == nil {
		gh, err := x.a.githubRun()
		if err != nil {
			return nil, 0, fmt.Errorf("GitHub actions need the workflow's environment: %w", err)
		}
		x.api = gh.api
	}
	repo, number := act.Repo, 0
	if act.Target != nil {
		repo, number = act.Target.Owner+"/"+act.Target.Repo, act.Target.Number
	}
	if repo == "" {
		return x.api, number, nil
	}
	r, err := ghapi.ParseRepo(repo)
	if err != nil {
		return nil, 0, err
	}
	api, err := x.api.For(r)
	return api, number, err
}

func (x *automation) webhook(w *rule.Webhook) error {
	if x.hooks == nil {
		x.hooks = webhook.New(webhook.Options{
			AllowPrivate: x.a.getenv("SEV_WEBHOOKS_ALLOW_PRIVATE") == "1",
			AllowHTTP:    x.a.getenv("SEV_WEBHOOKS_ALLOW_HTTP") == "1",
			Now:          x.a.now,
		})
	}
	ref := webhook.Ref{Name: w.Name, URL: w.URL, URLEnv: w.URLEnv, SecretEnv: w.SecretEnv, Format: webhook.Format(w.Format)}
	target, err := ref.Resolve(func(k string) (string, bool) {
		v := x.a.getenv(k)
		return v, v != ""
	})
	if err != nil {
		return err
	}
	res := x.hooks.Send(x.a.ctx, []webhook.Delivery{webhook.Prepared(target, w.ID, w.Payload)})
	return res[0].Err
}

func (x *automation) log(id, ruleName, what, result string) {
	fmt.Fprintf(x.a.stdout, "%s: %s: %s: %s\n", id, ruleName, what, result)
	x.done = append(x.done, []ghaction.Markdown{ghaction.Code(id), ghaction.Text(ruleName), ghaction.Text(what), ghaction.Text(result)})
}

// report writes the job summary and the pushed output in GitHub Actions.
func (x *automation) report() error {
	if x.run == nil {
		return nil
	}
	var s ghaction.Summary
	s.Heading(3, "sev automate")
	if len(x.done) == 0 && x.commits == 0 {
		s.Paragraph("No rule had anything to do.")
	} else {
		rows := x.done
		s.Paragraph(ghaction.Text(fmt.Sprintf("%d commit(s), %d action(s) outside the repository, %d failed.", x.commits, len(x.done), x.failed)))
		if len(rows) > 0 {
			s.Table([]ghaction.Markdown{"Incident", "Rule", "Action", "Result"}, rows)
		}
	}
	if x.run.SummaryPath != "" {
		if err := x.run.AppendSummary(&s); err != nil {
			return err
		}
	}
	if x.run.OutputPath != "" {
		return x.run.SetOutput("pushed", fmt.Sprint(x.commits > 0))
	}
	return nil
}

// headNow is the current commit, for automateSince.
func (a *app) headNow(ws *workspace) string {
	if ws == nil {
		var err error
		if ws, err = a.open(); err != nil {
			return ""
		}
	}
	repo, err := ws.gitRepo(a.env)
	if err != nil {
		return ""
	}
	_, h, err := repo.Head()
	if err != nil || h.IsZero() {
		return ""
	}
	return h.String()
}

// automateSince applies the rules to what was committed since before, in
// the same job: the ChatOps and intake workflows push with the workflow's
// token, and such pushes start no workflow, so the automate workflow
// never sees them.
func (a *app) automateSince(run *ghaction.Run, before string) error {
	if before == "" || before == a.headNow(nil) {
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
