package gitstore

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

func TestGitVarint(t *testing.T) {
	for _, v := range []uint64{0, 1, 127, 128, 129, 255, 16383, 16384, 16511, 1 << 20, 1<<40 + 3} {
		b := appendGitVarint(nil, v)
		got, n := decodeGitVarint(b)
		if got != v || n != len(b) {
			t.Errorf("%d: encoded %x, decoded %d (%d bytes)", v, b, got, n)
		}
	}
	// git's encoding, not LEB128: 128 is 0x80 0x00
	if b := appendGitVarint(nil, 128); string(b) != "\x80\x00" {
		t.Errorf("128 encodes as %x, git writes 8000", b)
	}
	if _, n := decodeGitVarint([]byte{0x80}); n != 0 {
		t.Error("a truncated varint decodes")
	}
}

func TestEWAHRoundTrip(t *testing.T) {
	for _, bits := range [][]uint64{nil, {0}, {1, 5, 63, 64, 65, 200}} {
		b := appendEWAH(nil, bits, 201)
		got, n, err := readEWAH(b)
		if err != nil || n != len(b) || len(got) != len(bits) {
			t.Fatalf("%v: read %v, %d of %d bytes, %v", bits, got, n, len(b), err)
		}
		for i := range bits {
			if got[i] != bits[i] {
				t.Errorf("%v: read %v", bits, got)
			}
		}
	}
}

// trustedFolders lists the folders of an untracked-cache extension git
// will not rescan.
func trustedFolders(t *testing.T, data []byte) map[string]bool {
	t.Helper()
	uc, err := parseUntracked(data)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]bool{}
	for _, name := range uc.trusted() {
		m[name] = true
	}
	return m
}

// TestUntrackedCacheAfterStage: after sev stages a file, git still sees a
// file created, and a tracked file changed, in the same clock tick as its
// last scan. The tick
// is simulated with core.trustctime off and the folder's and index's
// modification times set by hand.
func TestUntrackedCacheAfterStage(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	run(t, dir, "git", "init", "-q")
	run(t, dir, "git", "config", "core.trustctime", "false")
	run(t, dir, "git", "config", "core.untrackedCache", "true")
	for _, p := range []string{"a/b/x.yaml", "a/y.yaml", "c/z.yaml"} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(dir, p), []byte(p), 0o644)
	}
	// one tick: files are written, git scans the tree and writes its
	// index, a file appears and a tracked one changes
	tick := time.Now().Add(-time.Hour).Truncate(time.Second)
	for _, p := range []string{"a/b/x.yaml", "a/y.yaml", "c/z.yaml"} {
		os.Chtimes(filepath.Join(dir, p), tick, tick)
	}
	run(t, dir, "git", "add", ".")
	run(t, dir, "git", "commit", "-qm", "x")
	for _, d := range []string{"", "a", "a/b", "c"} {
		os.Chtimes(filepath.Join(dir, d), tick, tick)
	}
	run(t, dir, "git", "status", "--porcelain")
	os.Chtimes(filepath.Join(dir, ".git", "index"), tick, tick)
	os.WriteFile(filepath.Join(dir, "scratch.txt"), []byte("s"), 0o644)
	os.Chtimes(dir, tick, tick)
	os.WriteFile(filepath.Join(dir, "c", "z.yaml"), []byte("C/Z.YAML"), 0o644)
	os.Chtimes(filepath.Join(dir, "c", "z.yaml"), tick, tick)
	os.Chtimes(filepath.Join(dir, "c"), tick, tick)

	data, _ := os.ReadFile(filepath.Join(dir, ".git", "index"))
	if v := trustedFolders(t, extsOf(t, data)["UNTR"]); !v["c/"] {
		t.Fatalf("git did not cache c/: %v", v)
	}

	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "a", "b", "x.yaml"), []byte("changed"), 0o644)
	blob, err := r.WriteBlob([]byte("changed"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := r.LockIndex([]string{"a/b/x.yaml"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Stage(map[string]plumbing.Hash{"a/b/x.yaml": blob}); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("git", "-C", dir, "status", "--porcelain").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "?? scratch.txt") {
		t.Errorf("git status no longer shows the untracked file:\n%s", out)
	}
	if !strings.Contains(string(out), " M c/z.yaml") {
		t.Errorf("git status no longer sees the racy change to c/z.yaml:\n%s", out)
	}
	if !strings.Contains(string(out), "M  a/b/x.yaml") {
		t.Errorf("git status does not show the staged file:\n%s", out)
	}
	run(t, dir, "git", "fsck", "--strict")
}

// TestUntrackedCacheKeepsTrustedFolders: folders away from the staged path
// and older than the index stay cached, so git does not rescan the tree.
func TestUntrackedCacheKeepsTrustedFolders(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	run(t, dir, "git", "init", "-q")
	for _, p := range []string{"a/b/x.yaml", "a/y.yaml", "c/z.yaml"} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(dir, p), []byte(p), 0o644)
	}
	run(t, dir, "git", "add", ".")
	old := time.Now().Add(-time.Hour)
	for _, d := range []string{"", "a", "a/b", "c"} {
		os.Chtimes(filepath.Join(dir, d), old, old)
	}
	run(t, dir, "git", "update-index", "--untracked-cache")
	run(t, dir, "git", "status", "--porcelain")
	data, _ := os.ReadFile(filepath.Join(dir, ".git", "index"))
	fi, _ := os.Stat(filepath.Join(dir, ".git", "index"))
	now := stamp{sec: uint32(fi.ModTime().Unix())}
	exts := extsOf(t, data)
	got, err := invalidateUntracked(exts["UNTR"], []string{"a/b/x.yaml"}, now)
	if err != nil {
		t.Fatal(err)
	}
	v := trustedFolders(t, got)
	if v[""] || v["a/"] || v["a/b/"] || !v["c/"] {
		t.Errorf("after staging a/b/x.yaml the trusted folders are %v, want only c/", v)
	}
	// everything racy: nothing trusted
	got, _ = invalidateUntracked(exts["UNTR"], nil, stamp{sec: 1})
	if v := trustedFolders(t, got); v["c/"] || v["a/"] {
		t.Errorf("racy folders stay trusted: %v", v)
	}
}

