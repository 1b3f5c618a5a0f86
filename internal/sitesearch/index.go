package sitesearch

import (
	"maps"
	"slices"
	"sync"
	"time"
)

// Doc is one incident as the site's search sees it.
type Doc struct {
	// ID is the incident's ID; URL is where its page is, relative to the
	// site's root ("incidents/2026-03-02-checkout/"): the client prefixes
	// the site's base.
	ID, URL, Title string
	Date           time.Time
	Severity       int
	SevName        string // "SEV1"
	Status         string
	Year           int
	Tags, Orgs     []string
	Services       []string
	// Sections are the incident's text apart from the title: the summary,
	// the impact, each timeline entry, each postmortem heading and section,
	// each attachment with text.
	Sections []Section
}

// Section is a piece of an incident's text and where it is.
type Section struct {
	Label  string // shown with a match: "Summary", "Timeline 14:31", "Postmortem: Root cause", "Attachment: app.log"
	Text   string
	Weight float64 // how much a word here says about the incident: one of searchtext.Weight*
	// Attachment marks an attached file's text, whose words do not count
	// in the incident's length (BM25's dl): a long log must not push its
	// incident down for the words responders wrote.
	Attachment bool
}

// Index is the site's search index, built in memory and written as static
// files by Write. Its methods are safe for concurrent use.
type Index struct {
	synonyms [][]string // SetSynonyms

	mu   sync.Mutex
	docs map[string]*doc
	gen  uint64 // changes with every Add and Remove

	inv     *inverted          // the postings of generation inv.gen, for Write and Similar
	written map[string]written // what Write last wrote under each name

	termMu sync.Mutex // guards termID and appending to terms; a term is never changed once appended
	termID map[string]uint32
	terms  []string

	workerMu sync.Mutex
	workers  []*worker // free workers for Add
}

// doc is an incident as the index keeps it: its facets, its terms with
// their weighted frequencies, and its fragment, compressed.
type doc struct {
	id      string
	date    time.Time
	sev     int
	sevName string
	status  string
	year    int
	tags    []string
	orgs    []string
	length  uint32   // tokens, the length in BM25's length normalisation
	terms   []uint32 // term ids; partOnly marks a term only seen as a part of an identifier
	wtf     []uint16 // weighted term frequencies, ×wtfScale, saturated
	frag    []byte   // the fragment file (gzip)
	fragSum uint64
}

const (
	partOnly = 1 << 31
	wtfScale = 10
)

// SetSynonyms gives the index sev.yaml's search.synonyms, which the
// manifest carries for the client.
func (x *Index) SetSynonyms(groups map[string][]string) {
	x.synonyms = nil
	for _, k := range slices.Sorted(maps.Keys(groups)) {
		if len(groups[k]) > 0 {
			x.synonyms = append(x.synonyms, append([]string{k}, groups[k]...))
		}
	}
}

// New returns an empty index.
func New() *Index {
	return &Index{termID: map[string]uint32{}, docs: map[string]*doc{}, written: map[string]written{}}
}

// Add indexes d, replacing an incident with the same ID. The analysis and
// the compression of the fragment happen outside the index's lock, so the
// site's workers can add incidents in parallel.
func (x *Index) Add(d Doc) {
	w := x.getWorker()
	x.analyzeDoc(w, &d)
	frag := fragment(&d)
	nd := &doc{id: d.ID, date: d.Date, sev: d.Severity, sevName: d.SevName, status: d.Status, year: d.Year,
		tags: clean(d.Tags), orgs: clean(d.Orgs), length: w.length, frag: gzipFast(frag), fragSum: crc(frag),
		terms: slices.Clone(w.terms), wtf: make([]uint16, len(w.wtf))}
	for i, f := range w.wtf {
		nd.wtf[i] = uint16(min(f*wtfScale+0.5, 65535))
	}
	x.putWorker(w)
	if nd.year == 0 && !d.Date.IsZero() {
		nd.year = d.Date.Year()
	}
	x.mu.Lock()
	x.docs[d.ID] = nd
	x.gen++
	x.mu.Unlock()
}

// DropFragments lets go of the compressed fragments, which Write has
// written: a build that will not write again needs only what Similar
// reads. A later Write that would have to write a fragment again fails.
func (x *Index) DropFragments() {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, d := range x.docs {
		d.frag = nil
	}
}

// termList returns the terms by id. Terms are only ever appended, so the
// returned slice stays valid.
func (x *Index) termList() []string {
	x.termMu.Lock()
	defer x.termMu.Unlock()
	return x.terms
}

// Remove takes the incident with the given ID out of the index.
func (x *Index) Remove(id string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if _, ok := x.docs[id]; ok {
		delete(x.docs, id)
		x.gen++
	}
}

// Len is the number of incidents in the index.
func (x *Index) Len() int {
	x.mu.Lock()
	defer x.mu.Unlock()
	return len(x.docs)
}

// clean drops empty values and duplicates, keeping the order.
func clean(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v == "" {
			continue
		}
		dup := false
		for _, o := range out {
			dup = dup || o == v
		}
		if !dup {
			out = append(out, v)
		}
	}
	return out
}
