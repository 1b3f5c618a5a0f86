package site

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/sev-dev/sev/internal/library"
	"github.com/sev-dev/sev/internal/timeline"
)

// now.json is the Now page's data, written next to it so that the page
// (assets/site.js) can fetch it again and redraw itself when a newer build
// is deployed. It holds what the page shows and nothing more, from the
// same view, so it passes the same gate; the texts the page formats in the
// organisation's zone come ready-made, and the script draws them as they
// are (docs/site.md documents the shape).

// nowDoc is now.json.
type nowDoc struct {
	Schema     string        `json:"schema"`
	Updated    string        `json:"updated"` // the build's reference time
	Timezone   string        `json:"timezone"`
	RecentDays int           `json:"recent_days"`
	Counts     nowCounts     `json:"counts"`
	Open       []nowOpenJSON `json:"open"`
	Mitigated  []nowRowJSON  `json:"mitigated"`
	// Planned is maintenance whose window has not begun.
	Planned []nowRowJSON `json:"planned"`
	Recent  []nowRowJSON `json:"recent"`
}

type nowCounts struct {
	Open       int           `json:"open"`
	Mitigated  int           `json:"mitigated"`
	Planned    int           `json:"planned"`
	Recent     int           `json:"recent"`
	BySeverity []nowSevCount `json:"open_by_severity"`
}

type nowSevCount struct {
	Level int    `json:"level"`
	Name  string `json:"name"`
	Open  int    `json:"open"`
}

// nowIncident is what every incident on the page shows.
type nowIncident struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Href         string   `json:"href"` // relative to the site's root
	Severity     int      `json:"severity"`
	SeverityName string   `json:"severity_name"`
	Status       string   `json:"status"`
	Services     []string `json:"services"`
}

type nowOpenJSON struct {
	nowIncident
	Since     string         `json:"since"`
	OpenFor   string         `json:"open_for"`
	Commander *nowPerson     `json:"commander"`
	Where     []nowLink      `json:"where"`
	Latest    *nowLatestJSON `json:"latest"`
}

type nowPerson struct {
	Handle string `json:"handle"`
	Href   string `json:"href"`
}

type nowLink struct {
	Kind  string `json:"kind"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

type nowLatestJSON struct {
	At        string `json:"at"`
	Time      string `json:"time"`       // as the card shows it
	TimeTitle string `json:"time_title"` // the date and UTC, on hover
	By        string `json:"by"`
	Text      string `json:"text"`
}

type nowRowJSON struct {
	nowIncident
	Date       string   `json:"date"`
	DateText   string   `json:"date_text"`
	Resolved   string   `json:"resolved,omitempty"`
	Tags       []string `json:"tags"`
	Postmortem string   `json:"postmortem"` // its status; "" without one
}

// nowJSON renders the view as now.json.
func (g *gen) nowJSON(v *NowView, counts map[int]int) ([]byte, error) {
	loc := g.s.Location()
	doc := nowDoc{Schema: "sev.now/1", Updated: rfc3339(g.now), Timezone: loc.String(), RecentDays: v.RecentDays,
		Counts: nowCounts{Open: len(v.Open), Mitigated: len(v.Mitigated), Planned: len(v.Planned), Recent: len(v.Recent), BySeverity: []nowSevCount{}},
		Open:   []nowOpenJSON{}, Mitigated: g.nowRows(v.Mitigated), Planned: g.nowPlanned(v.Planned), Recent: g.nowRows(v.Recent)}
	for _, sv := range g.s.Severities {
		if n := counts[sv.Level]; n > 0 {
			doc.Counts.BySeverity = append(doc.Counts.BySeverity, nowSevCount{sv.Level, sv.Name, n})
		}
	}
	for _, o := range v.Open {
		j := nowOpenJSON{nowIncident: g.nowIncident(o.Incident), Since: rfc3339(o.Since), OpenFor: ageText(g.now, o.Since), Where: []nowLink{}}
		if o.Commander != "" {
			j.Commander = &nowPerson{Handle: o.Commander, Href: "people/" + slug(o.Commander) + "/"}
		}
		for _, l := range o.Where {
			j.Where = append(j.Where, nowLink{l.Kind, l.Title, l.URL})
		}
		if e := o.Last; e != nil {
			l := e.At.In(loc)
			j.Latest = &nowLatestJSON{At: rfc3339(e.At), Time: clockText(l, []time.Time{g.now}), TimeTitle: clockTitle(e.At, loc),
				By: e.By, Text: timeline.Describe(*e)}
		}
		doc.Open = append(doc.Open, j)
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("now.json: %w", err)
	}
	return append(b, '\n'), nil
}

func (g *gen) nowIncident(inc *library.Incident) nowIncident {
	services := inc.Record.Services
	if services == nil {
		services = []string{}
	}
	return nowIncident{ID: inc.ID(), Title: inc.Record.Title, Href: "incidents/" + inc.ID() + "/", Severity: inc.Record.Severity,
		SeverityName: g.s.SeverityName(inc.Record.Severity), Status: inc.Record.Status, Services: services}
}

// nowPlanned are the planned maintenance's rows: date_text says when the
// window is, as the page does.
func (g *gen) nowPlanned(incs []*library.Incident) []nowRowJSON {
	rows := g.nowRows(incs)
	for i, inc := range incs {
		rows[i].DateText = "planned " + windowText(inc.Record.Window, g.s.Location())
	}
	return rows
}

func (g *gen) nowRows(incs []*library.Incident) []nowRowJSON {
	out := []nowRowJSON{}
	for _, inc := range incs {
		r := nowRowJSON{nowIncident: g.nowIncident(inc), Date: rfc3339(inc.Date), DateText: dateText(inc.Date, g.s.Location()), Tags: inc.Record.Tags}
		if r.Tags == nil {
			r.Tags = []string{}
		}
		if t := inc.Record.Milestones.Resolved; !t.IsZero() {
			r.Resolved = rfc3339(t)
		}
		if inc.Postmortem != nil {
			r.Postmortem = inc.Postmortem.Status
		}
		out = append(out, r)
	}
	return out
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }
