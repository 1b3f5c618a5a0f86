// Package site generates the incident library: a static website built
// from the repository with no server behind it — what is on fire now,
// every incident and postmortem, people and on-call, trend reports, a
// public status page with its feed, and full-text search in the browser.
//
// The flow: library.Load reads the repository in summary; Visible drops
// restricted incidents (unless asked for) before anything else sees it;
// the pages are view structs rendered by html/template from the theme
// (embedded, overridable by the repository's site/ folder); incident
// pages are rendered on all cores, each re-reading its own timeline and
// postmortem, so memory holds summaries only. Every file goes through
// one writer that skips unchanged bytes, which is what makes Rebuild (sev
// serve) cheap and the output of one commit byte-identical.
//
// Links between pages are relative, so the site works under any base
// path (GitHub Pages project sites live under /repo-name/); the base URL
// is needed only for the feed and the sitemap, which must be absolute.
package site

import (
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/library"
	"github.com/sev-dev/sev/internal/report"
	"github.com/sev-dev/sev/internal/sitesearch"
)

// Options are a build's settings.
type Options struct {
	Out               string    // the output folder
	BaseURL           string    // absolute URL the site is served from, for feeds and the sitemap
	IncludeRestricted bool      // put restricted incidents in (an internal-only site)
	Now               time.Time // the build's reference time ("open for 3 h", who is on call)
	// Reports is the period of the trend reports as the command line
	// gave it (--since, --until); a bound left zero is sev.yaml's reports
	// (ReportRange). The other pages always show every incident.
	Reports report.Range
	// Progress, when set, is told how far the incident pages are.
	Progress func(done, total int)
	// Once says the site is built once and never rebuilt (sev build, not
	// sev serve): what only a rebuild would reuse is let go as soon as it
	// is written, which lowers the peak memory of a large build.
	Once bool
	// AttachmentText is the searchable text of an attachment; nil:
	// attachtext.Extract. sev runs PDFs in a child process through it.
	AttachmentText func(name string, data []byte) (string, error)
}

// Summary is what a build did.
type Summary struct {
	Incidents int
	Files     int
	Bytes     int64
	Changed   []string // files whose bytes changed
	Took      time.Duration
	// Problems are the findings of the incidents, postmortems and
	// rotations left out because sev validate rejects them (their error
	// findings, with positions).
	Problems diag.List
	// Unsearchable are the attachments whose text the site's search could
	// not read, each with why ("path: text not searchable: ..."); the
	// incident is on the site, and searchable by its other text.
	Unsearchable []string
}

// Site is a built site, kept by sev serve to rebuild what a change
// affects.
type Site struct {
	opts  Options
	repo  fs.FS
	full  *library.Library
	lib   *library.Library
	theme *theme
	base  *url.URL
	// prev are the files of the last build, so a rebuild keeps what it
	// does not regenerate and removes what is gone without a folder walk
	prev     map[string]bool
	index    *sitesearch.Index
	settings *config.Settings
	mu       sync.Mutex
	notesMu  sync.Mutex          // guards notes, which the indexer writes from many goroutines
	notes    map[string][]string // by incident: attachments whose text could not be read
}

// Build builds the site of the repository in repo into opts.Out.
func Build(repo fs.FS, s *config.Settings, opts Options) (*Site, Summary, error) {
	start := time.Now()
	st := &Site{opts: opts, repo: repo}
	if opts.BaseURL != "" {
		u, err := url.Parse(opts.BaseURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, Summary{}, fmt.Errorf("--base-url %q: want an absolute http(s) URL such as https://example.github.io/incidents/", opts.BaseURL)
		}
		if !strings.HasSuffix(u.Path, "/") {
			u.Path += "/"
		}
		st.base = u
	}
	sum, err := st.loadAll(s)
	sum.Took = time.Since(start)
	return st, sum, err
}

