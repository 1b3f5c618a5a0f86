package sitesearch

import (
	"io/fs"
	"slices"
	"testing"
)

// BenchmarkColdQueries10k runs queries like bench/sitequery's (the
// planted phrases, words found through stemming, a severity filter)
// through search.js under node, each from a cold start and then warm, on
// the index of 10,000 generated incidents, and reports what a cold query
// downloads (the index's files it fetched; the client's JavaScript, the
// same for every query, apart) and how long a warm one takes.
func BenchmarkColdQueries10k(b *testing.B)  { benchCold(b, 10000) }
func BenchmarkColdQueries100k(b *testing.B) { benchCold(b, 100000) }

func benchCold(b *testing.B, n int) {
	c := loadCorpus(b, n)
	x := build(c.docs)
	dir := b.TempDir()
	if _, err := x.Write(fileWriter(b, dir)); err != nil {
		b.Fatal(err)
	}
	var qs []clientQuery
	for _, q := range coldQueries(c) {
		qs = append(qs, clientQuery{Q: q.q, Opts: map[string]any{"limit": 5, "filters": q.filters}})
	}
	js := 0
	for _, name := range []string{"search.js", "analyze.js"} {
		b, _ := fs.ReadFile(Assets, name)
		js += len(b)
	}
	for i := 0; i < b.N; i++ {
		got := runClient(b, dir, qs)
		var sizes []int
		var warm []float64
		for j, r := range got {
			sizes = append(sizes, r.coldBytes())
			warm = append(warm, r.WarmMs)
			b.Logf("%-26q %5d results, %6d bytes of index in %2d files, %5.1f ms warm", qs[j].Q, r.Total, r.coldBytes(), len(r.Fetched), r.WarmMs)
		}
		slices.Sort(sizes)
		slices.Sort(warm)
		b.ReportMetric(warm[len(warm)/2], "median-warm-ms")
		b.ReportMetric(warm[len(warm)-1], "max-warm-ms")
		b.ReportMetric(float64(sizes[len(sizes)/2]), "median-index-B")
		b.ReportMetric(float64(sizes[len(sizes)-1]), "max-index-B")
		b.ReportMetric(float64(js), "js-B")
	}
}

type coldQuery struct {
	q       string
	filters map[string]any
}

func coldQueries(c *corpus) []coldQuery {
	var out []coldQuery
	for _, p := range []string{"quantum flux capacitor", "dev-cluster-105", "ERR_CONN_RESET", "api.eu-west-1", "10.20.3.14"} {
		out = append(out, coldQuery{q: p})
	}
	for _, w := range []string{"evict", "injection", "renewing", "recovering", "misrouting", "migrations", "partitioned", "renewing certificate"} {
		out = append(out, coldQuery{q: w})
	}
	out = append(out, coldQuery{q: "ERR_CONN_RESET", filters: map[string]any{"severity": "SEV2"}},
		coldQuery{q: "evict", filters: map[string]any{"severity": "SEV1"}})
	return out
}
