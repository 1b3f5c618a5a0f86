package site

import (
	"cmp"
	"encoding/xml"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/library"
	"github.com/sev-dev/sev/internal/timeline"
)

// The status page is for customers: only incidents whose visibility is
// public, and of their timelines only the entries marked public, worded
// the way status pages speak (investigating, monitoring, resolved; major
// or partial outage) rather than in the responders' terms. Once sev.yaml
// configures components, the page names them and never the services
// behind them.

// StatusView is the status page's data.
type StatusView struct {
	Operational bool
	Active      []Notice
	// Maintenance is planned work under way (kind maintenance): shown
	// apart, and not counted as an outage.
	Maintenance []Notice
	// Scheduled is planned work whose window has not begun.
	Scheduled []Notice
	Past      []Notice
	PastDays  int
	// Groups are the configured components by group, in sev.yaml's
	// order; empty when none are configured.
	Groups []ComponentGroup
	// Overall is the history of all public notices, shown when no
	// components are configured.
	Overall *ComponentView
}

// ComponentGroup is a heading of components; Name is empty for the
// components listed without a group.
type ComponentGroup struct {
	Name       string
	Components []*ComponentView
}

// ComponentView is one component: its state now and its last 90 days.
type ComponentView struct {
	Name, Description, Slug string
	// State is the worst impact among the open notices that affect it
	// ("Operational" when none); Indicator is its key.
	State, Indicator string
	Days             []DayView // oldest first, the last is today
	// Uptime is the share of the 90 days without a major or partial
	// outage, in percent to two decimals, and as text ("99.95%").
	Uptime     float64
	UptimeText string
	// Incidents counts the notices (not maintenance) of the 90 days.
	Incidents int
}

// DayView is one day of a component's history.
type DayView struct {
	Date      time.Time
	Indicator string   // the worst of the day, operational when none
	X         int      // where its bar starts in the strip
	Notes     []string // the notices of the day, "Impact: title"
	IDs       []string // and their IDs
}

// Notice is one public incident.
type Notice struct {
	ID, Title, State, Impact string
	// Affects are the components the incident affects when components
	// are configured, else its services.
	Affects []string
	// Components are the configured components it affects.
	Components     []string
	services       []string
	Began, Updated time.Time
	// from and to are when the notice counted against its components:
	// the impact's start (or the window's) until it was mitigated or
	// resolved, or the build's reference time while it is open.
	from, to    time.Time
	Window      *incident.Window
	Updates     []Update // newest first
	Active      bool
	Maintenance bool
	Scheduled   bool
}

// Update is one public timeline entry.
type Update struct {
	At   time.Time
	Text string
}

// statusPastDays is how far back the status page, its history strips and
// its feeds go.
const statusPastDays = 90

// notices are the status page's notices: open ones, scheduled
// maintenance, and those that ended in the last statusPastDays days.
type notices struct {
	active, scheduled, past []Notice
}

func (g *gen) notices() notices {
	var out notices
	comps := g.s.StatusPage.Components
	for _, inc := range g.lib.Incidents {
		if inc.Record.EffectiveVisibility() != "public" {
			continue
		}
		st, ok := g.s.Status(inc.Record.Status)
		if !ok || st.Phase == config.PhaseDeclined {
			continue
		}
		n := g.notice(inc, st)
		for _, c := range comps {
			if c.Affects(n.services) {
				n.Components = append(n.Components, c.Name)
			}
		}
		n.Affects = n.services
		if g.s.StatusPage.Private {
			n.Affects = n.Components
		}
		switch {
		case n.Scheduled:
			out.scheduled = append(out.scheduled, n)
		case n.Active:
			out.active = append(out.active, n)
		case g.now.Sub(n.Updated) <= statusPastDays*24*time.Hour:
			out.past = append(out.past, n)
		}
	}
	// the worst first, then the longest going
	sort.SliceStable(out.active, func(a, b int) bool {
		x, y := rank[indicatorOf(out.active[a].Impact)], rank[indicatorOf(out.active[b].Impact)]
		if x != y {
			return x > y
		}
		return out.active[a].Began.Before(out.active[b].Began)
	})
	sort.SliceStable(out.past, func(a, b int) bool { return out.past[a].Updated.After(out.past[b].Updated) })
	sort.SliceStable(out.scheduled, func(a, b int) bool { return out.scheduled[a].Window.Start.Before(out.scheduled[b].Window.Start) })
	return out
}

