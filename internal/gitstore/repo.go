// Package gitstore is the go-git adapter: it reads files at a commit and
// writes a change as one commit on the current branch without walking the
// working tree or rewriting the whole index, which is what keeps `sev note`
// fast in a repository of 300,000 files. Network operations (fetch, push)
// run the git CLI, the only way to honour every credential a user already
// has: ssh-agent, credential helpers, insteadOf rules and GITHUB_TOKEN.
package gitstore

import (
	"github.com/go-git/go-git/v5/storage/memory"

	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	gitformat "github.com/go-git/go-git/v5/plumbing/format/config"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Repo is an open repository with a working tree.
type Repo struct {
	Root      string // the working tree
	GitDir    string // .git, or the per-worktree git dir
	CommonDir string // where objects and refs live
	// Env is the environment for the git CLI (nil: the process environment).
	Env  []string
	repo *git.Repository
	// pending holds the objects of a batch (StartBatch) until FlushBatch.
	pending *memory.Storage
}

// ErrNotRepo means the folder is not inside a git repository.
var ErrNotRepo = errors.New("not inside a git repository")

// Find returns the top of the working tree that contains dir.
func Find(dir string) (string, error) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", ErrNotRepo
		}
		d = parent
	}
}

// Open opens the repository whose working tree is root.
func Open(root string) (*Repo, error) {
	gitDir, err := resolveGitDir(root)
	if err != nil {
		return nil, err
	}
	common := gitDir
	if b, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		c := strings.TrimSpace(string(b))
		if !filepath.IsAbs(c) {
			c = filepath.Join(gitDir, c)
		}
		common = filepath.Clean(c)
	}
	r, err := git.PlainOpenWithOptions(root, &git.PlainOpenOptions{EnableDotGitCommonDir: true})
	if err != nil {
		return nil, fmt.Errorf("open repository %s: %w", root, err)
	}
	return &Repo{Root: root, GitDir: gitDir, CommonDir: common, repo: r}, nil
}

func resolveGitDir(root string) (string, error) {
	p := filepath.Join(root, ".git")
	fi, err := os.Lstat(p)
	if err != nil {
		return "", ErrNotRepo
	}
	if fi.IsDir() {
		return p, nil
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return "", err
	}
	line := strings.TrimSpace(string(b))
	if !strings.HasPrefix(line, "gitdir: ") {
		return "", fmt.Errorf("%s: not a gitdir file", p)
	}
	d := strings.TrimPrefix(line, "gitdir: ")
	if !filepath.IsAbs(d) {
		d = filepath.Join(root, d)
	}
	return filepath.Clean(d), nil
}

// Head returns the current branch's full ref name and its commit, which is
// the zero hash on a branch with no commits yet.
func (r *Repo) Head() (plumbing.ReferenceName, plumbing.Hash, error) {
	b, err := os.ReadFile(filepath.Join(r.GitDir, "HEAD"))
	if err != nil {
		return "", plumbing.ZeroHash, fmt.Errorf("read HEAD: %w", err)
	}
	line := strings.TrimSpace(string(b))
	if !strings.HasPrefix(line, "ref: ") {
		return "", plumbing.ZeroHash, fmt.Errorf("HEAD is detached; check out a branch (git switch main) so sev can commit")
	}
	name := plumbing.ReferenceName(strings.TrimPrefix(line, "ref: "))
	h, err := r.RefHash(name)
	return name, h, err
}

// RefHash resolves a ref, giving the zero hash when it does not exist.
func (r *Repo) RefHash(name plumbing.ReferenceName) (plumbing.Hash, error) {
	ref, err := r.repo.Storer.Reference(name)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return plumbing.ZeroHash, nil
	}
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read %s: %w", name, err)
	}
	return ref.Hash(), nil
}

// Tree returns the root tree of a commit, or nil for the zero hash.
func (r *Repo) Tree(commit plumbing.Hash) (*object.Tree, error) {
	if commit.IsZero() {
		return nil, nil
	}
	c, err := r.repo.CommitObject(commit)
	if err != nil {
		return nil, corrupt(fmt.Errorf("read commit %s: %w", commit, err))
	}
	t, err := c.Tree()
	if err != nil {
		return nil, corrupt(fmt.Errorf("read tree %s of commit %s: %w", c.TreeHash, commit, err))
	}
	return t, nil
}

