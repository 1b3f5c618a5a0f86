package importer

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/config"
)

// writeCStateCorpus writes a cState site of n issues with updates
// updates each, for the import benchmarks. shape "short" gives one-line
// updates; "long" paragraphs of Markdown with lists, links and code.
func writeCStateCorpus(dir string, n, updates int, shape string) error {
	issues := filepath.Join(dir, "content", "issues")
	if err := os.MkdirAll(issues, 0o755); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(uint64(n), uint64(updates)))
	words := strings.Fields("the database primary failed over to the replica in another zone and the queue " +
		"backed up while workers retried payments checkout search login api gateway certificate expired " +
		"deploy rolled back cache cold dns resolution timeouts increased for customers in europe and asia")
	sentence := func(k int) string {
		w := make([]string, k)
		for i := range w {
			w[i] = words[rng.IntN(len(words))]
		}
		return strings.ToUpper(w[0][:1]) + strings.Join(w, " ")[1:] + "."
	}
	start := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	sev := []string{"down", "disrupted", "notice"}
	for i := range n {
		at := start.Add(time.Duration(i) * 8 * time.Hour).Add(time.Duration(rng.IntN(400)) * time.Minute)
		end := at.Add(time.Duration(updates*10+rng.IntN(300)) * time.Minute)
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: %s\ndate: %s\nresolved: true\nresolvedWhen: %s\nseverity: %s\naffected:\n  - svc%d.example.io\n  - api.example.io\nsection: issue\n---\n\n",
			sentence(5), at.Format(time.RFC3339), end.Format(time.RFC3339), sev[i%3], i%40)
		for u := updates - 1; u >= 0; u-- {
			t := at.Add(time.Duration(u*10) * time.Minute)
			switch {
			case u == 0:
				b.WriteString("[Initial message]\n")
			default:
				fmt.Fprintf(&b, "**%s**\n", t.Format("2006-01-02 15:04:05"))
			}
			if shape == "long" {
				fmt.Fprintf(&b, "%s %s\n\n- %s\n- see [the runbook](https://runbooks.example.com/%d)\n\n```\n$ kubectl get pods -n api-%d\n```\n\n%s\n\n",
					sentence(30), sentence(25), sentence(8), i, u, sentence(40))
			} else {
				b.WriteString(sentence(12) + "\n\n")
			}
		}
		name := at.Format("2006-01-02") + "-issue-" + strconv.Itoa(i) + ".md"
		if err := os.WriteFile(filepath.Join(issues, name), []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// TestWriteBenchCorpus writes the corpus bench/import.sh imports, when
// SEV_BENCH_CSTATE names the folder (SEV_BENCH_N, SEV_BENCH_UPDATES and
// SEV_BENCH_SHAPE pick its size and shape).
func TestWriteBenchCorpus(t *testing.T) {
	dir := os.Getenv("SEV_BENCH_CSTATE")
	if dir == "" {
		t.Skip("SEV_BENCH_CSTATE is not set")
	}
	n, _ := strconv.Atoi(cmp.Or(os.Getenv("SEV_BENCH_N"), "10000"))
	u, _ := strconv.Atoi(cmp.Or(os.Getenv("SEV_BENCH_UPDATES"), "19"))
	if err := writeCStateCorpus(dir, n, u, cmp.Or(os.Getenv("SEV_BENCH_SHAPE"), "short")); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkImport reads a cState corpus and plans its import into an
// empty repository: everything sev import does but the commit.
func BenchmarkImport(b *testing.B) {
	dir := b.TempDir()
	const n = 2000
	if err := writeCStateCorpus(dir, n, 19, "short"); err != nil {
		b.Fatal(err)
	}
	s := config.Default()
	none := func(string) ([]byte, bool, error) { return nil, false, nil }
	for b.Loop() {
		recs, _, err := CState{}.Read(os.DirFS(dir))
		if err != nil {
			b.Fatal(err)
		}
		res := Build(s, Existing{IDs: map[string]bool{}, BySource: map[string]string{}}, recs, time.Now()).Apply(s, none)
		if len(res.Created) != n {
			b.Fatalf("created %d", len(res.Created))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/incident")
}
