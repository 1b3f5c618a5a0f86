package txn

import (
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

// TestCommitInProcess: the transaction used without the command line
// commits a declaration and a note (git status clean, fsck clean), refuses
// the same command twice within ten minutes unless Again, and names only
// the ID of a restricted incident in its commit messages.
func TestCommitInProcess(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	repo, err := gitstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 3, 2, 14, 5, 0, 0, time.UTC)
	st := Open(repo, config.Default(), Options{Now: func() time.Time { return clock }, Getenv: func(string) string { return "" }})
	me, err := Whoami(config.Default(), "alice", "Alice Example", "alice@example.com", clock)
	if err != nil {
		t.Fatal(err)
	}
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
	err = commit(note("2026-03-02-checkout", "01cccccccccccccc", "rolled back"), "n1", false, false)
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
