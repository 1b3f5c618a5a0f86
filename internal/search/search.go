package search

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/sev-dev/sev/internal/searchtext"
)

// Request is one search.
type Request struct {
	Query *searchtext.Query
	// Limit is how many hits to return (0: 10); All returns every match.
	Limit      int
	All        bool
	SortByDate bool           // newest first instead of most relevant first
	Restricted bool           // include restricted incidents (Sync with restricted first)
	Location   *time.Location // for the times snippets name; nil: UTC
}

// Result is a page of hits, best first, and how many incidents matched.
type Result struct {
	Total int   `json:"total"`
	Hits  []Hit `json:"results"`
	// AnyWord says no incident had every word, so these are the incidents
	// with any of them, those with the most words first.
	AnyWord bool `json:"any_word,omitzero"`
}

// Hit is one matching incident.
type Hit struct {
	ID         string    `json:"id"`
	Title      string    `json:"title"`
	Severity   int       `json:"severity"`
	SevName    string    `json:"severity_name,omitzero"` // filled in by the caller, from the settings
	Status     string    `json:"status"`
	Score      float64   `json:"score"`
	Date       time.Time `json:"date,omitzero"`
	Restricted bool      `json:"restricted,omitzero"`
	Snippets   []Snippet `json:"snippets"`
}

// Snippet is a piece of matching text and where it is.
type Snippet struct {
	// Where says it for people: "title", "summary", "impact",
	// "tags and services", "timeline entry at 14:31",
	// `postmortem section "Root cause"`, `attachment "error-rate.csv"`.
	Where      string     `json:"where"`
	Field      string     `json:"field"`                // title, summary, impact, labels, timeline, postmortem, attachment
	At         *time.Time `json:"at,omitempty"`         // the timeline entry's time
	Section    string     `json:"section,omitempty"`    // the postmortem section's heading
	Attachment string     `json:"attachment,omitempty"` // the attachment's file name
	Text       string     `json:"text"`
	// Highlights are the matched words as [start, end) byte offsets
	// into Text.
	Highlights [][2]int `json:"highlights"`
}

// maxSnippets is how many places are shown per hit.
const maxSnippets = 2

// Search runs a query. Sync first.
func (x *Index) Search(ctx context.Context, r Request) (*Result, error) {
	if err := x.openMain(false); err != nil {
		return nil, err
	}
	idx := bleve.Index(x.main)
	indexes := []bleve.Index{x.main}
	if r.Restricted {
		rest, err := x.openRestricted(false)
		if err != nil {
			return nil, err
		}
		idx = bleve.NewIndexAlias(x.main, rest)
		indexes = append(indexes, rest)
	}
	known, expand, done, err := termChecker(ctx, indexes)
	if err != nil {
		return nil, err
	}
	defer done()
	exp := prefixes(r.Query, expand)
	res, err := x.run(ctx, idx, compileWith(r.Query, known, exp, false, x.syn.Key()), r, len(r.Query.Text) == 0)
	if err == nil && res.Total == 0 && positiveWords(r.Query) > 1 {
		// nothing has every word: those with any of them, ranked
		if res, err = x.run(ctx, idx, compileWith(r.Query, known, exp, true, x.syn.Key()), r, false); err == nil {
			res.AnyWord = true
		}
		return res, err
	}
	if err != nil || r.SortByDate {
		return res, err
	}
	// the documents with the words together as typed come first, in
	// their own order; then the rest, near before scattered
	q := asWritten(r.Query)
	if q == nil {
		return res, nil
	}
	first, err := x.run(ctx, idx, compileWith(q, known, nil, false, x.syn.Key()), r, false)
	if err != nil {
		return nil, err
	}
	limit := r.Limit
	if limit <= 0 {
		limit = 10
	}
	if r.All {
		limit = len(first.Hits) + len(res.Hits)
	}
	res.Hits = mergeHits(first.Hits, res.Hits, limit)
	return res, nil
}

// mergeHits is first, then the hits of rest not in it, up to limit.
func mergeHits(first, rest []Hit, limit int) []Hit {
	seen := map[string]bool{}
	out := make([]Hit, 0, limit)
	for _, hs := range [][]Hit{first, rest} {
		for _, h := range hs {
			if len(out) < limit && !seen[h.ID] {
				seen[h.ID] = true
				out = append(out, h)
			}
		}
	}
	return out
}

