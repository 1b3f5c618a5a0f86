package gitstore

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"testing/fstest"
)

// TestStagedFS: the index seen as an fs.FS passes the standard library's
// file system conformance test, and shows staged content, not the working
// tree's.
func TestStagedFS(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	run(t, dir, "git", "init", "-q")
	files := map[string]string{
		"sev.yaml": "name: x\n",
		"incidents/2026/2026-03-02-a/incident.yaml":       "id: 2026-03-02-a\n",
		"incidents/2026/2026-03-02-a/attachments/log.txt": "log\n",
		"incidents/2025/2025-01-01-b/timeline.yaml":       "- id: abcd\n",
	}
	for p, c := range files {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(dir, p), []byte(c), 0o644)
	}
	run(t, dir, "git", "add", ".")
	os.WriteFile(filepath.Join(dir, "sev.yaml"), []byte("name: unstaged edit\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "untracked.txt"), []byte("u"), 0o644)
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	fsys, err := r.StagedFS()
	if err != nil {
		t.Fatal(err)
	}
	if err := fstest.TestFS(fsys, "sev.yaml", "incidents/2026/2026-03-02-a/attachments/log.txt", "incidents/2025/2025-01-01-b/timeline.yaml"); err != nil {
		t.Fatal(err)
	}
	if b, _ := fsys.Open("sev.yaml"); b != nil {
		data := make([]byte, 64)
		n, _ := b.Read(data)
		if string(data[:n]) != "name: x\n" {
			t.Errorf("sev.yaml = %q, want the staged content", data[:n])
		}
	}
	if _, err := fsys.Open("untracked.txt"); err == nil {
		t.Error("an untracked file is visible")
	}
	if _, ok := r.IndexChecksum(); !ok {
		t.Error("no index checksum")
	}
}
