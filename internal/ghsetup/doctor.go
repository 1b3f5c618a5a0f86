// Package ghsetup checks a repository on GitHub against what sev's
// workflows need (sev github doctor) and fixes what a token may fix (sev
// github setup): the labels the issue form and the rules use, GitHub
// Pages, branch protection and rulesets against the token automation
// pushes with, the check names they require, the secrets and variables
// the workflows read, the workflow files and their pins, and the Actions
// settings. It only reads names of secrets, never values.
package ghsetup

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/sev-dev/sev/internal/ghaction"
	"github.com/sev-dev/sev/internal/ghapi"
)

// Status is how an item stands.
type Status string

const (
	OK      Status = "ok"
	Fix     Status = "fix"     // the workflows fail or misbehave until it is fixed
	Warn    Status = "warn"    // works, but not as it should
	Unknown Status = "unknown" // the token may not read it: check by hand
)

// Item is one line of the checklist.
type Item struct {
	// Check is the item's id: token, workflows, issues, label, rule-labels,
	// actions, permissions, pages, branch, checks, secrets, app.
	Check  string `json:"check"`
	Status Status `json:"status"`
	// What was found, and Fix what to do about it ("" when nothing).
	What string `json:"what"`
	Fix  string `json:"fix,omitzero"`
}

// Report is the checklist of one repository.
type Report struct {
	Repo          string `json:"repo"`
	DefaultBranch string `json:"default_branch,omitzero"`
	Items         []Item `json:"items"`
}

// Count is how many items have status st.
func (r *Report) Count(st Status) int {
	n := 0
	for _, it := range r.Items {
		if it.Status == st {
			n++
		}
	}
	return n
}

func (r *Report) add(check string, st Status, what, fix string) {
	r.Items = append(r.Items, Item{Check: check, Status: st, What: what, Fix: fix})
}

// App's repository variable and secret (docs/github.md, "A GitHub App").
const (
	AppVariable = "SEV_APP_CLIENT_ID"
	AppSecret   = "SEV_APP_PRIVATE_KEY"
	// PagesVariable set to true publishes the site.
	PagesVariable = "SEV_PAGES"
)

// forbidden reports whether err is GitHub refusing the token (403), or
// answering 404 for what the token may not see.
func forbidden(err error) bool {
	var ge *ghapi.Error
	return errors.As(err, &ge) && (ge.Status == 403 || ge.Status == 404)
}

// cannot words an item the token could not check.
func cannot(err error) string {
	var ge *ghapi.Error
	if errors.As(err, &ge) {
		return fmt.Sprintf("the token may not read this (GitHub answered %d)", ge.Status)
	}
	return "could not read this: " + err.Error()
}

// Doctor checks the repository api acts on against local. It only reads.
func Doctor(ctx context.Context, api *ghapi.Client, local *Local) (*Report, error) {
	r := &Report{Repo: api.Repo().String()}
	info, err := api.Repository(ctx)
	if err != nil {
		if forbidden(err) || ghapi.IsNotFound(err) {
			r.add("token", Fix, fmt.Sprintf("the token cannot read %s (%v)", r.Repo, err),
				"give sev a token that can read the repository: GITHUB_TOKEN or GH_TOKEN, e.g. GH_TOKEN=$(gh auth token)")
			return r, nil
		}
		return nil, err
	}
	r.DefaultBranch = info.DefaultBranch
	if info.Permissions != nil && !info.Permissions.Admin {
		r.add("token", Warn, "the token is not a repository admin's: some settings cannot be read or changed",
			"run sev github doctor with an admin's token to check everything")
	} else {
		r.add("token", OK, "the token can read "+r.Repo, "")
	}
	vars, varsErr := api.Variables(ctx)
	secrets, secretsErr := api.SecretNames(ctx)
	_, hasApp := vars[AppVariable]

	checkWorkflows(r, local, info.DefaultBranch)
	if info.HasIssues {
		r.add("issues", OK, "issues are on (ChatOps and the issue form use them)", "")
	} else {
		r.add("issues", Fix, "issues are off: ChatOps comments and the incident issue form need them",
			"Settings → General → Features: tick Issues")
	}
	checkLabels(ctx, r, api, local)
	checkActions(ctx, r, api)
	checkPages(ctx, r, api, local, vars, varsErr)
	checkBranch(ctx, r, api, local, info.DefaultBranch, hasApp, varsErr)
	checkSecrets(r, local, secrets, secretsErr, vars, varsErr, hasApp)
	return r, nil
}

