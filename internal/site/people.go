package site

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"time"

	"github.com/sev-dev/sev/internal/report"
	"github.com/sev-dev/sev/internal/rotation"

	"github.com/sev-dev/sev/internal/library"
)

// personView is one responder's history.
type personView struct {
	Handle, Name, Href string
	Incidents          []PersonIncident
	Roles              []Named // role → how many times held
	Entries            int     // timeline entries written
	Paged              int
	Postmortems        int // authored
	FollowUpsOpen      int
	FollowUpsDone      int
	OnCall             []string // rotations the person is a member of
	// ICS is the person's on-call calendar, relative to the root, when
	// they are a member of a rotation.
	ICS string
	// Load is the person's on-call hours over the LoadDays before the
	// build, and how many fell off-hours or at night in their own zone.
	Load     *rotation.PersonLoad
	LoadDays int
}

// LoadDays is the window of the people pages' on-call load: the same
// whole days as the on-call report (report.LoadWindow).
const LoadDays = report.LoadDays

// PersonIncident is an incident a person took part in, and how.
type PersonIncident struct {
	*library.Incident
	Roles   []string
	Entries int
}

// PeopleView is the people index.
type PeopleView struct {
	People   []*personView
	LoadDays int
}

// peopleOf lists everyone an incident's pages name: the people whose
// pages list it.
func peopleOf(inc *library.Incident) []string {
	var out []string
	for _, h := range inc.Record.Roles {
		out = append(out, h)
	}
	out = append(out, inc.Record.Responders...)
	for _, p := range inc.Record.Paged {
		out = append(out, p.Person)
	}
	for _, a := range inc.Activity {
		out = append(out, a.By)
	}
	if pm := inc.Postmortem; pm != nil {
		out = append(out, pm.Authors...)
		for _, f := range pm.FollowUps {
			out = append(out, f.Owner)
		}
	}
	return out
}

func (g *gen) buildPeople() []*personView {
	byHandle := map[string]*personView{}
	get := func(h string) *personView {
		p := byHandle[h]
		if p == nil {
			p = &personView{Handle: h, Href: "people/" + slug(h) + "/", LoadDays: LoadDays}
			if person, ok := g.s.Person(h); ok {
				p.Name = person.Name
			}
			byHandle[h] = p
		}
		return p
	}
	for _, inc := range g.lib.Incidents {
		part := map[string]*PersonIncident{}
		take := func(h string) *PersonIncident {
			pi := part[h]
			if pi == nil {
				pi = &PersonIncident{Incident: inc}
				part[h] = pi
			}
			return pi
		}
		for _, r := range g.roles(inc.Record) {
			take(r.Value).Roles = append(take(r.Value).Roles, r.Name)
		}
		for _, h := range inc.Record.Responders {
			take(h)
		}
		for _, pg := range inc.Record.Paged {
			take(pg.Person)
			get(pg.Person).Paged++
		}
		for _, p := range inc.Notified {
			take(p)
			get(p).Paged++
		}
		for _, a := range inc.Activity {
			take(a.By).Entries++
		}
		if pm := inc.Postmortem; pm != nil {
			for _, h := range pm.Authors {
				take(h)
				get(h).Postmortems++
			}
			for _, f := range pm.FollowUps {
				if f.Owner == "" {
					continue
				}
				if f.Open() {
					get(f.Owner).FollowUpsOpen++
				} else if f.Status == "done" {
					get(f.Owner).FollowUpsDone++
				}
			}
		}
		for _, h := range slices.Sorted(maps.Keys(part)) {
			if h == "" {
				continue
			}
			p := get(h)
			p.Incidents = append(p.Incidents, *part[h])
			p.Entries += part[h].Entries
		}
	}
	for _, r := range g.lib.Rotations {
		seen := map[string]bool{}
		for _, ly := range r.Layers {
			for _, m := range ly.Members {
				if !seen[m] {
					seen[m] = true
					p := get(m)
					p.OnCall = append(p.OnCall, r.Name)
					p.ICS = p.Href + "oncall.ics"
				}
			}
		}
	}
	from, to := report.LoadWindow(g.now, g.s.Location())
	if loads, err := rotation.Load(g.lib.Rotations, g.s, from, to); err == nil {
		for i := range loads {
			get(loads[i].Person).Load = &loads[i]
		}
	}
	var out []*personView
	for _, h := range slices.Sorted(maps.Keys(byHandle)) {
		if h == "" {
			continue
		}
		p := byHandle[h]
		roles := map[string]int{}
		for _, pi := range p.Incidents {
			for _, r := range pi.Roles {
				roles[r]++
			}
		}
		for _, r := range slices.Sorted(maps.Keys(roles)) {
			p.Roles = append(p.Roles, Named{r, plural(roles[r], "time", "times")})
		}
		out = append(out, p)
	}
	return out
}

