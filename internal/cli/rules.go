package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/postmortem"
	"github.com/sev-dev/sev/internal/rule"
	"github.com/sev-dev/sev/internal/validate"
	"github.com/sev-dev/sev/internal/workers"
)

// rulesTestOptions are sev rules test's flags.
type rulesTestOptions struct {
	rule, since, baseURL  string
	asJSON, allRestricted bool
	sinceTime, now        time.Time
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
	o.now = a.now()
	if o.since != "" {
		if o.sinceTime, err = parseInstant("since", o.since, ws.settings.Location()); err != nil {
			return err
		}
	}
	env, set, err := a.loadRules(ws, o.baseURL)
	if err != nil {
		return err
	}
	if o.rule != "" && set.Rule(o.rule) == nil {
		return fmt.Errorf("no rule %q; the rules are: %s", o.rule, strings.Join(set.Names(), ", "))
	}
	plans, err := a.replay(ws, env, set, o.now)
	if err != nil {
		return err
	}
	report := newRulesReport(set, plans, o)
	if o.asJSON {
		return writeJSON(a.stdout, report)
	}
	return report.write(a.stdout, ws.settings.Location())
}

// loadRules reads rules/ with the settings and rotations. Problems are
// printed; errors stop the command.
func (a *app) loadRules(ws *workspace, siteURL string) (*rule.Env, *rule.Set, error) {
	rots, rotDiags, err := ws.rotations()
	if err != nil {
		return nil, nil, err
	}
	if n := rotDiags.Errors(); n > 0 {
		fmt.Fprintf(a.stderr, "sev: warning: %d problem(s) in rotations/ leave rotations out; run \"sev validate\"\n", n)
	}
	env := &rule.Env{Settings: ws.settings, Rotations: rots, SiteURL: siteURL}
	files, diags, err := ruleFiles(ws.fsys)
	if err != nil {
		return nil, nil, err
	}
	set, d := rule.ParseSet(files, env)
	diags.Append(d)
	diags.Sort()
	if err := diags.WriteText(a.stderr); err != nil {
		return nil, nil, err
	}
	if n := diags.Errors(); n > 0 {
		fmt.Fprintf(a.stderr, "sev: %d problem(s) in %s/; fix them, then run the command again\n", n, rule.Folder)
		return nil, nil, &findingsError{n: n}
	}
	return env, set, nil
}

// ruleFiles reads the files of rules/: every <name>.yaml; anything else
// (but dot files such as .gitkeep) is a layout warning.
func ruleFiles(fsys fs.FS) ([]rule.File, diag.List, error) {
	entries, err := fs.ReadDir(fsys, rule.Folder)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	var files []rule.File
	var diags diag.List
	for _, e := range entries {
		p := path.Join(rule.Folder, e.Name())
		switch {
		case strings.HasPrefix(e.Name(), "."):
			continue
		case !e.Type().IsRegular():
			diags.Add(diag.Pos{Path: p}, "file-type", "not a regular file; rules are plain files rules/<name>.yaml")
			continue
		case path.Ext(e.Name()) != ".yaml":
			diags.Warn(diag.Pos{Path: p}, "layout", "not a rule file (rules/<name>.yaml); it is ignored")
			continue
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, rule.File{Path: p, Data: data})
	}
	return files, diags, nil
}

// replay replays every incident on all cores. Incidents that do not pass
// validation are left out, and the command says which.
func (a *app) replay(ws *workspace, env *rule.Env, set *rule.Set, now time.Time) ([]*rule.Plan, error) {
	incs, problems := validate.LoadAll(ws.fsys, ws.settings)
	a.leftOut(problems)
	plans := make([]*rule.Plan, len(incs))
	found := make([]diag.List, len(incs))
	workers.Each(len(incs), func(i int) {
		plans[i], found[i] = set.Replay(env, ruleInput(incs[i]), now)
	})
	var warnings diag.List
	for _, d := range found {
		warnings.Append(d)
	}
	warnings.Sort()
	if err := warnings.WriteText(a.stderr); err != nil {
		return nil, err
	}
	return slices.DeleteFunc(plans, func(p *rule.Plan) bool { return p == nil }), nil
}