func (g *gen) notice(inc *library.Incident, st config.Status) Notice {
	rec := inc.Record
	n := Notice{ID: inc.ID(), Title: rec.Title, services: rec.Services, Began: inc.Date, Window: rec.Window,
		Impact: impact(rec.Severity), Active: st.Phase == config.PhaseActive}
	n.Maintenance = rec.EffectiveKind() == "maintenance"
	if !n.Maintenance || n.Window != nil && n.Window.Check() != nil {
		// only planned work has a window (validate warns), and one that
		// does not hold (its check turned off) is as good as none
		n.Window = nil
	}
	switch {
	case n.Maintenance:
		// planned work is worded as such, never as an outage
		n.Impact, n.State = "Maintenance", "In progress"
		if st.Phase == config.PhaseDone {
			n.State = "Completed"
		} else if rec.Scheduled(g.now) {
			n.State, n.Scheduled = "Scheduled", true
		}
	case st.Phase == config.PhaseDone:
		n.State = "Resolved"
	case !rec.Milestones.Mitigated.IsZero():
		n.State = "Monitoring"
	default:
		n.State = "Investigating"
	}
	n.Updated = n.Began
	for i := len(inc.Public) - 1; i >= 0; i-- {
		e := inc.Public[i]
		n.Updates = append(n.Updates, Update{At: e.At, Text: publicText(e)})
		if e.At.After(n.Updated) {
			n.Updated = e.At
		}
	}
	if r := rec.Milestones.Resolved; !n.Active && r.After(n.Updated) {
		n.Updated = r
	}
	if n.Window != nil && inc.WindowSet.After(n.Updated) {
		n.Updated = inc.WindowSet // rescheduled: readers should hear of it
	}
	n.from, n.to = n.Began, g.now
	if rec.Exact("started") {
		n.from = rec.Milestones.Started
	}
	if !n.Active {
		n.to = n.Updated
		ends := []string{"mitigated", "resolved", "closed"}
		if n.Maintenance {
			ends = ends[1:] // mitigating planned work means nothing
		}
		for _, m := range ends {
			if t := rec.Milestones.Get(m); !t.IsZero() {
				n.to = t
				break
			}
		}
	} else if rec.Exact("mitigated") && !n.Maintenance {
		n.to = rec.Milestones.Mitigated // monitoring: the impact stopped
	}
	// Declared ahead of the work, a maintenance began with its window,
	// unless it ended before the window came (called off).
	if w := n.Window; w != nil && w.Start.After(n.from) && !w.Start.After(n.to) {
		n.from = w.Start
		if !n.Scheduled {
			n.Began = w.Start
			if n.Began.After(n.Updated) {
				n.Updated = n.Began
			}
		}
	}
	if n.to.Before(n.from) {
		n.to = n.from
	}
	return n
}

// impact words a severity for customers.
func impact(level int) string {
	switch level {
	case 1:
		return "Major outage"
	case 2:
		return "Partial outage"
	}
	return "Degraded performance"
}

// publicText is what a public entry says: its note, or for a change of
// status the new state in customers' words.
func publicText(e timeline.Entry) string {
	if strings.TrimSpace(e.Text) != "" {
		return e.Text
	}
	return timeline.Describe(e)
}

