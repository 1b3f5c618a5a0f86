package importer

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/timeline"
)

// GitHubIssue is an issue as GitHub's REST API gives it, reduced to what
// an import reads; the CLI fills it from internal/ghapi.
type GitHubIssue struct {
	Number      int
	Title, Body string
	// State is open or closed; StateReason is GitHub's state_reason
	// (completed, not_planned, duplicate, reopened or empty).
	State, StateReason string
	Labels             []string
	Author             string
	Created, Closed    time.Time
	URL                string
	Comments           []GitHubComment
	// Events are the times it was closed and reopened, oldest first;
	// empty when they were not read.
	Events []GitHubEvent
}

// GitHubComment is a comment on an issue.
type GitHubComment struct {
	ID      int64
	Author  string
	Body    string
	Created time.Time
}

// GitHubEvent is an issue being closed or reopened.
type GitHubEvent struct {
	ID int64
	// Event is closed or reopened.
	Event       string
	Actor       string
	At          time.Time
	StateReason string
}

// GitHub turns the issues of a repository into records: one incident per
// issue, its body and comments as notes, its closing as the end. The
// mapping is documented in docs/migrate.md ("GitHub issues").
type GitHub struct {
	// Repo is OWNER/REPO; a record's source id is OWNER/REPO#NUMBER.
	Repo string
	// Query are the labels the issues were selected by. Every issue has
	// them, so they say nothing about one and become no tags.
	Query []string
	// SeverityLabels maps label names (compared without regard to case)
	// to severity levels. When it is empty, the labels DefaultSeverity
	// recognises set the level.
	SeverityLabels map[string]int
	// Settings give the severities and statuses of the repository.
	Settings *config.Settings
	// Visibility of every record: internal when empty. The notes of a
	// public record are public.
	Visibility string
}

// Records maps issues to records, in the order given.
func (g GitHub) Records(issues []GitHubIssue) ([]Record, []Problem) {
	recs := make([]Record, 0, len(issues))
	var probs []Problem
	for _, is := range issues {
		r, ps := g.record(is)
		recs = append(recs, r)
		probs = append(probs, ps...)
	}
	return recs, probs
}

func (g GitHub) record(is GitHubIssue) (Record, []Problem) {
	where := fmt.Sprintf("%s#%d", g.Repo, is.Number)
	r := Record{
		Where: where, Source: incident.Source{System: "github", ID: where, URL: is.URL},
		Title: is.Title, Visibility: cmp.Or(g.Visibility, "internal"),
		Declared: Time{At: is.Created}, Author: is.Author, Summary: summaryOf(is.Body),
	}
	public := r.Visibility == "public"
	site, down, upptime := upptimeSite(is)
	if upptime {
		r.Title = strings.TrimSpace(strings.TrimLeft(is.Title, upptimeMarks))
	}
	probs := g.labels(&r, is.Labels, site)
	if upptime && r.Severity == 0 {
		r.Severity = min(upptimeSeverity(down), len(g.Settings.Severities))
	}
	if strings.TrimSpace(is.Body) != "" {
		r.Entries = append(r.Entries, Entry{Key: "body", At: Time{At: is.Created}, By: is.Author, Text: is.Body, Public: public})
	}
	for _, c := range is.Comments {
		if strings.TrimSpace(c.Body) != "" {
			r.Entries = append(r.Entries, Entry{Key: "comment:" + strconv.FormatInt(c.ID, 10), At: Time{At: c.Created}, By: c.Author, Text: c.Body, Public: public})
		}
	}
	g.states(&r, is)
	return r, probs
}

// labels sorts an issue's labels into severity, kind, services and tags.
// The most severe of several severity labels wins.
func (g GitHub) labels(r *Record, labels []string, site string) []Problem {
	var probs []Problem
	for _, l := range labels {
		if slices.ContainsFunc(g.Query, func(q string) bool { return strings.EqualFold(strings.TrimSpace(q), strings.TrimSpace(l)) }) {
			continue
		}
		if lvl := g.severity(l); lvl > 0 {
			if r.Severity != 0 && r.Severity != lvl {
				probs = append(probs, Problem{Where: r.Where, Field: "labels", Message: fmt.Sprintf("more than one label names a severity; the most severe (%d) is used", min(r.Severity, lvl))})
			}
			r.Severity = min(cmp.Or(r.Severity, lvl), lvl)
			continue
		}
		switch {
		case site != "" && Label(l) == "status":
			// Upptime's mark of every issue it opens
		case Label(l) == "maintenance":
			r.Kind = "maintenance"
		case site != "" && compact(l) == compact(site):
			r.Services = append(r.Services, l)
		default:
			r.Tags = append(r.Tags, l)
		}
	}
	return probs
}

// severity is the level a label names, or 0.
func (g GitHub) severity(label string) int {
	if len(g.SeverityLabels) > 0 {
		for name, lvl := range g.SeverityLabels {
			if strings.EqualFold(strings.TrimSpace(name), strings.TrimSpace(label)) {
				return lvl
			}
		}
		return 0
	}
	return DefaultSeverity(g.Settings, label)
}