func extsOf(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	r, err := newIndexReader(data)
	if err != nil {
		t.Fatal(err)
	}
	for {
		_, ok, err := r.next()
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
	}
	exts, err := r.extensions()
	if err != nil {
		t.Fatal(err)
	}
	m := map[string][]byte{}
	for _, x := range exts {
		m[x.sig] = x.data
	}
	return m
}

// TestIndexV4LongPaths: version 4 strips path prefixes with git's varint;
// names that differ early in long paths need more than one byte of it.
func TestIndexV4LongPaths(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	run(t, dir, "git", "init", "-q")
	long := strings.Repeat("very-long-slug-", 14)
	var want []string
	for _, top := range []string{"a", "b", "c"} {
		p := top + "/" + long + "/timeline.yaml"
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(dir, p), []byte(top), 0o644)
		want = append(want, p)
	}
	run(t, dir, "git", "add", ".")
	run(t, dir, "git", "update-index", "--index-version", "4")
	data, _ := os.ReadFile(filepath.Join(dir, ".git", "index"))
	hash := [20]byte{0xe6, 0x9d, 0xe2, 0x9b, 0xb2, 0xd1, 0xd6, 0x43, 0x4b, 0x8b, 0x29, 0xae, 0x77, 0x5a, 0xd8, 0xc2, 0xe4, 0x8c, 0x53, 0x91}
	p := "b/" + long + "/incident.yaml"
	patched, err := patchIndex(data, []staged{{path: p, hash: hash, stat: fileStat{mode: 0o100644}}}, stamp{})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, ".git", "index"), patched, 0o644)
	out, err := exec.Command("git", "-C", dir, "ls-files").Output()
	if err != nil {
		t.Fatalf("git cannot read the patched index: %v", err)
	}
	want = append(want[:1], append([]string{p}, want[1:]...)...)
	if got := strings.Fields(string(out)); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("git lists\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