// corrupt adds what to do to an error that means a damaged object (go-git
// reports only "zlib: invalid checksum", "object not found", ...).
func corrupt(err error) error {
	if errors.Is(err, plumbing.ErrObjectNotFound) || strings.Contains(err.Error(), "zlib") ||
		strings.Contains(err.Error(), "checksum") || strings.Contains(err.Error(), "unexpected EOF") {
		return fmt.Errorf("%w; the repository may be damaged: run \"git fsck\" to see which objects", err)
	}
	return err
}

// ReadFile reads path at the given tree (nil tree: nothing exists).
func (r *Repo) ReadFile(tree *object.Tree, path string) ([]byte, bool, error) {
	if tree == nil {
		return nil, false, nil
	}
	f, err := tree.File(path)
	if errors.Is(err, object.ErrFileNotFound) || errors.Is(err, object.ErrDirectoryNotFound) || errors.Is(err, object.ErrEntryNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, corrupt(fmt.Errorf("read %s in tree %s: %w", path, tree.Hash, err))
	}
	s, err := f.Contents()
	if err != nil {
		return nil, false, corrupt(fmt.Errorf("read %s (blob %s): %w", path, f.Hash, err))
	}
	return []byte(s), true, nil
}

// Commit returns a commit object.
func (r *Repo) Commit(h plumbing.Hash) (*object.Commit, error) {
	c, err := r.repo.CommitObject(h)
	if err != nil {
		return nil, corrupt(fmt.Errorf("read commit %s: %w", h, err))
	}
	return c, nil
}

// Git is the underlying go-git repository, for read-only walks.
func (r *Repo) Git() *git.Repository { return r.repo }

// Hash is a git object id.
type Hash = plumbing.Hash

// ZeroHash is the id of nothing: a branch with no commits.
var ZeroHash = plumbing.ZeroHash

// NewHash parses a hexadecimal object id (the zero hash if it is not one).
func NewHash(s string) Hash { return plumbing.NewHash(s) }

// Resolve turns a revision (a branch, a tag, origin/main, HEAD~2, a commit
// id) into a commit id.
func (r *Repo) Resolve(rev string) (Hash, error) {
	h, err := r.repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return ZeroHash, err
	}
	return *h, nil
}

// ConfigUser reads user.name and user.email from one git config file
// (empty when the file or the keys are absent).
func ConfigUser(path string) (name, email string) {
	fh, err := os.Open(path)
	if err != nil {
		return "", ""
	}
	defer fh.Close()
	cfg := gitformat.New()
	if err := gitformat.NewDecoder(fh).Decode(cfg); err != nil {
		return "", ""
	}
	user := cfg.Section("user")
	return user.Option("name"), user.Option("email")
}

// CurrentBranch is the short name of the branch HEAD names in the
// repository whose working tree is root, also before its first commit.
func CurrentBranch(root string) (string, error) {
	r, err := Open(root)
	if err != nil {
		return "", err
	}
	name, _, err := r.Head()
	if err != nil {
		return "", err
	}
	return name.Short(), nil
}

// RemoteURL is the URL of the remote name as the repository's own
// configuration writes it ("" when there is none), before any
// url.<base>.insteadOf rewriting: the repository's name, not how git
// reaches it.
func (r *Repo) RemoteURL(name string) string {
	fh, err := os.Open(filepath.Join(r.CommonDir, "config"))
	if err != nil {
		return ""
	}
	defer fh.Close()
	cfg := gitformat.New()
	if err := gitformat.NewDecoder(fh).Decode(cfg); err != nil {
		return ""
	}
	return cfg.Section("remote").Subsection(name).Option("url")
}

// ConfigValue is section.key from the repository's own configuration,
// else from the user's (~/.gitconfig, or $XDG_CONFIG_HOME/git/config);
// "" when neither sets it.
func (r *Repo) ConfigValue(section, key string) string {
	files := []string{filepath.Join(r.CommonDir, "config")}
	if home, err := os.UserHomeDir(); err == nil {
		files = append(files, filepath.Join(home, ".gitconfig"))
	}
	if x := os.Getenv("XDG_CONFIG_HOME"); x != "" {
		files = append(files, filepath.Join(x, "git", "config"))
	}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			continue
		}
		cfg := gitformat.New()
		err = gitformat.NewDecoder(fh).Decode(cfg)
		fh.Close()
		if err == nil && cfg.Section(section).HasOption(key) {
			return cfg.Section(section).Option(key)
		}
	}
	return ""
}