// maxExpansions is how many terms the word being typed expands to, the
// most frequent first: the site's search takes as many (MAX_EXPANSIONS).
const maxExpansions = 30

// termChecker returns a function that says whether a term occurs in any
// text field of the indexes, and one that adds the terms starting with a
// prefix to counts, with how often they occur.
func termChecker(ctx context.Context, indexes []bleve.Index) (func(string) bool, func(string, map[string]uint64), func(), error) {
	var readers []index.IndexReader
	done := func() {
		for _, r := range readers {
			r.Close()
		}
	}
	for _, idx := range indexes {
		adv, err := idx.Advanced()
		if err == nil {
			var r index.IndexReader
			if r, err = adv.Reader(); err == nil {
				readers = append(readers, r)
			}
		}
		if err != nil {
			done()
			return nil, nil, nil, fmt.Errorf("search: %w", err)
		}
	}
	known := func(term string) bool {
		for _, r := range readers {
			for _, f := range textFields {
				tfr, err := r.TermFieldReader(ctx, []byte(term), f.name, false, false, false)
				if err != nil {
					continue
				}
				n := tfr.Count()
				tfr.Close()
				if n > 0 {
					return true
				}
			}
		}
		return false
	}
	expand := func(prefix string, counts map[string]uint64) {
		for _, r := range readers {
			for _, f := range textFields {
				d, err := r.FieldDictPrefix(f.name, []byte(prefix))
				if err != nil {
					continue
				}
				for e, err := d.Next(); err == nil && e != nil; e, err = d.Next() {
					counts[e.Term] += e.Count
				}
				d.Close()
			}
		}
	}
	return known, expand, done, nil
}

// prefixes are the alternatives of the word being typed
// (searchtext.Clause.Prefix), by clause: the terms that start with its
// stem or with it as typed, the most frequent first (at most
// maxExpansions), the exact term left out — as the site's search expands
// it.
func prefixes(q *searchtext.Query, expand func(string, map[string]uint64)) map[int][]string {
	out := map[int][]string{}
	for i, c := range q.Text {
		if !c.Prefix || len(c.Alt) > 0 {
			continue
		}
		toks := searchtext.Analyze([]byte(c.Text))
		if len(toks) == 0 {
			continue
		}
		raw, exact := strings.ToLower(c.Text), toks[0].Term
		from := []string{raw}
		if len(toks) == 1 && toks[0].Kind == searchtext.Word && exact != raw {
			from = append(from, exact)
		}
		counts := map[string]uint64{}
		for _, p := range from {
			if len([]rune(p)) >= 2 {
				expand(p, counts)
			}
		}
		delete(counts, exact)
		terms := slices.Collect(maps.Keys(counts))
		slices.SortFunc(terms, func(a, b string) int { return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(a, b)) })
		if len(terms) > 0 {
			out[i] = terms[:min(len(terms), maxExpansions)]
		}
	}
	return out
}

func (x *Index) run(ctx context.Context, idx bleve.Index, q query.Query, r Request, byDate bool) (*Result, error) {
	limit := r.Limit
	if limit <= 0 {
		limit = 10
	}
	search := func(size int) (*bleve.SearchResult, error) {
		req := bleve.NewSearchRequestOptions(q, size, 0, false)
		req.IncludeLocations = true
		if r.SortByDate || byDate {
			req.SortBy([]string{"-" + fDate, "-_score", "_id"})
		}
		res, err := idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		return res, nil
	}
	res, err := search(limit)
	if err == nil && r.All && int(res.Total) > limit {
		res, err = search(int(res.Total)) // every match: sized by the count, not by a guess
	}
	if err != nil {
		return nil, err
	}
	loc := r.Location
	if loc == nil {
		loc = time.UTC
	}
	out := &Result{Total: int(res.Total), Hits: []Hit{}}
	for _, h := range res.Hits {
		st, restricted, err := x.load(h.ID)
		if err != nil {
			return nil, err
		}
		score := h.Score
		if math.IsNaN(score) || math.IsInf(score, 0) {
			score = 0 // JSON has no NaN; a degenerate field norm must not fail the command
		}
		hit := Hit{ID: h.ID, Title: st.title, Status: st.status, Score: score, Restricted: restricted, Snippets: []Snippet{}}
		hit.Severity, _ = strconv.Atoi(st.sev)
		if st.date != 0 {
			hit.Date = time.Unix(int64(st.date), 0).UTC()
		}
		hit.Snippets = snippets(h.Locations, st, loc, hit.Date)
		out.Hits = append(out.Hits, hit)
	}
	return out, nil
}

