package gitstore

import (
	"crypto/sha1"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
)

// WriteFile replaces path (relative to root) atomically: the content goes
// to a temporary file in the same folder, is synced, and is renamed over
// the old file, so a reader or a crash sees the old file or the new one,
// never half of one.
func WriteFile(root, path string, data []byte) error {
	full := filepath.Join(root, filepath.FromSlash(path))
	dir := filepath.Dir(full)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if fi, err := os.Lstat(full); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file (a symlink?); sev only writes regular files", path)
	}
	tmp, err := os.CreateTemp(dir, ".sev-tmp-*")
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
// their blob ids, in the index, so `git status` is clean afterwards. It
// patches the index in place under index.lock; for index formats the
// patcher does not handle it runs `git update-index` instead.
func (r *Repo) Stage(blobs map[string]plumbing.Hash, lockHeld func(string)) error {
	paths := make([]string, 0, len(blobs))
	for p := range blobs {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	files := make([]staged, 0, len(paths))
	for _, p := range paths {
		if blobs[p].IsZero() {
			files = append(files, staged{path: p})
			continue
		}
		st, err := statFile(filepath.Join(r.Root, filepath.FromSlash(p)))
		if errors.Is(err, errNoStat) {
			return r.stageWithGit(paths)
		}
		if err != nil {
			return err
		}
		files = append(files, staged{path: p, hash: blobs[p], stat: st})
	}
	indexPath := filepath.Join(r.GitDir, "index")
	lock := indexPath + ".lock"
	f, err := os.OpenFile(lock, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if os.IsExist(err) {
			return fmt.Errorf("%s exists: another git process is running; if none is, remove the file", lock)
		}
		return err
	}
	if lockHeld != nil {
		lockHeld(lock)
	}
	committed := false
	defer func() {
		if !committed {
			f.Close()
			os.Remove(lock)
		}
	}()
	data, err := os.ReadFile(indexPath)
	if errors.Is(err, os.ErrNotExist) {
		data, err = emptyIndex(), nil
	}
	if err != nil {
		return err
	}
	patched, err := patchIndex(data, files)
	if errors.Is(err, ErrIndexUnsupported) {
		f.Close()
		os.Remove(lock)
		committed = true
		return r.stageWithGit(paths)
	}
	if err != nil {
		return fmt.Errorf("update %s: %w", indexPath, err)
	}
	if _, err := f.Write(patched); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(lock, indexPath); err != nil {
		return err
	}
	committed = true
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