func checkWorkflows(r *Report, l *Local, branch string) {
	var missing, unpinned, broken []string
	tags := map[string]bool{}
	local := false
	for _, name := range shipped {
		w, ok := l.Workflows[name]
		switch {
		case !ok:
			missing = append(missing, name)
			continue
		case w.ParseError != "":
			broken = append(broken, name+": "+w.ParseError)
			continue
		}
		for i, u := range w.Uses {
			switch {
			case u == "./" || u == ".":
				local = true
			case strings.HasPrefix(u, "sev-dev/sev@"):
				if c := w.UsesComments[i]; pinnedCommit.MatchString(u) && strings.HasPrefix(c, "v") {
					tags[c] = true
				} else {
					unpinned = append(unpinned, name+": "+u)
				}
			}
		}
	}
	switch {
	case len(broken) > 0:
		r.add("workflows", Fix, "workflows GitHub cannot read: "+strings.Join(broken, "; "), "fix the YAML, or delete the file and run sev init again")
	case len(missing) == len(shipped):
		r.add("workflows", Fix, "none of sev's workflows is in .github/workflows",
			"run sev init --action-ref latest (it writes only what is missing), commit and push")
	case len(missing) > 0:
		r.add("workflows", Fix, "missing from .github/workflows: "+strings.Join(missing, ", "),
			"run sev init --action-ref latest (it writes only what is missing), commit and push")
	case len(unpinned) > 0:
		r.add("workflows", Warn, "sev's action is not pinned to a release's commit: "+strings.Join(unpinned, "; "),
			"pin it as uses: sev-dev/sev@<commit> # vX.Y.Z (sev init writes it so; Dependabot keeps it current)")
	case len(tags) > 1:
		r.add("workflows", Warn, "the workflows use different releases of sev: "+strings.Join(slices.Sorted(maps.Keys(tags)), ", "),
			"pin every workflow to the same release")
	case local:
		r.add("workflows", OK, "the workflows run the repository's own action (uses: ./)", "")
	default:
		r.add("workflows", OK, "sev's workflows are present, pinned to "+strings.Join(slices.Sorted(maps.Keys(tags)), ", "), "")
	}
	if w := l.Workflows["automate.yml"]; w != nil && len(w.PushBranches) > 0 && !matchesBranch(w.PushBranches, branch) {
		r.add("workflows", Fix, fmt.Sprintf("automate.yml runs on pushes to %s, not to the default branch %s", strings.Join(w.PushBranches, ", "), branch),
			fmt.Sprintf("set on.push.branches in automate.yml to [%q]", branch))
	}
	if w := l.Workflows["validate.yml"]; w != nil && len(w.PullBranches) > 0 && !matchesBranch(w.PullBranches, branch) {
		r.add("workflows", Fix, fmt.Sprintf("validate.yml checks pull requests into %s, not into the default branch %s", strings.Join(w.PullBranches, ", "), branch),
			fmt.Sprintf("set on.pull_request.branches in validate.yml to [%q]", branch))
	}
}

// matchesBranch reports whether a branches filter takes branch: names
// and the wildcards GitHub allows (*, **).
func matchesBranch(filters []string, branch string) bool {
	for _, f := range filters {
		if f == branch || f == "**" || f == "*" && !strings.Contains(branch, "/") {
			return true
		}
		if strings.HasSuffix(f, "/**") && strings.HasPrefix(branch, strings.TrimSuffix(f, "**")) {
			return true
		}
	}
	return false
}

