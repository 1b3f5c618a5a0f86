package report

import (
	"fmt"
	"strconv"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/library"
	"github.com/sev-dev/sev/internal/postmortem"
)

// postmortemsData is the JSON of postmortem completion per month of
// resolution (Quarters or Years instead when a long range is counted in
// those).
type postmortemsData struct {
	Window   windowData  `json:"window"`
	Policy   []policyDue `json:"policy"`
	Months   []pmMonth   `json:"months,omitempty"`
	Quarters []pmMonth   `json:"quarters,omitempty"`
	Years    []pmMonth   `json:"years,omitempty"`
	Total    pmCounts    `json:"total"`
}

type policyDue struct {
	Severity sevInfo `json:"severity"`
	Days     int     `json:"days"`
}

// pmCounts splits the incidents whose postmortem the policy requires by
// where the postmortem stands (Published + InReview + Draft + Missing =
// Required); Overdue are those past their deadline and not published;
// NotRequired are postmortems written although the policy did not ask.
type pmCounts struct {
	Required    int `json:"required"`
	Published   int `json:"published"`
	InReview    int `json:"in_review"`
	Draft       int `json:"draft"`
	Missing     int `json:"missing"`
	Overdue     int `json:"overdue"`
	NotRequired int `json:"written_not_required"`
}

type pmMonth struct {
	Start string `json:"start"`
	pmCounts
}

var pmSeries = []seriesDef{
	{"published", "pm pm-published", "#2166ac"},
	{"in review", "pm pm-in-review", "#67a9cf"},
	{"draft", "pm pm-draft", "#c6dbef"},
	{"no postmortem yet", "pm pm-missing", "#d6604d"},
}

// postmortemsReport shows, per month in which incidents were resolved,
// how many needed a postmortem under the policy and where each stands.
func (e *env) postmortemsReport() Report {
	type item struct {
		inc      *library.Incident
		resolved time.Time
		deadline time.Time
		required bool
	}
	var items []item
	earliest := time.Time{}
	for _, inc := range e.lib.Incidents {
		resolved := inc.Record.Milestones.Resolved
		if e.phase(inc) != config.PhaseDone || resolved.IsZero() || !resolved.Before(e.now) {
			continue
		}
		dl, ok := postmortem.Deadline(e.s, inc.Record.Severity, inc.Record.PolicyKind(), config.PhaseDone, resolved)
		if !ok && inc.Postmortem == nil {
			continue
		}
		items = append(items, item{inc, resolved, dl, ok})
		if earliest.IsZero() || resolved.Before(earliest) {
			earliest = resolved
		}
	}
	s := e.buckets(monthly, 24, maxBars, earliest)
	data := postmortemsData{Window: s.window()}
	for _, d := range e.s.Postmortems.Due {
		data.Policy = append(data.Policy, policyDue{sevInfo{d.Severity, e.s.SeverityName(d.Severity)}, d.Days})
	}
	for i := range s.starts {
		data.Months = append(data.Months, pmMonth{Start: s.key(i)})
	}
	for _, it := range items {
		i := s.index(it.resolved)
		if i < 0 {
			continue
		}
		for _, c := range []*pmCounts{&data.Months[i].pmCounts, &data.Total} {
			c.add(it.inc.Postmortem, it.required, it.required && !e.now.Before(it.deadline))
		}
	}
	return e.postmortemsOut(s, data)
}

func (c *pmCounts) add(pm *postmortem.Meta, required, pastDeadline bool) {
	if !required {
		c.NotRequired++
		return
	}
	c.Required++
	status := ""
	if pm != nil {
		status = pm.Status
	}
	switch status {
	case "published":
		c.Published++
	case "in-review":
		c.InReview++
	case "":
		c.Missing++
	default:
		c.Draft++
	}
	if pastDeadline && status != "published" {
		c.Overdue++
	}
}

