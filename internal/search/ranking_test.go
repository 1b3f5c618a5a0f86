package search

import (
	"context"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

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
