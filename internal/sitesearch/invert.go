package sitesearch

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"strings"
)

// BM25's parameters. The per-posting score is BM25's term-frequency part,
// quantised to a byte; the client multiplies it by the term's idf, which
// it computes from the document frequency stored with the term.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// inverted is the index turned around for one generation of the documents:
// documents numbered oldest first and, for every term, its postings.
type inverted struct {
	gen    uint64
	docs   []*doc // by number
	avgLen float64
	sorted []uint32 // ids of the terms with postings, in term order
	off    []uint32 // off[id]..off[id+1] are term id's postings
	num    []uint32 // document numbers, ascending within a term
	score  []uint8  // quantised scores, parallel to num
	// nextSort is how many of the index's terms sorted covers, so the next
	// inversion only sorts the terms added since.
	nextSort int
	allTerms []uint32 // every term id below nextSort, in term order
}

// invertLocked returns the postings of the current generation, building
// them if the documents changed since the last call. x.mu must be held.
func (x *Index) invertLocked() *inverted {
	if x.inv != nil && x.inv.gen == x.gen {
		return x.inv
	}
	inv := &inverted{gen: x.gen}
	inv.docs = make([]*doc, 0, len(x.docs))
	for _, d := range x.docs {
		inv.docs = append(inv.docs, d)
	}
	// Oldest first: a new incident is usually the newest, so it takes the
	// next number and no other incident's number (and fragment) changes.
	slices.SortFunc(inv.docs, func(a, b *doc) int {
		if c := a.date.Compare(b.date); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	inv.avgLen = avgLen(inv.docs)
	terms := x.termList()
	inv.sortTerms(terms, x.inv)
	inv.fill(len(terms))
	x.inv = inv
	return inv
}

// avgLen is the mean document length rounded to a power of two, so that
// it, and with it every quantised score, rarely changes when incidents
// are added: an incremental write then rewrites only what the change
// touched.
func avgLen(docs []*doc) float64 {
	if len(docs) == 0 {
		return 1
	}
	var sum uint64
	for _, d := range docs {
		sum += uint64(d.length)
	}
	mean := max(sum/uint64(len(docs)), 1)
	return float64(uint64(1) << (bits.Len64(mean) - 1))
}

// sortTerms orders every term id, reusing the order of the previous
// inversion: term ids are never reused, so only the new ones are sorted
// and merged in.
func (inv *inverted) sortTerms(terms []string, prev *inverted) {
	var old []uint32
	if prev != nil {
		old = prev.allTerms
	}
	added := make([]uint32, 0, len(terms)-len(old))
	for id := len(old); id < len(terms); id++ {
		added = append(added, uint32(id))
	}
	byTerm := func(a, b uint32) int { return strings.Compare(terms[a], terms[b]) }
	slices.SortFunc(added, byTerm)
	if len(added) == 0 {
		inv.allTerms = old
	} else {
		inv.allTerms = mergeSorted(old, added, byTerm)
	}
	inv.nextSort = len(terms)
}

func mergeSorted(a, b []uint32, cmp func(a, b uint32) int) []uint32 {
	out := make([]uint32, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if cmp(a[0], b[0]) <= 0 {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
}

// fill lays the postings out term by term with a counting sort: a count
// per term, offsets, then one pass over the documents in number order.
func (inv *inverted) fill(nterms int) {
	count := make([]uint32, nterms+1)
	total := 0
	for _, d := range inv.docs {
		for _, t := range d.terms {
			count[t&^partOnly+1]++
		}
		total += len(d.terms)
	}
	for i := 1; i <= nterms; i++ {
		count[i] += count[i-1]
	}
	inv.off = count
	inv.num = make([]uint32, total)
	inv.score = make([]uint8, total)
	next := slices.Clone(count[:nterms])
	for n, d := range inv.docs {
		norm := bm25K1 * (1 - bm25B + bm25B*float64(d.length)/inv.avgLen)
		for i, t := range d.terms {
			t &^= partOnly
			p := next[t]
			next[t]++
			inv.num[p] = uint32(n)
			inv.score[p] = quantise(float64(d.wtf[i])/wtfScale, norm)
		}
	}
	inv.sorted = make([]uint32, 0, len(inv.allTerms))
	for _, id := range inv.allTerms {
		if inv.off[id+1] > inv.off[id] {
			inv.sorted = append(inv.sorted, id)
		}
	}
}

// quantise maps BM25's term-frequency part, tf·(k1+1)/(tf+norm), which is
// below k1+1, to 1..255.
func quantise(tf, norm float64) uint8 {
	s := tf / (tf + norm) // the part divided by k1+1
	return uint8(min(max(math.Round(s*255), 1), 255))
}

// postings returns term id's document numbers and scores.
func (inv *inverted) postings(id uint32) ([]uint32, []uint8) {
	lo, hi := inv.off[id], inv.off[id+1]
	return inv.num[lo:hi], inv.score[lo:hi]
}

// df is the number of documents with term id.
func (inv *inverted) df(id uint32) int { return int(inv.off[id+1] - inv.off[id]) }

// idf is BM25's inverse document frequency; the client computes the same.
func idf(n, df int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// number finds a document's number by its ID.
func (inv *inverted) number(d *doc) int {
	n, ok := slices.BinarySearchFunc(inv.docs, d, func(a, b *doc) int {
		return cmp.Or(a.date.Compare(b.date), strings.Compare(a.id, b.id))
	})
	if !ok {
		return -1
	}
	return n
}