func (e *env) postmortemsOut(s series, data postmortemsData) Report {
	tbl := Table{Columns: []string{capitalise(s.unit.String()) + " resolved", "Need a postmortem", "Published", "In review", "Draft", "None yet", "Overdue", "Written, not required"}}
	ch := barChart{id: "postmortems", series: pmSeries, now: -1, emptyMsg: "No resolved incidents needed a postmortem in this period"}
	if len(e.s.Postmortems.Due) == 0 {
		ch.emptyMsg = "The policy (sev.yaml postmortems.due) requires no postmortems"
	}
	main, sub := s.axisLabels()
	for i, m := range data.Months {
		tbl.Rows = append(tbl.Rows, []string{s.label(i), strconv.Itoa(m.Required), strconv.Itoa(m.Published), strconv.Itoa(m.InReview),
			strconv.Itoa(m.Draft), strconv.Itoa(m.Missing), strconv.Itoa(m.Overdue), strconv.Itoa(m.NotRequired)})
		ch.bars = append(ch.bars, bar{label: main[i], sub: sub[i], name: "Resolved in " + s.label(i),
			values: []int{m.Published, m.InReview, m.Draft, m.Missing}})
	}
	policy := "The policy (sev.yaml postmortems) requires none"
	if len(data.Policy) > 0 {
		policy = "The policy (sev.yaml postmortems) requires one"
		for k, p := range data.Policy {
			sep := ", "
			if k == 0 {
				sep = " "
			} else if k == len(data.Policy)-1 {
				sep = " and "
			}
			policy += fmt.Sprintf("%sfor a %s within %s", sep, p.Severity.Name, plural(p.Days, "day"))
		}
		policy += " of resolution"
		if e.s.Postmortems.Since != "" {
			policy += ", for incidents resolved from " + e.s.Postmortems.Since + " on"
		}
	}
	title := "Postmortem completion"
	caption := fmt.Sprintf("Resolved incidents that need a postmortem, by the %s they were resolved over %s (%s), "+
		"and where each postmortem stands: published, in review, draft, or none yet. %s; drills and maintenance need none. "+
		"Over the whole period %d of %d are published and %d are past their deadline without being published; "+
		"the table also counts postmortems written although the policy did not ask for one (%d). "+
		"Recent %ss are naturally less complete: their deadlines may not have passed.",
		s.unit, s.describe(), e.loc, policy, data.Total.Published, data.Total.Required, data.Total.Overdue, data.Total.NotRequired, s.unit)
	data.Months, data.Quarters, data.Years = byUnit(s.unit, data.Months)
	return Report{ID: "postmortems", Title: title, Caption: caption, SVG: ch.svg(title, caption), Table: tbl, Data: data}
}

// followUpsData is the JSON of follow-up actions by the month they are
// due (Quarters or Years instead when a long range is counted in those).
// The counts are disjoint: Open are not yet due, Overdue are open past
// their due day.
type followUpsData struct {
	Window    windowData `json:"window"`
	Months    []fuMonth  `json:"months,omitempty"`
	Quarters  []fuMonth  `json:"quarters,omitempty"`
	Years     []fuMonth  `json:"years,omitempty"`
	NoDueDate fuCounts   `json:"no_due_date"`
	Total     fuCounts   `json:"total"`
}

type fuCounts struct {
	Done    int `json:"done"`
	Dropped int `json:"dropped"`
	Open    int `json:"open"`
	Overdue int `json:"overdue"`
}

type fuMonth struct {
	Start string `json:"start"`
	fuCounts
}

func (c *fuCounts) values() []int { return []int{c.Done, c.Dropped, c.Open, c.Overdue} }

var fuSeries = []seriesDef{
	{"done", "fu fu-done", "#2166ac"},
	{"dropped", "fu fu-dropped", "#bdbdbd"},
	{"open", "fu fu-open", "#92c5de"},
	{"open and overdue", "fu fu-overdue", "#d6604d"},
}

// fuItem is one follow-up with its due day (zero when it has none) and
// its incident's date.
type fuItem struct {
	f    postmortem.FollowUp
	due  time.Time
	date time.Time
}

