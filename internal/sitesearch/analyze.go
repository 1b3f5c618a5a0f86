package sitesearch

import (
	"strings"

	"github.com/sev-dev/sev/internal/searchtext"
)

// The analysis is internal/searchtext, so a word finds the
// same incidents on the site as with `sev search`. The index needs only
// which terms a text has and how often, not their positions, and that
// multiset is the union of the multisets of the text's chunks when the
// text is cut at bytes that can never be part of a term: ASCII other than
// letters, digits, the identifier connectors "-_." and the apostrophe.
// Such a byte also ends a term exactly as the end of the text does (the
// analyzer only looks past a connector or an apostrophe for a letter or
// digit). Incident text repeats its words, so each worker remembers the
// term ids of the chunks it has seen, and most words cost one map lookup
// instead of an analysis. TestChunkedAnalysis checks the equivalence.

// separator reports whether an ASCII byte can never be part of a term.
var separator = func() (t [256]bool) {
	for c := range 128 {
		t[c] = !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '\'')
	}
	return t
}()

// maxChunks bounds a worker's memory of chunks; past it, chunks are
// analysed every time (numbers and addresses make most of the tail).
const maxChunks = 1 << 18

// worker is one Add's working memory, reused by later calls.
type worker struct {
	chunks map[string][]uint32 // chunk → its term ids, partOnly marking parts
	idx    map[uint32]int32    // term id → its place in terms
	terms  []uint32            // the document's terms; partOnly marks those only seen as parts
	wtf    []float64
	length uint32
}

func newWorker() *worker {
	return &worker{chunks: map[string][]uint32{}, idx: map[uint32]int32{}}
}

func (w *worker) reset() {
	clear(w.idx)
	w.terms, w.wtf, w.length = w.terms[:0], w.wtf[:0], 0
}

// getWorker takes a free worker or makes one; putWorker gives it back.
// Workers are kept in the index rather than a sync.Pool, which empties
// at every garbage collection and would forget the chunks.
func (x *Index) getWorker() *worker {
	x.workerMu.Lock()
	defer x.workerMu.Unlock()
	if n := len(x.workers); n > 0 {
		w := x.workers[n-1]
		x.workers = x.workers[:n-1]
		return w
	}
	return newWorker()
}

func (x *Index) dropWorkers() {
	x.workerMu.Lock()
	x.workers = nil
	x.workerMu.Unlock()
}

func (x *Index) putWorker(w *worker) {
	w.reset()
	x.workerMu.Lock()
	x.workers = append(x.workers, w)
	x.workerMu.Unlock()
}

// analyzeDoc collects d's terms with their weighted frequencies.
func (x *Index) analyzeDoc(w *worker, d *Doc) {
	x.analyze(w, d.Title, searchtext.WeightTitle, true)
	for _, vs := range [][]string{d.Tags, d.Services, d.Orgs} {
		for _, v := range vs {
			x.analyze(w, v, searchtext.WeightLabels, true)
		}
	}
	for _, s := range d.Sections {
		x.analyze(w, s.Text, weight(s.Weight), !s.Attachment)
	}
}

// analyze counts the terms of text with a weight; long says whether they
// count in the incident's length.
func (x *Index) analyze(w *worker, text string, weight float64, long bool) {
	if weight <= 0 {
		return
	}
	for i := 0; i < len(text); {
		if text[i] < 128 && separator[text[i]] {
			i++
			continue
		}
		j := i + 1
		for j < len(text) && !(text[j] < 128 && separator[text[j]]) {
			j++
		}
		for _, t := range x.chunk(w, text[i:j]) {
			w.count(t, weight, long)
		}
		i = j
	}
}

// chunk returns the term ids of a chunk of text.
func (x *Index) chunk(w *worker, c string) []uint32 {
	if ids, ok := w.chunks[c]; ok {
		return ids
	}
	toks := searchtext.Analyze([]byte(c))
	ids := make([]uint32, len(toks))
	x.termMu.Lock()
	for i, t := range toks {
		id, ok := x.termID[t.Term]
		if !ok {
			id = uint32(len(x.terms))
			x.termID[t.Term] = id
			x.terms = append(x.terms, t.Term)
		}
		if t.Kind == searchtext.Part {
			id |= partOnly
		}
		ids[i] = id
	}
	x.termMu.Unlock()
	if len(w.chunks) < maxChunks {
		w.chunks[strings.Clone(c)] = ids
	}
	return ids
}

// count adds an occurrence of term id (partOnly: as a part of an
// identifier) with a weight; long says whether it counts in the length.
func (w *worker) count(id uint32, weight float64, long bool) {
	part := id&partOnly != 0
	id &^= partOnly
	i, ok := w.idx[id]
	if !ok {
		i = int32(len(w.terms))
		w.idx[id] = i
		w.terms = append(w.terms, id|partOnly)
		w.wtf = append(w.wtf, 0)
	}
	w.wtf[i] += weight
	if !part {
		w.terms[i] &^= partOnly
		if long {
			w.length++
		}
	}
}