// stored is what the index keeps of a document for showing it.
type stored struct {
	title, summary, impact, labels, sev, status string
	date                                        float64
	tl, tlAt, pmh, pm, att, attName             []string // by array position
}

func (x *Index) load(id string) (*stored, bool, error) {
	d, err := x.main.Document(id)
	restricted := false
	if err == nil && d == nil && x.restricted != nil {
		d, err = x.restricted.Document(id)
		restricted = true
	}
	if err != nil {
		return nil, false, fmt.Errorf("search: read %s: %w", id, err)
	}
	st := &stored{}
	if d == nil {
		return st, restricted, nil
	}
	d.VisitFields(func(f index.Field) {
		at := 0
		if ap := f.ArrayPositions(); len(ap) > 0 {
			at = int(ap[0])
		}
		v := string(f.Value())
		switch f.Name() {
		case fTitle:
			st.title = v
		case fSummary:
			st.summary = v
		case fImpact:
			st.impact = v
		case fLabels:
			st.labels = v
		case fSev:
			st.sev = v
		case fStatus:
			st.status = v
		case fDate:
			if nf, ok := f.(index.NumericField); ok {
				st.date, _ = nf.Number()
			}
		case fTimeline:
			st.tl = setAt(st.tl, at, v)
		case fTLAt:
			st.tlAt = setAt(st.tlAt, at, v)
		case fPMHead:
			st.pmh = setAt(st.pmh, at, v)
		case fPM:
			st.pm = setAt(st.pm, at, v)
		case fAtt:
			st.att = setAt(st.att, at, v)
		case fAttName:
			st.attName = setAt(st.attName, at, v)
		}
	})
	return st, restricted, nil
}

func setAt(xs []string, i int, v string) []string {
	if i > 1<<20 {
		return xs
	}
	for len(xs) <= i {
		xs = append(xs, "")
	}
	xs[i] = v
	return xs
}

// place is one field value (an array element for timeline entries and
// postmortem sections) with the matches in it.
type place struct {
	field string
	pos   int
	spans [][2]int
	terms map[string]bool
}

var fieldRank = map[string]int{fTitle: 0, fPMHead: 1, fSummary: 2, fImpact: 3, fTimeline: 4, fPM: 5, fLabels: 6, fAtt: 7}

// snippets picks the places with the most distinct matched terms (then
// the weightiest fields) and cuts a window of text around the matches.
func snippets(locs bsearch.FieldTermLocationMap, st *stored, loc *time.Location, date time.Time) []Snippet {
	places := map[[2]int]*place{}
	for field, terms := range locs {
		rank, ok := fieldRank[field]
		if !ok {
			continue
		}
		for term, ls := range terms {
			for _, l := range ls {
				pos := 0
				if len(l.ArrayPositions) > 0 {
					pos = int(l.ArrayPositions[0])
				}
				k := [2]int{rank, pos}
				p := places[k]
				if p == nil {
					p = &place{field: field, pos: pos, terms: map[string]bool{}}
					places[k] = p
				}
				p.spans = append(p.spans, [2]int{int(l.Start), int(l.End)})
				p.terms[term] = true
			}
		}
	}
	list := make([]*place, 0, len(places))
	for _, p := range places {
		list = append(list, p)
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if len(a.terms) != len(b.terms) {
			return len(a.terms) > len(b.terms)
		}
		if fieldRank[a.field] != fieldRank[b.field] {
			return fieldRank[a.field] < fieldRank[b.field]
		}
		return a.pos < b.pos
	})
	out := []Snippet{}
	for _, p := range list {
		if len(out) == maxSnippets {
			break
		}
		if s, ok := p.snippet(st, loc, date); ok {
			out = append(out, s)
		}
	}
	return out
}

