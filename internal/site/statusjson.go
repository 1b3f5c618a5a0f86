package site

import (
	"encoding/json"
	"fmt"
	"html"
	"slices"
	"time"
)

// The status page's machine-readable side: status/status.json for
// scripts and other status pages, and status/badge.svg for READMEs. Both
// are built from the same public notices as the page, so they say
// nothing the page does not (docs/site.md documents the JSON).

// statusDoc is status/status.json.
type statusDoc struct {
	Schema     string          `json:"schema"`
	Page       statusPage      `json:"page"`
	Status     statusState     `json:"status"`
	Components []componentJSON `json:"components"`
	Active     []noticeJSON    `json:"active"`
	Scheduled  []noticeJSON    `json:"scheduled"`
	Recent     []noticeJSON    `json:"recent"`
	Horizon    int             `json:"recent_days"`
}

type componentJSON struct {
	Name        string    `json:"name"`
	Group       string    `json:"group,omitempty"`
	Description string    `json:"description,omitempty"`
	Status      string    `json:"status"`
	Uptime      float64   `json:"uptime"`
	Feed        string    `json:"feed"`
	History     []dayJSON `json:"history"`
}

type dayJSON struct {
	Date      string   `json:"date"`
	Indicator string   `json:"indicator"`
	Notices   []string `json:"notices"`
}

type statusPage struct {
	Name    string `json:"name"`
	URL     string `json:"url,omitempty"`
	Updated string `json:"updated"`
}

type statusState struct {
	Indicator   string `json:"indicator"`
	Description string `json:"description"`
}

type noticeJSON struct {
	ID         string       `json:"id"`
	Title      string       `json:"title"`
	State      string       `json:"state"`
	Impact     string       `json:"impact"`
	Components []string     `json:"components"`
	Services   []string     `json:"services"`
	Window     *windowJSON  `json:"window,omitempty"`
	Began      string       `json:"began"`
	Updated    string       `json:"updated"`
	Updates    []updateJSON `json:"updates"`
}

type windowJSON struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

type updateJSON struct {
	At   string `json:"at"`
	Text string `json:"text"`
}

// overall is the state of the whole service: the worst impact among the
// active notices; indicator is its key.
func overall(active []Notice) statusState {
	worst := statusState{"operational", "All systems operational"}
	for _, n := range active {
		st := statusState{indicatorOf(n.Impact), n.Impact}
		if rank[st.Indicator] > rank[worst.Indicator] {
			worst = st
		}
	}
	return worst
}

func indicatorOf(impact string) string {
	switch impact {
	case "Maintenance":
		return "under_maintenance"
	case "Major outage":
		return "major_outage"
	case "Partial outage":
		return "partial_outage"
	}
	return "degraded_performance"
}

func (g *gen) statusJSON(ns notices, comps []*ComponentView) error {
	doc := statusDoc{Schema: "sev.status/1", Status: overall(ns.active), Components: []componentJSON{},
		Horizon: statusPastDays,
		Page:    statusPage{Name: g.info.Name, Updated: g.now.UTC().Format(time.RFC3339)}}
	if g.site.base != nil {
		doc.Page.URL = g.absolute("status/")
	}
	private := g.s.StatusPage.Private
	doc.Active, doc.Scheduled, doc.Recent = notes(ns.active, private), notes(ns.scheduled, private), notes(ns.past, private)
	for i, c := range comps {
		j := componentJSON{Name: c.Name, Group: g.s.StatusPage.Components[i].Group, Description: c.Description,
			Status: c.Indicator, Uptime: c.Uptime, Feed: "components/" + c.Slug + ".xml", History: []dayJSON{}}
		if g.site.base != nil {
			j.Feed = g.absolute("status/" + j.Feed)
		}
		for _, d := range c.Days {
			if len(d.IDs) > 0 {
				j.History = append(j.History, dayJSON{Date: d.Date.Format(time.DateOnly), Indicator: d.Indicator, Notices: d.IDs})
			}
		}
		doc.Components = append(doc.Components, j)
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return g.out.write("status/status.json", append(b, '\n'))
}

func notes(ns []Notice, private bool) []noticeJSON {
	out := []noticeJSON{}
	for _, n := range ns {
		out = append(out, noticeOf(n, private))
	}
	return out
}

// noticeOf is a notice in status.json. Its services are listed only when
// they are not private: once components are configured, the services
// behind them never leave the repository.
func noticeOf(n Notice, private bool) noticeJSON {
	j := noticeJSON{ID: n.ID, Title: n.Title, State: n.State, Impact: n.Impact, Components: slices.Clone(n.Components), Services: []string{},
		Began: n.Began.UTC().Format(time.RFC3339), Updated: n.Updated.UTC().Format(time.RFC3339), Updates: []updateJSON{}}
	if j.Components == nil {
		j.Components = []string{}
	}
	if !private && n.services != nil {
		j.Services = n.services
	}
	if w := n.Window; w != nil {
		j.Window = &windowJSON{Start: w.Start.UTC().Format(time.RFC3339), End: w.End.UTC().Format(time.RFC3339)}
	}
	for _, u := range n.Updates {
		j.Updates = append(j.Updates, updateJSON{At: u.At.UTC().Format(time.RFC3339), Text: u.Text})
	}
	return j
}

// badge draws the overall state as a small SVG in the usual two-part
// shape: "status" on grey, the state on its colour. Text is measured at
// an average 7 units per character, which fits the words it can show.
func badge(st statusState) []byte {
	colours := map[string]string{"operational": "#2e7d32", "under_maintenance": "#2b6cb0", "degraded_performance": "#b7791f", "partial_outage": "#c05621", "major_outage": "#c53030"}
	words := map[string]string{"operational": "operational", "under_maintenance": "maintenance", "degraded_performance": "degraded", "partial_outage": "partial outage", "major_outage": "major outage"}
	label, value := "status", words[st.Indicator]
	lw, vw := 10+7*len(label), 10+7*len(value)
	w := lw + vw
	return fmt.Appendf(nil, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="20" role="img" aria-label="%s: %s">
<title>%s: %s</title>
<rect width="%d" height="20" rx="3" fill="#555"/>
<rect x="%d" width="%d" height="20" rx="3" fill="%s"/>
<rect x="%d" width="4" height="20" fill="%s"/>
<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">
<text x="%d" y="14">%s</text>
<text x="%d" y="14">%s</text>
</g>
</svg>
`, w, label, value, label, value, w, lw, vw, colours[st.Indicator], lw, colours[st.Indicator], lw/2, label, lw+vw/2, html.EscapeString(value))
}
