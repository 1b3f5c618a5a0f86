// Package automation carries out what the rules planned (package rule):
// timeline entries and tags go into the incident as one commit, comments,
// labels, reviewer requests, follow-up issues and webhooks go out, and each
// action that succeeded leaves a receipt entry as a second commit, so the
// next run does nothing twice. It talks to the world only through the
// small interfaces of Deps, so it is tested in-process with fakes as well
// as end to end through sev automate.
package automation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/ghaction"
	"github.com/sev-dev/sev/internal/ghapi"
	"github.com/sev-dev/sev/internal/notify"
	"github.com/sev-dev/sev/internal/rule"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/webhook"
)

// GitHub is what the actions need of GitHub's REST API (ghapi.Client).
type GitHub interface {
	UpsertComment(ctx context.Context, number int, marker, body string) (bool, error)
	AddLabels(ctx context.Context, number int, labels []string) error
	RequestReviewers(ctx context.Context, number int, users, teams []string) error
	CreateIssue(ctx context.Context, title, body string, labels, assignees []string) (int, string, error)
	// For is the same client for another repository.
	For(r ghapi.Repo) (GitHub, error)
}

// Webhooks sends deliveries (webhook.Client).
type Webhooks interface {
	Send(ctx context.Context, ds []webhook.Delivery) []webhook.Result
}

// Notifier delivers notifications (package notify's Sender).
type Notifier interface {
	Send(ctx context.Context, ds []notify.Delivery) []notify.Receipt
}

// Recorder commits a change as the automation's actor. A change whose
// entries are all recorded already returns change.ErrNothing.
type Recorder interface {
	Record(ch *change.Change, restricted bool) error
}

// Deps are the executor's ways out.
type Deps struct {
	// GitHub gives the API client of the workflow's repository; it is
	// called only when an action needs it.
	GitHub   func() (GitHub, error)
	Webhooks Webhooks
	Recorder Recorder
	// Getenv resolves webhook URLs and secrets named by the rules.
	Getenv func(string) string
	// Notifier sends the notify steps' notifications; nil: Execute makes
	// one for Settings.
	Notifier Notifier
	// Settings are sev.yaml's, for the notify channels.
	Settings *config.Settings
	// LeaveGitHub skips the actions that need GitHub's API, without
	// counting them as failed: the workflow does them (Options.LeaveGitHub).
	LeaveGitHub bool
	// App says the GitHub token is a GitHub App's installation token. The
	// workflow's own token cannot request team reviewers or open issues in
	// other repositories: without App those actions are given up at once,
	// recorded so that no later run tries them again.
	App bool
	// Log receives one line per action: "ID: rule: action: result".
	Log io.Writer
}

// Summary is what one run did.
type Summary struct {
	// Rows are Incident, Rule, Action, Result for each action outside
	// the repository.
	Rows    [][]ghaction.Markdown
	Failed  int
	Commits int
}

// Run carries out each plan in order. Actions that fail are counted in
// the summary (the next run tries them again); an error means the
// repository could not be written, and stops the run.
func Run(ctx context.Context, plans []*rule.Plan, deps Deps) (Summary, error) {
	x := &executor{ctx: ctx, deps: deps}
	if x.deps.Log == nil {
		x.deps.Log = io.Discard
	}
	for _, p := range plans {
		if err := x.carryOut(p); err != nil {
			return x.sum, err
		}
	}
	return x.sum, nil
}

// Execute is Run with the webhook client the environment allows
// (SEV_WEBHOOKS_ALLOW_PRIVATE=1, SEV_WEBHOOKS_ALLOW_HTTP=1), closed after.
func Execute(ctx context.Context, plans []*rule.Plan, deps Deps, now func() time.Time) (Summary, error) {
	getenv := deps.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	hooks := webhook.New(webhook.Options{
		AllowPrivate: getenv("SEV_WEBHOOKS_ALLOW_PRIVATE") == "1",
		AllowHTTP:    getenv("SEV_WEBHOOKS_ALLOW_HTTP") == "1",
		Now:          now,
	})
	defer hooks.Close()
	deps.Webhooks = hooks
	if deps.Notifier == nil && deps.Settings != nil {
		deps.Notifier = notify.NewSender(deps.Settings, notify.Options{HTTP: hooks, AllowPrivate: getenv("SEV_WEBHOOKS_ALLOW_PRIVATE") == "1",
			Lookup: func(k string) (string, bool) { v := getenv(k); return v, v != "" }})
	}
	return Run(ctx, plans, deps)
}