func (p *place) snippet(st *stored, loc *time.Location, date time.Time) (Snippet, bool) {
	var s Snippet
	var text string
	switch p.field {
	case fTitle:
		s.Where, s.Field, text = "title", "title", st.title
	case fSummary:
		s.Where, s.Field, text = "summary", "summary", st.summary
	case fImpact:
		s.Where, s.Field, text = "impact", "impact", st.impact
	case fLabels:
		s.Where, s.Field, text = "tags and services", "labels", st.labels
	case fTimeline:
		text = at(st.tl, p.pos)
		s.Field, s.Where = "timeline", "timeline entry"
		if t, err := time.Parse(time.RFC3339, at(st.tlAt, p.pos)); err == nil {
			s.At = &t
			lt := t.In(loc)
			if lt.Format("2006-01-02") == date.In(loc).Format("2006-01-02") {
				s.Where = "timeline entry at " + lt.Format("15:04")
			} else {
				s.Where = "timeline entry at " + lt.Format("2006-01-02 15:04")
			}
		}
	case fPMHead, fPM:
		s.Field, s.Section = "postmortem", at(st.pmh, p.pos)
		text = at(st.pm, p.pos)
		if p.field == fPMHead {
			text = s.Section
		}
		s.Where = "postmortem"
		if s.Section != "" && (p.pos > 0 || p.field == fPMHead) {
			s.Where = fmt.Sprintf("postmortem section %q", s.Section)
		}
	case fAtt:
		s.Field, s.Attachment, text = "attachment", at(st.attName, p.pos), at(st.att, p.pos)
		s.Where = fmt.Sprintf("attachment %q", s.Attachment)
	}
	if text == "" {
		return s, false
	}
	s.Text, s.Highlights = window(text, p.spans)
	return s, true
}

func at(xs []string, i int) string {
	if i < len(xs) {
		return xs[i]
	}
	return ""
}

// snippetLen is about how much text a snippet shows; its ends move at
// most maxStretch bytes to fall between words.
const (
	snippetLen = 200
	maxStretch = 40
)

// window cuts about snippetLen bytes of text around the first cluster of
// spans, at word boundaries, on one line, and returns the spans inside it
// relative to the cut.
func window(text string, spans [][2]int) (string, [][2]int) {
	sort.Slice(spans, func(i, j int) bool {
		return spans[i][0] < spans[j][0] || spans[i][0] == spans[j][0] && spans[i][1] > spans[j][1]
	})
	spans = dropNested(spans, len(text))
	start, end := 0, len(text)
	if len(text) > snippetLen && len(spans) > 0 {
		start = max(0, spans[0][0]-snippetLen/4)
		for stop := max(0, start-maxStretch); start > stop && !isBreak(text[start-1]); {
			start--
		}
		end = min(len(text), start+snippetLen)
		for stop := min(len(text), end+maxStretch); end < stop && !isBreak(text[end]); {
			end++
		}
	} else if len(text) > snippetLen {
		end = snippetLen
	}
	// text without breaks (a minified JSON file) is cut where it is, but
	// never inside a UTF-8 sequence
	for start > 0 && start < len(text) && !utf8.RuneStart(text[start]) {
		start--
	}
	for end < len(text) && !utf8.RuneStart(text[end]) {
		end++
	}
	var b strings.Builder
	prefix := 0
	if start > 0 {
		b.WriteString("… ")
		prefix = len("… ")
	}
	for _, r := range text[start:end] {
		if r == '\n' || r == '\r' || r == '\t' {
			r = ' '
		}
		b.WriteRune(r)
	}
	if end < len(text) {
		b.WriteString(" …")
	}
	out := b.String()
	if end == len(text) {
		out = strings.TrimRight(out, " ") // a file's last line break
	}
	var hs [][2]int
	for _, sp := range spans {
		if sp[0] >= start && sp[1] <= end {
			hs = append(hs, [2]int{sp[0] - start + prefix, sp[1] - start + prefix})
		}
	}
	if hs == nil {
		hs = [][2]int{}
	}
	return out, hs
}

func isBreak(c byte) bool { return c == ' ' || c == '\n' || c == '\t' }

// dropNested keeps the outermost of overlapping spans (an identifier and
// its parts match at once) and those inside the text.
func dropNested(spans [][2]int, n int) [][2]int {
	var out [][2]int
	for _, s := range spans {
		if s[0] < 0 || s[1] > n || s[0] >= s[1] {
			continue
		}
		if len(out) > 0 && s[0] < out[len(out)-1][1] {
			continue
		}
		out = append(out, s)
	}
	return out
}
