package site

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/library"
)

// gen is one build's state.
type gen struct {
	site *Site
	lib  *library.Library
	out  *output
	now  time.Time
	s    *config.Settings
	info *Info
	ch   *changed // nil: a full build

	facets []*facet
	people []*personView
}

// facet is one way to browse the library: by year, severity, tag, org,
// service.
type facet struct {
	Key    string // year, severity, tag, org, service
	Label  string // "Year", "Severity", ...
	Dir    string // library/year/
	Values []*facetValue
}

type facetValue struct {
	Name      string
	Label     string
	Href      string // relative to the root
	Incidents []*library.Incident
}

func (g *gen) prepare() {
	g.info = &Info{Name: g.s.Name, Now: g.now, CSP: CSP, Nav: nav}
	if g.info.Name == "" {
		g.info.Name = "Incidents"
	}
	g.facets = g.buildFacets()
	g.people = g.buildPeople()
}

// facetDef is one way the library is browsed: a folder under library/
// per value.
type facetDef struct {
	key, label string
	values     func(inc *library.Incident) []string
	// label1 names a value for people (a severity's name); nil: as is
	label1 func(v string) string
}

// facetDefs are the library's facets, in the order the pages show them;
// the pages and the incremental rebuild both use this list.
func facetDefs(s *config.Settings, loc *time.Location) []facetDef {
	return []facetDef{
		{"year", "Year", func(inc *library.Incident) []string { return []string{yearOf(inc, loc)} }, nil},
		{"severity", "Severity", func(inc *library.Incident) []string { return []string{fmt.Sprint(inc.Record.Severity)} },
			func(v string) string {
				var n int
				fmt.Sscan(v, &n)
				return s.SeverityName(n)
			}},
		{"tag", "Tag", func(inc *library.Incident) []string { return inc.Record.Tags }, nil},
		{"org", "Org", func(inc *library.Incident) []string { return inc.Record.Orgs }, nil},
		{"service", "Service", func(inc *library.Incident) []string { return inc.Record.Services }, nil},
	}
}

func (g *gen) buildFacets() []*facet {
	defs := facetDefs(g.s, g.s.Location())
	var out []*facet
	for _, d := range defs {
		dir := "library/" + d.key + "/"
		f := &facet{Key: d.key, Label: d.label, Dir: dir}
		byName := map[string]*facetValue{}
		for _, inc := range g.lib.Incidents {
			for _, v := range d.values(inc) {
				fv := byName[v]
				if fv == nil {
					label := v
					if d.label1 != nil {
						label = d.label1(v)
					}
					fv = &facetValue{Name: v, Label: label, Href: dir + slug(v) + "/"}
					byName[v] = fv
				}
				if n := len(fv.Incidents); n == 0 || fv.Incidents[n-1] != inc {
					fv.Incidents = append(fv.Incidents, inc)
				}
			}
		}
		for _, k := range slices.Sorted(maps.Keys(byName)) {
			f.Values = append(f.Values, byName[k])
		}
		switch d.key {
		case "year":
			sort.Slice(f.Values, func(a, b int) bool { return f.Values[a].Name > f.Values[b].Name })
		case "severity":
			sort.Slice(f.Values, func(a, b int) bool {
				return len(f.Values[a].Name) < len(f.Values[b].Name) || len(f.Values[a].Name) == len(f.Values[b].Name) && f.Values[a].Name < f.Values[b].Name
			})
		}
		out = append(out, f)
	}
	return out
}

// facetsOf lists the facet values an incident is listed under, as
// "tag/payments" (the folders under library/).
func facetsOf(inc *library.Incident, loc *time.Location) []string {
	var out []string
	for _, d := range facetDefs(nil, loc) {
		for _, v := range d.values(inc) {
			out = append(out, d.key+"/"+slug(v))
		}
	}
	return out
}

func yearOf(inc *library.Incident, loc *time.Location) string {
	return fmt.Sprint(inc.Date.In(loc).Year())
}

// perPage is how many incidents a listing page shows.
const perPage = 100

