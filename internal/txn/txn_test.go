package txn

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/timeline"
)

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// testStore is a store on a new repository (git init) whose clock stands
// at clock, and alice as the one who commits.
func testStore(t *testing.T) (dir string, st *Store, me Identity, clock time.Time) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir = t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	repo, err := gitstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	clock = time.Date(2026, 3, 2, 14, 5, 0, 0, time.UTC)
	st = Open(repo, config.Default(), Options{Now: func() time.Time { return clock }, Getenv: func(string) string { return "" }})
	me, err = Whoami(config.Default(), "alice", "Alice Example", "alice@example.com", clock)
	if err != nil {
		t.Fatal(err)
	}
	return dir, st, me, clock
}

// TestCommitInProcess: the transaction used without the command line
// commits a declaration and a note (git status clean, fsck clean), refuses
// the same command twice within ten minutes unless Again, and names only
// the ID of a restricted incident in its commit messages.
func TestCommitInProcess(t *testing.T) {
	dir, st, me, clock := testStore(t)
	declare := func(id, title, vis string) *change.Change {
		rec := &incident.Incident{ID: id, Title: title, Severity: 2, Status: "open", Visibility: vis, Milestones: incident.Times{Declared: clock}}
		return &change.Change{Incident: id, Create: rec, Entries: []timeline.Entry{{ID: "01aaaaaaaaaa" + id[len(id)-4:], At: clock, By: "alice", Type: timeline.Declared, Severity: 2, Status: "open"}}}
	}
	note := func(id, eid, text string) *change.Change {
		return &change.Change{Incident: id, Entries: []timeline.Entry{{ID: eid, At: clock, By: "alice", Type: timeline.Note, Text: text}}}
	}
	commit := func(ch *change.Change, fp string, again, restricted bool) error {
		_, err := st.Commit(Commit{Change: ch, Author: me.Author, Committer: me.Committer, Fingerprint: fp, Again: again, Restricted: restricted})
		return err
	}
	if err := commit(declare("2026-03-02-checkout", "Checkout errors", ""), "d1", false, false); err != nil {
		t.Fatal(err)
	}
	if err := commit(note("2026-03-02-checkout", "01bbbbbbbbbbbbbb", "rolled back"), "n1", false, false); err != nil {
		t.Fatal(err)
	}
	err := commit(note("2026-03-02-checkout", "01cccccccccccccc", "rolled back"), "n1", false, false)
	if err == nil || !strings.Contains(err.Error(), "this exact command was recorded") {
		t.Fatalf("the repeated command: %v", err)
	}
	if err := commit(note("2026-03-02-checkout", "01cccccccccccccc", "rolled back"), "n1", true, false); err != nil {
		t.Fatalf("--again: %v", err)
	}
	if err := commit(declare("2026-03-02-restricted-abcd", "Leaked key zqx", "restricted"), "d2", false, true); err != nil {
		t.Fatal(err)
	}
	if err := commit(note("2026-03-02-restricted-abcd", "01dddddddddddddd", "rotated zqx"), "n2", false, false); err != nil {
		t.Fatal(err)
	}
	log := git(t, dir, "log", "--format=%an <%ae> by %cn|%B")
	if strings.Count(log, "alice <alice@sev.invalid> by Alice Example|") != 5 {
		t.Errorf("authors:\n%s", log)
	}
	if strings.Contains(log, "zqx") || !strings.Contains(log, "rolled back") {
		t.Errorf("messages:\n%s", log)
	}
	if s := git(t, dir, "status", "--porcelain"); s != "" {
		t.Errorf("git status: %s", s)
	}
	git(t, dir, "fsck", "--strict")
	tl, _ := os.ReadFile(dir + "/incidents/2026/2026-03-02-checkout/timeline.yaml")
	if strings.Count(string(tl), "rolled back") != 2 {
		t.Errorf("timeline:\n%s", tl)
	}
}

