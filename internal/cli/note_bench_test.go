package cli_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/cli"
)

// BenchmarkNote runs `sev note` (append + commit) in-process on the
// repository in $SEV_BENCH_REPO, for profiling; bench/note.sh compares the
// binary with git itself.
func BenchmarkNote(b *testing.B) {
	repo := os.Getenv("SEV_BENCH_REPO")
	if repo == "" {
		b.Skip("set SEV_BENCH_REPO to a generated repository (sev dev gen)")
	}
	out, err := exec.Command("git", "-C", repo, "ls-files", "incidents/*/timeline.yaml").Output()
	if err != nil {
		b.Fatal(err)
	}
	first, _, _ := strings.Cut(string(out), "\n")
	parts := strings.Split(first, "/")
	id := parts[2]
	env := append(os.Environ(), "SEV_USER=bench")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var stdout, stderr bytes.Buffer
		if code := cli.Main([]string{"-C", repo, "note", id, fmt.Sprintf("benchmark note %d", i), "--again"}, env, nil, &stdout, &stderr); code != 0 {
			b.Fatalf("sev note: %s", stderr.String())
		}
	}
}

// BenchmarkValidateCached runs `sev validate` on $SEV_BENCH_REPO with the
// cache already filled: the cost of checking an unchanged repository.
func BenchmarkValidateCached(b *testing.B) {
	repo := os.Getenv("SEV_BENCH_REPO")
	if repo == "" {
		b.Skip("set SEV_BENCH_REPO to a generated repository (sev dev gen)")
	}
	var out, errb bytes.Buffer
	cli.Main([]string{"-C", repo, "validate"}, os.Environ(), nil, &out, &errb)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if code := cli.Main([]string{"-C", repo, "validate"}, os.Environ(), nil, &out, &errb); code != 0 {
			b.Fatalf("validate: %s%s", out.String(), errb.String())
		}
	}
}
