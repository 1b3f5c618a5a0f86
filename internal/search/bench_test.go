package search

import (
	"context"
	"crypto/sha1"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/searchtext"
)

// The benchmarks run against a generated repository named by
// SEV_BENCH_REPO (sev dev gen --incidents 50000 --seed 1 /tmp/gen50k);
// see docs/performance.md. They skip without it.

func benchRepo(b *testing.B) string {
	repo := os.Getenv("SEV_BENCH_REPO")
	if repo == "" {
		b.Skip("SEV_BENCH_REPO is not set")
	}
	return repo
}

func hashBlob(data []byte) [20]byte {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(data))
	h.Write(data)
	var out [20]byte
	copy(out[:], h.Sum(nil))
	return out
}

func benchOptions(repo, dir string) Options {
	return Options{Root: repo, Dir: dir, GitIndexFile: filepath.Join(repo, ".git", "index"), HashBlob: hashBlob}
}

// BenchmarkBuild indexes the whole repository into a new index.
func BenchmarkBuild(b *testing.B) {
	repo := benchRepo(b)
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		start := time.Now()
		x, err := Open(benchOptions(repo, dir))
		if err != nil {
			b.Fatal(err)
		}
		st, err := x.Sync(false, false)
		if err != nil {
			b.Fatal(err)
		}
		if err := x.Close(); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(st.Changed)/time.Since(start).Seconds(), "docs/s")
		b.ReportMetric(float64(dirSize(dir))/(1<<20), "MiB")
	}
}

func dirSize(dir string) int64 {
	var n int64
	filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return nil
	})
	return n
}

// benchIndex opens the repository's own index (.git/sev/search), building
// it once if needed, as `sev search` does.
func benchIndex(b *testing.B) (*Index, string) {
	repo := benchRepo(b)
	x, err := Open(benchOptions(repo, filepath.Join(repo, ".git", "sev", "search")))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := x.Sync(false, false); err != nil {
		b.Fatal(err)
	}
	return x, repo
}

var benchQueries = []string{"quantum flux capacitor", "dev-cluster-105", "ERR_CONN_RESET", "api.eu-west-1",
	"10.20.3.14", "rollback", "database timeout", `"connection pool"`, "dev cluster 105", "timeout sev:1 after:2024-01-01"}

// BenchmarkQuery is one search on a warm, up-to-date index: the freshness
// check, the query and the snippets, as `sev search` runs them after
// opening the index.
func BenchmarkQuery(b *testing.B) {
	x, _ := benchIndex(b)
	defer x.Close()
	for _, qs := range benchQueries {
		b.Run(strings.ReplaceAll(qs, " ", "_"), func(b *testing.B) {
			q, err := searchtext.ParseQuery(qs, searchtext.Vocabulary{})
			if err != nil {
				b.Fatal(err)
			}
			lat := make([]time.Duration, 0, b.N)
			for i := 0; i < b.N; i++ {
				t := time.Now()
				if _, err := x.Sync(false, false); err != nil {
					b.Fatal(err)
				}
				if _, err := x.Search(context.Background(), Request{Query: q, Limit: 10}); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t))
			}
			reportPercentiles(b, lat)
		})
	}
}

// BenchmarkOpenQuery adds opening and closing the index to each search,
// which a `sev search` process pays once.
func BenchmarkOpenQuery(b *testing.B) {
	x, repo := benchIndex(b)
	x.Close()
	q, _ := searchtext.ParseQuery("database timeout", searchtext.Vocabulary{})
	lat := make([]time.Duration, 0, b.N)
	for i := 0; i < b.N; i++ {
		t := time.Now()
		x, err := Open(benchOptions(repo, filepath.Join(repo, ".git", "sev", "search")))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := x.Sync(false, false); err != nil {
			b.Fatal(err)
		}
		if _, err := x.Search(context.Background(), Request{Query: q, Limit: 10}); err != nil {
			b.Fatal(err)
		}
		x.Close()
		lat = append(lat, time.Since(t))
	}
	reportPercentiles(b, lat)
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkUpdateOneNote appends a note to one timeline and stages it (as
// `sev note` does), then brings the index up to date: the stat sweep of
// every incident plus re-indexing one. The file is restored afterwards.
func BenchmarkUpdateOneNote(b *testing.B) {
	x, repo := benchIndex(b)
	defer x.Close()
	ids, _ := filepath.Glob(filepath.Join(repo, "incidents", "2024", "*", "timeline.yaml"))
	if len(ids) == 0 {
		b.Skip("no 2024 incidents")
	}
	tl := ids[len(ids)/2]
	orig, err := os.ReadFile(tl)
	if err != nil {
		b.Fatal(err)
	}
	rel, _ := filepath.Rel(repo, tl)
	defer func() {
		os.WriteFile(tl, orig, 0o644)
		exec.Command("git", "-C", repo, "update-index", "--", rel).Run()
		x.Sync(false, false)
	}()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		note := fmt.Sprintf("- id: bench%012d\n  at: 2024-06-01T10:00:00Z\n  by: bench\n  type: note\n  text: zanzibar benchmark note %d\n", i, i)
		f, _ := os.OpenFile(tl, os.O_APPEND|os.O_WRONLY, 0)
		f.WriteString(note)
		f.Close()
		if out, err := exec.Command("git", "-C", repo, "update-index", "--", rel).CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, out)
		}
		time.Sleep(1100 * time.Millisecond) // out of the racy window, as a later search would be
		b.StartTimer()
		st, err := x.Sync(false, false)
		if err != nil {
			b.Fatal(err)
		}
		if st.Changed != 1 {
			b.Fatalf("indexed %d, want 1", st.Changed)
		}
	}
}
