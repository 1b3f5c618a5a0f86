package cli_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// sevBinary is this test binary under the name sev, which testscript.Main
// (TestMain) runs as the sev command: a real process to interrupt.
func sevBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "sev")
	if err := os.Symlink(os.Args[0], bin); err != nil {
		t.Skip("cannot link the test binary:", err)
	}
	return bin
}

// TestInterruptions is the fault loop: sev note is interrupted at random
// moments with kill -9, SIGINT or SIGTERM, each time followed by the same
// kind of command run to the end. Every run after an interruption must
// succeed (no lock left behind blocks it), and at the end no entry is
// duplicated or lost, no file is broken, no lock is left, git fsck is
// clean and the working tree is clean.
func TestInterruptions(t *testing.T) {
	if testing.Short() {
		t.Skip("the fault loop takes about 30 s")
	}
	const rounds = 200
	env := gitEnv(t)
	bin := sevBinary(t)
	repo := filepath.Join(t.TempDir(), "repo")
	git(t, env, filepath.Dir(repo), "init", "-q", repo)
	run := func(args ...string) (string, error) {
		cmd := exec.Command(bin, args...)
		cmd.Dir, cmd.Env = repo, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	for _, args := range [][]string{{"init"}, {"declare", "Checkout errors in EU", "--sev", "1"}} {
		if out, err := run(args...); err != nil {
			t.Fatalf("sev %v: %v\n%s", args, err, out)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	signals := []os.Signal{syscall.SIGKILL, syscall.SIGINT, syscall.SIGTERM}
	blocked, interrupted := 0, 0
	for i := range rounds {
		cmd := exec.Command(bin, "note", "checkout", fmt.Sprintf("interrupted %d", i))
		cmd.Dir, cmd.Env = repo, env
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(r.IntN(40000)) * time.Microsecond)
		if cmd.Process.Signal(signals[r.IntN(len(signals))]) == nil {
			interrupted++
		}
		cmd.Wait()
		if out, err := run("note", "checkout", fmt.Sprintf("after %d", i)); err != nil {
			blocked++
			t.Errorf("round %d: the run after an interruption failed: %v\n%s", i, err, out)
		}
	}
	t.Logf("%d rounds, %d signals sent, %d blocked runs", rounds, interrupted, blocked)
	tls, _ := filepath.Glob(filepath.Join(repo, "incidents", "*", "*", "timeline.yaml"))
	if len(tls) != 1 {
		t.Fatalf("%d timelines", len(tls))
	}
	data, err := os.ReadFile(tls[0])
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for i := range rounds {
		if n := strings.Count(text, fmt.Sprintf("text: after %d\n", i)); n != 1 {
			t.Errorf("entry \"after %d\" is in the timeline %d times", i, n)
		}
		if n := strings.Count(text, fmt.Sprintf("text: interrupted %d\n", i)); n > 1 {
			t.Errorf("entry \"interrupted %d\" is in the timeline %d times", i, n)
		}
	}
	if out, err := run("validate"); err != nil {
		t.Errorf("validate: %v\n%s", err, out)
	}
	for _, lock := range []string{".git/index.lock", ".git/refs/heads/main.lock"} {
		if _, err := os.Stat(filepath.Join(repo, lock)); err == nil {
			t.Errorf("%s is left behind", lock)
		}
	}
	git(t, env, repo, "fsck", "--strict")
	if st := git(t, env, repo, "status", "--porcelain"); st != "" {
		t.Errorf("git status is not clean:\n%s", st)
	}
}
