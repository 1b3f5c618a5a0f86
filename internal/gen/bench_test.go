package gen

import (
	"path/filepath"
	"testing"
)

func BenchmarkGenerate(b *testing.B) {
	opts := testOptions(1)
	opts.Incidents = 1000
	for i := 0; i < b.N; i++ {
		if _, err := Generate(filepath.Join(b.TempDir(), "r"), opts); err != nil {
			b.Fatal(err)
		}
	}
}
