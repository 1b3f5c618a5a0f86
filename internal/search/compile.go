package search

import (
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/sev-dev/sev/internal/searchtext"
)

// compile turns a parsed query into a bleve query. Every word and phrase
// must match in at least one text field (weighted by textFields); filters
// narrow without scoring. A query with no words matches everything its
// filters allow.
//
// known says whether a term occurs in any text field; an identifier that
// does is matched as written only, which spares a phrase query over its
// parts (the parts of api.eu-west-1 are among the commonest terms).
func compile(q *searchtext.Query, known func(string) bool) query.Query {
	return compileWith(q, known, nil, false, "")
}

// positiveWords counts the words and phrases q requires.
func positiveWords(q *searchtext.Query) int {
	n := 0
	for _, c := range q.Text {
		if !c.Not && len(searchtext.Analyze([]byte(c.Text))) > 0 {
			n++
		}
	}
	return n
}

// compileWith is compile with the prefix expansions of the word being
// typed (by clause, weighing half as much as the word), and, with
// anyWord, the words and phrases optional, at least one of them matching:
// the fallback when no document has them all, where a document's score
// adds up what it matched, so those with more words rank higher. synKey
// is the key of the synonyms the index's documents carry: a clause
// expanded with the same ones matches its group's term (fSyn) instead of
// a query per member.
func compileWith(q *searchtext.Query, known func(string) bool, expansions map[int][]string, anyWord bool, synKey string) query.Query {
	var must, should, mustNot []query.Query
	for i, c := range q.Text {
		parts := clauseQueries(c.Text, c.Phrase, known)
		if len(c.Alt) > 0 {
			// the clause or any of its synonyms
			alts := []query.Query{conjunction(parts)}
			group := c.Group != "" && synKey != "" && q.Synonyms == synKey
			for _, a := range c.Alt {
				phrase := strings.Contains(strings.TrimSpace(a), " ")
				if group && phrase {
					continue // the group's term below stands for it
				}
				alts = append(alts, conjunction(clauseQueries(a, phrase, known)))
			}
			if group {
				// one term for the group, instead of a phrase search per
				// member; the single words above keep their field weights
				alts = append(alts, termQuery(fSyn, strings.ToLower(c.Group), 1))
			}
			parts = []query.Query{query.NewDisjunctionQuery(slices.DeleteFunc(alts, func(q query.Query) bool { return q == nil }))}
		}
		if terms := expansions[i]; len(terms) > 0 {
			// the word being typed, or a term it begins
			alts := []query.Query{conjunction(parts)}
			for _, t := range terms {
				alts = append(alts, boosted(anyField(t), 0.5))
			}
			parts = []query.Query{query.NewDisjunctionQuery(slices.DeleteFunc(alts, func(q query.Query) bool { return q == nil }))}
		}
		switch {
		case c.Not:
			mustNot = append(mustNot, parts...)
		case anyWord:
			should = append(should, parts...)
		default:
			must = append(must, parts...)
		}
	}
	for _, run := range wordRuns(q) {
		should = append(should, proximity(searchtext.Analyze([]byte(run)))...)
	}
	var filters []query.Query
	for _, f := range q.Filters {
		var alts []query.Query
		for _, v := range f.Values {
			alts = append(alts, termQuery(f.Field, v, 1))
		}
		var fq query.Query = query.NewDisjunctionQuery(alts)
		if len(alts) == 1 {
			fq = alts[0]
		}
		if f.Not {
			mustNot = append(mustNot, fq)
		} else {
			filters = append(filters, fq)
		}
	}
	if !q.After.IsZero() || !q.Before.IsZero() {
		var lo, hi *float64
		if !q.After.IsZero() {
			v := float64(q.After.Unix())
			lo = &v
		}
		if !q.Before.IsZero() {
			v := float64(q.Before.Unix())
			hi = &v
		}
		yes, no := true, false
		r := query.NewNumericRangeInclusiveQuery(lo, hi, &yes, &no)
		r.SetField(fDate)
		filters = append(filters, r)
	}
	if len(must) == 0 && !anyWord {
		must = append(must, query.NewMatchAllQuery())
	}
	b := query.NewBooleanQuery(must, should, mustNot)
	if anyWord {
		b.SetMinShould(1)
	}
	switch len(filters) {
	case 0:
	case 1:
		b.AddFilter(filters[0])
	default:
		b.AddFilter(query.NewConjunctionQuery(filters))
	}
	return b
}

// clauseQueries are the queries a word (one per word of it) or a phrase
// must satisfy.
func clauseQueries(text string, phrase bool, known func(string) bool) []query.Query {
	toks := searchtext.Analyze([]byte(text))
	if !phrase {
		return wordQueries(toks, known)
	}
	if pq := phraseQuery(toks); pq != nil {
		return []query.Query{pq}
	}
	return nil
}

// conjunction is all of qs: nil for none, the query itself for one.
func conjunction(qs []query.Query) query.Query {
	switch len(qs) {
	case 0:
		return nil
	case 1:
		return qs[0]
	}
	return query.NewConjunctionQuery(qs)
}

