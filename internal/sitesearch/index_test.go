package sitesearch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/golden"
	"github.com/sev-dev/sev/internal/searchtext"
)

// files writes x into a map of file names to their decompressed content.
func files(t testing.TB, x *Index) (map[string][]byte, Stats) {
	t.Helper()
	out := map[string][]byte{}
	var mu sync.Mutex
	st, err := x.Write(func(name string, data []byte) error {
		mu.Lock()
		defer mu.Unlock()
		if _, dup := out[name]; dup {
			t.Errorf("%s written twice", name)
		}
		out[name] = gunzip(t, data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, st
}

func indexOf(docs []Doc) *Index {
	x := New()
	for _, d := range docs {
		x.Add(d)
	}
	return x
}

func TestWriteIsDeterministic(t *testing.T) {
	docs := loadCorpus(t, 300).docs
	a, _ := files(t, indexOf(docs))
	reversed := slices.Clone(docs)
	slices.Reverse(reversed)
	b, _ := files(t, build(reversed)) // in another order, on all cores
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two builds of the same incidents", name)
		}
	}
}

// TestWriteIncremental changes a written index and checks that the next
// Write writes only what changed, and that the files are then those of
// an index built afresh.
func TestWriteIncremental(t *testing.T) {
	docs := slices.Clone(loadCorpus(t, 300).docs)
	x := indexOf(docs)
	all, first := files(t, x)
	if first.Written != first.Files || first.Files != len(all) {
		t.Fatalf("first write: %+v, %d files", first, len(all))
	}
	if _, st := files(t, x); st.Written != 0 || st.Files != first.Files || st.Bytes != first.Bytes {
		t.Errorf("nothing changed, yet: %+v (first %+v)", st, first)
	}
	edited := docs[len(docs)/2]
	edited.Sections = append(slices.Clone(edited.Sections), Section{Label: "Timeline 23:59", Text: "Flamingo sighted near the load balancer", Weight: searchtext.WeightText})
	docs[len(docs)/2] = edited
	x.Add(edited)
	changed, st := files(t, x)
	if st.Written == 0 || st.Written > st.Files/4 {
		t.Errorf("one incident changed and %d of %d files were written", st.Written, st.Files)
	}
	if _, ok := changed["manifest.bin"]; !ok {
		t.Error("the manifest was not written again")
	}
	maps.Copy(all, changed)
	fresh, _ := files(t, indexOf(docs))
	for name, data := range fresh {
		if !bytes.Equal(all[name], data) {
			t.Errorf("%s: after the change, not what a fresh build writes", name)
		}
	}
	x.Remove(docs[0].ID)
	x.Remove("no-such-incident")
	_, st = files(t, x)
	if got := x.Files(); len(got) != st.Files || slices.Contains(got, fragmentName(len(docs)-1)) || !slices.Contains(got, fragmentName(len(docs)-2)) {
		t.Errorf("after a removal: %d files listed, %d written", len(got), st.Files)
	}
}

// TestIndexContent reads a written index back: every term in its shard's
// range, documents numbered oldest first, the planted identifier's
// postings, facets and fragments.
func TestIndexContent(t *testing.T) {
	docs := smallCorpus()
	fs, st := files(t, indexOf(docs))
	var m manifestJSON
	if err := json.Unmarshal(fs["manifest.bin"], &m); err != nil {
		t.Fatal(err)
	}
	if m.Docs != len(docs) || len(m.Shards) != st.Shards || m.Shards[0] != "" || !slices.IsSorted(m.Shards) {
		t.Fatalf("manifest: %+v", m)
	}
	byTerm := map[string]posting{}
	for i := range m.Shards {
		ps, err := decodeShard(fs[fmt.Sprintf("t/%d.bin", i)])
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			if p.term < m.Shards[i] || i+1 < len(m.Shards) && p.term >= m.Shards[i+1] {
				t.Errorf("%q is in shard %d, outside [%q, ...)", p.term, i, m.Shards[i])
			}
			for _, s := range p.scores {
				if s == 0 {
					t.Errorf("%q: a score of 0", p.term)
				}
			}
			byTerm[p.term] = p
		}
	}
	// numbered oldest first: 2025-06-01, 2025-11-20, 2025-12-24, 2026-01-10, 2026-03-02
	for term, want := range map[string][]uint32{"dev-cluster-105": {4}, "cluster": {4}, "pool": {0, 1, 2}, "timeout": {1}, "flux": {3}} {
		if got := byTerm[term].nums; !slices.Equal(got, want) {
			t.Errorf("%q: documents %v, want %v", term, got, want)
		}
	}
	if _, ok := byTerm["the"]; ok {
		t.Error("a stop word was indexed")
	}
	checkout := byTerm["checkout"].scores[0]
	if cluster := byTerm["cluster"].scores[0]; checkout <= cluster {
		t.Errorf("checkout (in the title and services) scores %d, cluster (once in the text) %d", checkout, cluster)
	}
	for i, f := range m.Facets["tag"] {
		set, err := decodeSet(fs[fmt.Sprintf("facet/tag/%d.bin", i)])
		if err != nil || len(set) != f.Count {
			t.Errorf("tag %s: %d documents %v, the manifest says %d", f.Value, len(set), err, f.Count)
		}
	}
	var frag fragmentJSON
	if err := json.Unmarshal(fs[fragmentName(4)], &frag); err != nil || frag.ID != docs[0].ID || len(frag.Sections) != len(docs[0].Sections) {
		t.Errorf("fragment of document 4: %+v %v", frag, err)
	}
}

func TestManifestGolden(t *testing.T) {
	fs, _ := files(t, indexOf(smallCorpus()))
	var b bytes.Buffer
	if err := json.Indent(&b, fs["manifest.bin"], "", "  "); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "manifest.golden", append(b.Bytes(), '\n'))
}

