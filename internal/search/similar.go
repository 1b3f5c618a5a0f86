package search

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/sev-dev/sev/internal/searchtext"
)

// More-like-this: the incident's stored text is analysed with the index's
// own analyzer, each field's terms are weighted by their frequency in the
// incident and their rarity in the index (BM25's idf, from the index
// reader's document frequencies), and the heaviest become a weighted
// disjunction. Tags, services and orgs take part as the words of the
// labels field. bleve scores the candidates; the incident itself is
// excluded.

// mltTerms is how many terms the query keeps.
const mltTerms = 30

type mltTerm struct {
	field, term string
	weight      float64
}

// Similar finds the incidents most like id.
func (x *Index) Similar(ctx context.Context, id string, r Request) (*Result, error) {
	if err := x.openMain(false); err != nil {
		return nil, err
	}
	st, _, err := x.load(id)
	if err != nil {
		return nil, err
	}
	if st.title == "" && st.sev == "" {
		return nil, fmt.Errorf("%s is not in the search index (see the warnings above, or run \"sev validate\")", id)
	}
	terms, err := x.weigh(ctx, st)
	if err != nil {
		return nil, err
	}
	var should []query.Query
	for _, t := range terms {
		should = append(should, termQuery(t.field, t.term, t.weight))
	}
	if len(should) == 0 {
		return &Result{Hits: []Hit{}}, nil
	}
	q := query.NewBooleanQuery(nil, should, []query.Query{query.NewDocIDQuery([]string{id})})
	idx := bleve.Index(x.main)
	if r.Restricted {
		rest, err := x.openRestricted(false)
		if err != nil {
			return nil, err
		}
		idx = bleve.NewIndexAlias(x.main, rest)
	}
	return x.run(ctx, idx, q, r, false)
}

// weigh picks the incident's most telling terms.
func (x *Index) weigh(ctx context.Context, st *stored) ([]mltTerm, error) {
	adv, err := x.main.Advanced()
	if err != nil {
		return nil, err
	}
	rd, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	n, err := rd.DocCount()
	if err != nil {
		return nil, err
	}
	fields := map[string][]string{fTitle: {st.title}, fSummary: {st.summary}, fImpact: {st.impact},
		fTimeline: st.tl, fPMHead: st.pmh, fPM: st.pm, fLabels: {st.labels}, fAtt: st.att}
	var out []mltTerm
	for _, f := range textFields {
		tf := map[string]int{}
		for _, v := range fields[f.name] {
			for _, t := range searchtext.Analyze([]byte(v)) {
				if t.Kind != searchtext.Part {
					tf[t.Term]++
				}
			}
		}
		for term, freq := range tf {
			tfr, err := rd.TermFieldReader(ctx, []byte(term), f.name, false, false, false)
			if err != nil {
				return nil, err
			}
			df := tfr.Count()
			tfr.Close()
			if df < 2 { // only this incident has it
				continue
			}
			idf := math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
			out = append(out, mltTerm{field: f.name, term: term, weight: (1 + math.Log(float64(freq))) * idf * f.boost})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].weight != out[j].weight {
			return out[i].weight > out[j].weight
		}
		return out[i].field+out[i].term < out[j].field+out[j].term
	})
	return out[:min(len(out), mltTerms)], nil
}
