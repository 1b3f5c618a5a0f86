package watch_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/cli"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/notify"
	"github.com/sev-dev/sev/internal/watch"
	"github.com/sev-dev/sev/internal/webhook"
	"github.com/sev-dev/sev/internal/workspace"
)

func gitEnv(t *testing.T) []string {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	home := t.TempDir()
	cfg := "[user]\n\tname = Test\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n"
	if err := os.WriteFile(filepath.Join(home, ".gitconfig"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0",
		"SEV_NOW=2026-03-02T14:00:00Z", "SEV_USER=carol")
}

func run(t *testing.T, env []string, dir, name string, args ...string) string {
	t.Helper()
	if name == "sev" {
		var out, errb bytes.Buffer
		if code := cli.Main(append([]string{"-C", dir}, args...), env, nil, &out, &errb); code != 0 {
			t.Fatalf("sev %s: %d\n%s%s", strings.Join(args, " "), code, out.String(), errb.String())
		}
		return out.String()
	}
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// phones is an ntfy server that counts what it is sent, by topic.
type phones struct {
	mu  sync.Mutex
	got []string
}

func (p *phones) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	p.mu.Lock()
	p.got = append(p.got, string(b))
	p.mu.Unlock()
	io.WriteString(w, `{"id":"x","event":"message"}`)
}

func (p *phones) count(topic string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, g := range p.got {
		if strings.Contains(g, `"topic":"`+topic+`"`) {
			n++
		}
	}
	return n
}

const settings = `people:
  - {handle: alice, timezone: UTC, contacts: {ntfy: alice-7f3a}}
  - {handle: bob, timezone: UTC, contacts: {ntfy: bob-9c1d}}
  - {handle: carol, timezone: UTC, contacts: {ntfy: carol-2b8e}}
notify:
  channels:
    - {name: phones, type: ntfy, url: "URL"}
`

const policy = `levels:
  - notify: [rotation:primary]
  - after: 5m
    notify: [person:bob]
  - after: 10m
    notify: [person:carol]
`

const primary = "org: payments\ntimezone: UTC\nlayers:\n  - members: [alice]\n    shift: 1w\n    start: 2026-01-05T00:00:00Z\n"

// escalated sets up a bare remote and a clone ("seed") with the settings,
// policy and rotation above and one incident escalated with payments at
// 14:00, pushed; ph counts what reaches the phones.
func escalated(t *testing.T) (env []string, root, remote, seed string, ph *phones) {
	env = gitEnv(t)
	root = t.TempDir()
	ph = &phones{}
	srv := httptest.NewServer(ph)
	t.Cleanup(srv.Close)
	remote = filepath.Join(root, "remote.git")
	run(t, env, root, "git", "init", "-q", "--bare", remote)
	seed = filepath.Join(root, "seed")
	run(t, env, root, "git", "clone", "-q", remote, seed)
	run(t, env, seed, "sev", "init")
	os.WriteFile(filepath.Join(seed, "sev.yaml"), []byte(strings.Replace(settings, "URL", srv.URL, 1)), 0o644)
	os.MkdirAll(filepath.Join(seed, "escalations"), 0o755)
	os.WriteFile(filepath.Join(seed, "escalations", "payments.yaml"), []byte(policy), 0o644)
	os.WriteFile(filepath.Join(seed, "rotations", "primary.yaml"), []byte(primary), 0o644)
	run(t, env, seed, "git", "add", "-A")
	run(t, env, seed, "git", "commit", "-q", "-m", "settings")
	run(t, env, seed, "sev", "validate")
	run(t, env, seed, "sev", "declare", "Checkout errors in EU", "--sev", "1")
	run(t, env, seed, "sev", "escalate", "checkout", "payments", "--push")
	return env, root, remote, seed, ph
}

// TestTwoWatchersNotifyOnce: declare → escalate → level 1 and 2 each sent
// exactly once although two watchers run every round, one of them losing
// the race on purpose; an acknowledgement stops level 3.
func TestTwoWatchersNotifyOnce(t *testing.T) {
	env, root, remote, seed, ph := escalated(t)

	clock := time.Date(2026, 3, 2, 14, 0, 30, 0, time.UTC)
	var mu sync.Mutex
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	set := func(d time.Duration) {
		mu.Lock()
		clock = time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC).Add(d)
		mu.Unlock()
	}
	watcher := func(name string) *watch.Options {
		// the same clock, identity and plan: only Instance tells their claims apart
		dir := filepath.Join(root, name)
		run(t, env, root, "git", "clone", "-q", remote, dir)
		getenv := func(k string) string {
			for _, kv := range env {
				if v, ok := strings.CutPrefix(kv, k+"="); ok {
					return v
				}
			}
			return ""
		}
		return &watch.Options{
			Open: func() (*workspace.Workspace, error) {
				ws, err := workspace.Open(dir)
				if err == nil {
					ws.Use(workspace.Process{Now: now, Getenv: getenv, GitEnv: env})
				}
				return ws, err
			},
			Remote: true, Now: now, Instance: name, Cache: watch.NewCache(),
			Sender: func(s *config.Settings) *notify.Sender {
				return notify.NewSender(s, notify.Options{Lookup: func(string) (string, bool) { return "", false },
					HTTP: webhook.New(webhook.Options{AllowHTTP: true, AllowPrivate: true})})
			},
		}
	}
	a, b := watcher("a"), watcher("b")
	round := func(o *watch.Options) watch.Result {
		t.Helper()
		res, err := watch.Round(context.Background(), *o)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	set(30 * time.Second)
	if r := round(a); r.Sent != 1 || !r.Next.Equal(time.Date(2026, 3, 2, 14, 5, 0, 0, time.UTC)) {
		t.Fatalf("a, level 1: %+v", r)
	}
	if r := round(b); r.Claimed != 0 {
		t.Fatalf("b sent level 1 again: %+v", r)
	}
	// level 2: a plans and commits its receipts, but b pushes first
	set(5*time.Minute + time.Second)
	lost := *a
	lost.BeforeClaim = func() {
		if r := round(b); r.Sent != 1 {
			t.Errorf("b, level 2: %+v", r)
		}
	}
	if r := round(&lost); r.Claimed != 0 || r.Sent != 0 {
		t.Fatalf("a won a race it lost: %+v", r)
	}
	if got := [3]int{ph.count("alice-7f3a"), ph.count("bob-9c1d"), ph.count("carol-2b8e")}; got != [3]int{1, 1, 0} {
		t.Fatalf("sent (alice, bob, carol): %v", got)
	}
	// bob acknowledges at 7m: level 3 (15m) never comes
	run(t, env, seed, "git", "pull", "-q")
	later := append([]string(nil), env...)
	for i, kv := range later {
		if strings.HasPrefix(kv, "SEV_NOW=") {
			later[i] = "SEV_NOW=2026-03-02T14:07:00Z"
		}
	}
	run(t, later, seed, "sev", "ack", "checkout", "--by", "bob", "--push")
	set(20 * time.Minute)
	round(a)
	round(b)
	if got := ph.count("carol-2b8e"); got != 0 {
		t.Errorf("carol was notified after the acknowledgement: %d", got)
	}
	run(t, env, root, "git", "--git-dir", remote, "fsck", "--strict")
	log := run(t, env, seed, "git", "log", "--format=%s", "origin/main")
	if n := strings.Count(log, "notified"); n != 2 {
		t.Errorf("%d receipt commits on the remote:\n%s", n, log)
	}
}

// crash runs a round that dies where hook is called, as kill -9 would
// stop it there (the next round runs in the same clone).
func crash(t *testing.T, o watch.Options) {
	t.Helper()
	defer func() {
		if r := recover(); r != "killed" {
			t.Fatalf("the round did not stop where it was killed: %v", r)
		}
	}()
	watch.Round(context.Background(), o)
}

// TestRestartNeverDuplicates: a watcher killed after committing its
// receipts but before pushing them claims nothing (the next round starts
// from the remote and sends once); one killed after pushing and before
// delivering has claimed: the next round sends nothing (that notification
// is lost, and its receipt says it was claimed), never twice.
func TestRestartNeverDuplicates(t *testing.T) {
	env, root, remote, _, ph := escalated(t)
	dir := filepath.Join(root, "w")
	run(t, env, root, "git", "clone", "-q", remote, dir)
	clock := time.Date(2026, 3, 2, 14, 0, 30, 0, time.UTC)
	o := watch.Options{
		Open: func() (*workspace.Workspace, error) {
			ws, err := workspace.Open(dir)
			if err == nil {
				ws.Use(workspace.Process{Now: func() time.Time { return clock }, GitEnv: env, Getenv: func(string) string { return "" }})
			}
			return ws, err
		},
		Remote: true, Now: func() time.Time { return clock }, Instance: "w",
		Sender: func(s *config.Settings) *notify.Sender {
			return notify.NewSender(s, notify.Options{Lookup: func(string) (string, bool) { return "", false },
				HTTP: webhook.New(webhook.Options{AllowHTTP: true, AllowPrivate: true})})
		},
	}
	killed := o
	killed.BeforeClaim = func() { panic("killed") }
	crash(t, killed)
	if r, err := watch.Round(context.Background(), o); err != nil || r.Sent != 1 {
		t.Fatalf("after a kill before the push: %+v %v", r, err)
	}
	clock = clock.Add(5 * time.Minute)
	killed.BeforeClaim, killed.AfterClaim = nil, func() { panic("killed") }
	crash(t, killed)
	if r, err := watch.Round(context.Background(), o); err != nil || r.Claimed != 0 {
		t.Fatalf("after a kill after the push: %+v %v", r, err)
	}
	if got := [2]int{ph.count("alice-7f3a"), ph.count("bob-9c1d")}; got != [2]int{1, 0} {
		t.Errorf("sent (alice, bob): %v; want alice once and bob's claimed page lost", got)
	}
	run(t, env, root, "git", "--git-dir", remote, "fsck", "--strict")
	if out := run(t, env, dir, "git", "status", "--porcelain"); out != "" {
		t.Errorf("the watcher's clone is not clean:\n%s", out)
	}
}
