package cli_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sev-dev/sev/internal/cli"
)

// gitEnv is an isolated environment for real git and sev runs.
func gitEnv(t *testing.T) []string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	home := t.TempDir()
	cfg := "[user]\n\tname = Test\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n"
	if err := os.WriteFile(filepath.Join(home, ".gitconfig"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0")
}

func git(t *testing.T, env []string, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func sev(t *testing.T, env []string, dir string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Main(append([]string{"-C", dir}, args...), env, nil, &out, &errb)
	return out.String(), errb.String(), code
}

// TestConcurrentPushes is the brief's concurrency requirement: many clones
// append notes to the same incident with --push at the same time. Every
// entry must land exactly once, with no manual merge, and git fsck must be
// clean on the remote and in every clone.
func TestConcurrentPushes(t *testing.T) {
	const clones = 12
	env := gitEnv(t)
	root := t.TempDir()
	remote := filepath.Join(root, "remote.git")
	git(t, env, root, "init", "-q", "--bare", remote)
	seed := filepath.Join(root, "seed")
	git(t, env, root, "clone", "-q", remote, seed)
	if _, e, code := sev(t, env, seed, "init", "--push"); code != 0 {
		t.Fatalf("init: %s", e)
	}
	if _, e, code := sev(t, env, seed, "declare", "Checkout errors in EU", "--sev", "1", "--push"); code != 0 {
		t.Fatalf("declare: %s", e)
	}
	dirs := make([]string, clones)
	for i := range dirs {
		dirs[i] = filepath.Join(root, fmt.Sprintf("clone%02d", i))
		git(t, env, root, "clone", "-q", remote, dirs[i])
	}
	var wg sync.WaitGroup
	errs := make([]string, clones)
	for i, d := range dirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < 2; n++ {
				_, e, code := sev(t, env, d, "note", "checkout", fmt.Sprintf("note %d from responder %d", n, i), "--by", fmt.Sprintf("r%02d", i), "--push")
				if code != 0 {
					errs[i] += e
				}
			}
		}()
	}
	wg.Wait()
	for i, e := range errs {
		if e != "" {
			t.Errorf("clone %d: %s", i, e)
		}
	}
	check := filepath.Join(root, "check")
	git(t, env, root, "clone", "-q", remote, check)
	matches, _ := filepath.Glob(filepath.Join(check, "incidents", "*", "*", "timeline.yaml"))
	if len(matches) != 1 {
		t.Fatalf("found %d timelines", len(matches))
	}
	data, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < clones; i++ {
		for n := 0; n < 2; n++ {
			want := fmt.Sprintf("note %d from responder %d\n", n, i)
			if c := strings.Count(string(data), want); c != 1 {
				t.Errorf("%q appears %d times in the remote timeline", strings.TrimSpace(want), c)
			}
		}
	}
	git(t, env, remote, "fsck", "--strict")
	for _, d := range append(dirs, check) {
		git(t, env, d, "fsck", "--strict")
		if st := git(t, env, d, "status", "--porcelain"); st != "" {
			t.Errorf("%s: git status not clean:\n%s", d, st)
		}
	}
	if _, e, code := sev(t, env, check, "validate"); code != 0 {
		t.Errorf("validate on the result: %s", e)
	}
}
