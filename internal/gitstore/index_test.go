package gitstore

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
			run(t, dir, "git", "hash-object", "-w", "--stdin")
			data, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
			if err != nil {
				t.Fatal(err)
			}
			got, err := patchIndex(data, nil, stamp{})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, data) {
				t.Errorf("an index patched with nothing differs from git's (%d vs %d bytes)", len(got), len(data))
			}
			// insert before, between and after, replace one and remove one;
			// then git itself must read the result and agree with it
			hash := [20]byte{0xe6, 0x9d, 0xe2, 0x9b, 0xb2, 0xd1, 0xd6, 0x43, 0x4b, 0x8b, 0x29, 0xae, 0x77, 0x5a, 0xd8, 0xc2, 0xe4, 0x8c, 0x53, 0x91} // the empty blob
			st := fileStat{mode: 0o100644}
			files := []staged{
				{path: "a-first.txt", hash: hash, stat: st},
				{path: "incidents/2026/2026-03-01-incident-0/incident.yaml", hash: hash, stat: st},
				{path: "incidents/2026/2026-03-01-incident-0/timeline.yaml", hash: hash, stat: st},
				{path: "incidents/2026/2026-03-02-incident-1/incident.yaml"},
				{path: "zz-last.txt", hash: hash, stat: st},
			}
			patched, err := patchIndex(data, files, stamp{})
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, ".git", "index"), patched, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("git", "-C", dir, "ls-files", "-s").Output()
			if err != nil {
				t.Fatalf("git cannot read the patched index: %v", err)
			}
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			if len(lines) != 50+3-1 {
				t.Errorf("git lists %d entries, want 52", len(lines))
			}
			for _, want := range []string{"a-first.txt", "incidents/2026/2026-03-01-incident-0/timeline.yaml", "zz-last.txt"} {
				if !strings.Contains(string(out), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 0\t"+want+"\n") {
					t.Errorf("git does not list %s with its new blob:\n%s", want, out)
				}
			}
			if strings.Contains(string(out), "2026-03-02-incident-1/incident.yaml") {
				t.Error("the removed entry is still listed")
			}
			// the cache-tree above the changes is invalid, so git writes a correct tree
			wt, err := exec.Command("git", "-C", dir, "write-tree").Output()
			if err != nil {
				t.Fatal(err)
			}
			ls, _ := exec.Command("git", "-C", dir, "ls-tree", "-r", "--name-only", strings.TrimSpace(string(wt))).Output()
			if !strings.Contains(string(ls), "zz-last.txt") || strings.Contains(string(ls), "2026-03-02-incident-1/") {
				t.Errorf("git write-tree used a stale cache-tree:\n%s", ls)
			}
		})
	}
}
