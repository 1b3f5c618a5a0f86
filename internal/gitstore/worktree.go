package gitstore

import (
	"context"
	"crypto/sha1"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// WriteFile replaces path (relative to root) atomically: the content goes
// to a temporary file in the same folder, is synced, and is renamed over
// the old file, so a reader or a crash sees the old file or the new one,
// never half of one.
func WriteFile(root, path string, data []byte) error {
	if err := CheckWritable(root, path); err != nil {
		return err
	}
	full := filepath.Join(root, filepath.FromSlash(path))
	dir := filepath.Dir(full)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, TempPrefix+"*")
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), full); err != nil {
		return err
	}
	ok = true
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// Stage records files that are already written in the working tree, with
// their blob ids, in the index, so `git status` is clean afterwards.
func (r *Repo) Stage(blobs map[string]plumbing.Hash, k *Locker) error {
	l, err := r.LockIndex(sortedPaths(blobs), k)
	if err != nil {
		return err
	}
	defer l.Release()
	return l.Stage(blobs)
}

func sortedPaths(blobs map[string]plumbing.Hash) []string {
	paths := make([]string, 0, len(blobs))
	for p := range blobs {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

// IndexLock is git's index.lock, held from before a branch moves until the
// index records the new files, so no other git process can write an index
// that silently reverts the commit in between.
type IndexLock struct {
	r           *Repo
	h           *heldLock
	f           *os.File
	lock, index string
	data        []byte
	stamp       stamp
	unsupported bool
}

// LockIndex takes index.lock, waiting up to three seconds for another git
// process to release it, reads the index, and refuses when one of paths
// has a merge conflict.
func (r *Repo) LockIndex(paths []string, k *Locker) (*IndexLock, error) {
	index := r.indexFile()
	l := &IndexLock{r: r, index: index, lock: index + ".lock"}
	var err error
	for wait := 0; ; wait++ {
		l.h, err = k.create(l.lock)
		if err == nil || !errors.Is(err, errLockHeld) || wait == 30 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		if errors.Is(err, errLockHeld) {
			return nil, fmt.Errorf("%s exists: another git process is running; if none is, remove the file", l.lock)
		}
		return nil, err
	}
	l.f = l.h.f
	l.data, err = os.ReadFile(index)
	if err == nil {
		var fi os.FileInfo
		if fi, err = os.Stat(index); err == nil {
			t := fi.ModTime()
			l.stamp = stamp{sec: uint32(t.Unix()), nsec: uint32(t.Nanosecond())}
		}
	}
	if errors.Is(err, os.ErrNotExist) {
		l.data, err = emptyIndex(), nil
	}
	if err == nil {
		err = l.checkConflicts(paths)
	}
	if err != nil {
		l.Release()
		return nil, err
	}
	return l, nil
}

func (l *IndexLock) checkConflicts(paths []string) error {
	rd, err := newIndexReader(l.data)
	if errors.Is(err, ErrIndexUnsupported) {
		l.unsupported = true
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", l.index, err)
	}
	want := map[string]bool{}
	for _, p := range paths {
		want[p] = true
	}
	for {
		e, ok, err := rd.next()
		if errors.Is(err, ErrIndexUnsupported) {
			l.unsupported = true
			return nil
		}
		if err != nil || !ok {
			return err
		}
		if e.stage != 0 && want[string(e.name)] {
			return fmt.Errorf("%s has a merge conflict; resolve it with git first", e.name)
		}
	}
}

// Release gives the lock up without changing the index (after Stage it
// does nothing).
func (l *IndexLock) Release() {
	if l.f != nil {
		l.h.release(l.lock)
		l.f = nil
	}
}

// Stage writes the index with the files (already in the working tree) at
// the given blob ids, and releases the lock.
func (l *IndexLock) Stage(blobs map[string]plumbing.Hash) error {
	paths := sortedPaths(blobs)
	files := make([]staged, 0, len(paths))
	for _, p := range paths {
		if blobs[p].IsZero() {
			files = append(files, staged{path: p})
			continue
		}
		st, err := statFile(filepath.Join(l.r.Root, filepath.FromSlash(p)))
		if errors.Is(err, errNoStat) {
			l.unsupported = true
			break
		}
		if err != nil {
			return err
		}
		files = append(files, staged{path: p, hash: blobs[p], stat: st})
	}
	var patched []byte
	var err error
	if !l.unsupported {
		patched, err = patchIndex(l.data, files, l.stamp)
		if errors.Is(err, ErrIndexUnsupported) {
			l.unsupported = true
		} else if err != nil {
			return fmt.Errorf("update %s: %w", l.index, err)
		}
	}
	if l.unsupported {
		l.Release()
		return l.r.stageWithGit(paths)
	}
	if _, err := l.f.Write(patched); err != nil {
		return err
	}
	if err := l.f.Close(); err != nil {
		return err
	}
	l.f, l.h.f = nil, nil
	err = os.Rename(l.lock, l.index)
	if err != nil {
		os.Remove(l.lock)
	}
	l.h.done()
	return err
}

// indexFile is the index's path: GIT_INDEX_FILE when git set it (in a
// hook, say), else the repository's own.
func (r *Repo) indexFile() string {
	if p := r.getenv("GIT_INDEX_FILE"); p != "" {
		if !filepath.IsAbs(p) {
			p = filepath.Join(r.Root, p)
		}
		return p
	}
	return filepath.Join(r.GitDir, "index")
}

// InProgress names a merge, rebase, cherry-pick or revert under way, which
// a commit made behind git's back would confuse.
func (r *Repo) InProgress() string {
	for _, c := range []struct{ file, what string }{
		{"MERGE_HEAD", "a merge"}, {"CHERRY_PICK_HEAD", "a cherry-pick"}, {"REVERT_HEAD", "a revert"},
		{"rebase-merge", "a rebase"}, {"rebase-apply", "a rebase or git am"}, {"BISECT_LOG", "a bisect"},
	} {
		if _, err := os.Stat(filepath.Join(r.GitDir, c.file)); err == nil {
			return c.what
		}
	}
	return ""
}

// CheckWritable refuses a path that sev could not replace safely: one
// with a symbolic link (or a file) where a folder should be, or a target
// that exists and is not a regular file.
func CheckWritable(root, path string) error {
	parts := strings.Split(path, "/")
	cur := root
	for i, part := range parts {
		cur = filepath.Join(cur, part)
		fi, err := os.Lstat(cur)
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		last := i == len(parts)-1
		switch {
		case fi.Mode()&os.ModeSymlink != 0:
			return fmt.Errorf("%s is a symbolic link; sev writes only regular files and folders", strings.Join(parts[:i+1], "/"))
		case !last && !fi.IsDir():
			return fmt.Errorf("%s is a file where a folder is needed", strings.Join(parts[:i+1], "/"))
		case last && !fi.Mode().IsRegular():
			return fmt.Errorf("%s is not a regular file; sev writes only regular files", path)
		}
	}
	return nil
}

// stageWithGit is the fallback for split and sparse indexes.
func (r *Repo) stageWithGit(paths []string) error {
	args := append([]string{"update-index", "--add", "--remove", "--"}, paths...)
	cmd := exec.Command("git", args...)
	cmd.Dir = r.Root
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("git update-index: %v: %s", err, out)
	}
	return nil
}

// emptyIndex is a version 2 index with no entries.
func emptyIndex() []byte {
	b := []byte("DIRC\x00\x00\x00\x02\x00\x00\x00\x00")
	sum := sha1.Sum(b)
	return append(b, sum[:]...)
}

// TempPrefix starts the names of the temporary files WriteFile and
// WriteFiles rename into place; one left behind is from a killed write.
const TempPrefix = ".sev-tmp-"

// Dirty lists the paths under the given folders that git status reports
// as changed or untracked (git status --porcelain).
func (r *Repo) Dirty(ctx context.Context, folders ...string) ([]string, error) {
	args := append([]string{"status", "--porcelain", "--untracked-files=all", "--"}, folders...)
	out, errOut, err := r.git(ctx, nil, args...)
	if err != nil {
		return nil, fmt.Errorf("git status: %v: %s", err, strings.TrimSpace(errOut))
	}
	var paths []string
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if len(l) > 3 {
			paths = append(paths, l[3:])
		}
	}
	return paths, nil
}