func checkLabels(ctx context.Context, r *Report, api *ghapi.Client, l *Local) {
	ok, err := api.Label(ctx, ghaction.IntakeLabel)
	switch {
	case err != nil:
		r.add("label", Unknown, cannot(err), fmt.Sprintf("check that the label %q exists (Issues → Labels)", ghaction.IntakeLabel))
	case ok:
		r.add("label", OK, fmt.Sprintf("the label %q exists", ghaction.IntakeLabel), "")
	default:
		r.add("label", Fix, fmt.Sprintf("the label %q is missing: GitHub drops it from issues opened with the incident form", ghaction.IntakeLabel),
			fmt.Sprintf("run sev github setup, or create the label %q under Issues → Labels", ghaction.IntakeLabel))
	}
	var missing []string
	for _, name := range l.Needs.Labels {
		if name == ghaction.IntakeLabel {
			continue
		}
		ok, err := api.Label(ctx, name)
		if err != nil {
			r.add("rule-labels", Unknown, cannot(err), "check that the labels rules/ adds exist: "+strings.Join(l.Needs.Labels, ", "))
			return
		}
		if !ok {
			missing = append(missing, name)
		}
	}
	switch {
	case len(missing) > 0:
		r.add("rule-labels", Warn, "labels rules/ adds that the repository lacks: "+strings.Join(missing, ", ")+" (GitHub creates them without colour or description)",
			"run sev github setup, or create them under Issues → Labels")
	case len(l.Needs.Labels) > 0:
		r.add("rule-labels", OK, "the labels rules/ adds exist", "")
	}
}

func checkActions(ctx context.Context, r *Report, api *ghapi.Client) {
	a, err := api.Actions(ctx)
	switch {
	case err != nil:
		r.add("actions", Unknown, cannot(err), "check Settings → Actions → General: Actions allowed, workflow permissions read-only")
		return
	case !a.Enabled:
		r.add("actions", Fix, "GitHub Actions is off for this repository: no workflow runs",
			"Settings → Actions → General → Actions permissions: allow actions")
	case a.AllowedActions == "local_only":
		r.add("actions", Fix, "only the repository's own actions may run: sev's action and actions/checkout are refused",
			"Settings → Actions → General: allow all actions, or select sev-dev/sev@* and the actions/* and create-github-app-token actions the workflows pin")
	case a.AllowedActions == "selected":
		r.add("actions", Warn, "only selected actions may run",
			"make sure sev-dev/sev@*, actions/* and actions/create-github-app-token are among them (Settings → Actions → General)")
	default:
		r.add("actions", OK, "GitHub Actions may run sev's workflows", "")
	}
	switch a.DefaultWorkflowPermissions {
	case "read":
		r.add("permissions", OK, "workflow tokens are read-only unless a job asks for more (sev's jobs ask for what they need)", "")
	case "write":
		r.add("permissions", Warn, "workflow tokens may write by default: a workflow that does not say what it needs gets write access",
			"Settings → Actions → General → Workflow permissions: Read repository contents and packages permissions (sev's jobs grant themselves what they need)")
	}
}

func checkPages(ctx context.Context, r *Report, api *ghapi.Client, l *Local, vars map[string]string, varsErr error) {
	if _, ok := l.Workflows["site.yml"]; !ok {
		return
	}
	if varsErr != nil {
		r.add("pages", Unknown, cannot(varsErr)+" (the variables, to see whether SEV_PAGES publishes the site)", "")
		return
	}
	if vars[PagesVariable] != "true" {
		r.add("pages", OK, "the site is not published (the variable SEV_PAGES is not true); it shows internal incidents, so publishing is a choice",
			"")
		return
	}
	p, err := api.Pages(ctx)
	switch {
	case err != nil:
		r.add("pages", Unknown, cannot(err), "check Settings → Pages → Source: GitHub Actions")
	case p == nil:
		r.add("pages", Fix, "SEV_PAGES is true but GitHub Pages is off: the site job fails at deploy",
			"run sev github setup, or Settings → Pages → Source: GitHub Actions")
	case p.BuildType != "workflow":
		r.add("pages", Fix, "GitHub Pages publishes a branch, not the site workflow's upload",
			"run sev github setup, or Settings → Pages → Source: GitHub Actions")
	default:
		r.add("pages", OK, "the site is published by the site workflow at "+p.HTMLURL, "")
	}
}