type executor struct {
	ctx  context.Context
	deps Deps
	api  GitHub
	sum  Summary
}

// carryOut does one incident's plan: the entries as one commit, then each
// action outside the repository, then the receipts of those that
// succeeded as a second commit.
func (x *executor) carryOut(plan *rule.Plan) error {
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
			if x.deps.LeaveGitHub && needsGitHub(act.Kind) {
				continue
			}
			what := act.Describe(plan.Restricted)
			err := x.external(act)
			var refused *refusedError
			if (errors.Is(err, webhook.ErrGone) || errors.As(err, &refused)) && act.Receipt != nil {
				// Failed for good: recorded as given up, so later runs do not
				// try it again every hour; the rule or the setup must change.
				x.sum.Failed++
				x.log(plan.Incident, f.Rule, what, "failed for good: "+err.Error())
				r := *act.Receipt
				if refused != nil {
					r.Text = fmt.Sprintf("Automation rule %s: %s; it is not tried again", f.Rule, refused.why)
				} else {
					r.Text = fmt.Sprintf("Automation rule %s: the webhook %s answered 410 Gone; it is not sent again (fix the rule's URL)", f.Rule, act.Webhook.Name)
				}
				receipts = append(receipts, r)
				continue
			} else if err != nil {
				x.sum.Failed++
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

func (x *executor) commit(plan *rule.Plan, entries []timeline.Entry) error {
	ch := &change.Change{Incident: plan.Incident, Entries: entries}
	err := x.deps.Recorder.Record(ch, plan.Restricted)
	switch {
	case errors.Is(err, change.ErrNothing):
		return nil
	case err != nil:
		return fmt.Errorf("%s: record what the rules did: %w", plan.Incident, err)
	}
	x.sum.Commits++
	return nil
}

// refusedError is an action GitHub refuses with the token at hand, and
// would refuse on every run: team reviewers and issues in another
// repository need a GitHub App's token, and an App whose token is refused
// for them lacks a permission.
type refusedError struct{ why string }

func (e *refusedError) Error() string { return e.why }

// appGuide says where setting up a GitHub App is explained.
const appGuide = `docs/github.md, "A GitHub App"`

// appRefused turns GitHub's refusal of an App-only action into a
// refusedError.
func appRefused(err error) error {
	var ge *ghapi.Error
	if errors.As(err, &ge) && (ge.Status == 403 || ge.Status == 404 || ge.Status == 422) {
		return &refusedError{fmt.Sprintf("GitHub refused the App's token (%v); install the GitHub App where it acts, with the permission this needs (%s)", err, appGuide)}
	}
	return err
}

// needsGitHub reports whether an action kind calls GitHub's API.
func needsGitHub(k rule.Kind) bool {
	return k == rule.KindComment || k == rule.KindLabels || k == rule.KindReviewers || k == rule.KindIssue
}

// external carries out one action outside the repository.
func (x *executor) external(act rule.Action) error {
	if act.Kind == rule.KindWebhook {
		return x.webhook(act.Webhook)
	}
	if act.Kind == rule.KindNotify {
		if x.deps.Notifier == nil || act.Notify == nil {
			return errors.New("notifications cannot be sent from here")
		}
		n := act.Notify
		return x.deps.Notifier.Send(x.ctx, []notify.Delivery{{Channel: n.Channel, Person: n.Person, Message: n.Message}})[0].Err
	}
	if act.Kind == rule.KindIssue && act.Repo != "" && !strings.EqualFold(act.Repo, x.getenv("GITHUB_REPOSITORY")) && !x.deps.App {
		return &refusedError{fmt.Sprintf("opening an issue in %s needs a GitHub App's token installed there: the workflow's token reaches only its own repository (%s)", act.Repo, appGuide)}
	}
	api, number, err := x.github(act)
	if err != nil {
		return err
	}
	switch act.Kind {
	case rule.KindComment:
		_, err = api.UpsertComment(x.ctx, number, act.Key, act.Body)
	case rule.KindLabels:
		err = api.AddLabels(x.ctx, number, act.Labels)
	case rule.KindReviewers:
		if len(act.Teams) == 0 {
			return api.RequestReviewers(x.ctx, number, act.Users, nil)
		}
		if x.deps.App {
			return appRefused(api.RequestReviewers(x.ctx, number, act.Users, act.Teams))
		}
		// the people now; the teams cannot be requested with this token
		if len(act.Users) > 0 {
			if err := api.RequestReviewers(x.ctx, number, act.Users, nil); err != nil {
				return err
			}
		}
		return &refusedError{fmt.Sprintf("requesting team reviewers (%s) needs a GitHub App's token: the workflow's token cannot see the organisation's teams (%s)",
			strings.Join(act.Teams, ", "), appGuide)}
	case rule.KindIssue:
		// the key in the body too, so people (and a later search) can
		// tell which rule and event made the issue
		_, _, err = api.CreateIssue(x.ctx, act.Title, act.Body+"\n\n"+ghapi.Marker(act.Key), act.Labels, act.Assignees)
		if act.Repo != "" && !strings.EqualFold(act.Repo, x.getenv("GITHUB_REPOSITORY")) {
			err = appRefused(err)
		}
	default:
		err = fmt.Errorf("unknown action kind %q", act.Kind)
	}
	return err
}

// github is the API client for the action's repository, and the issue
// or pull request number it acts on.
func (x *executor) github(act rule.Action) (GitHub, int, error) {
	if x.api == nil {
		if x.deps.GitHub == nil {
			return nil, 0, errors.New("GitHub actions need the workflow's environment")
		}
		api, err := x.deps.GitHub()
		if err != nil {
			return nil, 0, fmt.Errorf("GitHub actions need the workflow's environment: %w", err)
		}
		x.api = api
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

func (x *executor) webhook(w *rule.Webhook) error {
	ref := webhook.Ref{Name: w.Name, URL: w.URL, URLEnv: w.URLEnv, SecretEnv: w.SecretEnv, Format: webhook.Format(w.Format)}
	target, err := ref.Resolve(func(k string) (string, bool) {
		v := ""
		if x.deps.Getenv != nil {
			v = x.deps.Getenv(k)
		}
		return v, v != ""
	})
	if err != nil {
		return err
	}
	if x.deps.Webhooks == nil {
		return errors.New("webhooks cannot be sent from here")
	}
	res := x.deps.Webhooks.Send(x.ctx, []webhook.Delivery{webhook.Prepared(target, w.ID, w.Payload)})
	return res[0].Err
}

func (x *executor) getenv(k string) string {
	if x.deps.Getenv == nil {
		return ""
	}
	return x.deps.Getenv(k)
}

func (x *executor) log(id, ruleName, what, result string) {
	fmt.Fprintf(x.deps.Log, "%s: %s: %s: %s\n", id, ruleName, what, result)
	x.sum.Rows = append(x.sum.Rows, []ghaction.Markdown{ghaction.Code(id), ghaction.Text(ruleName), ghaction.Text(what), ghaction.Text(result)})
}

// Report writes the job summary and the pushed output in GitHub Actions.
func (s Summary) Report(run *ghaction.Run) error {
	if run == nil {
		return nil
	}
	var md ghaction.Summary
	md.Heading(3, "sev automate")
	if len(s.Rows) == 0 && s.Commits == 0 {
		md.Paragraph("No rule had anything to do.")
	} else {
		md.Paragraph(ghaction.Text(fmt.Sprintf("%d commit(s), %d action(s) outside the repository, %d failed.", s.Commits, len(s.Rows), s.Failed)))
		if len(s.Rows) > 0 {
			md.Table([]ghaction.Markdown{"Incident", "Rule", "Action", "Result"}, s.Rows)
		}
	}
	if run.SummaryPath != "" {
		if err := run.AppendSummary(&md); err != nil {
			return err
		}
	}
	if run.OutputPath != "" {
		return run.SetOutput("pushed", fmt.Sprint(s.Commits > 0))
	}
	return nil
}

// Client adapts ghapi.Client to GitHub.
type Client struct{ *ghapi.Client }

func (c Client) For(r ghapi.Repo) (GitHub, error) {
	o, err := c.Client.For(r)
	if err != nil {
		return nil, err
	}
	return Client{o}, nil
}
