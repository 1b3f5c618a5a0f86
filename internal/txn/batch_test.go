package txn

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/gitstore"
)

// A commit of many files (an import) writes its objects as one pack: git
// reads every file back, fsck is clean, the working tree and the index
// agree with the commit, and a small commit after it still works.
func TestCommitFilesBatch(t *testing.T) {
	dir, st, me, _ := testStore(t)
	files := map[string][]byte{}
	n := 2 * gitstore.BatchMin
	for i := range n {
		files[fmt.Sprintf("incidents/2026/2026-03-02-i%04d/incident.yaml", i)] = []byte(fmt.Sprintf("id: i%04d\n", i))
	}
	if _, err := st.CommitFiles(files, me.Author, me.Committer, "import: many\n"); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "fsck", "--strict", "--no-progress")
	if got := git(t, dir, "show", "HEAD:incidents/2026/2026-03-02-i0123/incident.yaml"); got != "id: i0123\n" {
		t.Errorf("file read back as %q", got)
	}
	if got := strings.Count(git(t, dir, "ls-tree", "-r", "--name-only", "HEAD"), "\n"); got != n {
		t.Errorf("the commit holds %d files, want %d", got, n)
	}
	if out := git(t, dir, "status", "--porcelain"); out != "" {
		t.Errorf("git status after the commit:\n%s", out)
	}
	if out := git(t, dir, "count-objects", "-v"); !strings.Contains(out, "count: 0\n") || !strings.Contains(out, "packs: 1\n") {
		t.Errorf("the objects are not in one pack:\n%s", out)
	}
	small := map[string][]byte{"incidents/2026/2026-03-02-i0001/incident.yaml": []byte("id: changed\n")}
	if _, err := st.CommitFiles(small, me.Author, me.Committer, "edit\n"); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "fsck", "--strict", "--no-progress")
	if out := git(t, dir, "status", "--porcelain"); out != "" {
		t.Errorf("git status after the second commit:\n%s", out)
	}
}
