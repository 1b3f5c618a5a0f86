package rule

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// WriteText prints the report for people: each rule, the incidents it fired
// on, and each step's actions.
func (r *Report) WriteText(w io.Writer, loc *time.Location) error {
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

// Report is what sev rules test prints, by rule: what each rule would
// have done in the repository's history.
type Report struct {
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
	Firing
}

// ReportOptions choose what a Report shows.
type ReportOptions struct {
	// Rule, when set, is the one rule shown.
	Rule string
	// Since leaves out firings before it; Now is when the replay ran.
	Since, Now time.Time
	// ShowRestricted shows what rules would write into restricted
	// incidents; otherwise people, tags and text are redacted.
	ShowRestricted bool
}

// NewReport groups the plans of a replay by rule.
func NewReport(set *Set, plans []*Plan, o ReportOptions) *Report {
	r := &Report{Now: o.Now, Since: o.Since, Rules: []ruleView{}, showRestricted: o.ShowRestricted}
	for _, ru := range set.Rules {
		if o.Rule != "" && ru.Name != o.Rule {
			continue
		}
		rv := ruleView{Name: ru.Name, Path: ru.Path, Description: ru.Description, On: ru.Triggers(), Steps: ru.Steps(), Firings: []firingView{}}
		seen := map[string]bool{}
		for _, p := range plans {
			for _, f := range p.Firings {
				if f.Rule != ru.Name || f.Event.At.Before(o.Since) {
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

func (r *Report) redact(f firingView) bool { return f.Restricted && !r.showRestricted }

// redactActions removes the text and the people rules would write into,
// or mention about, a restricted incident (comments, issues and webhooks
// about it carry only its ID already).
func redactActions(as []Action) []Action {
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
func redactEvent(e Event) Event {
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
	if f.Event.Type != PostmortemOverdue {
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
func writeDetail(b *strings.Builder, a Action) {
	var text string
	switch {
	case a.Skip != "":
		return
	case a.Kind == KindComment && a.StepKind == "comment", a.Kind == KindIssue:
		text = strings.TrimSpace(a.Body)
	case a.Kind == KindWebhook && a.Webhook != nil:
		text = string(a.Webhook.Payload)
	}
	for _, line := range strings.Split(text, "\n") {
		if text != "" {
			fmt.Fprintf(b, "       | %s\n", line)
		}
	}
}
