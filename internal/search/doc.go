package search

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/sev-dev/sev/internal/searchtext"
)

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
	fAtt      = "att"    // attachments' texts; the array position is the attachment
	fAttName  = "att_n"  // attachments' names (stored), same array positions
	fSev      = searchtext.FieldSev
	fStatus   = searchtext.FieldStatus
	fKind     = searchtext.FieldKind
	fTag      = searchtext.FieldTag
	fOrg      = searchtext.FieldOrg
	fService  = searchtext.FieldService
	fPerson   = searchtext.FieldPerson
	fPMStatus = "pm_status"
	fDate     = "date"
	// fSyn holds the synonym groups the text mentions (searchtext.Synonyms.In),
	// by key: a query for a group is one term there.
	fSyn = "syn"
)

// textFields are searched by words, with their weights (searchtext's).
var textFields = []struct {
	name  string
	boost float64
}{
	{fTitle, searchtext.WeightTitle}, {fPMHead, searchtext.WeightHeading}, {fSummary, searchtext.WeightSummary},
	{fLabels, searchtext.WeightLabels}, {fImpact, searchtext.WeightImpact}, {fTimeline, searchtext.WeightText}, {fPM, searchtext.WeightText},
	{fAtt, searchtext.WeightAttachment},
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

var kwAnalyzer = keywordAnalyzer{}

// bleveDoc turns a Doc into bleve's document without going through the
// mapping's reflection, so array positions are exactly entry and section
// numbers and only the options chosen here are paid for.
func bleveDoc(d *searchtext.Doc, syn *searchtext.Synonyms) *document.Document {
	doc := document.NewDocument(d.ID)
	groups := map[string]bool{}
	text := func(name string, pos []uint64, v string) {
		if v != "" {
			toks := searchtext.Analyze([]byte(v))
			doc.AddField(document.NewTextFieldCustom(name, pos, []byte(v), optText, &analyzed{tokenStream(toks)}))
			for _, g := range syn.InTokens(toks) {
				groups[g] = true
			}
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
	for i, a := range d.Attachments {
		pos := []uint64{uint64(i)}
		text(fAtt, pos, a.Text)
		doc.AddField(document.NewTextFieldCustom(fAttName, pos, []byte(a.Name), index.StoreField, kwAnalyzer))
	}
	kw(fSev, optShown, strconv.Itoa(d.Severity))
	kw(fStatus, optShown, d.Status)
	kw(fKind, optFilter, d.Kind)
	kw(fTag, optFilter, d.Tags...)
	kw(fOrg, optFilter, d.Orgs...)
	kw(fService, optFilter, d.Services...)
	kw(fPerson, optFilter, d.People...)
	// scored like a word (a field without norms scores NaN)
	kw(fSyn, index.IndexField, slices.Sorted(maps.Keys(groups))...)
	if !d.Date.IsZero() {
		doc.AddField(document.NewNumericFieldWithIndexingOptions(fDate, nil, float64(d.Date.Unix()),
			index.IndexField|index.StoreField|index.DocValues))
	}
	return doc
}