// followUpsReport shows the follow-up actions of postmortems by the month
// they are due: how many were done, dropped, are still open, and how
// many of the open ones are overdue.
func (e *env) followUpsReport() Report {
	var items []fuItem
	var first, last time.Time
	for _, inc := range e.lib.Incidents {
		if inc.Postmortem == nil || e.phase(inc) == config.PhaseDeclined {
			continue
		}
		for _, f := range inc.Postmortem.FollowUps {
			due, ok := postmortem.FollowUpDue(e.s, f, inc.Record.Milestones.Resolved)
			if !ok {
				due = time.Time{}
			} else if first.IsZero() || due.Before(first) {
				first = due
			}
			if due.After(last) {
				last = due
			}
			items = append(items, fuItem{f, due, inc.Date})
		}
	}
	s := e.followUpsWindow(first, last)
	data := followUpsData{Window: s.window()}
	for i := range s.starts {
		data.Months = append(data.Months, fuMonth{Start: s.key(i)})
	}
	for _, it := range items {
		c := &data.NoDueDate
		if it.due.IsZero() && !e.rng.IsZero() && s.index(it.date) < 0 {
			continue // over a range, an undated follow-up counts when its incident is in it
		}
		if !it.due.IsZero() {
			i := s.index(it.due)
			if i < 0 {
				continue
			}
			c = &data.Months[i].fuCounts
		}
		c.add(it, e.now)
		data.Total.add(it, e.now)
	}
	return e.followUpsOut(s, data)
}

func (c *fuCounts) add(it fuItem, now time.Time) {
	switch it.f.Status {
	case "done":
		c.Done++
	case "dropped":
		c.Dropped++
	default:
		if late, _ := postmortem.Overdue(it.due, now); late && !it.due.IsZero() {
			c.Overdue++
		} else {
			c.Open++
		}
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func (e *env) followUpsOut(s series, data followUpsData) Report {
	tbl := Table{Columns: []string{"Due", "Done", "Dropped", "Open", "Overdue"}}
	ch := barChart{id: "follow-ups", series: fuSeries, now: -1, emptyMsg: "No follow-up actions in this period"}
	main, sub := s.axisLabels()
	for i, m := range data.Months {
		tbl.Rows = append(tbl.Rows, append([]string{s.label(i)}, itoas(m.values())...))
		ch.bars = append(ch.bars, bar{label: main[i], sub: sub[i], name: "Due in " + s.label(i), values: m.values()})
		if s.running(i, e.now) {
			frac := float64(e.now.Sub(s.starts[i])) / float64(s.bucketEnd(i).Sub(s.starts[i]))
			ch.now = float64(i) + frac
		}
	}
	if n := data.NoDueDate; n != (fuCounts{}) {
		tbl.Rows = append(tbl.Rows, append([]string{"No due date"}, itoas(n.values())...))
		ch.bars = append(ch.bars, bar{label: "no date", name: "No due date", values: n.values(), gapBefore: true})
	}
	t := data.Total
	today, where := " The dashed line is today.", " to the left of today"
	if ch.now < 0 { // a range that ended before today
		today, where = "", ""
	}
	title := "Follow-up actions"
	caption := fmt.Sprintf("The follow-up actions of postmortems by the %s they are due, over %s (%s): done, dropped, "+
		"open, and open past their due day (overdue). A follow-up without its own due date is due when the policy's weeks "+
		"for its type have passed since the incident was resolved (sev.yaml postmortems.follow-ups); one with neither is in "+
		"the column on the right.%s In all, %d done, %d dropped, %d open and %d overdue. "+
		"Red%s is work that was promised and has not happened.",
		s.unit, s.describe(), e.loc, today, t.Done, t.Dropped, t.Open, t.Overdue, where)
	data.Months, data.Quarters, data.Years = byUnit(s.unit, data.Months)
	return Report{ID: "follow-ups", Title: title, Caption: caption, SVG: ch.svg(title, caption), Table: tbl, Data: data}
}

func itoas(xs []int) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strconv.Itoa(x)
	}
	return out
}