func (g *gen) status() error {
	ns := g.notices()
	v := &StatusView{Past: ns.past, PastDays: statusPastDays, Scheduled: ns.scheduled}
	for _, n := range ns.active {
		if n.Maintenance {
			v.Maintenance = append(v.Maintenance, n)
		} else {
			v.Active = append(v.Active, n)
		}
	}
	v.Operational = len(v.Active) == 0
	all := slices.Concat(ns.active, ns.past)
	comps := g.components(all)
	if len(comps) == 0 {
		v.Overall = g.component(config.Component{Name: "All systems"}, all, func(Notice) bool { return true })
		v.Overall.Slug = "" // its feed is the page's
	}
	for i, c := range g.s.StatusPage.Components {
		at := slices.IndexFunc(v.Groups, func(gr ComponentGroup) bool { return gr.Name == c.Group })
		if at < 0 {
			at = len(v.Groups)
			v.Groups = append(v.Groups, ComponentGroup{Name: c.Group})
		}
		v.Groups[at].Components = append(v.Groups[at].Components, comps[i])
	}
	// the components without a group come first
	slices.SortStableFunc(v.Groups, func(a, b ComponentGroup) int { return cmp.Compare(min(len(a.Name), 1), min(len(b.Name), 1)) })
	if err := g.page("status", "status/index.html", "Status", "status", v); err != nil {
		return err
	}
	if err := g.statusJSON(ns, comps); err != nil {
		return err
	}
	if err := g.out.write("status/badge.svg", badge(overall(ns.active))); err != nil {
		return err
	}
	feed := slices.Concat(ns.scheduled, all)
	if err := g.feed("status/feed.xml", g.info.Name+" status", "", feed); err != nil {
		return err
	}
	for _, c := range comps {
		var mine []Notice
		for _, n := range feed {
			if slices.Contains(n.Components, c.Name) {
				mine = append(mine, n)
			}
		}
		if err := g.feed("status/components/"+c.Slug+".xml", g.info.Name+" status: "+c.Name, c.Slug, mine); err != nil {
			return err
		}
	}
	return nil
}

// components are the configured components' views, in sev.yaml's order.
func (g *gen) components(ns []Notice) []*ComponentView {
	var out []*ComponentView
	for _, c := range g.s.StatusPage.Components {
		out = append(out, g.component(c, ns, func(n Notice) bool { return slices.Contains(n.Components, c.Name) }))
	}
	return out
}

// rank orders the indicators from best to worst.
var rank = map[string]int{"operational": 0, "under_maintenance": 1, "degraded_performance": 2, "partial_outage": 3, "major_outage": 4}

// describe are the indicators in words.
var describe = map[string]string{"operational": "Operational", "under_maintenance": "Under maintenance",
	"degraded_performance": "Degraded performance", "partial_outage": "Partial outage", "major_outage": "Major outage"}

// component is one component's state and history from the notices that
// affect it (open and past ones: scheduled maintenance is not among them). Days run midnight to midnight in sev.yaml's time zone.
func (g *gen) component(c config.Component, ns []Notice, affects func(Notice) bool) *ComponentView {
	v := &ComponentView{Name: c.Name, Description: c.Description, Slug: c.Slug(), Indicator: "operational"}
	loc := g.s.Location()
	now := g.now.In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	first := today.AddDate(0, 0, -(statusPastDays - 1))
	for i := range statusPastDays {
		v.Days = append(v.Days, DayView{Date: first.AddDate(0, 0, i), Indicator: "operational", X: 5 * i})
	}
	var down []span
	for _, n := range ns {
		if !affects(n) {
			continue
		}
		ind := indicatorOf(n.Impact)
		if n.Active && rank[ind] > rank[v.Indicator] {
			v.Indicator = ind
		}
		if n.to.Before(first) {
			continue // over before the 90 days
		}
		if !n.Maintenance && n.to.After(first) {
			v.Incidents++
		}
		if ind == "partial_outage" || ind == "major_outage" {
			down = append(down, span{n.from, n.to})
		}
		for i := range v.Days {
			d := &v.Days[i]
			end := d.Date.AddDate(0, 0, 1)
			// an instant notice (to == from) counts on its day
			if n.from.Before(end) && (n.to.After(d.Date) || !n.from.Before(d.Date) && n.to.Equal(n.from)) {
				if rank[ind] > rank[d.Indicator] {
					d.Indicator = ind
				}
				d.Notes = append(d.Notes, n.Impact+": "+n.Title)
				d.IDs = append(d.IDs, n.ID)
			}
		}
	}
	v.State = describe[v.Indicator]
	total := g.now.Sub(first)
	v.Uptime, v.UptimeText = uptime(total, covered(down, first, g.now))
	return v
}

// span is a stretch of time.
type span struct{ from, to time.Time }

