package site

import (
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/attachment"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/library"
	"github.com/sev-dev/sev/internal/postmortem"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/workers"
)

// IncidentView is the incident page's data.
type IncidentView struct {
	Inc         *library.Incident
	Rec         *incident.Incident
	Milestones  []Milestone
	Durations   []Named
	Roles       []Named // in the order of the settings' roles
	Timeline    []EntryView
	Links       []LinkView
	Attachments []LinkView
	Postmortem  template.HTML // rendered Markdown, or ""
	PMStatus    string
	PMAuthors   []string
	FollowUps   []postmortem.FollowUp
	Similar     []*library.Incident
}

// Milestone is one of the record's times.
type Milestone struct {
	Name string
	At   time.Time
}

// Named is a label and a value.
type Named struct{ Name, Value string }

// LinkView is a link of a record (absolute http or https only; html/template
// escapes it and would refuse other schemes anyway) or an attachment
// (relative to the incident's page).
type LinkView struct {
	Kind, Title, URL string
	// Download is the name to save an attachment under when it is
	// published as a download (attachment.Published); empty otherwise.
	Download string
	// Archive is the download of a text attachment whose URL is the page
	// that shows it.
	Archive string
}

// AttachmentView is the page that shows a text attachment.
type AttachmentView struct {
	Incident, IncidentTitle string
	Name, Text              string
	Download                string // the ZIP archive next to the page
}

// EntryView is one timeline entry as the page shows it.
type EntryView struct {
	ID, By      string
	At          time.Time
	Text        string // what happened, in words
	Milestone   string // the milestone the entry marks, "" for none; Text does not repeat it
	Key, Public bool
	Day         string // set on the first entry of each day
	// HTML is the entry as the default theme shows it (with its day's
	// heading when Day is set), written in Go: a timeline has hundreds of
	// thousands of entries across a site, and rendering each through
	// html/template's reflective escapers was a quarter of a build. A
	// theme that wants other markup uses the fields above instead.
	HTML template.HTML
}

func (g *gen) incidents() error {
	incs := g.lib.Incidents
	if g.ch != nil {
		incs = nil
		for _, inc := range g.lib.Incidents {
			if g.ch.ids[inc.ID()] {
				incs = append(incs, inc)
			}
		}
	}
	pr := &progress{total: len(incs), f: g.site.opts.Progress}
	return workers.EachErr(len(incs), func(i int) error {
		defer pr.tick()
		return g.incident(incs[i])
	})
}

func (g *gen) incident(inc *library.Incident) error {
	d, err := g.lib.Detail(inc)
	if err != nil {
		return fmt.Errorf("%s: %w", inc.ID(), err)
	}
	v := &IncidentView{Inc: inc, Rec: inc.Record}
	m := inc.Record.Milestones
	for _, x := range []Milestone{{"started", m.Started}, {"detected", m.Detected}, {"declared", m.Declared},
		{"acknowledged", m.Acknowledged}, {"mitigated", m.Mitigated}, {"resolved", m.Resolved}, {"closed", m.Closed}} {
		if !x.At.IsZero() {
			v.Milestones = append(v.Milestones, x)
		}
	}
	for _, x := range []struct {
		name string
		d    time.Duration
	}{{"Time to detect", inc.Durations.Detect}, {"Time to mitigate", inc.Durations.Mitigate}, {"Time to resolve", inc.Durations.Resolve}} {
		if x.d > 0 {
			v.Durations = append(v.Durations, Named{x.name, incident.FormatDuration(x.d)})
		}
	}
	v.Roles = g.roles(inc.Record)
	v.Timeline = g.entries(d.Timeline)
	for _, l := range inc.Record.Links {
		if u, ok := safeURL(l.URL); ok {
			v.Links = append(v.Links, LinkView{Kind: l.Kind, Title: l.Title, URL: u})
		}
	}
	dir := incidentDir(inc.ID())
	if err := g.attachments(inc, dir, v); err != nil {
		return err
	}
	if d.Postmortem != nil {
		v.PMStatus = d.Postmortem.Meta.Status
		v.PMAuthors = d.Postmortem.Meta.Authors
		v.FollowUps = d.Postmortem.Meta.FollowUps
		html, err := g.markdown(d.Postmortem)
		if err != nil {
			return fmt.Errorf("%s: %w", d.Postmortem.Path, err)
		}
		v.Postmortem = html
	}
	v.Similar = g.similar(inc)
	return g.page("incident", dir+"index.html", inc.Record.Title, "library", v)
}

