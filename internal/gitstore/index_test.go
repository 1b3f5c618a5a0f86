package gitstore

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func run(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir, "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
}

// TestIndexRoundTrip: an index git wrote, parsed and encoded again with no
// change, is byte for byte what git wrote, for every version and with the
// cache-tree and untracked-cache extensions present.
func TestIndexRoundTrip(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	for _, version := range []string{"2", "3", "4"} {
		t.Run("v"+version, func(t *testing.T) {
			dir := t.TempDir()
			run(t, dir, "git", "init", "-q")
			for i := 0; i < 50; i++ {
				p := filepath.Join(dir, "incidents", "2026", fmt.Sprintf("2026-03-%02d-incident-%d", i%28+1, i), "incident.yaml")
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.WriteFile(p, []byte(fmt.Sprintf("id: %d\n", i)), 0o644)
			}
			run(t, dir, "git", "add", ".")
			run(t, dir, "git", "commit", "-qm", "x")
			run(t, dir, "git", "update-index", "--index-version", version, "--untracked-cache")
			if version == "3" {
				run(t, dir, "git", "update-index", "--assume-unchanged", "incidents/2026/2026-03-01-incident-0/incident.yaml")
				run(t, dir, "git", "add", "-N", ".")
			}
			os.WriteFile(filepath.Join(dir, "untracked.txt"), []byte("u"), 0o644)
			run(t, dir, "git", "status", "--porcelain")
			data, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
			if err != nil {
				t.Fatal(err)
			}
			idx, err := parseIndex(data)
			if err != nil {
				t.Fatal(err)
			}
			var sigs []string
			for _, x := range idx.exts {
				sigs = append(sigs, x.sig)
			}
			if len(idx.entries) != 50 {
				t.Errorf("parsed %d entries, want 50", len(idx.entries))
			}
			if got := idx.encode(); !bytes.Equal(got, data) {
				t.Errorf("re-encoded index differs (%d vs %d bytes, extensions %v)", len(got), len(data), sigs)
			}
		})
	}
}

func TestIndexSetInsertsInOrderAndInvalidatesTree(t *testing.T) {
	idx := &rawIndex{version: 4}
	idx.set([]staged{{path: "b/x", hash: [20]byte{1}}, {path: "a/y", hash: [20]byte{2}}, {path: "b/a", hash: [20]byte{3}}})
	var names []string
	for _, e := range idx.entries {
		names = append(names, e.name)
	}
	if fmt.Sprint(names) != "[a/y b/a b/x]" {
		t.Errorf("entries = %v", names)
	}
	back, err := parseIndex(idx.encode())
	if err != nil {
		t.Fatal(err)
	}
	if len(back.entries) != 3 || back.entries[2].name != "b/x" {
		t.Errorf("v4 prefix compression did not round trip: %+v", back.entries)
	}
	idx.set([]staged{{path: "a/y"}})
	if len(idx.entries) != 2 {
		t.Errorf("a zero hash must remove the entry; have %d entries", len(idx.entries))
	}
}