func TestSimilar(t *testing.T) {
	doc := func(id, title, text string) Doc {
		return Doc{ID: id, Title: title, Date: day(id[:10] + "T00:00:00Z"), Sections: []Section{{Label: "Summary", Text: text, Weight: 1}}}
	}
	docs := []Doc{
		doc("2026-01-01-orders-db-lag", "orders-db replication lag", "Replication lag on orders-db grew; failed over to the replica."),
		doc("2026-02-01-orders-db-failover", "Failover of orders-db", "The orders-db primary stopped; replication lag, then failover."),
		doc("2026-03-01-cert", "Certificate expired on auth-api", "The TLS certificate of auth-api expired at midnight."),
		doc("2026-04-01-cert-renewal", "Certificate renewal failed", "Renewal of the auth-api certificate failed for weeks."),
		doc("2026-05-01-dns", "DNS resolution failures", "CoreDNS pods restarting in eu-west-1."),
	}
	x := indexOf(docs)
	if got := x.Similar(docs[0].ID, 2); len(got) == 0 || got[0] != docs[1].ID {
		t.Errorf("similar to %s: %v", docs[0].ID, got)
	}
	if got := x.Similar(docs[2].ID, 5); len(got) == 0 || got[0] != docs[3].ID || slices.Contains(got, docs[2].ID) {
		t.Errorf("similar to %s: %v", docs[2].ID, got)
	}
	if got := x.Similar("no-such-incident", 5); got != nil {
		t.Errorf("similar to an unknown incident: %v", got)
	}
	c := loadCorpus(t, 1000)
	x = build(c.docs)
	// Incidents that mention the same rare phrase share little else, but
	// the words of their scenario: the similar ones should be about the
	// same thing. Check only that the answers are well formed.
	for _, d := range c.docs[:50] {
		got := x.Similar(d.ID, 5)
		if len(got) != 5 || slices.Contains(got, d.ID) || len(slices.Compact(slices.Sorted(slices.Values(got)))) != 5 {
			t.Errorf("similar to %s: %v", d.ID, got)
		}
		if strings.Contains(strings.ToLower(d.Title), "replication lag") {
			lag := 0
			for _, id := range got {
				if strings.Contains(id, "replication-lag") || strings.Contains(id, "failover") {
					lag++
				}
			}
			if lag == 0 {
				t.Errorf("similar to %s: %v, none about replication", d.ID, got)
			}
		}
	}
}

func TestFromSearch(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	sd := &searchtext.Doc{ID: "2026-03-02-x", Title: "X", Summary: "S", Severity: 1, Status: "open", Tags: []string{"t"},
		Date:       day("2026-03-02T22:30:00Z"), // 23:30 in Berlin
		Timeline:   []searchtext.Entry{{At: day("2026-03-02T22:45:00Z"), Text: "same day"}, {At: day("2026-03-02T23:15:00Z"), Text: "next day"}},
		Postmortem: &searchtext.Postmortem{Sections: []searchtext.Section{{Heading: "Root cause", Text: "Because."}}}}
	d := FromSearch(sd, "incidents/2026-03-02-x/", "SEV1", berlin)
	var got []string
	for _, s := range d.Sections {
		got = append(got, fmt.Sprintf("%s=%s@%g", s.Label, s.Text, s.Weight))
	}
	want := []string{"Summary=S@1.5", "Timeline 23:45=same day@1", "Timeline 2026-03-03 00:15=next day@1",
		"Postmortem: Root cause=Root cause@2", "Postmortem: Root cause=Because.@1"}
	if !slices.Equal(got, want) || d.Year != 2026 || d.Date.Location() != berlin || d.SevName != "SEV1" {
		t.Errorf("got %q (year %d), want %q", got, d.Year, want)
	}
}

// An index of no incidents (a new repository, or one whose incidents are
// all left out) still has a shard size and writes a valid, empty index.
func TestShardTargetOfNoIncidents(t *testing.T) {
	for _, n := range []int{0, 1, 2, 100, 10000, 1000000} {
		got := shardTarget(n)
		if got < 2<<10 || got > 64<<10 || got&(got-1) != 0 {
			t.Errorf("shardTarget(%d) = %d, want a power of two in 2 KiB..64 KiB", n, got)
		}
	}
}

// After DropFragments an index can still answer Similar and write what
// did not change; a fragment it would have to write again is an error,
// never an empty file.
func TestDropFragments(t *testing.T) {
	docs := slices.Clone(loadCorpus(t, 300).docs)
	x := indexOf(docs)
	files(t, x)
	before := x.Similar(docs[10].ID, 5)
	x.DropFragments()
	if got := x.Similar(docs[10].ID, 5); !slices.Equal(got, before) {
		t.Errorf("Similar after DropFragments: %v, before %v", got, before)
	}
	if _, st := files(t, x); st.Written != 0 {
		t.Errorf("nothing changed, yet %d files written", st.Written)
	}
	edited := docs[3]
	edited.Sections = append(slices.Clone(edited.Sections), Section{Label: "Timeline 23:59", Text: "Flamingo", Weight: searchtext.WeightText})
	x.Add(edited)
	if _, err := x.Write(func(string, []byte) error { return nil }); err != nil {
		t.Errorf("the changed incident's own new fragment: %v", err)
	}
	older := docs[0]
	older.ID, older.Date = "2000-01-01-older", older.Date.AddDate(-30, 0, 0)
	x.Add(older) // numbered first: every other fragment moves
	if _, err := x.Write(func(string, []byte) error { return nil }); err == nil || !strings.Contains(err.Error(), "DropFragments") {
		t.Errorf("renumbered fragments after DropFragments: %v", err)
	}
}