// ruleInput is what the rules see of an incident that passed the gate.
func ruleInput(inc *validate.Incident) rule.Input {
	return rule.Input{Record: inc.Record, Timeline: inc.Entries, Postmortem: postmortemStatus(inc)}
}

// postmortemStatus is the status of an incident's postmortem, "" when it
// has none or it did not pass validation.
func postmortemStatus(inc *validate.Incident) string {
	if inc.Postmortem == nil {
		return ""
	}
	doc, diags := postmortem.Parse(layout.Postmortem(inc.ID()), inc.Postmortem)
	if doc == nil || diags.Errors() > 0 {
		return ""
	}
	return doc.Meta.Status
}

// write prints the report for people: each rule, the incidents it fired
// on, and each step's actions.
func (r *rulesReport) write(w io.Writer, loc *time.Location) error {
	var b strings.Builder
	for i, rv := range r.Rules {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s (%s)", rv.Name, rv.Path)
		if rv.Description != "" {
			fmt.Fprintf(&b, ": %s", rv.Description)
		}
		b.WriteByte('\n')
		if len(rv.Firings) == 0 {
			b.WriteString("  never fired\n")
			continue
		}
		fmt.Fprintf(&b, "  fired %s on %s\n", plural(len(rv.Firings), "time"), plural(rv.Incidents, "incident"))
		for _, f := range rv.Firings {
			writeFiring(&b, f, loc, r.redact(f))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// rulesReport is what sev rules test prints, by rule.
type rulesReport struct {
	Now   time.Time  `json:"now"`
	Since time.Time  `json:"since,omitzero"`
	Rules []ruleView `json:"rules"`

	showRestricted bool
}

type ruleView struct {
	Name        string       `json:"name"`
	Path        string       `json:"path"`
	Description string       `json:"description,omitzero"`
	On          []string     `json:"on"`
	Steps       []string     `json:"steps"`
	Incidents   int          `json:"incidents"`
	Firings     []firingView `json:"firings"`
}

type firingView struct {
	Incident   string `json:"incident"`
	Restricted bool   `json:"restricted,omitzero"`
	rule.Firing
}

func newRulesReport(set *rule.Set, plans []*rule.Plan, o rulesTestOptions) *rulesReport {
	r := &rulesReport{Now: o.now, Since: o.sinceTime, Rules: []ruleView{}, showRestricted: o.allRestricted}
	for _, ru := range set.Rules {
		if o.rule != "" && ru.Name != o.rule {
			continue
		}
		rv := ruleView{Name: ru.Name, Path: ru.Path, Description: ru.Description, On: ru.Triggers(), Steps: ru.Steps(), Firings: []firingView{}}
		seen := map[string]bool{}
		for _, p := range plans {
			for _, f := range p.Firings {
				if f.Rule != ru.Name || f.Event.At.Before(o.sinceTime) {
					continue
				}
				fv := firingView{Incident: p.Incident, Restricted: p.Restricted, Firing: f}
				if r.redact(fv) {
					fv.Actions = redactActions(f.Actions)
					fv.Event = redactEvent(f.Event)
					fv.Notes = slices.Clone(f.Notes)
					for i := range fv.Notes {
						fv.Notes[i].Text = "(why is not shown for a restricted incident)"
					}
				}
				rv.Firings = append(rv.Firings, fv)
				seen[p.Incident] = true
			}
		}
		slices.SortStableFunc(rv.Firings, func(a, b firingView) int {
			if c := a.Event.At.Compare(b.Event.At); c != 0 {
				return c
			}
			return strings.Compare(a.Incident, b.Incident)
		})
		rv.Incidents = len(seen)
		r.Rules = append(r.Rules, rv)
	}
	return r
}

func (r *rulesReport) redact(f firingView) bool { return f.Restricted && !r.showRestricted }

// redactActions removes the text and the people rules would write into,
// or mention about, a restricted incident (comments, issues and webhooks
// about it carry only its ID already).
func redactActions(as []rule.Action) []rule.Action {
	out := slices.Clone(as)
	for i, a := range out {
		if a.Entry != nil {
			e := *a.Entry
			e.Text, e.Value, e.Person, e.Tag = redactIf(e.Text), redactIf(e.Value), redactIf(e.Person), redactIf(e.Tag)
			out[i].Entry = &e
		}
		out[i].Users, out[i].Teams, out[i].Assignees, out[i].Labels = redactAll(a.Users), redactAll(a.Teams), redactAll(a.Assignees), redactAll(a.Labels)
		if a.Skip != "" && !fixedReasons[a.Skip] {
			out[i].Skip = "(why is not shown for a restricted incident)"
		}
	}
	return out
}

// fixedReasons are reasons for a skipped step that name nobody and nothing
// of the incident; any other reason may, and is not shown for a restricted
// incident.
var fixedReasons = map[string]bool{"no issue or pull request linked": true, "nobody to mention": true,
	"nobody to request": true, "issue: the title is empty": true}

// redactEvent keeps what happened and when, not who or which tag.
func redactEvent(e rule.Event) rule.Event {
	e.By, e.Person, e.Tag = redactIf(e.By), redactIf(e.Person), redactIf(e.Tag)
	return e
}

func redactAll(s []string) []string {
	if len(s) == 0 {
		return s
	}
	return []string{fmt.Sprintf("(%d, restricted)", len(s))}
}

func redactIf(s string) string {
	if s == "" {
		return ""
	}
	return "(restricted)"
}

func writeFiring(b *strings.Builder, f firingView, loc *time.Location, redact bool) {
	fmt.Fprintf(b, "\n  %s", f.Incident)
	if f.Restricted {
		b.WriteString(" (restricted)")
	}
	fmt.Fprintf(b, ", %s, %s", f.Event.At.In(loc).Format("2006-01-02 15:04 MST"), f.Event.Describe())
	if f.Event.Type != rule.PostmortemOverdue {
		fmt.Fprintf(b, " (entry %s)", f.Event.Key)
	}
	if f.Event.Cause != "" {
		fmt.Fprintf(b, ", after rule %s", f.Event.Cause)
	}
	b.WriteByte('\n')
	if len(f.Actions) == 0 && len(f.Notes) == 0 {
		b.WriteString("    nothing to do\n")
	}
	lines := make([]stepLine, 0, len(f.Actions)+len(f.Notes))
	for _, a := range f.Actions {
		var d strings.Builder
		fmt.Fprintf(&d, "    %d. %s\n", a.Step+1, a.Describe(redact))
		writeDetail(&d, a)
		lines = append(lines, stepLine{a.Step, d.String()})
	}
	for _, n := range f.Notes {
		lines = append(lines, stepLine{n.Step, fmt.Sprintf("    %d. %s — %s\n", n.Step+1, n.Kind, n.Text)})
	}
	slices.SortStableFunc(lines, func(x, y stepLine) int { return x.step - y.step })
	for _, l := range lines {
		b.WriteString(l.text)
	}
}

// stepLine is what a firing prints for one step: its actions, in order,
// then its notes.
type stepLine struct {
	step int
	text string
}

// writeDetail prints what an action sends: a comment's or issue's body
// (without its marker), a webhook's payload.
func writeDetail(b *strings.Builder, a rule.Action) {
	var text string
	switch {
	case a.Skip != "":
		return
	case a.Kind == rule.KindComment && a.StepKind == "comment", a.Kind == rule.KindIssue:
		text = strings.TrimSpace(strings.TrimSuffix(a.Body, rule.Marker(a.Key)))
	case a.Kind == rule.KindWebhook && a.Webhook != nil:
		text = string(a.Webhook.Payload)
	}
	for _, line := range strings.Split(text, "\n") {
		if text != "" {
			fmt.Fprintf(b, "       | %s\n", line)
		}
	}
}
