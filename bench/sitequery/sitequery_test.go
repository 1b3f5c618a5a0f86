package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/gen"
	"github.com/sev-dev/sev/internal/library"
)

func TestIDOf(t *testing.T) {
	for in, want := range map[string]string{
		"2024-01-01-failover-of-accounts-db":                          "2024-01-01-failover-of-accounts-db",
		"/incidents/2024-01-01-failover-of-accounts-db/":              "2024-01-01-failover-of-accounts-db",
		"incidents/2024-01-01-failover/index.html":                    "2024-01-01-failover",
		"http://127.0.0.1:8080/base/incidents/2024-01-01-x/#timeline": "2024-01-01-x",
		"/incidents/2024-01-01-x.html?q=1":                            "2024-01-01-x",
	} {
		if got := idOf(in); got != want {
			t.Errorf("idOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// The answers found in the repository are the generator's own, and the
// stem queries' words never appear as written, so only stemming finds
// their answers.
func TestQueriesFromGeneratedRepository(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "repo")
	st, err := gen.Generate(dir, gen.Options{Incidents: 400, Seed: 3,
		Start: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	lib := loadLibrary(t, dir)
	qs, err := buildQueries(lib, nil)
	if err != nil {
		t.Fatal(err)
	}
	stems := 0
	for _, q := range qs {
		switch q.Kind {
		case "planted":
			if !slices.Equal(q.Answers, st.Planted[q.Text]) {
				t.Errorf("%q: answers %v, the generator planted it in %v", q.Text, q.Answers, st.Planted[q.Text])
			}
		case "stem":
			stems += len(q.Answers)
			if q.Literal != 0 {
				t.Errorf("%q appears as written in %d incidents; pick a form the generator does not write", q.Text, q.Literal)
			}
		case "filter":
			if len(q.Filters) != 1 || q.Filters["severity"] == "" {
				t.Errorf("%q: filters %v, want one severity", q.Text, q.Filters)
			}
		}
	}
	if stems == 0 {
		t.Error("no stem query has an answer")
	}
}

func loadLibrary(t *testing.T, dir string) *library.Library {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, config.File))
	if err != nil {
		t.Fatal(err)
	}
	s, _ := config.Parse(config.File, data)
	lib, err := library.Load(os.DirFS(dir), s)
	if err != nil {
		t.Fatal(err)
	}
	return lib.Visible(false)
}

// A mock of sev's search module that fetches its shard in a Web Worker,
// as Pagefind does: the worker's bytes are counted, the results become
// incident IDs and the engine's own milliseconds are read.
const mockModule = `export async function search(q, {filters, limit}) {
  const w = new Worker(new URL("worker.js", import.meta.url));
  const ids = await new Promise(ok => { w.onmessage = e => ok(e.data); w.postMessage(q); });
  const hits = ids.filter(id => !filters || id.endsWith(filters.severity.toLowerCase()));
  return {results: hits.slice(0, limit).map(id => ({url: "incidents/" + id + "/"})), total: hits.length, ms: 1.5};
}
`

const mockWorker = `onmessage = async () => postMessage(await (await fetch("shard.json")).json());
`

const mockShard = `["2024-01-02-b-sev1", "2024-01-01-a-sev2", "2024-01-03-c-sev2"]`

func TestMeasureMockEngine(t *testing.T) {
	chromium := defaultChromium()
	if chromium == "" {
		if _, err := exec.LookPath("chromium"); err != nil {
			t.Skip("no chromium")
		}
	}
	if testing.Short() {
		t.Skip("starts chromium")
	}
	dir := t.TempDir()
	files := map[string]string{"assets/search.js": mockModule, "assets/worker.js": mockWorker, "assets/shard.json": mockShard}
	want := int64(0)
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		want += int64(len(text))
	}
	ctx, stop, err := browser(chromium)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	srv := serve(dir)
	defer srv.Close()
	e := sevEngine(dir, "/assets/search.js", "search", "")
	q := &query{Kind: "filter", Text: "x", Filters: map[string]string{"severity": "SEV2"}, Answers: []string{"2024-01-01-a-sev2", "2024-01-03-c-sev2"}}
	r := measure(ctx, e, srv, q, 2)
	if r.Err != "" {
		t.Fatal(r.Err)
	}
	if !slices.Equal(r.Top, q.Answers) || r.Total != 2 {
		t.Errorf("top %v of %d, want %v of 2", r.Top, r.Total, q.Answers)
	}
	if r.Requests != 3 || r.Bytes <= want {
		t.Errorf("%d requests, %d bytes; want the 3 files, more than their %d bytes (headers)", r.Requests, r.Bytes, want)
	}
	if r.EngineColdMs != 1.5 || r.EngineWarmMs != 1.5 || r.ColdMs <= 0 {
		t.Errorf("engine ms %v/%v, page ms %v", r.EngineColdMs, r.EngineWarmMs, r.ColdMs)
	}
	if got, best := hits(r); got != 2 || best != 2 {
		t.Errorf("hits %d/%d, want 2/2", got, best)
	}
}
