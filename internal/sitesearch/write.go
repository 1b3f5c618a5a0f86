package sitesearch

import (
	"encoding/json"
	"fmt"
	"hash/crc64"
	"math"
	"math/bits"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"unicode/utf8"
)

// FormatVersion is the version of the files Write produces; the client
// refuses an index of another version.
const FormatVersion = 1

// bucketSize is how many fragments share a folder.
const bucketSize = 1000

// shardTarget is the size, before compression, that a shard grows to
// before the next term starts a new one (a term with more postings has a
// shard of its own). A cold query fetches the manifest, which lists where
// every shard starts, and a shard per term: smaller shards make the
// manifest longer. 4 KiB at 10,000 incidents (measured: a median of 7 KB
// of index per cold query, against 25 KB with 32 KiB shards), growing
// with the square root of the number of incidents, in powers of two so
// that it rarely changes.
func shardTarget(docs int) int {
	t := max(4096*math.Sqrt(float64(docs)/10000), 1) // an empty index has a shard size too
	p := 1 << (bits.Len(uint(t)) - 1)                // the power of two at or below t
	if t >= float64(p)*math.Sqrt2 {
		p *= 2
	}
	return min(max(p, 2<<10), 64<<10)
}

// Stats describe what Write wrote.
type Stats struct {
	Docs    int   `json:"docs"`    // incidents in the index
	Terms   int   `json:"terms"`   // distinct terms
	Shards  int   `json:"shards"`  // term shards
	Files   int   `json:"files"`   // files of the index
	Bytes   int64 `json:"bytes"`   // their size
	Written int   `json:"written"` // files written by this call: the others had not changed
	// WrittenBytes is the size of the files written by this call.
	WrittenBytes int64 `json:"written_bytes"`
}

// written is what Write last wrote under a name.
type written struct {
	sum  uint64
	size int
}

// file is one file of the index before compression; sum identifies its
// content so that an unchanged file is not compressed or written again.
type file struct {
	name string
	raw  []byte // nil when gz is ready (fragments are compressed by Add)
	gz   []byte
	sum  uint64
}

// Write writes the index's files through write, with names relative to
// the site's search folder ("manifest.bin", "t/0.bin", ...). The same
// documents always give the same bytes. A later call writes only the
// files whose content changed since the last successful write of that
// name; Files lists every file of the current index, so a caller can
// remove files that are no longer part of it.
func (x *Index) Write(write func(name string, data []byte) error) (Stats, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	inv := x.invertLocked()
	st := Stats{Docs: len(inv.docs), Terms: len(inv.sorted)}
	shards, bounds := x.shards(inv)
	st.Shards = len(shards)
	fs := facets(inv)
	files := append(shards, facetFiles(fs, len(inv.docs))...)
	for n, d := range inv.docs {
		name := fragmentName(n)
		if d.frag == nil && x.written[name].sum != d.fragSum {
			return st, fmt.Errorf("search index: %s: its fragment was let go (DropFragments) before it was written", name)
		}
		files = append(files, file{name: name, gz: d.frag, sum: d.fragSum})
	}
	man, err := x.manifest(inv, bounds, facetValues(fs), files)
	if err != nil {
		return st, err
	}
	files = append(files, man)
	x.compress(files)
	live := make(map[string]bool, len(files))
	for _, f := range files {
		live[f.name] = true
		st.Files++
		if old, ok := x.written[f.name]; ok && old.sum == f.sum {
			st.Bytes += int64(old.size)
			continue
		}

		if err := write(f.name, f.gz); err != nil {
			return st, fmt.Errorf("search index: %s: %w", f.name, err)
		}
		x.written[f.name] = written{sum: f.sum, size: len(f.gz)}
		st.Bytes += int64(len(f.gz))
		st.Written++
		st.WrittenBytes += int64(len(f.gz))
	}
	for name := range x.written {
		if !live[name] {
			delete(x.written, name)
		}
	}
	x.dropWorkers() // what they remember is for a build, not for the odd change after it
	return st, nil
}

