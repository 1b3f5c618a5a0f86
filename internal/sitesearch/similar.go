package sitesearch

import (
	"math"
	"slices"
	"sync"
)

// Similar works as `sev similar` does (internal/search/similar.go): the
// incident's terms are weighed by their frequency in it (already weighted
// by where they occur) and their rarity (BM25's idf), terms only this
// incident has are skipped, and the similarTerms heaviest become a
// weighted disjunction over the postings in memory. An incident's score
// is the sum of its matching terms' weights times their scores in it,
// times the share of the terms it matches.

// similarTerms is how many terms the disjunction keeps, as in sev similar.
const similarTerms = 30

// Terms in more than one incident in commonShare (and more than 50) say
// little about what an incident is like, and their postings would be most
// of the work: they are left out.
const commonShare = 10

type weighted struct {
	id uint32
	w  float64
}

// Similar returns the IDs of up to k incidents most like the one with the
// given ID, most similar first; none when the ID is not in the index.
func (x *Index) Similar(id string, k int) []string {
	x.mu.Lock()
	d := x.docs[id]
	inv := x.invertLocked()
	x.mu.Unlock()
	terms := x.termList()
	if d == nil || k <= 0 {
		return nil
	}
	top := inv.weigh(d, terms)
	acc := accPool.Get().(*accumulator)
	defer accPool.Put(acc)
	acc.grow(len(inv.docs))
	for _, t := range top {
		nums, scores := inv.postings(t.id)
		for i, n := range nums {
			acc.add(n, float32(t.w*float64(scores[i])/255))
		}
	}
	self := uint32(inv.number(d))
	best := acc.take(len(top), self, k)
	out := make([]string, len(best))
	for i, n := range best {
		out[i] = inv.docs[n].id
	}
	return out
}

// weigh picks d's most telling terms, heaviest first.
func (inv *inverted) weigh(d *doc, terms []string) []weighted {
	n := len(inv.docs)
	maxDF := max(n/commonShare, 50)
	heavier := func(a, b weighted) bool { return a.w > b.w || a.w == b.w && terms[a.id] < terms[b.id] }
	top := make([]weighted, 0, similarTerms+1)
	for i, t := range d.terms {
		if t&partOnly != 0 {
			continue
		}
		df := inv.df(t)
		if df < 2 || df > maxDF {
			continue
		}
		tf := max(float64(d.wtf[i])/wtfScale, 1)
		c := weighted{id: t, w: (1 + math.Log(tf)) * idf(n, df)}
		if len(top) == similarTerms && !heavier(c, top[similarTerms-1]) {
			continue
		}
		j := len(top)
		for j > 0 && heavier(c, top[j-1]) {
			j--
		}
		top = slices.Insert(top, j, c)
		if len(top) > similarTerms {
			top = top[:similarTerms]
		}
	}
	return top
}

// accumulator sums scores per document number; it is reused between
// calls, and only the entries touched are cleared.
type accumulator struct {
	score   []float32
	matched []uint8
	touched []uint32
}

var accPool = sync.Pool{New: func() any { return &accumulator{} }}

func (a *accumulator) grow(n int) {
	if len(a.score) < n {
		a.score = make([]float32, n)
		a.matched = make([]uint8, n)
	}
}

func (a *accumulator) add(n uint32, s float32) {
	if a.matched[n] == 0 {
		a.touched = append(a.touched, n)
	}
	a.score[n] += s
	a.matched[n]++
}

// take returns the k best documents other than self and clears a. The
// score is scaled by the share of the query's terms matched; ties go to
// the newer incident. The best are kept in a small sorted array: k is a
// handful, the documents touched can be thousands.
func (a *accumulator) take(terms int, self uint32, k int) []uint32 {
	type hit struct {
		n uint32
		s float32
	}
	better := func(x, y hit) bool { return x.s > y.s || x.s == y.s && x.n > y.n }
	best := make([]hit, 0, k+1)
	for _, n := range a.touched {
		h := hit{n, a.score[n] * float32(a.matched[n]) / float32(terms)}
		a.score[n], a.matched[n] = 0, 0
		if n == self || len(best) == k && !better(h, best[k-1]) {
			continue
		}
		i := len(best)
		for i > 0 && better(h, best[i-1]) {
			i--
		}
		best = slices.Insert(best, i, h)
		if len(best) > k {
			best = best[:k]
		}
	}
	a.touched = a.touched[:0]
	out := make([]uint32, len(best))
	for i, h := range best {
		out[i] = h.n
	}
	return out
}