func termQuery(field, term string, boost float64) *query.TermQuery {
	t := query.NewTermQuery(term)
	t.SetField(field)
	if boost != 1 {
		t.SetBoost(boost)
	}
	return t
}

// anyField is a term in any text field, weighted by field.
func anyField(term string) query.Query {
	qs := make([]query.Query, len(textFields))
	for i, f := range textFields {
		qs[i] = termQuery(f.name, term, f.boost)
	}
	return query.NewDisjunctionQuery(qs)
}

// wordQueries is one required query per word of the analysed text: the
// word's stem, or for an identifier, the identifier as written, or if it
// never occurs as written, its parts as a phrase (so "cluster-105" finds
// "dev-cluster-105").
func wordQueries(toks []searchtext.Token, known func(string) bool) []query.Query {
	var out []query.Query
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch t.Kind {
		case searchtext.Word:
			out = append(out, anyField(t.Term))
		case searchtext.Ident:
			j := i + 1
			for j < len(toks) && toks[j].Kind == searchtext.Part {
				j++
			}
			if known(t.Term) {
				out = append(out, anyField(t.Term))
			} else if pq := phraseQuery(toks[i+1 : j]); pq != nil {
				out = append(out, pq)
			}
			i = j - 1
		case searchtext.Part: // parts of an identifier too long to be a term
			out = append(out, anyField(t.Term))
		}
	}
	return out
}

// pairBoost weighs two words of an unquoted query found next to each
// other as typed (stop words between them as typed too).
const pairBoost = 3

// wordRuns are the runs of unquoted, required words of q in the order
// they were typed, each as one text ("error rate dropped after the cache
// was flushed"); a phrase, a negated word or the end breaks a run. Runs of
// one word are left out.
func wordRuns(q *searchtext.Query) []string {
	var out []string
	var cur []string
	flush := func() {
		if len(cur) > 1 {
			out = append(out, strings.Join(cur, " "))
		}
		cur = nil
	}
	for _, c := range q.Text {
		if c.Phrase || c.Not {
			flush()
			continue
		}
		cur = append(cur, c.Text)
	}
	flush()
	return out
}

// asWritten is q with each run of unquoted words (wordRuns) required as a
// phrase: the documents that have the words together as typed, which rank
// first. nil when q has no such run.
func asWritten(q *searchtext.Query) *searchtext.Query {
	runs := wordRuns(q)
	if len(runs) == 0 {
		return nil
	}
	out := *q
	out.Text = nil
	var cur []string
	flush := func() {
		switch {
		case len(cur) > 1:
			out.Text = append(out.Text, searchtext.Clause{Text: strings.Join(cur, " "), Phrase: true})
		case len(cur) == 1:
			out.Text = append(out.Text, searchtext.Clause{Text: cur[0]})
		}
		cur = nil
	}
	for _, c := range q.Text {
		if c.Phrase || c.Not {
			flush()
			out.Text = append(out.Text, c)
			continue
		}
		cur = append(cur, c.Text)
	}
	flush()
	return &out
}

// proximity are optional clauses that rank documents where the words of
// a run are near each other above those with the words scattered: each
// two neighbouring words (with the stop words typed between them) as a
// phrase.
func proximity(toks []searchtext.Token) []query.Query {
	var words []searchtext.Token
	for _, t := range toks {
		if t.Kind == searchtext.Word || t.Kind == searchtext.Ident {
			words = append(words, t)
		}
	}
	var out []query.Query
	for i := 0; i+1 < len(words); i++ {
		if pq := phraseQuery(words[i : i+2]); pq != nil {
			out = append(out, boosted(pq, pairBoost))
		}
	}
	return out
}

func boosted(q query.Query, b float64) query.Query {
	if bq, ok := q.(query.BoostableQuery); ok {
		bq.SetBoost(b)
	}
	return q
}

// phraseQuery matches the tokens at their relative positions in any text
// field; an identifier and its first part share a position, so either
// may match there. Gaps left by stop words match any word.
func phraseQuery(toks []searchtext.Token) query.Query {
	if len(toks) == 0 {
		return nil
	}
	first, last := toks[0].Pos, toks[len(toks)-1].Pos
	slots := make([][]string, last-first+1)
	for _, t := range toks {
		slots[t.Pos-first] = append(slots[t.Pos-first], t.Term)
	}
	for i := range slots {
		if len(slots[i]) == 0 {
			slots[i] = []string{""}
		}
	}
	if len(slots) == 1 && len(slots[0]) == 1 {
		return anyField(slots[0][0])
	}
	var qs []query.Query
	for _, f := range textFields {
		if f.name == fLabels {
			continue
		}
		pq := query.NewMultiPhraseQuery(slots, f.name)
		pq.SetBoost(f.boost)
		qs = append(qs, pq)
	}
	return query.NewDisjunctionQuery(qs)
}