// loadAll loads the theme and every incident (indexing each for the
// search as it is read) and generates every page: a build, or a rebuild
// of everything.
func (st *Site) loadAll(s *config.Settings) (Summary, error) {
	th, err := loadTheme(st.repo, s)
	if err != nil {
		return Summary{}, err
	}
	st.theme = th
	st.settings, st.index = s, sitesearch.New()
	st.index.SetSynonyms(s.Search.Synonyms)
	st.notesMu.Lock()
	st.notes = nil
	st.notesMu.Unlock()
	full, err := library.LoadWith(st.repo, s, st.indexer)
	if err != nil {
		return Summary{}, err
	}
	st.full = full
	st.lib = full.Visible(st.opts.IncludeRestricted)
	return st.generate(nil)
}

// SetNow moves the reference time of the next Rebuild (sev serve follows
// the clock).
func (st *Site) SetNow(t time.Time) {
	st.mu.Lock()
	st.opts.Now = t
	st.mu.Unlock()
}

// Rebuild reloads the incidents with the given IDs and rewrites the pages
// they appear on: their own pages, the listings of their years,
// severities, tags, orgs and services and the pages of their people,
// before and after the change, and the site-wide pages. An empty ids
// rebuilds everything (settings, rotations or the theme changed).
func (st *Site) Rebuild(s *config.Settings, ids []string) (Summary, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	start := time.Now()
	if len(ids) == 0 {
		sum, err := st.loadAll(s)
		sum.Took = time.Since(start)
		return sum, err
	}
	ch := &changed{ids: map[string]bool{}, groups: map[string]bool{}, loc: s.Location()}
	before := map[string]*library.Incident{}
	for _, id := range ids {
		ch.ids[id] = true
		before[id] = st.lib.Get(id)
		ch.affect(before[id])
	}
	for _, id := range ids {
		st.index.Remove(id)
		st.setNotes(id, nil)
	}
	if _, err := st.full.Update(ids, st.indexer); err != nil {
		return Summary{}, err
	}
	st.lib = st.full.Visible(st.opts.IncludeRestricted)
	ch.stable = true
	for _, id := range ids {
		after := st.lib.Get(id)
		ch.affect(after)
		st.theme.rows.forget(id)
		ch.stable = ch.stable && samePlaces(before[id], after, ch.loc)
	}
	sum, err := st.generate(ch)
	sum.Took = time.Since(start)
	return sum, err
}

// changed is what an incremental rebuild regenerates.
type changed struct {
	ids    map[string]bool
	groups map[string]bool // facet:..., person:...
	loc    *time.Location
	// stable: every changed incident kept its date, its facets and its
	// people, so it sits on the same page of every listing and no count
	// moved; only the pages that show it need writing again.
	stable bool
}

// unchanged reports whether a listing page with these items is the same
// as in the last build.
func (c *changed) unchanged(items []*library.Incident) bool {
	if c == nil || !c.stable {
		return false
	}
	for _, inc := range items {
		if c.ids[inc.ID()] {
			return false
		}
	}
	return true
}

// samePlaces reports whether an incident before and after a change is
// listed in the same places: same date, facets and people.
func samePlaces(a, b *library.Incident, loc *time.Location) bool {
	if a == nil || b == nil || !a.Date.Equal(b.Date) {
		return false
	}
	return slices.Equal(facetsOf(a, loc), facetsOf(b, loc)) && slices.Equal(uniqueSorted(peopleOf(a)), uniqueSorted(peopleOf(b)))
}

func uniqueSorted(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return slices.Compact(out)
}

// affect adds the groups an incident's pages belong to.
func (c *changed) affect(inc *library.Incident) {
	if inc == nil {
		return
	}
	c.groups["incident:"+inc.ID()] = true
	for _, f := range facetsOf(inc, c.loc) {
		c.groups["facet:"+f] = true
	}
	for _, h := range peopleOf(inc) {
		c.groups["person:"+slug(h)] = true
	}
}

