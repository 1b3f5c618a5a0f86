package rule

import (
	"strings"

	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/timeline"
)

// view is what a template sees of an incident; docs/rules.md lists the
// fields. Every text that comes from the incident is wrapped (see
// dataStart) so that finish can escape it; role names, used as map keys,
// are kept only when they are plain names and so cannot carry markup.
type view struct {
	ID         string
	Title      string
	Severity   string // the severity's name, SEV1
	Level      int    // its level, 1
	Status     string
	Kind       string
	Visibility string
	Summary    string
	Impact     string
	Tags       []string
	Orgs       []string
	Services   []string
	Responders []string
	Roles      map[string]string // role → handle
	Links      []linkView
	URL        string // the incident's page on the site; "" when unknown
	Rule       string // the rule's name
	Event      eventView
}

type linkView struct {
	Kind, URL, Title string
}

// eventView is the event that made the rule run.
type eventView struct {
	Type   string
	By     string
	Tag    string
	Role   string
	Person string
	From   string
	To     string
	Text   string // the entry's text: a note's, a status change's comment
}

// viewFields are the top-level fields, for messages.
var viewFields = []string{"ID", "Title", "Severity", "Level", "Status", "Kind", "Visibility", "Summary", "Impact",
	"Tags", "Orgs", "Services", "Responders", "Roles", "Links", "URL", "Rule", "Event"}

func wrap(s string) string {
	if s == "" {
		return ""
	}
	s = strings.Map(func(r rune) rune {
		if r == dataStart || r == dataEnd {
			return -1
		}
		return r
	}, s)
	return string(dataStart) + s + string(dataEnd)
}

func wrapAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = wrap(x)
	}
	return out
}

func newView(env *Env, rec *incident.Incident, restricted bool, ev *Event, rule string) *view {
	v := &view{
		ID: wrap(rec.ID), Title: wrap(rec.Title), Severity: wrap(env.Settings.SeverityName(rec.Severity)), Level: rec.Severity,
		Status: wrap(rec.Status), Kind: wrap(rec.EffectiveKind()), Visibility: wrap(rec.EffectiveVisibility()),
		Summary: wrap(rec.Summary), Impact: wrap(rec.Impact), Tags: wrapAll(rec.Tags), Orgs: wrapAll(rec.Orgs),
		Services: wrapAll(rec.Services), Responders: wrapAll(rec.Responders), Roles: map[string]string{}, Rule: rule,
	}
	for role, who := range rec.Roles {
		if nameRE.MatchString(role) {
			v.Roles[role] = wrap(who)
		}
	}
	for _, l := range rec.Links {
		v.Links = append(v.Links, linkView{Kind: wrap(l.Kind), URL: wrap(l.URL), Title: wrap(l.Title)})
	}
	if env.SiteURL != "" && !restricted {
		v.URL = wrap(strings.TrimSuffix(env.SiteURL, "/") + "/incidents/" + rec.ID + "/")
	}
	if ev != nil {
		v.Event = eventView{Type: ev.Type, By: wrap(ev.By), Tag: wrap(ev.Tag), Role: wrap(ev.Role), Person: wrap(ev.Person),
			From: wrap(ev.From), To: wrap(ev.To)}
		if ev.entry != nil {
			v.Event.Text = wrap(ev.entry.Text)
		}
	}
	return v
}

// sampleView is an incident with every field set, to try templates on.
func sampleView(env *Env) *view {
	rec := &incident.Incident{ID: "2026-03-02-sample", Title: "Sample", Severity: 1, Status: env.Settings.InitialStatus(),
		Summary: "Summary", Impact: "Impact", Tags: []string{"tag"}, Orgs: []string{"org"}, Services: []string{"service"},
		Responders: []string{"someone"}, Roles: map[string]string{},
		Links: []incident.Link{{Kind: "issue", URL: "https://github.com/example/incidents/issues/1", Title: "Issue"}}}
	for _, r := range env.Settings.Roles {
		rec.Roles[r.Name] = "someone"
	}
	return newView(env, rec, false, &Event{Type: NoteAdded, By: "someone", Tag: "tag", Role: "role", Person: "someone", From: "a", To: "b",
		entry: &timeline.Entry{Text: "Text"}}, "sample")
}
