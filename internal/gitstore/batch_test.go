package gitstore

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A batch replaces every file whole and leaves no temporary file, and a
// refused path stops it without leaving temporaries behind.
func TestWriteFiles(t *testing.T) {
	root := t.TempDir()
	files := map[string][]byte{}
	for i := range 100 {
		files[fmt.Sprintf("incidents/2026/i-%03d/incident.yaml", i)] = []byte(fmt.Sprintf("id: %d\n", i))
	}
	if err := os.MkdirAll(filepath.Join(root, "incidents/2026/i-000"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "incidents/2026/i-000/incident.yaml"), []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFiles(root, files); err != nil {
		t.Fatal(err)
	}
	for p, want := range files {
		got, err := os.ReadFile(filepath.Join(root, p))
		if err != nil || string(got) != string(want) {
			t.Fatalf("%s = %q, %v; want %q", p, got, err, want)
		}
	}
	if tmps := temps(t, root); len(tmps) > 0 {
		t.Fatalf("temporary files left: %v", tmps)
	}
	if err := os.Symlink(t.TempDir(), filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	files["link/x.yaml"] = []byte("x\n")
	if err := WriteFiles(root, files); err == nil {
		t.Fatal("a path through a symbolic link was written")
	}
	if tmps := temps(t, root); len(tmps) > 0 {
		t.Fatalf("temporary files left after a refusal: %v", tmps)
	}
}

func temps(t *testing.T, root string) []string {
	var out []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".sev-tmp-") {
			out = append(out, p)
		}
		return nil
	})
	return out
}
