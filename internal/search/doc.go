package search

import (
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/timeline"
)

// Doc is one incident as the index sees it: the record's text and fields,
// the text of its timeline entries and its postmortem.
type Doc struct {
	ID, Title, Summary, Impact string
	Severity                   int
	Status, Kind, Visibility   string
	Tags, Orgs, Services       []string
	People                     []string // roles, responders, paged, entry authors, postmortem authors
	Date                       time.Time
	Timeline                   []Entry // entries with text, in file order
	Postmortem                 *Postmortem
}

// Entry is a timeline entry's text and time.
type Entry struct {
	At   time.Time
	Text string
}

// Restricted reports whether the incident is restricted.
// Like incident.Incident.Restricted, it fails closed.
func (d *Doc) Restricted() bool { return d.Visibility != "public" && d.Visibility != "internal" }

// NewDoc builds the document of an incident. entries and pm may be nil.
func NewDoc(inc *incident.Incident, entries []timeline.Entry, pm *Postmortem) *Doc {
	d := &Doc{ID: inc.ID, Title: inc.Title, Summary: inc.Summary, Impact: inc.Impact, Severity: inc.Severity,
		Status: inc.Status, Kind: inc.EffectiveKind(), Visibility: inc.EffectiveVisibility(),
		Tags: inc.Tags, Orgs: inc.Orgs, Services: inc.Services, Date: incident.DateOf(inc), Postmortem: pm}
	people := map[string]bool{}
	add := func(p string) {
		if p = strings.ToLower(strings.TrimSpace(p)); p != "" && !people[p] {
			people[p] = true
			d.People = append(d.People, p)
		}
	}
	for _, p := range inc.Roles {
		add(p)
	}
	for _, p := range inc.Responders {
		add(p)
	}
	for _, p := range inc.Paged {
		add(p.Person)
	}
	for _, e := range entries {
		add(e.By)
		if t := entryText(e); t != "" {
			d.Timeline = append(d.Timeline, Entry{At: e.At, Text: t})
		}
	}
	if pm != nil {
		for _, p := range pm.People {
			add(p)
		}
	}
	return d
}

// entryText is what a reader of the timeline would search for: the note
// or comment, and the new value of a field.
func entryText(e timeline.Entry) string {
	switch {
	case e.Value != "" && e.Text != "":
		return e.Text + "\n" + e.Value
	case e.Value != "":
		return e.Value
	}
	return e.Text
}

// Field names in the index.
const (
	fTitle    = "title"
	fSummary  = "summary"
	fImpact   = "impact"
	fLabels   = "labels" // tags, services, orgs as words
	fTimeline = "tl"     // entry texts; the array position is the entry
	fTLAt     = "tl_at"  // entry times (stored), same array positions
	fPMHead   = "pmh"    // postmortem section headings
	fPM       = "pm"     // postmortem section texts, same array positions
	fSev      = "sev"
	fStatus   = "status"
	fKind     = "kind"
	fTag      = "tag"
	fOrg      = "org"
	fService  = "service"
	fPerson   = "person"
	fPMStatus = "pm_status"
	fDate     = "date"
)

// textFields are searched by words, with their weights: a word in a
// title or a postmortem heading says more about the incident than one in
// a long timeline.
var textFields = []struct {
	name  string
	boost float64
}{
	{fTitle, 3}, {fPMHead, 2}, {fSummary, 1.5}, {fLabels, 1.5}, {fImpact, 1.2}, {fTimeline, 1}, {fPM, 1},
}

const (
	optText   = index.IndexField | index.StoreField | index.IncludeTermVectors
	optFilter = index.IndexField | index.SkipFreqNorm
	optShown  = index.IndexField | index.StoreField | index.SkipFreqNorm
)

// keywordAnalyzer indexes a value as one lower-case term.
type keywordAnalyzer struct{}

func (keywordAnalyzer) Analyze(b []byte) analysis.TokenStream {
	return analysis.TokenStream{{Term: []byte(strings.ToLower(string(b))), Start: 0, End: len(b), Position: 1, Type: analysis.AlphaNumeric}}
}

var (
	textAnalyzer = analyzer{}
	kwAnalyzer   = keywordAnalyzer{}
)

// bleveDoc turns a Doc into bleve's document without going through the
// mapping's reflection, so array positions are exactly entry and section
// numbers and only the options chosen here are paid for.
func (d *Doc) bleveDoc() *document.Document {
	doc := document.NewDocument(d.ID)
	text := func(name string, pos []uint64, v string) {
		if v != "" {
			doc.AddField(document.NewTextFieldCustom(name, pos, []byte(v), optText, textAnalyzer))
		}
	}
	kw := func(name string, opt index.FieldIndexingOptions, vs ...string) {
		for _, v := range vs {
			if v != "" {
				doc.AddField(document.NewTextFieldCustom(name, nil, []byte(v), opt, kwAnalyzer))
			}
		}
	}
	text(fTitle, nil, d.Title)
	text(fSummary, nil, d.Summary)
	text(fImpact, nil, d.Impact)
	labels := strings.Join(append(append(append([]string{}, d.Tags...), d.Services...), d.Orgs...), " ")
	text(fLabels, nil, labels)
	for i, e := range d.Timeline {
		pos := []uint64{uint64(i)}
		text(fTimeline, pos, e.Text)
		doc.AddField(document.NewTextFieldCustom(fTLAt, pos, []byte(e.At.UTC().Format(time.RFC3339)), index.StoreField, kwAnalyzer))
	}
	if pm := d.Postmortem; pm != nil {
		for i, s := range pm.Sections {
			pos := []uint64{uint64(i)}
			text(fPMHead, pos, s.Heading)
			text(fPM, pos, s.Text)
		}
		kw(fPMStatus, optFilter, pm.Status)
	}
	kw(fSev, optShown, strconv.Itoa(d.Severity))
	kw(fStatus, optShown, d.Status)
	kw(fKind, optFilter, d.Kind)
	kw(fTag, optFilter, d.Tags...)
	kw(fOrg, optFilter, d.Orgs...)
	kw(fService, optFilter, d.Services...)
	kw(fPerson, optFilter, d.People...)
	if !d.Date.IsZero() {
		doc.AddField(document.NewNumericFieldWithIndexingOptions(fDate, nil, float64(d.Date.Unix()),
			index.IndexField|index.StoreField|index.DocValues))
	}
	return doc
}
