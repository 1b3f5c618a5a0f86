package site

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkBuild builds the site of the repository named by
// SEV_BENCH_REPO (a generated one: sev dev gen --incidents 10000 DIR).
func BenchmarkBuild(b *testing.B) {
	dir := os.Getenv("SEV_BENCH_REPO")
	if dir == "" {
		b.Skip("set SEV_BENCH_REPO to a generated repository")
	}
	s := settingsOf(b, dir)
	out := filepath.Join(b.TempDir(), "public")
	for b.Loop() {
		if _, _, err := Build(os.DirFS(dir), s, Options{Out: out, Now: testNow}); err != nil {
			b.Fatal(err)
		}
	}
}
