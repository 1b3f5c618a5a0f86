package site

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"

	"github.com/sev-dev/sev/internal/attachment"
	"github.com/sev-dev/sev/internal/attachtext"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/library"
	"github.com/sev-dev/sev/internal/searchtext"
	"github.com/sev-dev/sev/internal/sitesearch"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/validate"
)

// The site's search is internal/sitesearch: an index built while the
// library loads (each incident is analysed once, from the same parse that
// summarises it) and written under search/, read in the browser by its
// client, which the theme's search page loads. The same index answers the
// incident pages' "similar incidents".

var wikiLinks = regexp.MustCompile(`\[\[[^\[\]\n|]{1,100}(?:\|([^\[\]\n]*))?\]\]`)

// indexer adds each visible incident to the search index as it loads,
// with the text of its attachments unless it is restricted: a site built
// with --include-restricted shows a restricted incident's text, but the
// search index, which anyone who can open the site can download whole,
// never holds its attached files.
func (st *Site) indexer(inc *library.Incident, entries []timeline.Entry, pm []byte) {
	if inc.Restricted() && !st.opts.IncludeRestricted {
		return
	}
	var atts []searchtext.Attachment
	var notes []string
	if !inc.Restricted() {
		atts, notes = st.attachmentText(inc)
	}
	st.setNotes(inc.ID(), notes)
	st.index.Add(searchDoc(st.settings, inc, entries, pm, atts))
}

// searchDoc is an incident as the site's search sees it: the document
// `sev search` indexes, with [[links]] dropped from the postmortem (their
// labels kept): a linked incident may be restricted, and its ID must not
// reach the index.
func searchDoc(s *config.Settings, inc *library.Incident, entries []timeline.Entry, pm []byte, atts []searchtext.Attachment) sitesearch.Doc {
	var p *searchtext.Postmortem
	if pm != nil {
		p = searchtext.ParsePostmortem(wikiLinks.ReplaceAll(pm, []byte("$1")))
	}
	sd := searchtext.NewDoc(inc.Record, entries, p)
	sd.Attachments = atts
	return sitesearch.FromSearch(sd, incidentDir(inc.ID()), s.SeverityName(inc.Record.Severity), s.Location())
}

// attachmentText reads an incident's attachments as the gate reads files
// and extracts their text (Options.AttachmentText); notes say which could
// not be read and why.
func (st *Site) attachmentText(inc *library.Incident) (out []searchtext.Attachment, notes []string) {
	extract := st.opts.AttachmentText
	if extract == nil {
		extract = attachtext.Extract
	}
	for _, name := range inc.Attachments {
		if !attachment.Listed(name) {
			continue
		}
		p := layout.Attachment(inc.ID(), name)
		data, err := validate.ReadAttachment(st.repo, st.settings, p)
		var text string
		if err == nil {
			text, err = extract(name, data)
		}
		if err != nil {
			notes = append(notes, fmt.Sprintf("%s: text not searchable: %v", p, err))
		}
		if text != "" {
			out = append(out, searchtext.Attachment{Name: name, Text: text})
		}
	}
	return out, notes
}

// setNotes remembers what could not be read of an incident's attachments
// (nil: nothing), for the build's summary.
func (st *Site) setNotes(id string, notes []string) {
	st.notesMu.Lock()
	defer st.notesMu.Unlock()
	if len(notes) == 0 {
		delete(st.notes, id)
		return
	}
	if st.notes == nil {
		st.notes = map[string][]string{}
	}
	st.notes[id] = notes
}

// unsearchable lists the notes of the incidents on the site, sorted.
func (st *Site) unsearchable() []string {
	st.notesMu.Lock()
	defer st.notesMu.Unlock()
	var out []string
	for id, notes := range st.notes {
		if st.lib.Get(id) != nil {
			out = append(out, notes...)
		}
	}
	sort.Strings(out)
	return out
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
