package site

import (
	"encoding/xml"
	"sort"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/timeline"
)

// The status page is for customers: only incidents whose visibility is
// public, and of their timelines only the entries marked public, worded
// the way status pages speak (investigating, monitoring, resolved; major
// or partial outage) rather than in the responders' terms.

// StatusView is the status page's data.
type StatusView struct {
	Operational bool
	Active      []Notice
	// Maintenance is planned work under way (kind maintenance): shown
	// apart, and not counted as an outage.
	Maintenance []Notice
	Past        []Notice
	PastDays    int
}

// Notice is one public incident.
type Notice struct {
	ID, Title, State, Impact string
	Services                 []string
	Began, Updated           time.Time
	Updates                  []Update // newest first
	Active                   bool
	Maintenance              bool
}

// Update is one public timeline entry.
type Update struct {
	At   time.Time
	Text string
}

// statusPastDays is how far back the status page and its feed go.
const statusPastDays = 90

func (g *gen) notices() (active, past []Notice) {
	for _, inc := range g.lib.Incidents {
		if inc.Record.EffectiveVisibility() != "public" {
			continue
		}
		st, ok := g.s.Status(inc.Record.Status)
		if !ok || st.Phase == config.PhaseDeclined {
			continue
		}
		n := Notice{ID: inc.ID(), Title: inc.Record.Title, Services: inc.Record.Services, Began: inc.Date,
			Impact: impact(inc.Record.Severity), Active: st.Phase == config.PhaseActive}
		n.Maintenance = inc.Record.EffectiveKind() == "maintenance"
		switch {
		case n.Maintenance:
			// planned work is worded as such, never as an outage
			n.Impact, n.State = "Maintenance", "In progress"
			if st.Phase == config.PhaseDone {
				n.State = "Completed"
			}
		case st.Phase == config.PhaseDone:
			n.State = "Resolved"
		case !inc.Record.Milestones.Mitigated.IsZero():
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
		if r := inc.Record.Milestones.Resolved; !n.Active && r.After(n.Updated) {
			n.Updated = r
		}
		if n.Active {
			active = append(active, n)
		} else if g.now.Sub(n.Updated) <= statusPastDays*24*time.Hour {
			past = append(past, n)
		}
	}
	sort.SliceStable(past, func(a, b int) bool { return past[a].Updated.After(past[b].Updated) })
	return active, past
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
	active, past := g.notices()
	v := &StatusView{Past: past, PastDays: statusPastDays}
	for _, n := range active {
		if n.Maintenance {
			v.Maintenance = append(v.Maintenance, n)
		} else {
			v.Active = append(v.Active, n)
		}
	}
	v.Operational = len(v.Active) == 0
	if err := g.page("status", "status/index.html", "Status", "status", v); err != nil {
		return err
	}
	if err := g.statusJSON(active, past); err != nil {
		return err
	}
	if err := g.out.write("status/badge.svg", badge(overall(active))); err != nil {
		return err
	}
	return g.feed(append(append([]Notice(nil), active...), past...))
}

// feed writes status/feed.xml, an Atom feed of the public notices.
func (g *gen) feed(ns []Notice) error {
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
	// Without a base URL the links are relative to the feed itself
	// (status/feed.xml), which is what a reader resolves them against.
	page, self := "./", "feed.xml"
	if g.site.base != nil {
		page, self = g.absolute("status/"), g.absolute("status/feed.xml")
	}
	f := feed{ID: g.feedID(""), Title: g.info.Name + " status", Updated: g.now.UTC().Format(time.RFC3339)}
	f.Author.Name = g.info.Name
	f.Links = []link{{Href: page, Rel: "alternate"}, {Href: self, Rel: "self"}}
	sort.SliceStable(ns, func(a, b int) bool { return ns[a].Updated.After(ns[b].Updated) })
	for _, n := range ns {
		var body strings.Builder
		body.WriteString(n.State + " · " + n.Impact)
		if len(n.Services) > 0 {
			body.WriteString(" · affects " + strings.Join(n.Services, ", "))
		}
		body.WriteString("\n")
		for _, u := range n.Updates {
			body.WriteString("\n" + u.At.In(g.s.Location()).Format("2 Jan 15:04 MST") + " — " + u.Text + "\n")
		}
		f.Entries = append(f.Entries, entry{ID: g.feedID(n.ID), Title: n.State + ": " + n.Title,
			Updated: n.Updated.UTC().Format(time.RFC3339), Link: link{Href: page + "#" + n.ID},
			Content: text{Type: "text", Body: body.String()}})
	}
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return g.out.write("status/feed.xml", append([]byte(xml.Header), append(out, '\n')...))
}

// feedID is a stable Atom id: the page's URL when the base URL is known,
// else a URN.
func (g *gen) feedID(id string) string {
	if g.site.base != nil {
		if id == "" {
			return g.absolute("status/")
		}
		return g.absolute("status/") + "#" + id
	}
	if id == "" {
		return "urn:sev:status"
	}
	return "urn:sev:status:" + id
}

func xmlEscape(b *strings.Builder, s string) { xml.EscapeText(b, []byte(s)) }