func (g *gen) peoplePages() error {
	sorted := append([]*personView(nil), g.people...)
	sort.SliceStable(sorted, func(a, b int) bool { return len(sorted[a].Incidents) > len(sorted[b].Incidents) })
	if err := g.page("people", "people/index.html", "People", "people", &PeopleView{People: sorted, LoadDays: LoadDays}); err != nil {
		return err
	}
	for _, p := range g.people {
		if !g.ch.regenerates(groupOf(p.Href + "index.html")) {
			continue
		}
		if err := g.personPages(p); err != nil {
			return err
		}
		if err := g.personCalendar(p); err != nil {
			return err
		}
	}
	return nil
}

// personCalendar writes people/<handle>/oncall.ics: the person's shifts
// in every rotation they are a member of, over the same weeks as the
// rotations' own calendars (a week back to icsWeeks ahead).
func (g *gen) personCalendar(p *personView) error {
	if p.ICS == "" {
		return nil
	}
	from, to := g.now.Add(-7*24*time.Hour), g.now.Add(icsWeeks*7*24*time.Hour)
	var rs []*rotation.Rotation
	var segs [][]rotation.Segment
	for _, r := range g.lib.Rotations {
		if slices.Contains(p.OnCall, r.Name) {
			rs = append(rs, r)
			segs = append(segs, r.Shifts(from, to, p.Handle))
		}
	}
	tz := g.s.Timezone
	if person, ok := g.s.Person(p.Handle); ok && person.Timezone != "" {
		tz = person.Timezone
	}
	return g.out.write(p.ICS, rotation.PersonICS(p.Handle, tz, rs, segs, g.now))
}

// PersonPage is one page of a person's history: their totals, and
// perPage of their incidents.
type PersonPage struct {
	*personView
	Items []PersonIncident
	Pager Pager
}

// personPages writes people/<handle>/ and its further pages. The first
// page carries the totals, so it is always written; in an incremental
// rebuild the others only when they show a changed incident.
func (g *gen) personPages(p *personView) error {
	title := p.Handle
	if p.Name != "" {
		title = p.Name + " (" + p.Handle + ")"
	}
	pages := max(1, (len(p.Incidents)+perPage-1)/perPage)
	at := func(n int) string {
		if n == 1 {
			return p.Href
		}
		return fmt.Sprintf("%spage/%d/", p.Href, n)
	}
	for n := 1; n <= pages; n++ {
		lo, hi := (n-1)*perPage, min(n*perPage, len(p.Incidents))
		items := p.Incidents[lo:hi]
		if n > 1 && g.ch != nil && g.ch.stable && !showsChanged(g.ch, items) {
			g.out.keepFile(at(n) + "index.html")
			continue
		}
		pp := &PersonPage{personView: p, Items: items, Pager: Pager{N: n, Of: pages}}
		if n > 1 {
			pp.Pager.Prev = at(n - 1)
		}
		if n < pages {
			pp.Pager.Next = at(n + 1)
		}
		t := title
		if n > 1 {
			t = fmt.Sprintf("%s (page %d)", title, n)
		}
		if err := g.page("person", at(n)+"index.html", t, "people", pp); err != nil {
			return err
		}
	}
	return nil
}

func showsChanged(c *changed, items []PersonIncident) bool {
	for _, pi := range items {
		if c.ids[pi.ID()] {
			return true
		}
	}
	return false
}
