package vcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/gitstore"
)

// A change feed answers "what changed in the working tree since the last
// time I asked?" without looking at every file. sev asks the one git
// uses: the fsmonitor hook that core.fsmonitor names (for example the
// fsmonitor-watchman hook git ships, backed by Watchman), with a token of
// its own, as githooks(5) describes for hook versions 1 and 2. Git's
// built-in daemon (core.fsmonitor = true) speaks only to git and is not
// used; neither is a feed that fails or answers something unexpected —
// validate then looks at every file as it does without one.
type feed struct {
	root    string
	hook    string
	version int
}

// feedTimeout bounds how long sev waits for the hook.
const feedTimeout = 10 * time.Second

// openFeed returns the repository's change feed, if it has one.
func openFeed(repo *gitstore.Repo) (*feed, bool) {
	if os.Getenv("SEV_FSMONITOR") == "0" {
		return nil, false
	}
	hook := strings.TrimSpace(repo.ConfigValue("core", "fsmonitor"))
	switch strings.ToLower(hook) {
	case "", "false", "no", "off", "0", "true", "yes", "on", "1":
		return nil, false // unset, off, or git's own daemon
	}
	v := 2
	if s := repo.ConfigValue("core", "fsmonitorhookversion"); s != "" {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || (n != 1 && n != 2) {
			return nil, false
		}
		v = n
	}
	return &feed{root: repo.Root, hook: hook, version: v}, true
}

// since asks the hook what changed since token ("" for the first time):
// the new token, and the paths that may have changed, relative to the
// working tree; all is set when the hook cannot tell (the first question,
// a restarted watcher), and then anything may have changed.
func (f *feed) since(token string) (next string, paths []string, all bool, err error) {
	if f.version == 1 {
		// version 1 takes a time in nanoseconds and answers with paths only
		next = strconv.FormatInt(time.Now().UnixNano(), 10)
		if token == "" {
			return next, nil, true, nil
		}
	}
	arg := token
	if arg == "" {
		arg = "0" // no token yet: the hook answers "everything"
	}
	// as git runs it: through the shell, in the working tree
	cmd := exec.Command("sh", "-c", f.hook+` "$@"`, f.hook, strconv.Itoa(f.version), arg)
	cmd.Dir = f.root
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Start(); err != nil {
		return "", nil, false, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(feedTimeout):
		cmd.Process.Kill()
		<-done
		return "", nil, false, fmt.Errorf("core.fsmonitor %s did not answer in %v", f.hook, feedTimeout)
	}
	if err != nil {
		return "", nil, false, fmt.Errorf("core.fsmonitor %s: %v: %s", f.hook, err, strings.TrimSpace(stderr.String()))
	}
	fields := strings.Split(out.String(), "\x00")
	if f.version == 2 {
		next, fields = fields[0], fields[1:]
		if next == "" {
			return "", nil, false, errors.New("core.fsmonitor: the hook gave no token")
		}
	}
	for _, p := range fields {
		switch {
		case p == "":
		case p == "/":
			all = true
		case strings.HasPrefix(p, ".git/"):
		default:
			paths = append(paths, p)
		}
	}
	return next, paths, all || token == "", nil
}

// feedState is what validate keeps between runs when there is a feed:
// the token to ask with next, and the findings of the last run, which
// stand as long as nothing changed.
type feedState struct {
	Key     string    `json:"key"`
	Version int       `json:"version"` // the hook version the token is for
	Token   string    `json:"token"`
	Diags   diag.List `json:"diags"`
}

// feedKey is what the kept findings depend on besides the files: sev.yaml,
// the sev binary and the day (the rotation checks look ahead from today).
func feedKey(settings []byte, now time.Time) string {
	h := sha256.New()
	h.Write([]byte("sev-validate-feed-1\n"))
	h.Write(settings)
	h.Write([]byte(now.UTC().Format("2006-01-02")))
	h.Write([]byte(BinaryKey()))
	return fmt.Sprintf("%x", h.Sum(nil))
}

func feedFile(repo *gitstore.Repo) string {
	return filepath.Join(repo.GitDir, "sev", "validate-feed.json")
}

// loadFeedState reads what the last run kept for the feed f.
func loadFeedState(repo *gitstore.Repo, f *feed) feedState {
	var st feedState
	if b, err := os.ReadFile(feedFile(repo)); err == nil {
		if json.Unmarshal(b, &st) != nil || st.Version != f.version {
			st = feedState{}
		}
	}
	return st
}

// dropFeedState forgets the token and the findings: after a run the feed
// did not answer for, the next one starts again from "everything".
func dropFeedState(repo *gitstore.Repo) {
	os.Remove(feedFile(repo))
}

func saveFeedState(repo *gitstore.Repo, st feedState) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	p := feedFile(repo)
	return gitstore.WriteFile(filepath.Dir(p), filepath.Base(p), b)
}
