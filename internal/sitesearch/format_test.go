package sitesearch

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// The decoders here read the files as FORMAT.md describes them, as the
// client does; the tests check that what Write encodes reads back.

type reader struct {
	b   []byte
	err error
}

var errShort = errors.New("truncated data")

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errShort
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) bytes(n uint64) []byte {
	if r.err != nil || uint64(len(r.b)) < n {
		r.err = errShort
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

type posting struct {
	term   string
	nums   []uint32
	scores []uint8
}

func decodeShard(b []byte) ([]posting, error) {
	r := reader{b: b}
	n := r.uvarint()
	out := make([]posting, n)
	var prev []byte
	for i := range out {
		shared, suffix := r.uvarint(), r.uvarint()
		if shared > uint64(len(prev)) {
			return nil, fmt.Errorf("term %d shares %d bytes of %q", i, shared, prev)
		}
		term := append(slices.Clone(prev[:shared]), r.bytes(suffix)...)
		out[i].term, prev = string(term), term
	}
	lens := make([]uint64, n)
	for i := range out {
		out[i].nums = make([]uint32, r.uvarint())
		lens[i] = r.uvarint()
	}
	for i := range out {
		p := reader{b: r.bytes(lens[i])}
		d := uint32(0)
		for k := range out[i].nums {
			d += uint32(p.uvarint())
			out[i].nums[k] = d
		}
		out[i].scores = p.bytes(uint64(len(out[i].nums)))
		if p.err == nil && len(p.b) > 0 {
			return nil, fmt.Errorf("%q: %d bytes left after its postings", out[i].term, len(p.b))
		}
		if p.err != nil {
			return nil, p.err
		}
	}
	if r.err == nil && len(r.b) > 0 {
		return nil, fmt.Errorf("%d bytes after the last postings", len(r.b))
	}
	return out, r.err
}

func decodeSet(b []byte) ([]uint32, error) {
	if len(b) == 0 {
		return nil, errShort
	}
	var out []uint32
	if b[0] == 1 {
		for i, c := range b[1:] {
			for bit := range 8 {
				if c&(1<<bit) != 0 {
					out = append(out, uint32(i*8+bit))
				}
			}
		}
		return out, nil
	}
	r := reader{b: b[1:]}
	count := r.uvarint()
	prev := uint32(0)
	for range count {
		prev += uint32(r.uvarint())
		out = append(out, prev)
	}
	return out, r.err
}

func gunzip(t testing.TB, b []byte) []byte {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestShardRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	words := []string{"", "a", "ab", "abc", "abd", "b", "é", "éa", "日本", "日本語", "x-y.z", "\U0001F525"}
	var terms []string
	for i := 0; i < 300; i++ {
		terms = append(terms, words[r.IntN(len(words))]+words[r.IntN(len(words))]+fmt.Sprint(r.IntN(50)))
	}
	slices.Sort(terms)
	terms = slices.Compact(terms)
	var want []posting
	var s shardBuilder
	for _, term := range terms {
		p := posting{term: term}
		d := uint32(0)
		for n := 1 + r.IntN(40); n > 0; n-- {
			d += uint32(1 + r.IntN(1<<uint(r.IntN(20))))
			p.nums = append(p.nums, d)
			p.scores = append(p.scores, uint8(1+r.IntN(255)))
		}
		s.add(p.term, p.nums, p.scores)
		want = append(want, p)
	}
	got, err := decodeShard(s.bytes())
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the shard reads back differently:\n got %v\nwant %v", got[:3], want[:3])
	}
}

func TestSetRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, c := range []struct{ n, every int }{{1, 1}, {10, 1}, {1000, 1}, {1000, 3}, {1000, 50}, {100000, 7}, {100000, 5000}} {
		var docs []uint32
		for d := 0; d < c.n; d++ {
			if r.IntN(c.every) == 0 {
				docs = append(docs, uint32(d))
			}
		}
		b := encodeSet(docs, c.n)
		got, err := decodeSet(b)
		if err != nil || !slices.Equal(got, docs) {
			t.Errorf("%d documents, one in %d: got %d back (%v)", c.n, c.every, len(got), err)
		}
		if bitmap := 1 + (c.n+7)/8; len(b) > bitmap {
			t.Errorf("%d documents, one in %d: %d bytes, more than a bitmap's %d", c.n, c.every, len(b), bitmap)
		}
	}
}

func TestFragmentJSON(t *testing.T) {
	d := Doc{ID: "2026-01-01-x", URL: "incidents/2026-01-01-x/", Title: "quote \" backslash \\ tab\t nul\x00 bell\x07 \u2028 <b>&amp;",
		Date: time.Date(2026, 1, 1, 12, 0, 0, 0, time.FixedZone("", 3600)), Severity: 2, SevName: "SEV2", Status: "open",
		Tags: []string{"a", "b"}, Services: []string{"s"},
		Sections: []Section{{Label: "Summary", Text: "bad \xff\xfe utf-8 é 🔥", Weight: 1.5}, {Label: "Empty", Text: ""},
			{Label: "NaN", Text: "x", Weight: math.NaN()}, {Label: "Inf", Text: "y", Weight: math.Inf(1)}, {Label: "Neg", Text: "z", Weight: -1}}}
	b := fragment(&d)
	var f fragmentJSON
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	want := fragmentJSON{ID: d.ID, URL: d.URL, Title: d.Title, Date: "2026-01-01T12:00:00+01:00", Sev: 2, SevName: "SEV2", Status: "open",
		Tags: d.Tags, Services: d.Services, Sections: []section{{Label: "Summary", Text: "bad \ufffd\ufffd utf-8 é 🔥", Weight: 1.5},
			{Label: "NaN", Text: "x"}, {Label: "Inf", Text: "y"}, {Label: "Neg", Text: "z"}}}
	if fmt.Sprintf("%+v", f) != fmt.Sprintf("%+v", want) {
		t.Errorf("fragment reads back as\n%+v\nwant\n%+v", f, want)
	}
}

func TestGzipIsDeterministic(t *testing.T) {
	in := []byte(strings.Repeat("incident text ", 1000))
	a, b, c := gzipBytes(in), gzipBytes(in), gzipFast(in)
	if !bytes.Equal(a, b) || !bytes.Equal(gunzip(t, a), in) || !bytes.Equal(gunzip(t, c), in) {
		t.Error("gzip is not deterministic or does not read back")
	}
	if a[0] != 0x1f || a[1] != 0x8b || binary.LittleEndian.Uint32(a[4:8]) != 0 {
		t.Errorf("gzip header %x: want the magic number and no time", a[:10])
	}
}