// Files lists the files of the index as of the last Write, sorted.
func (x *Index) Files() []string {
	x.mu.Lock()
	defer x.mu.Unlock()
	out := make([]string, 0, len(x.written))
	for name := range x.written {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

func fragmentName(n int) string {
	return "f/" + strconv.Itoa(n/bucketSize) + "/" + strconv.Itoa(n) + ".bin"
}

// compress gzips the files that are not compressed yet and whose content
// is not what was last written under their name, on all cores.
func (x *Index) compress(files []file) {
	var todo []int
	for i, f := range files {
		if f.gz == nil && x.written[f.name].sum != f.sum {
			todo = append(todo, i)
		}
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(todo)) {
		wg.Go(func() {
			for i := range next {
				files[i].gz = gzipBytes(files[i].raw)
			}
		})
	}
	for _, i := range todo {
		next <- i
	}
	close(next)
	wg.Wait()
}

// shards encodes the term dictionary and postings in term order, cut into
// shards, and returns them with each shard's first term shortened to the
// shortest prefix that is still above the previous shard's last term.
func (x *Index) shards(inv *inverted) ([]file, []string) {
	terms := x.termList()
	var out []file
	var bounds []string
	var cur shardBuilder
	target := shardTarget(len(inv.docs))
	prev := ""
	flush := func() {
		if cur.n == 0 {
			return
		}
		raw := cur.bytes()
		out = append(out, file{name: "t/" + strconv.Itoa(len(out)) + ".bin", raw: raw, sum: crc(raw)})
		cur = shardBuilder{}
	}
	for _, id := range inv.sorted {
		term := terms[id]
		nums, scores := inv.postings(id)
		if cur.n > 0 && cur.size()+len(nums)*2 > target {
			flush()
		}
		if cur.n == 0 {
			bounds = append(bounds, shortestAbove(prev, term, len(bounds) == 0))
		}
		cur.add(term, nums, scores)
		prev = term
	}
	flush()
	return out, bounds
}

// shortestAbove is the shortest prefix of term, in whole characters, that
// sorts after prev.
func shortestAbove(prev, term string, first bool) string {
	if first {
		return ""
	}
	for i, r := range term {
		if end := i + utf8.RuneLen(r); term[:end] > prev {
			return term[:end]
		}
	}
	return term
}

var crcTable = crc64.MakeTable(crc64.ECMA)

func crc(b []byte) uint64 { return crc64.Checksum(b, crcTable) }

// shardBuilder encodes one shard:
//
//	uvarint n
//	n × (uvarint shared prefix length, uvarint suffix length, suffix)  terms, front coded
//	n × (uvarint df, uvarint postings length)
//	n × postings: df uvarint document number gaps (the first from 0), then df score bytes
type shardBuilder struct {
	n     int
	dict  []byte
	heads []byte
	post  []byte
	last  string
}

func (s *shardBuilder) add(term string, nums []uint32, scores []uint8) {
	shared := 0
	for shared < len(term) && shared < len(s.last) && term[shared] == s.last[shared] {
		shared++
	}
	s.dict = putUvarint(s.dict, uint64(shared))
	s.dict = putUvarint(s.dict, uint64(len(term)-shared))
	s.dict = append(s.dict, term[shared:]...)
	start := len(s.post)
	prev := uint32(0)
	for _, n := range nums {
		s.post = putUvarint(s.post, uint64(n-prev))
		prev = n
	}
	s.post = append(s.post, scores...)
	s.heads = putUvarint(s.heads, uint64(len(nums)))
	s.heads = putUvarint(s.heads, uint64(len(s.post)-start))
	s.last = term
	s.n++
}

func (s *shardBuilder) size() int { return len(s.dict) + len(s.heads) + len(s.post) }

func (s *shardBuilder) bytes() []byte {
	out := make([]byte, 0, s.size()+8)
	out = putUvarint(out, uint64(s.n))
	return append(append(append(out, s.dict...), s.heads...), s.post...)
}

// manifestJSON is manifest.bin, gzip-compressed JSON: what the client
// reads first.
type manifestJSON struct {
	Format  int                     `json:"format"`
	Version string                  `json:"version"` // changes with any file; the client adds it to every URL
	Docs    int                     `json:"docs"`
	AvgLen  float64                 `json:"avglen"`
	K1      float64                 `json:"k1"`
	B       float64                 `json:"b"`
	Bucket  int                     `json:"bucket"` // fragments per folder
	Shards  []string                `json:"shards"` // the first term of each shard, shortened
	Facets  map[string][]facetValue `json:"facets"`
	// Synonyms are sev.yaml's search.synonyms as groups: each group's
	// words and phrases, its key first; the client expands queries with
	// them as sev search does.
	Synonyms [][]string `json:"synonyms,omitempty"`
}

// facetValue is a filter's value, its label and how many incidents have it.
type facetValue struct {
	Value string `json:"v"`
	Label string `json:"l,omitempty"`
	Count int    `json:"n"`
}

func (x *Index) manifest(inv *inverted, bounds []string, values map[string][]facetValue, files []file) (file, error) {
	m := manifestJSON{Format: FormatVersion, Docs: len(inv.docs), AvgLen: inv.avgLen, K1: bm25K1, B: bm25B,
		Bucket: bucketSize, Shards: bounds, Facets: values, Synonyms: x.synonyms}
	if m.Shards == nil {
		m.Shards = []string{}
	}
	h := crc64.New(crcTable)
	var buf [8]byte
	for _, f := range files {
		h.Write([]byte(f.name))
		for i := range buf {
			buf[i] = byte(f.sum >> (8 * i))
		}
		h.Write(buf[:])
	}
	m.Version = strconv.FormatUint(h.Sum64(), 36)
	raw, err := json.Marshal(m)
	if err != nil {
		return file{}, err
	}
	return file{name: "manifest.bin", raw: raw, sum: crc(raw)}, nil
}
