package search

import (
	"context"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/gen"
	"github.com/sev-dev/sev/internal/searchtext"
)

// TestPhraseRanking is the known-answer check for ranking: the words of a
// planted phrase are common in the generated corpus, but only the planted
// incidents have them together as written. Searched for unquoted, those
// incidents are the top k, on two shapes.
func TestPhraseRanking(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	const phrase = "error rate dropped after the cache was flushed"
	for _, shape := range []string{"default", "heavy"} {
		t.Run(shape, func(t *testing.T) {
			root := filepath.Join(t.TempDir(), "repo")
			st, err := gen.Generate(root, gen.Options{Incidents: 2500, Seed: 11, Shape: gen.Shapes[shape], Commit: true,
				Start: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			want := st.Planted[phrase]
			x := openTest(t, root, nil)
			if _, err := x.Sync(false, false); err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{"error rate dropped after the cache was flushed", "cache flushed error rate dropped"} {
				pq, err := searchtext.ParseQuery(q, testVocab)
				if err != nil {
					t.Fatal(err)
				}
				res, err := x.Search(context.Background(), Request{Query: pq, Limit: len(want)})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, h := range res.Hits {
					got = append(got, h.ID)
				}
				slices.Sort(got)
				if q == phrase && !slices.Equal(got, want) {
					t.Errorf("%q: top %d are %s; want the planted %s (%d match all the words)", q, len(want), strings.Join(got, " "), strings.Join(want, " "), res.Total)
				}
				if q != phrase && res.Total < len(want) {
					t.Errorf("%q: %d results; the planted incidents have every word", q, res.Total)
				}
			}
		})
	}
}

// TestAnyWordFallback: when no incident has every word, the incidents
// with any of them are listed, those with more first, and the result says
// so; a query whose words all match never falls back.
func TestAnyWordFallback(t *testing.T) {
	root := testRepo(t)
	x := openTest(t, root, nil)
	if _, err := x.Sync(false, false); err != nil {
		t.Fatal(err)
	}
	const db, drill = "2026-03-05-database-timeouts", "2025-06-10-dns-drill"
	r := find(t, x, "database zzyzx", false)
	if !r.AnyWord || r.Total != 2 {
		t.Errorf("database zzyzx: any word %v, %d results (%s); want the 2 with database", r.AnyWord, r.Total, ids(r))
	}
	r = find(t, x, "database timeout payroll", false)
	if !r.AnyWord || !strings.HasPrefix(ids(r), db) {
		t.Errorf("database timeout payroll: %v %q; want the incident with both database and timeout first", r.AnyWord, ids(r))
	}
	if r := find(t, x, "database timeout", false); r.AnyWord || ids(r) != db {
		t.Errorf("database timeout: %v %q; every word matches, no fallback", r.AnyWord, ids(r))
	}
	if r := find(t, x, "zzyzx qqqxx", false); !r.AnyWord || r.Total != 0 {
		t.Errorf("zzyzx qqqxx: %v %d", r.AnyWord, r.Total)
	}
	// filters and exclusions still hold in the fallback
	if r := find(t, x, "database zzyzx -ledger", false); ids(r) != drill {
		t.Errorf("database zzyzx -ledger: %q", ids(r))
	}
	if r := find(t, x, "payment zzyzx kind:drill", false); r.Total != 0 {
		t.Errorf("payment zzyzx kind:drill: %q; the filter leaves nothing", ids(r))
	}
}

// TestSynonyms: a word's synonyms find what the word would not, and a
// phrase of the group finds the word.
func TestSynonyms(t *testing.T) {
	root := testRepo(t)
	x := openTest(t, root, nil)
	if _, err := x.Sync(false, false); err != nil {
		t.Fatal(err)
	}
	syn := searchtext.NewSynonyms(map[string][]string{"timeout": {"deadline exceeded", "timed out"}, "ledger": {"bookkeeping"}})
	search := func(q string) *Result {
		pq, err := searchtext.ParseQuery(q, testVocab)
		if err != nil {
			t.Fatal(err)
		}
		syn.Expand(pq)
		r, err := x.Search(context.Background(), Request{Query: pq, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	const db = "2026-03-05-database-timeouts"
	if r := search("deadline exceeded"); !strings.Contains(ids(r), db) || r.AnyWord {
		t.Errorf("deadline exceeded: %q (any word %v); want the incident with timeouts", ids(r), r.AnyWord)
	}
	if r := search("bookkeeping database"); ids(r) != db {
		t.Errorf("bookkeeping database: %q", ids(r))
	}
	if r := search(`"deadline exceeded"`); r.Total != 0 {
		t.Errorf(`"deadline exceeded" quoted: %q; a quoted phrase is taken as written`, ids(r))
	}
}

// TestPrefix: the last word, unquoted and with nothing after it, matches
// as a prefix too — the word being typed, as in the site's search.
func TestPrefix(t *testing.T) {
	root := testRepo(t)
	x := openTest(t, root, nil)
	if _, err := x.Sync(false, false); err != nil {
		t.Fatal(err)
	}
	const checkout, db = "2026-03-02-checkout-errors-in-eu", "2026-03-05-database-timeouts"
	for q, want := range map[string]string{
		"paym":           checkout, // payment
		"paym ":          "",       // a space ends the word
		`"paym"`:         "",       // a phrase is as written
		"paym -checkout": "",       // only the last word
		"database timeo": db,
		"p":              "", // too short to expand
	} {
		if got := ids(find(t, x, q, false)); got != want {
			t.Errorf("%q: %q, want %q", q, got, want)
		}
	}
	// the word itself ranks above what it begins
	if got := ids(find(t, x, "database", false)); !strings.HasPrefix(got, db) {
		t.Errorf("database: %q", got)
	}
}

// TestSynonymGroupsInTheIndex: documents carry the synonym groups they
// mention, so a query expanded with the index's synonyms matches a group
// by one term; the incidents found are those the query would find with a
// query per member.
func TestSynonymGroupsInTheIndex(t *testing.T) {
	root := testRepo(t)
	groups := map[string][]string{"timeout": {"deadline exceeded", "timed out", "time out"}, "ledger": {"bookkeeping"}, "database": {"db"}}
	o := benchOptions(root, t.TempDir())
	o.Settings = config.Default()
	o.Settings.Search.Synonyms = groups
	x, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if _, err := x.Sync(false, false); err != nil {
		t.Fatal(err)
	}
	syn := searchtext.NewSynonyms(groups)
	for _, q := range []string{"deadline exceeded", "timed out ", "bookkeeping", "db ", "db timeout ", "time out database "} {
		run := func(byMember bool) string {
			pq, err := searchtext.ParseQuery(q, testVocab)
			if err != nil {
				t.Fatal(err)
			}
			syn.Expand(pq)
			if byMember {
				pq.Synonyms = "not the index's"
			}
			r, err := x.Search(context.Background(), Request{Query: pq, Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range r.Hits {
				if h.Score <= 0 {
					t.Errorf("%q: %s scores %v; a degenerate score loses the ranking", q, h.ID, h.Score)
				}
			}
			got := strings.Fields(ids(r))
			slices.Sort(got)
			return strings.Join(got, " ")
		}
		byGroup, byMember := run(false), run(true)
		if byGroup != byMember || byGroup == "" {
			t.Errorf("%q: by the group's term %q, by its members %q", q, byGroup, byMember)
		}
	}
}
