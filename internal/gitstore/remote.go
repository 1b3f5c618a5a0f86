package gitstore

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// ErrRejected means the remote refused the push because its branch moved
// (or was being updated by someone else at that instant): fetch, re-apply
// and try again.
var ErrRejected = errors.New("the remote branch has moved")

// git runs the git CLI in the working tree with the caller's environment.
func (r *Repo) git(ctx context.Context, env []string, args ...string) (string, string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = r.Root
	cmd.Env = append(append([]string{}, r.Env...), env...)
	if len(cmd.Env) == 0 {
		cmd.Env = nil
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return out.String(), errb.String(), err
}

// tokenEnv lets `git` authenticate to GitHub over HTTPS with GITHUB_TOKEN
// (as in GitHub Actions) unless the repository already carries an
// authorization header (actions/checkout's persisted credentials). The
// header goes through GIT_CONFIG_* variables so the token never appears on
// a command line.
func (r *Repo) tokenEnv(ctx context.Context, remote string) []string {
	token := r.getenv("GITHUB_TOKEN")
	if token == "" {
		return nil
	}
	u, _, err := r.git(ctx, nil, "remote", "get-url", "--end-of-options", remote)
	if err != nil {
		return nil
	}
	parsed, err := url.Parse(strings.TrimSpace(u))
	if err != nil || parsed.Scheme != "https" {
		return nil
	}
	if have, _, _ := r.git(ctx, nil, "config", "--get-regexp", `^http\..*extraheader$`); strings.TrimSpace(have) != "" {
		return nil
	}
	cred := base64.StdEncoding.EncodeToString([]byte("x-access-token:" + token))
	return []string{
		"GIT_CONFIG_COUNT=1",
		"GIT_CONFIG_KEY_0=http.https://" + parsed.Host + "/.extraheader",
		"GIT_CONFIG_VALUE_0=Authorization: Basic " + cred,
	}
}

func (r *Repo) getenv(key string) string {
	for i := len(r.Env) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(r.Env[i], "="); ok && k == key {
			return v
		}
	}
	return ""
}

// Push pushes the local branch to the same branch of remote.
func (r *Repo) Push(ctx context.Context, remote string, branch plumbing.ReferenceName) error {
	spec := string(branch) + ":" + string(branch)
	out, stderr, err := r.git(ctx, r.tokenEnv(ctx, remote), "push", "--porcelain", "--end-of-options", remote, spec)
	if err == nil {
		return nil
	}
	// Only a race is worth another attempt: the branch moved, or someone
	// else held its lock at that instant. A hook that declined, a
	// protected branch or a missing permission is reported as git said it.
	all := out + stderr
	for _, s := range []string{"(fetch first)", "(non-fast-forward)", "(stale info)", "(failed to lock)",
		"cannot lock ref", "(failed to update ref)", "incorrect old value provided"} {
		if strings.Contains(all, s) {
			return ErrRejected
		}
	}
	if !r.knowsRemote(ctx, remote) {
		return &NoRemoteError{Name: remote}
	}
	return fmt.Errorf("git push %s %s: %v\n%s", remote, branch.Short(), err, strings.TrimSpace(out+"\n"+stderr))
}

// NoRemoteError means the remote to push to is neither a remote of the
// repository nor a URL or path git could reach directly.
type NoRemoteError struct{ Name string }

func (e *NoRemoteError) Error() string {
	return fmt.Sprintf("this repository has no remote %q", e.Name)
}

// knowsRemote reports whether remote is configured, or looks like a URL or
// a path, which git pushes to as they are.
func (r *Repo) knowsRemote(ctx context.Context, remote string) bool {
	if strings.ContainsAny(remote, ":/\\") || remote == "." || remote == ".." {
		return true
	}
	_, _, err := r.git(ctx, nil, "remote", "get-url", "--end-of-options", remote)
	return err == nil
}

