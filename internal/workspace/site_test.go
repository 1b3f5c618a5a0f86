package workspace

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/ops"
)

// testRepo makes a git repository with one commit made at committed.
func testRepo(t *testing.T, committed string) (dir string, env []string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir = t.TempDir()
	env = []string{"HOME=" + dir, "GIT_CONFIG_NOSYSTEM=1", "PATH=" + os.Getenv("PATH"),
		"GIT_AUTHOR_NAME=A", "GIT_AUTHOR_EMAIL=a@example.com", "GIT_COMMITTER_NAME=A", "GIT_COMMITTER_EMAIL=a@example.com",
		"GIT_AUTHOR_DATE=" + committed, "GIT_COMMITTER_DATE=" + committed}
	for _, args := range [][]string{{"init", "-q"}, {"commit", "-q", "--allow-empty", "-m", "first"}} {
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return dir, env
}

func TestSiteOptions(t *testing.T) {
	dir, env := testRepo(t, "2026-03-02T10:00:00Z")
	clock := time.Date(2026, 5, 1, 9, 30, 15, 500, time.UTC)
	open := func(sevNow string) *Workspace {
		ws, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		ws.Use(Process{Now: func() time.Time { return clock }, GitEnv: env, Getenv: func(k string) string {
			if k == "SEV_NOW" {
				return sevNow
			}
			return ""
		}})
		return ws
	}
	for _, c := range []struct {
		name   string
		sevNow string
		req    Site
		now    time.Time
		clock  bool
		out    string
	}{
		{name: "a build is as of the last commit", req: Site{Out: "public"},
			now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), out: filepath.Join(dir, "public")},
		{name: "--now wins", sevNow: "2027-01-01T00:00:00Z", req: Site{Out: "/tmp/x", Now: "2026-04-01"},
			now: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), out: "/tmp/x"},
		{name: "SEV_NOW (a fixed clock) before the last commit", sevNow: "x", req: Site{Out: "public"},
			now: clock.Truncate(time.Second), out: filepath.Join(dir, "public")},
		{name: "serve follows the clock into .git", req: Site{Live: true},
			now: clock.Truncate(time.Second), clock: true, out: filepath.Join(dir, ".git", "sev", "site")},
	} {
		opts, live, err := open(c.sevNow).SiteOptions(c.req)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !opts.Now.Equal(c.now) || live != c.clock || opts.Out != c.out {
			t.Errorf("%s: now %v clock %v out %s; want %v %v %s", c.name, opts.Now, live, opts.Out, c.now, c.clock, c.out)
		}
	}
	if _, _, err := open("").SiteOptions(Site{Now: "tomorrow"}); !ops.IsInput(err) {
		t.Errorf("a bad --now = %v; want an input error", err)
	}
	opts, _, err := open("").SiteOptions(Site{Since: "2026-01-01", Until: "2026-02-28"})
	if err != nil || !opts.Reports.Since.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) ||
		!opts.Reports.Until.Equal(time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("--since/--until: %+v, %v", opts.Reports, err)
	}
	for _, bad := range []Site{{Since: "2026-1-1"}, {Until: "2026-02-29"}, {Since: "2026-02-01", Until: "2026-01-31"}, {Since: "2026-03-03"}} {
		if _, _, err := open("").SiteOptions(bad); !ops.IsInput(err) {
			t.Errorf("%+v: %v; want an input error", bad, err)
		}
	}
}