// Listing is the data of a paginated list of incidents.
type Listing struct {
	Heading string
	Intro   string
	Back    *NavItem
	Items   []*library.Incident
	Total   int
	Pager   Pager
	Facets  []*facet // on the library's front page
}

// Pager links the pages of one listing.
type Pager struct {
	N, Of      int
	Prev, Next string // relative to the root, or ""
}

// listing writes dir/index.html, dir/page/2/index.html, ...
func (g *gen) listing(dir, heading, intro, section string, items []*library.Incident, back *NavItem) error {
	pages := (len(items) + perPage - 1) / perPage
	if pages == 0 {
		pages = 1
	}
	at := func(n int) string {
		if n == 1 {
			return dir
		}
		return fmt.Sprintf("%spage/%d/", dir, n)
	}
	for n := 1; n <= pages; n++ {
		lo, hi := (n-1)*perPage, min(n*perPage, len(items))
		if g.ch.unchanged(items[lo:hi]) {
			g.out.keepFile(at(n) + "index.html")
			continue
		}
		l := &Listing{Heading: heading, Intro: intro, Back: back, Items: items[lo:hi], Total: len(items), Pager: Pager{N: n, Of: pages}}
		if n > 1 {
			l.Pager.Prev = at(n - 1)
		}
		if n < pages {
			l.Pager.Next = at(n + 1)
		}
		title := heading
		if n > 1 {
			title = fmt.Sprintf("%s (page %d)", heading, n)
		}
		if err := g.page("list", at(n)+"index.html", title, section, l); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) libraryPages() error {
	l := &Listing{Heading: "Library", Intro: fmt.Sprintf("%d incidents", len(g.lib.Incidents)), Facets: g.facets,
		Total: len(g.lib.Incidents), Pager: Pager{N: 1, Of: 1}}
	l.Items = g.lib.Incidents[:min(len(g.lib.Incidents), 25)]
	if err := g.page("list", "library/index.html", "Library", "library", l); err != nil {
		return err
	}
	back := &NavItem{Key: "library", Label: "Library", Href: "library/"}
	for _, f := range g.facets {
		for _, v := range f.Values {
			if !g.ch.regenerates(groupOf(v.Href + "index.html")) {
				continue
			}
			heading := v.Label
			if f.Key != "year" && f.Key != "severity" {
				heading = f.Label + ": " + v.Label
			}
			if err := g.listing(v.Href, heading, plural(len(v.Incidents), "incident", "incidents"), "library", v.Incidents, back); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *gen) postmortems() error {
	var with []*library.Incident
	for _, inc := range g.lib.Incidents {
		if inc.Postmortem != nil {
			with = append(with, inc)
		}
	}
	return g.listing("postmortems/", "Postmortems", plural(len(with), "postmortem", "postmortems")+", newest incident first", "postmortems", with, nil)
}

func (g *gen) misc() error {
	if err := g.page("notfound", "404.html", "Not found", "", nil); err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(g.site.theme.assets)) {
		if err := g.out.write("assets/"+name, g.site.theme.assets[name]); err != nil {
			return err
		}
	}
	return g.sitemap()
}

// sitemap lists every HTML page, with absolute URLs when the base URL is
// known (the protocol requires them); without one it is left out.
func (g *gen) sitemap() error {
	if g.site.base == nil {
		return nil
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, p := range slices.Sorted(maps.Keys(g.out.written)) {
		if !strings.HasSuffix(p, "index.html") {
			continue
		}
		b.WriteString("  <url><loc>")
		xmlEscape(&b, g.absolute(strings.TrimSuffix(p, "index.html")))
		b.WriteString("</loc></url>\n")
	}
	b.WriteString("</urlset>\n")
	return g.out.write("sitemap.xml", []byte(b.String()))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// incidentDir is an incident page's folder.
func incidentDir(id string) string { return path.Join("incidents", id) + "/" }

// progress counts finished incident pages for the progress line.
type progress struct {
	done  atomic.Int64
	total int
	f     func(done, total int)
}

func (p *progress) tick() {
	if p.f != nil {
		p.f(int(p.done.Add(1)), p.total)
	}
}