// blocking are the ruleset rule types that reject a plain push of new
// commits to the branch.
var blocking = map[string]string{
	"pull_request":                "changes need a pull request",
	"required_status_checks":      "commits need passing checks",
	"update":                      "updates are restricted",
	"required_signatures":         "commits must be signed (sev's are not)",
	"required_deployments":        "commits need deployments",
	"commit_message_pattern":      "commit messages must match a pattern",
	"commit_author_email_pattern": "commit author emails must match a pattern",
	"committer_email_pattern":     "committer emails must match a pattern",
}

func checkBranch(ctx context.Context, r *Report, api *ghapi.Client, l *Local, branch string, hasApp bool, varsErr error) {
	rules, rulesErr := api.BranchRules(ctx, branch)
	prot, protErr := api.BranchProtection(ctx, branch)
	var why []string
	rulesets := map[int64]bool{}
	var required []string
	if rulesErr == nil {
		for _, ru := range rules {
			if w, ok := blocking[ru.Type]; ok {
				why = appendNew(why, w)
				rulesets[ru.RulesetID] = true
			}
			if ru.Parameters != nil {
				for _, c := range ru.Parameters.RequiredStatusChecks {
					required = appendNew(required, c.Context)
				}
			}
		}
	}
	classic := false
	if protErr == nil && prot != nil {
		if prot.RequiredPullRequestReviews != nil {
			why, classic = appendNew(why, "changes need a pull request (branch protection)"), true
		}
		if rs := prot.RequiredStatusChecks; rs != nil {
			why, classic = appendNew(why, "commits need passing checks (branch protection)"), true
			required = appendNew(required, rs.Contexts...)
			for _, c := range rs.Checks {
				required = appendNew(required, c.Context)
			}
		}
		if prot.Restrictions != nil {
			why, classic = appendNew(why, "pushes are restricted (branch protection)"), true
		}
	}

	switch {
	case rulesErr != nil && protErr != nil:
		r.add("branch", Unknown, cannot(rulesErr), "check the default branch's rulesets and protection by hand against docs/github.md")
	case len(why) == 0:
		what := fmt.Sprintf("%s is not protected: automation, ChatOps and intake can push to it", branch)
		if protErr != nil {
			what += " (as far as the rules show: " + cannot(protErr) + " for classic branch protection)"
		}
		r.add("branch", OK, what, "")
	case !hasApp && varsErr == nil:
		r.add("branch", Fix, fmt.Sprintf("%s is protected (%s): GitHub rejects the pushes of automation, ChatOps and intake made with the workflow's token, which cannot bypass it",
			branch, strings.Join(why, "; ")),
			`set up a GitHub App, store SEV_APP_CLIENT_ID and SEV_APP_PRIVATE_KEY and add the App to the ruleset's bypass list (docs/github.md, "A GitHub App")`)
	case classic:
		r.add("branch", Fix, fmt.Sprintf("%s has classic branch protection (%s), which a GitHub App cannot bypass for required checks", branch, strings.Join(why, "; ")),
			"move the protection into a ruleset (Settings → Rules → Rulesets) and add the App to its bypass list")
	default:
		checkBypass(ctx, r, api, branch, rulesets, why)
	}
	checkRequired(r, l, required)
}

func checkBypass(ctx context.Context, r *Report, api *ghapi.Client, branch string, ids map[int64]bool, why []string) {
	var without []string
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		rs, err := api.Ruleset(ctx, id)
		if err != nil || rs.BypassActors == nil {
			if err == nil {
				err = errors.New("no bypass list in the answer")
			}
			r.add("branch", Unknown, fmt.Sprintf("%s is protected by rulesets (%s); whether the App may bypass them: %s", branch, strings.Join(why, "; "), cannot(err)),
				"check that the GitHub App is in the bypass list of every ruleset on "+branch)
			return
		}
		app := false
		for _, a := range rs.BypassActors {
			app = app || a.ActorType == "Integration"
		}
		if !app {
			without = append(without, fmt.Sprintf("%q (%d)", rs.Name, rs.ID))
		}
	}
	if len(without) > 0 {
		r.add("branch", Fix, fmt.Sprintf("%s is protected (%s) and no GitHub App may bypass the ruleset(s) %s", branch, strings.Join(why, "; "), strings.Join(without, ", ")),
			"add sev's GitHub App to their bypass list (Settings → Rules → Rulesets)")
		return
	}
	r.add("branch", OK, fmt.Sprintf("%s is protected, and a GitHub App may bypass its rulesets (sev pushes with the App's token)", branch), "")
}

