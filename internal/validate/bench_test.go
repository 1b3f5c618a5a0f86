package validate_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sev-dev/sev/internal/gen"
	"github.com/sev-dev/sev/internal/validate"
)

// benchRepo is $SEV_BENCH_REPO (for example a 100k-incident repository
// from `sev dev gen`), or a 2,000-incident one generated for the run.
func benchRepo(b *testing.B) string {
	if dir := os.Getenv("SEV_BENCH_REPO"); dir != "" {
		return dir
	}
	dir := filepath.Join(b.TempDir(), "repo")
	_, err := gen.Generate(dir, gen.Options{Incidents: 2000, Seed: 1,
		Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	return dir
}

func incidentFiles(b *testing.B, dir string) []string {
	var files []string
	err := filepath.WalkDir(filepath.Join(dir, "incidents"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return files
}

// BenchmarkValidate is `sev validate` with nothing cached.
func BenchmarkValidate(b *testing.B) {
	dir := benchRepo(b)
	n := len(incidentFiles(b, dir))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, diags := validate.Run(os.DirFS(dir), validate.Options{})
		if diags.Errors() > 0 {
			b.Fatalf("generated repository has %d errors: %v", diags.Errors(), diags[0])
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}

// BenchmarkPlainYAML is the anchor: the same files read and decoded into
// generic values by yaml.v3 on all cores, with no checks at all.
func BenchmarkPlainYAML(b *testing.B) {
	dir := benchRepo(b)
	files := incidentFiles(b, dir)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var wg sync.WaitGroup
		next := make(chan string, 256)
		for w := 0; w < runtime.GOMAXPROCS(0); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for p := range next {
					data, err := os.ReadFile(p)
					if err != nil {
						b.Error(err)
						continue
					}
					var v any
					if err := yaml.Unmarshal(data, &v); err != nil {
						b.Error(err)
					}
				}
			}()
		}
		for _, f := range files {
			next <- f
		}
		close(next)
		wg.Wait()
	}
	b.ReportMetric(float64(len(files))*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}