// roles lists the incident's roles in the settings' order, then any
// others by name.
func (g *gen) roles(r *incident.Incident) []Named {
	var out []Named
	seen := map[string]bool{}
	for _, role := range g.s.Roles {
		if h := r.Roles[role.Name]; h != "" {
			out = append(out, Named{role.Name, h})
			seen[role.Name] = true
		}
	}
	for _, k := range slices.Sorted(maps.Keys(r.Roles)) {
		if !seen[k] && r.Roles[k] != "" {
			out = append(out, Named{k, r.Roles[k]})
		}
	}
	return out
}

func (g *gen) entries(es []timeline.Entry) []EntryView {
	out := make([]EntryView, len(es))
	lastDay := ""
	var b strings.Builder
	for i, e := range es {
		// the milestone is shown as a label, so the words leave it out
		// (Describe would say "[acknowledged] ..." and "declared ...")
		plain := e
		plain.Milestone = ""
		v := EntryView{ID: e.ID, By: e.By, At: e.At, Text: timeline.Describe(plain), Milestone: e.Milestone, Key: e.Key, Public: e.Public}
		if e.Type == timeline.Declared {
			v.Milestone = timeline.Declared
			v.Text = strings.TrimSpace(strings.TrimPrefix(v.Text, timeline.Declared))
		}
		local := e.At.In(g.s.Location())
		if day := local.Format("Monday 2 January 2006"); day != lastDay {
			v.Day, lastDay = day, day
		}
		b.Reset()
		entryHTML(&b, &v, local)
		v.HTML = template.HTML(b.String())
		out[i] = v
	}
	return out
}

// entryHTML writes an entry's markup for an incident page (whose way to
// the site's root is ../../); every value from the timeline is escaped.
func entryHTML(b *strings.Builder, v *EntryView, local time.Time) {
	esc := html.EscapeString
	if v.Day != "" {
		b.WriteString(`<li class="day" aria-hidden="true">` + esc(v.Day) + "</li>\n")
	}
	b.WriteString(`<li class="entry`)
	if v.Milestone != "" {
		b.WriteString(" milestone")
	}
	if v.Key {
		b.WriteString(" key")
	}
	b.WriteString(`" id="e-` + esc(v.ID) + `"><span class="when"><time datetime="` + v.At.UTC().Format(time.RFC3339) +
		`" title="` + esc(local.Format("Mon 2 Jan 2006 15:04 MST")) + " · " + v.At.UTC().Format("15:04 UTC") + `">` +
		local.Format("15:04") + `</time></span><div class="what">`)
	if v.Key {
		b.WriteString(`<span class="star" title="Key moment" aria-label="Key moment">★</span> `)
	}
	if v.Milestone != "" {
		b.WriteString(`<span class="ms-label">` + esc(v.Milestone) + `</span> `)
	}
	b.WriteString(`<span class="text">` + esc(v.Text) + `</span> <span class="by">— <a href="../../people/` +
		url.PathEscape(slug(v.By)) + `/">` + esc(v.By) + `</a>`)
	if v.Public {
		b.WriteString(` · <span class="public-mark">public</span>`)
	}
	b.WriteString("</span></div></li>\n")
}

// attachments copies the incident's attachments next to its page, under
// the names the attachment policy gives them: only inert types keep their
// name, everything else becomes a download (internal/attachment).
func (g *gen) attachments(inc *library.Incident, dir string, v *IncidentView) error {
	for _, name := range inc.Attachments {
		if !attachment.Listed(name) {
			continue
		}
		b, err := fs.ReadFile(g.site.repo, layout.Attachment(inc.ID(), name))
		if err != nil {
			return err
		}
		pub := attachment.Published(name)
		lv := LinkView{Title: name, URL: "attachments/" + url.PathEscape(pub)}
		if !attachment.Inline(name) {
			lv.Download = pub
		}
		if attachment.Text(name, b) {
			page := name + attachment.PageSuffix
			lv.URL = "attachments/" + url.PathEscape(page)
			lv.Archive = "attachments/" + url.PathEscape(pub)
			av := &AttachmentView{Incident: inc.ID(), IncidentTitle: inc.Record.Title, Name: name, Text: string(b), Download: pub}
			if err := g.page("attachment", dir+"attachments/"+page, name, "library", av); err != nil {
				return err
			}
		}
		if b, err = attachment.Content(name, b); err != nil {
			return err
		}
		if err := g.out.write(dir+"attachments/"+pub, b); err != nil {
			return err
		}
		v.Attachments = append(v.Attachments, lv)
	}
	return nil
}

// safeURL accepts absolute http and https URLs only.
func safeURL(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", false
	}
	return u.String(), true
}