// regenerates reports whether an incremental rebuild writes the group
// (site-wide pages always are).
func (c *changed) regenerates(group string) bool {
	if c == nil {
		return true
	}
	kind, _, ok := strings.Cut(group, ":")
	if !ok {
		return true
	}
	switch kind {
	case "incident", "facet", "person":
		return c.groups[group]
	}
	return true
}

// generate writes the site: everything, or with ch only the groups ch
// regenerates (files of other groups stay as they are).
func (st *Site) generate(ch *changed) (Summary, error) {
	out, err := openOutput(st.opts.Out)
	if err != nil {
		return Summary{}, err
	}
	if ch == nil {
		st.theme.rows.reset()
	}
	g := &gen{site: st, lib: st.lib, out: out, now: st.opts.Now, s: st.lib.Settings, ch: ch}
	g.prepare()
	if ch != nil {
		out.keep(st.prev, ch.regenerates)
	}
	// the search index first: a build that is not rebuilt can then let
	// its fragments go before the pages are made
	if err := g.search(); err != nil {
		return Summary{}, err
	}
	if st.opts.Once {
		st.index.DropFragments()
	}
	if err := g.incidents(); err != nil {
		return Summary{}, err
	}
	for _, step := range []func() error{g.nowPage, g.libraryPages, g.postmortems, g.peoplePages, g.oncall, g.status, g.reports, g.misc} {
		if err := step(); err != nil {
			return Summary{}, err
		}
	}
	if ch == nil || st.prev == nil {
		err = out.prune()
	} else {
		err = out.dropStale(st.prev)
	}
	if err != nil {
		return Summary{}, err
	}
	st.prev = out.written
	return Summary{Incidents: len(g.lib.Incidents), Files: len(out.written), Bytes: out.bytes,
		Changed: out.changed, Problems: errorsOf(st.full.Problems), Unsearchable: st.unsearchable()}, nil
}

// Page is what every template gets.
type Page struct {
	Site    *Info
	Root    string // the way back to the site's root from this page: "", "../", "../../"
	Path    string // the output file, e.g. incidents/2026-03-02-x/index.html
	Title   string
	Section string // the navigation entry to mark as current
	Data    any
}

// Info is what every page knows of the site.
type Info struct {
	Name string
	Now  time.Time
	CSP  string
	Nav  []NavItem
}

// NavItem is one entry of the navigation bar.
type NavItem struct{ Key, Label, Href string }

// CSP is the Content-Security-Policy every page carries (as a meta tag;
// sev serve also sends it as a header): only the site's own scripts,
// styles and images, no inline script or style, no plugins, no framing
// by others when the host honours the header.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'"

var nav = []NavItem{
	{"now", "Now", ""}, {"library", "Library", "library/"}, {"postmortems", "Postmortems", "postmortems/"},
	{"people", "People", "people/"}, {"oncall", "On call", "oncall/"}, {"reports", "Reports", "reports/"},
	{"status", "Status", "status/"}, {"search", "Search", "search/"},
}

// page renders one template to a file.
func (g *gen) page(tmpl, file, title, section string, data any) error {
	root := strings.Repeat("../", strings.Count(file, "/"))
	if file == "404.html" {
		// served in place of any missing path, so its links start at the
		// site's root path
		root = "/"
		if g.site.base != nil {
			root = g.site.base.Path
		}
	}
	p := &Page{Site: g.info, Root: root, Path: file, Title: title, Section: section, Data: data}
	b, err := g.site.theme.render(tmpl, p)
	if err != nil {
		return err
	}
	return g.out.write(file, b)
}

// absolute is the URL of a site path for feeds and the sitemap.
func (g *gen) absolute(p string) string {
	if g.site.base == nil {
		return p
	}
	return g.site.base.ResolveReference(&url.URL{Path: p}).String()
}

func errorsOf(l diag.List) diag.List {
	var out diag.List
	for _, d := range l {
		if d.Severity == diag.Error {
			out = append(out, d)
		}
	}
	return out
}
