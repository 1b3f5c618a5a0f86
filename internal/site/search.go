package site

import (
	"io/fs"
	"path"
	"regexp"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/library"
	"github.com/sev-dev/sev/internal/searchtext"
	"github.com/sev-dev/sev/internal/sitesearch"
	"github.com/sev-dev/sev/internal/timeline"
)

// The site's search is internal/sitesearch: an index built while the
// library loads (each incident is analysed once, from the same parse that
// summarises it) and written under search/, read in the browser by its
// client, which the theme's search page loads. The same index answers the
// incident pages' "similar incidents".

var wikiLinks = regexp.MustCompile(`\[\[[^\[\]\n|]{1,100}(?:\|([^\[\]\n]*))?\]\]`)

// indexer adds each visible incident to the search index as it loads.
func (st *Site) indexer(inc *library.Incident, entries []timeline.Entry, pm []byte) {
	if inc.Restricted() && !st.opts.IncludeRestricted {
		return
	}
	st.index.Add(searchDoc(st.settings, inc, entries, pm))
}

// searchDoc is an incident as the site's search sees it: the document
// `sev search` indexes, with [[links]] dropped from the postmortem (their
// labels kept): a linked incident may be restricted, and its ID must not
// reach the index.
func searchDoc(s *config.Settings, inc *library.Incident, entries []timeline.Entry, pm []byte) sitesearch.Doc {
	var p *searchtext.Postmortem
	if pm != nil {
		p = searchtext.ParsePostmortem(wikiLinks.ReplaceAll(pm, []byte("$1")))
	}
	sd := searchtext.NewDoc(inc.Record, entries, p)
	return sitesearch.FromSearch(sd, incidentDir(inc.ID()), s.SeverityName(inc.Record.Severity), s.Location())
}

// similar are the incidents most like inc, from the search index.
func (g *gen) similar(inc *library.Incident) []*library.Incident {
	var out []*library.Incident
	for _, id := range g.site.index.Similar(inc.ID(), 5) {
		if other := g.lib.Get(id); other != nil {
			out = append(out, other)
		}
	}
	return out
}

func (g *gen) search() error {
	if _, err := g.site.index.Write(func(name string, data []byte) error {
		return g.out.write("search/"+name, data)
	}); err != nil {
		return err
	}
	// files that did not change since the index last wrote them are still
	// part of the site
	g.out.mu.Lock()
	for _, name := range g.site.index.Files() {
		g.out.written["search/"+name] = true
	}
	g.out.mu.Unlock()
	err := fs.WalkDir(sitesearch.Assets, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sitesearch.Assets, p)
		if err != nil {
			return err
		}
		return g.out.write(path.Join("assets", p), b)
	})
	if err != nil {
		return err
	}
	return g.page("search", "search/index.html", "Search", "search", nil)
}