// Fetch fetches branch from remote and returns the remote's tip, the zero
// hash when the remote does not have the branch yet.
func (r *Repo) Fetch(ctx context.Context, remote string, branch plumbing.ReferenceName) (plumbing.Hash, error) {
	tracking := plumbing.ReferenceName("refs/remotes/" + remote + "/" + branch.Short())
	spec := "+" + string(branch) + ":" + string(tracking)
	_, stderr, err := r.git(ctx, r.tokenEnv(ctx, remote), "-c", "gc.autoDetach=false", "-c", "maintenance.autoDetach=false", "fetch", "--quiet", "--no-tags", "--end-of-options", remote, spec)
	if err != nil {
		if strings.Contains(stderr, "couldn't find remote ref") {
			return plumbing.ZeroHash, nil
		}
		return plumbing.ZeroHash, fmt.Errorf("git fetch %s: %v\n%s", remote, err, strings.TrimSpace(stderr))
	}
	r.refreshObjects()
	return r.RefHash(tracking)
}

// IsAncestor reports whether a is an ancestor of (or equal to) b.
func (r *Repo) IsAncestor(a, b plumbing.Hash) (bool, error) {
	if a.IsZero() || a == b {
		return true, nil
	}
	if b.IsZero() {
		return false, nil
	}
	if !r.shallow() {
		ca, err := r.repo.CommitObject(a)
		if err != nil {
			return false, err
		}
		cb, err := r.repo.CommitObject(b)
		if err != nil {
			return false, err
		}
		return ca.IsAncestor(cb)
	}
	// go-git's walk does not stop at a shallow clone's boundary (the
	// checkout GitHub Actions makes by default): ask git, which does.
	_, stderr, err := r.git(context.Background(), nil, "merge-base", "--is-ancestor", a.String(), b.String())
	var exit *exec.ExitError
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &exit) && exit.ExitCode() == 1:
		return false, nil
	}
	return false, fmt.Errorf("git merge-base --is-ancestor: %v: %s", err, strings.TrimSpace(stderr))
}

// shallow reports whether the clone is shallow (has .git/shallow).
func (r *Repo) shallow() bool {
	_, err := os.Stat(filepath.Join(r.CommonDir, "shallow"))
	return err == nil
}

// Ident asks git who the author is (`git var GIT_AUTHOR_IDENT`), which
// honours everything git does: GIT_AUTHOR_* variables, includeIf and the
// system, global, local and worktree configuration.
func (r *Repo) Ident(ctx context.Context) (name, email string, err error) {
	out, stderr, err := r.git(ctx, nil, "var", "GIT_AUTHOR_IDENT")
	if err != nil {
		return "", "", fmt.Errorf("git var GIT_AUTHOR_IDENT: %v: %s", err, strings.TrimSpace(stderr))
	}
	open, end := strings.IndexByte(out, '<'), strings.IndexByte(out, '>')
	if open < 0 || end < open {
		return "", "", fmt.Errorf("git var GIT_AUTHOR_IDENT: unexpected output %q", out)
	}
	return strings.TrimSpace(out[:open]), out[open+1 : end], nil
}

// refreshObjects makes go-git see the packs another process (git fetch, or
// the automatic gc it runs) wrote: go-git reads the list of packs once and
// caches it, so objects that arrived in a new pack, or loose objects that
// gc moved into one, were "not found" until the repository was opened
// again. (Fetch runs that gc before it returns — autoDetach off — rather
// than in the background while go-git reads.)
func (r *Repo) refreshObjects() {
	if s, ok := r.repo.Storer.(interface{ Reindex() }); ok {
		s.Reindex()
	}
}

// Unmerged lists the commits on head's first-parent line that tip does
// not have, oldest first, at most max of them (more is an error). It asks
// git, which answers from its commit graph at once where a walk with
// go-git would visit the whole history for each commit.
func (r *Repo) Unmerged(ctx context.Context, head, tip plumbing.Hash, max int) ([]plumbing.Hash, error) {
	args := []string{"rev-list", "--first-parent", fmt.Sprintf("--max-count=%d", max+1), head.String()}
	if !tip.IsZero() {
		args = append(args, "^"+tip.String())
	}
	out, stderr, err := r.git(ctx, nil, args...)
	if err != nil {
		return nil, fmt.Errorf("git rev-list: %v: %s", err, strings.TrimSpace(stderr))
	}
	lines := strings.Fields(out)
	if len(lines) > max {
		return nil, fmt.Errorf("more than %d commits are not on the remote", max)
	}
	hs := make([]plumbing.Hash, len(lines))
	for i, l := range lines {
		hs[len(lines)-1-i] = plumbing.NewHash(l)
	}
	return hs, nil
}