// covered is how much of [from, to) the spans cover, overlaps counted
// once.
func covered(ss []span, from, to time.Time) time.Duration {
	sort.Slice(ss, func(a, b int) bool { return ss[a].from.Before(ss[b].from) })
	var sum time.Duration
	cur := from
	for _, s := range ss {
		a, b := s.from, s.to
		if a.Before(cur) {
			a = cur
		}
		if b.After(to) {
			b = to
		}
		if b.After(a) {
			sum += b.Sub(a)
			cur = b
		}
	}
	return sum
}

// uptime is the share of total not covered by down, in percent to two
// decimals, never rounded up to 100 while there was any downtime.
func uptime(total, down time.Duration) (float64, string) {
	if total <= 0 || down <= 0 {
		return 100, "100%"
	}
	pct := math.Floor(10000*(1-float64(down)/float64(total))) / 100
	return pct, strconv.FormatFloat(pct, 'f', 2, 64) + "%"
}

// feed writes an Atom feed of notices at path (status/feed.xml, or a
// component's feed, named by slug).
func (g *gen) feed(path, title, slug string, ns []Notice) error {
	type link struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr,omitempty"`
	}
	type text struct {
		Type string `xml:"type,attr"`
		Body string `xml:",chardata"`
	}
	type entry struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Link    link   `xml:"link"`
		Content text   `xml:"content"`
	}
	type feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Title   string   `xml:"title"`
		Updated string   `xml:"updated"`
		Author  struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Links   []link  `xml:"link"`
		Entries []entry `xml:"entry"`
	}
	// Without a base URL the links are relative to the feed itself,
	// which is what a reader resolves them against.
	page, self := "./", path[strings.LastIndex(path, "/")+1:]
	if slug != "" {
		page = "../"
	}
	if g.site.base != nil {
		page, self = g.absolute("status/"), g.absolute(path)
	}
	f := feed{ID: g.feedID(slug, ""), Title: title, Updated: g.now.UTC().Format(time.RFC3339)}
	f.Author.Name = g.info.Name
	f.Links = []link{{Href: page, Rel: "alternate"}, {Href: self, Rel: "self"}}
	ns = slices.Clone(ns)
	sort.SliceStable(ns, func(a, b int) bool { return ns[a].Updated.After(ns[b].Updated) })
	loc := g.s.Location()
	for _, n := range ns {
		var body strings.Builder
		body.WriteString(n.State + " · " + n.Impact)
		if len(n.Affects) > 0 {
			body.WriteString(" · affects " + strings.Join(n.Affects, ", "))
		}
		if w := n.Window; w != nil {
			body.WriteString(" · planned " + windowText(w, loc))
		}
		body.WriteString("\n")
		for _, u := range n.Updates {
			body.WriteString("\n" + u.At.In(loc).Format("2 Jan 15:04 MST") + " — " + u.Text + "\n")
		}
		f.Entries = append(f.Entries, entry{ID: g.feedID(slug, n.ID), Title: n.State + ": " + n.Title,
			Updated: n.Updated.UTC().Format(time.RFC3339), Link: link{Href: page + "#" + n.ID},
			Content: text{Type: "text", Body: body.String()}})
	}
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return g.out.write(path, append([]byte(xml.Header), append(out, '\n')...))
}

// feedID is a stable Atom id: the page's URL when the base URL is known,
// else a URN with the organisation's name (keeping two organisations'
// ids apart). Each feed has its own id; an entry's id is the notice's
// wherever it appears, as Atom asks of one entry in several feeds.
func (g *gen) feedID(component, id string) string {
	if g.site.base != nil {
		switch {
		case id != "":
			return g.absolute("status/") + "#" + id
		case component != "":
			return g.absolute("status/components/" + component + ".xml")
		}
		return g.absolute("status/")
	}
	u := "urn:sev:status"
	if name := g.info.Name; name != "" {
		u = "urn:sev:" + slug(name) + ":status"
	}
	switch {
	case id != "":
		return u + ":" + id
	case component != "":
		return u + ":component:" + component
	}
	return u
}

func xmlEscape(b *strings.Builder, s string) { xml.EscapeText(b, []byte(s)) }