func checkRequired(r *Report, l *Local, required []string) {
	if len(required) == 0 {
		return
	}
	jobs := l.checkNames()
	var unknown []string
	for _, c := range required {
		if !slices.Contains(jobs, c) {
			unknown = append(unknown, c)
		}
	}
	if len(unknown) > 0 {
		r.add("checks", Fix, fmt.Sprintf("required checks that no job on pull requests reports: %s (the jobs are: %s); pull requests wait for them for ever",
			quoteAll(unknown), quoteAll(jobs)),
			"require the job names as they are (sev's is \"validate\"), or rename the jobs")
		return
	}
	r.add("checks", OK, "the required checks are jobs that run on pull requests: "+quoteAll(required), "")
}

func checkSecrets(r *Report, l *Local, secrets []string, secretsErr error, vars map[string]string, varsErr error, hasApp bool) {
	if l.RulesBroken {
		r.add("secrets", Warn, "rules/ has errors, so what the rules need may be more than this shows", "run sev validate")
	}
	need := l.Needs.Env
	if len(need) > 0 {
		// the workflows that run the rules must pass them to sev
		var notPassed []string
		for _, name := range []string{"automate.yml", "chatops.yml", "intake.yml"} {
			w := l.Workflows[name]
			if w == nil {
				continue
			}
			for _, j := range w.Jobs {
				for _, e := range need {
					if j.RunsSev && !slices.Contains(j.SevEnv, e) {
						notPassed = appendNew(notPassed, name+" ("+e+")")
					}
				}
			}
		}
		if len(notPassed) > 0 {
			r.add("secrets", Fix, "the rules' webhooks read variables the workflows do not pass to sev: "+strings.Join(notPassed, ", "),
				"add NAME: ${{ secrets.NAME }} to the env: of the step that runs sev in each of them")
		}
		switch {
		case secretsErr != nil:
			r.add("secrets", Unknown, cannot(secretsErr)+" (the secrets' names)", "check that these secrets exist: "+strings.Join(need, ", "))
		default:
			var missing []string
			for _, e := range need {
				if !slices.Contains(secrets, e) {
					if _, isVar := vars[e]; !isVar {
						missing = append(missing, e)
					}
				}
			}
			if len(missing) > 0 {
				r.add("secrets", Fix, "the rules read secrets the repository does not have: "+strings.Join(missing, ", "),
					"Settings → Secrets and variables → Actions: add them (gh secret set NAME)")
			} else {
				r.add("secrets", OK, "the secrets the rules read exist: "+strings.Join(need, ", "), "")
			}
		}
	}
	// the App: both halves or neither
	switch {
	case varsErr != nil:
		r.add("app", Unknown, cannot(varsErr)+" (the variables)", "")
	case hasApp && secretsErr == nil && !slices.Contains(secrets, AppSecret):
		r.add("app", Fix, AppVariable+" is set but the secret "+AppSecret+" is missing: the writing workflows fail at minting the App's token",
			"add the App's private key as the secret "+AppSecret)
	case hasApp:
		r.add("app", OK, "a GitHub App's token is used for pushes and API calls ("+AppVariable+")", "")
	case secretsErr == nil && slices.Contains(secrets, AppSecret):
		r.add("app", Fix, "the secret "+AppSecret+" exists but the variable "+AppVariable+" does not: the App is not used",
			"add the App's Client ID as the repository variable "+AppVariable)
	case l.Needs.Teams || len(l.Needs.Repos) > 0:
		r.add("app", Warn, "rules request team reviewers or open issues in other repositories, which the workflow's token cannot: they are given up",
			`set up a GitHub App (docs/github.md, "A GitHub App")`)
	default:
		r.add("app", OK, "no GitHub App: the workflow's token is used (enough for an unprotected default branch)", "")
	}
}

func appendNew(list []string, vals ...string) []string {
	for _, v := range vals {
		if v != "" && !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
