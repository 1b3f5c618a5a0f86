package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/postmortem"
)

// TestRunFunctionsWithoutCobra calls the verbs' run functions with their
// options structs directly, as a test or another front end would: a
// note, a status change, a follow-up, and a refused option (exit 2).
func TestRunFunctionsWithoutCobra(t *testing.T) {
	repo, env := gitRepo(t)
	var out, errb bytes.Buffer
	a := &app{stdin: strings.NewReader(""), stdout: &out, raw: &out, stderr: &errb, rawErr: &errb, env: env,
		ctx: context.Background(), now: func() time.Time { return time.Date(2026, 3, 2, 14, 5, 0, 0, time.UTC) }, dir: repo}
	if code := Main([]string{"-C", repo, "init"}, env, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("init: %s", errb.String())
	}
	if err := a.declare("Checkout errors", declareOptions{Declare: ops.Declare{Severity: "1", SeveritySet: true}}); err != nil {
		t.Fatal(err)
	}
	if err := a.runNote(noteOptions{ID: "checkout", Note: ops.Note{Text: "rolled back", Milestone: "mitigated"}}); err != nil {
		t.Fatal(err)
	}
	if err := a.runStatus(statusOptions{ID: "checkout", Status: ops.Status{Status: "resolved"}}); err != nil {
		t.Fatal(err)
	}
	if err := a.runFollowupAdd(followupAddOptions{ID: "checkout", FollowUp: postmortem.FollowUp{Title: "Alert on expiry", Type: "prevent"}}); err != nil {
		t.Fatal(err)
	}
	err := a.runNote(noteOptions{ID: "checkout", Note: ops.Note{Text: "x", Milestone: "fixed"}})
	if code := a.report(nil, err); code != exitUsage {
		t.Errorf("an unknown milestone: exit %d (%v)", code, err)
	}
	for _, want := range []string{"declared 2026-03-02-checkout-errors (SEV1", "rolled back", "status → resolved", "added FU-1"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	log, _ := exec.Command("git", "-C", repo, "log", "--format=%s").Output()
	if n := strings.Count(string(log), "\n"); n != 5 {
		t.Errorf("%d commits, want 5 (init, declare, note, status, postmortem):\n%s", n, log)
	}
}

// gitRepo is an empty git repository with a home of its own (a git
// identity, no system config) and the environment to run sev in it.
func gitRepo(t *testing.T) (repo string, env []string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	os.MkdirAll(home, 0o755)
	os.WriteFile(filepath.Join(home, ".gitconfig"), []byte("[user]\n\tname = Alice Example\n\temail = alice@example.com\n[init]\n\tdefaultBranch = main\n"), 0o644)
	repo = filepath.Join(dir, "repo")
	os.MkdirAll(repo, 0o755)
	env = []string{"HOME=" + home, "GIT_CONFIG_NOSYSTEM=1", "PATH=" + os.Getenv("PATH")}
	if out, err := exec.Command("git", "-C", repo, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	return repo, env
}