// severityLabelRE reads sev1, SEV-1, Sev 1, severity: 1, P1, priority-1
// once compact has lowered them and dropped everything but letters and
// digits.
var severityLabelRE = regexp.MustCompile(`^(?:sev|severity|p|priority)([0-9]{1,3})$`)

// DefaultSeverity is the level a label names by the default rule: a
// configured severity's name (SEV1, Critical), or sev, severity, p or
// priority followed by a level, in any case and punctuation ("SEV-1",
// "severity: 1", "P1"); 0 when it names none, or a level that is not
// configured.
func DefaultSeverity(s *config.Settings, label string) int {
	c := compact(label)
	if c == "" {
		return 0
	}
	for _, sv := range s.Severities {
		if compact(sv.Name) == c {
			return sv.Level
		}
	}
	if m := severityLabelRE.FindStringSubmatch(c); m != nil {
		if n, _ := strconv.Atoi(m[1]); n >= 1 && n <= len(s.Severities) {
			return n
		}
	}
	return 0
}

// compact is a name lowered to its ASCII letters and digits, accents
// removed, so that a label and the name it was made from compare equal:
// "Example.com API" and "example-com-api", "Café" and "cafe".
func compact(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(strings.ToLower(s)) {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// states records how the issue was closed and reopened: each event as a
// status entry by its actor; an issue closed without events (they were
// not read) as one status entry at closed_at. An issue closed as not
// planned or as a duplicate ends declined, when a status of that phase
// is configured.
func (g GitHub) states(r *Record, is GitHubIssue) {
	closed := is.State == "closed"
	r.Done = closed
	if closed {
		r.Status = g.doneStatus(is.StateReason)
	}
	last := ""
	for i, ev := range is.Events {
		e := Entry{Key: "event:" + strconv.FormatInt(ev.ID, 10), At: Time{At: ev.At}, By: ev.Actor, Type: timeline.Status}
		switch ev.Event {
		case "closed":
			reason := ev.StateReason
			if closed && i == len(is.Events)-1 {
				reason = cmp.Or(reason, is.StateReason)
			}
			e.Status = g.doneStatus(reason)
		case "reopened":
			e.Status = g.Settings.InitialStatus()
		default:
			continue
		}
		r.Entries = append(r.Entries, e)
		last = e.Status
	}
	if closed && last != r.Status && !is.Closed.IsZero() {
		r.Entries = append(r.Entries, Entry{Key: "closed", At: Time{At: is.Closed}, Type: timeline.Status, Status: r.Status})
	}
}

// doneStatus is the status a closing with reason leads to: the first
// declined one for not_planned and duplicate, else the first done one.
func (g GitHub) doneStatus(reason string) string {
	phase := config.PhaseDone
	if reason == "not_planned" || reason == "duplicate" {
		phase = config.PhaseDeclined
	}
	for _, want := range []string{phase, config.PhaseDone} {
		for _, st := range g.Settings.Statuses {
			if st.Phase == want {
				return st.Name
			}
		}
	}
	return ""
}

// upptimeMarks are the emoji Upptime starts its titles with.
const upptimeMarks = "🛑⚠\ufe0f "

// upptimeTitleRE reads the titles Upptime (github.com/upptime/upptime)
// gives the issue it opens when a site goes down or slows down:
// "🛑 NAME is down", "⚠️ NAME has degraded performance".
var upptimeTitleRE = regexp.MustCompile(`^(?:🛑|⚠️|⚠)\s*(.+?) (is down|has degraded performance)\s*$`)

// upptimeSite reads an Upptime issue (labelled status, with Upptime's
// title): the site's name and whether it was down rather than slow.
func upptimeSite(is GitHubIssue) (site string, down, ok bool) {
	if !slices.ContainsFunc(is.Labels, func(l string) bool { return strings.EqualFold(strings.TrimSpace(l), "status") }) {
		return "", false, false
	}
	m := upptimeTitleRE.FindStringSubmatch(strings.TrimSpace(is.Title))
	if m == nil {
		return "", false, false
	}
	return m[1], m[2] == "is down", true
}

// upptimeSeverity follows cState's: a site down is level 1, a slow one 2.
func upptimeSeverity(down bool) int {
	if down {
		return 1
	}
	return 2
}

var htmlCommentRE = regexp.MustCompile(`(?s)<!--.*?-->`)

// summaryOf is the first paragraph of an issue's body that says
// something: HTML comments (templates leave them) and paragraphs that
// are only a heading (issue forms write "### Field") are passed over.
func summaryOf(body string) string {
	body = htmlCommentRE.ReplaceAllString(strings.ReplaceAll(body, "\r\n", "\n"), "")
	for _, p := range strings.Split(body, "\n\n") {
		p = strings.TrimSpace(p)
		if p == "" || (strings.HasPrefix(p, "#") && !strings.Contains(p, "\n")) {
			continue
		}
		return firstParagraph(p)
	}
	return ""
}
