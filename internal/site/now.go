package site

import (
	"fmt"
	"sort"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/library"
)

// NowView is the front page: what is on fire.
type NowView struct {
	Open      []OpenView
	Mitigated []*library.Incident // impact stopped, cause not fixed
	Recent    []*library.Incident // resolved in the last RecentDays
	// Planned is maintenance whose window has not begun: open, but
	// nothing is on fire.
	Planned    []*library.Incident
	RecentDays int
	// Counts of the open incidents per severity, for the headline.
	BySeverity []Named
	// Fingerprint is now.json's (written with the page), so the page's
	// script can tell whether a fetched copy says something new.
	Fingerprint string
	// Timezone is the organisation's zone, for the script's clock.
	Timezone string
}

// OpenView is an open incident on the Now page.
type OpenView struct {
	*library.Incident
	Since     time.Time // when it began: started, else declared
	Commander string
	Where     []LinkView // chat and call links
}

// RecentDays is how far back the Now page lists resolved incidents.
const RecentDays = 14

func (g *gen) nowPage() error {
	v := &NowView{RecentDays: RecentDays}
	counts := map[int]int{}
	for _, inc := range g.lib.Incidents {
		st, _ := g.s.Status(inc.Record.Status)
		switch {
		case st.Phase == config.PhaseActive && inc.Record.Scheduled(g.now):
			v.Planned = append(v.Planned, inc)
		case st.Phase == config.PhaseActive && inc.Record.Milestones.Mitigated.IsZero():
			o := OpenView{Incident: inc, Since: inc.Record.Milestones.Started, Commander: commander(g.s, inc)}
			if o.Since.IsZero() {
				o.Since = inc.Date
			}
			for _, l := range inc.Record.Links {
				if u, ok := safeURL(l.URL); ok && (l.Kind == "chat" || l.Kind == "call") {
					o.Where = append(o.Where, LinkView{Kind: l.Kind, Title: l.Title, URL: u})
				}
			}
			v.Open = append(v.Open, o)
			counts[inc.Record.Severity]++
		case st.Phase == config.PhaseActive:
			v.Mitigated = append(v.Mitigated, inc)
		case st.Phase == config.PhaseDone:
			if r := inc.Record.Milestones.Resolved; !r.IsZero() && g.now.Sub(r) <= RecentDays*24*time.Hour && !r.After(g.now) {
				v.Recent = append(v.Recent, inc)
			}
		}
	}
	sort.SliceStable(v.Open, func(a, b int) bool {
		x, y := v.Open[a], v.Open[b]
		if x.Record.Severity != y.Record.Severity {
			return x.Record.Severity < y.Record.Severity
		}
		return x.Since.Before(y.Since)
	})
	sort.SliceStable(v.Planned, func(a, b int) bool {
		return v.Planned[a].Record.Window.Start.Before(v.Planned[b].Record.Window.Start)
	})
	sort.SliceStable(v.Recent, func(a, b int) bool {
		return v.Recent[a].Record.Milestones.Resolved.After(v.Recent[b].Record.Milestones.Resolved)
	})
	for _, sv := range g.s.Severities {
		if n := counts[sv.Level]; n > 0 {
			v.BySeverity = append(v.BySeverity, Named{sv.Name, plural(n, "open", "open")})
		}
	}
	data, err := g.nowJSON(v, counts)
	if err != nil {
		return err
	}
	if err := g.out.write("now.json", data); err != nil {
		return err
	}
	v.Fingerprint, v.Timezone = fmt.Sprintf("%08x", fnv32(string(data))), g.s.Location().String()
	return g.page("now", "index.html", "Now", "now", v)
}

// commander is who leads the response: the "commander" role, else the
// first role the settings list that is filled.
func commander(s *config.Settings, inc *library.Incident) string {
	if h := inc.Record.Roles["commander"]; h != "" {
		return h
	}
	for _, r := range s.Roles {
		if h := inc.Record.Roles[r.Name]; h != "" {
			return h
		}
	}
	return ""
}
