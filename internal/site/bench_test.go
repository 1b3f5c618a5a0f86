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

// BenchmarkRebuildOne is what sev serve does after a sev note: one
// incident changed, in the repository named by SEV_BENCH_REPO.
func BenchmarkRebuildOne(b *testing.B) {
	dir := os.Getenv("SEV_BENCH_REPO")
	if dir == "" {
		b.Skip("set SEV_BENCH_REPO to a generated repository")
	}
	s := settingsOf(b, dir)
	out := filepath.Join(b.TempDir(), "public")
	st, sum, err := Build(os.DirFS(dir), s, Options{Out: out, Now: testNow})
	if err != nil {
		b.Fatal(err)
	}
	_ = sum
	id := st.lib.Incidents[len(st.lib.Incidents)/2].ID()
	for b.Loop() {
		if _, err := st.Rebuild(s, []string{id}); err != nil {
			b.Fatal(err)
		}
	}
}
