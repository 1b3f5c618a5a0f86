package site

import (
	"encoding/json"
	"fmt"
	"html"
	"time"
)

// The status page's machine-readable side: status/status.json for
// scripts and other status pages, and status/badge.svg for READMEs. Both
// are built from the same public notices as the page, so they say
// nothing the page does not (docs/site.md documents the JSON).

// statusDoc is status/status.json.
type statusDoc struct {
	Schema  string       `json:"schema"`
	Page    statusPage   `json:"page"`
	Status  statusState  `json:"status"`
	Active  []noticeJSON `json:"active"`
	Recent  []noticeJSON `json:"recent"`
	Horizon int          `json:"recent_days"`
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
	ID       string       `json:"id"`
	Title    string       `json:"title"`
	State    string       `json:"state"`
	Impact   string       `json:"impact"`
	Services []string     `json:"services"`
	Began    string       `json:"began"`
	Updated  string       `json:"updated"`
	Updates  []updateJSON `json:"updates"`
}

type updateJSON struct {
	At   string `json:"at"`
	Text string `json:"text"`
}

// overall is the state of the whole service: the worst impact among the
// active notices; indicator is its key.
func overall(active []Notice) statusState {
	worst := statusState{"operational", "All systems operational"}
	rank := map[string]int{"operational": 0, "under_maintenance": 1, "degraded_performance": 2, "partial_outage": 3, "major_outage": 4}
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

func (g *gen) statusJSON(active, past []Notice) error {
	doc := statusDoc{Schema: "sev.status/1", Status: overall(active), Active: []noticeJSON{}, Recent: []noticeJSON{}, Horizon: statusPastDays,
		Page: statusPage{Name: g.info.Name, Updated: g.now.UTC().Format(time.RFC3339)}}
	if g.site.base != nil {
		doc.Page.URL = g.absolute("status/")
	}
	for _, n := range active {
		doc.Active = append(doc.Active, noticeOf(n))
	}
	for _, n := range past {
		doc.Recent = append(doc.Recent, noticeOf(n))
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return g.out.write("status/status.json", append(b, '\n'))
}

func noticeOf(n Notice) noticeJSON {
	j := noticeJSON{ID: n.ID, Title: n.Title, State: n.State, Impact: n.Impact, Services: n.Services,
		Began: n.Began.UTC().Format(time.RFC3339), Updated: n.Updated.UTC().Format(time.RFC3339), Updates: []updateJSON{}}
	if j.Services == nil {
		j.Services = []string{}
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