// TestCommitBatch: a bulk edit's changes land as one commit whose message
// names the incidents by ID only, the repeated-command guard knows it,
// and a batch with one change that cannot be made writes nothing at all.
func TestCommitBatch(t *testing.T) {
	dir, st, me, clock := testStore(t)
	ids := []string{"2026-03-02-checkout", "2026-03-02-search", "2026-03-02-restricted-abcd"}
	for i, id := range ids {
		vis := ""
		if i == 2 {
			vis = "restricted"
		}
		rec := &incident.Incident{ID: id, Title: "Title zqx " + id, Severity: 2, Status: "open", Visibility: vis, Milestones: incident.Times{Declared: clock}}
		ch := &change.Change{Incident: id, Create: rec, Entries: []timeline.Entry{{ID: "01aaaaaaaaaa" + id[len(id)-4:], At: clock, By: "alice", Type: timeline.Declared}}}
		if _, err := st.Commit(Commit{Change: ch, Author: me.Author, Committer: me.Committer}); err != nil {
			t.Fatal(err)
		}
	}
	batch := func(n int) []*change.Change {
		var out []*change.Change
		for i, id := range ids {
			out = append(out, &change.Change{Incident: id, Entries: []timeline.Entry{{ID: fmt.Sprintf("01bbbbbbbbbb%02d%02d", n, i), At: clock, By: "alice", Type: timeline.Tag, Tag: "legacy"}}})
		}
		return out
	}
	head, err := st.Commit(Commit{Batch: batch(1), Author: me.Author, Committer: me.Committer, Fingerprint: "b1"})
	if err != nil {
		t.Fatal(err)
	}
	msg := git(t, dir, "log", "-1", "--format=%B", head.String())
	want := "3 incidents: tag\n\nSev-Incident: 2026-03-02-checkout\nSev-Incident: 2026-03-02-search\nSev-Incident: 2026-03-02-restricted-abcd\n"
	if strings.TrimSpace(msg) != strings.TrimSpace(want) {
		t.Errorf("message:\n%s\nwant:\n%s", msg, want)
	}
	if n := strings.Count(git(t, dir, "log", "--format=%H"), "\n"); n != 4 {
		t.Errorf("%d commits, want 4 (three declarations, one batch)", n)
	}
	if changed := git(t, dir, "diff", "--name-only", "HEAD~1", "HEAD"); strings.Count(changed, "\n") != 6 {
		t.Errorf("the batch commit changed:\n%s", changed)
	}
	if s := git(t, dir, "status", "--porcelain"); s != "" {
		t.Errorf("git status: %s", s)
	}
	git(t, dir, "fsck", "--strict")
	_, err = st.Commit(Commit{Batch: batch(2), Author: me.Author, Committer: me.Committer, Fingerprint: "b1"})
	if err == nil || !strings.Contains(err.Error(), "2026-03-02-checkout and 2 other incident(s): this exact command") {
		t.Errorf("the repeated bulk edit: %v", err)
	}
	// one change of the batch cannot be made: nothing is written
	bad := batch(3)
	bad[1].Entries[0].Type = timeline.Assign // an assign without a role
	if _, err := st.Commit(Commit{Batch: bad, Author: me.Author, Committer: me.Committer, Fingerprint: "b3"}); err == nil || !strings.HasPrefix(err.Error(), "2026-03-02-search: ") {
		t.Errorf("a batch with an invalid change: %v", err)
	}
	if h := strings.TrimSpace(git(t, dir, "rev-parse", "HEAD")); h != head.String() {
		t.Errorf("the refused batch moved the branch to %s", h)
	}
	if s := git(t, dir, "status", "--porcelain"); s != "" {
		t.Errorf("the refused batch wrote: %s", s)
	}
	if _, err := st.Commit(Commit{Author: me.Author, Committer: me.Committer}); err == nil {
		t.Error("a commit of nothing is accepted")
	}
}
