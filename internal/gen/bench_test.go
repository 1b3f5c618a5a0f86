package gen

import (
	"path/filepath"
	"testing"
)

// BenchmarkGenerate measures building and writing 1000 incidents without
// git; `sev dev gen` prints the time of a full run.
func BenchmarkGenerate(b *testing.B) {
	opts := testOptions(1)
	opts.Incidents = 1000
	for b.Loop() {
		if _, err := Generate(filepath.Join(b.TempDir(), "repo"), opts); err != nil {
			b.Fatal(err)
		}
	}
}
