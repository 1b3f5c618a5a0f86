package gitstore

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// DirtyError lists working-tree files with changes of their own that a
// sync would have overwritten.
type DirtyError struct{ Paths []string }

func (e *DirtyError) Error() string {
	return fmt.Sprintf("local changes to %s would be overwritten; commit or stash them first", strings.Join(e.Paths, ", "))
}

// Changed lists the files that differ between two commits' trees under
// prefix ("" for all), with their blob in the newer one (zero: deleted).
func (r *Repo) Changed(oldCommit, newCommit plumbing.Hash, prefix string) (map[string]plumbing.Hash, error) {
	oldT, err := r.subtree(oldCommit, prefix)
	if err != nil {
		return nil, err
	}
	newT, err := r.subtree(newCommit, prefix)
	if err != nil {
		return nil, err
	}
	changes, err := object.DiffTree(oldT, newT)
	if err != nil {
		return nil, fmt.Errorf("diff trees: %w", err)
	}
	out := map[string]plumbing.Hash{}
	for _, c := range changes {
		if c.From.Name != "" && c.From.Name != c.To.Name {
			out[path.Join(prefix, c.From.Name)] = plumbing.ZeroHash
		}
		if c.To.Name != "" {
			out[path.Join(prefix, c.To.Name)] = c.To.TreeEntry.Hash
		}
	}
	return out, nil
}

func (r *Repo) subtree(commit plumbing.Hash, prefix string) (*object.Tree, error) {
	t, err := r.Tree(commit)
	if err != nil || t == nil || prefix == "" {
		return t, err
	}
	sub, err := t.Tree(prefix)
	if errors.Is(err, object.ErrDirectoryNotFound) {
		return nil, nil
	}
	return sub, err
}

// Sync moves the working tree and the index from commit old to commit new
// for the files that differ under prefix. A file whose working copy
// matches neither version holds someone's own edits: Sync then changes
// nothing and returns a DirtyError.
func (r *Repo) Sync(old, new plumbing.Hash, prefix string, k *Locker) error {
	changed, err := r.Changed(old, new, prefix)
	if err != nil {
		return err
	}
	oldTree, err := r.Tree(old)
	if err != nil {
		return err
	}
	var dirty []string
	write := map[string]plumbing.Hash{}
	for p, h := range changed {
		cur, err := os.ReadFile(filepath.Join(r.Root, filepath.FromSlash(p)))
		exists := err == nil
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		if exists && !h.IsZero() && HashBlob(cur) == h {
			write[p] = h // already there; the index may still need it
			continue
		}
		was, wasOK, err := r.ReadFile(oldTree, p)
		if err != nil {
			return err
		}
		if exists != wasOK || !bytes.Equal(cur, was) {
			dirty = append(dirty, p)
			continue
		}
		write[p] = h
	}
	if len(dirty) > 0 {
		return &DirtyError{Paths: dirty}
	}
	for p, h := range write {
		full := filepath.Join(r.Root, filepath.FromSlash(p))
		if h.IsZero() {
			if err := os.Remove(full); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
			continue
		}
		data, err := r.blob(h)
		if err != nil {
			return err
		}
		if err := WriteFile(r.Root, p, data); err != nil {
			return err
		}
	}
	if len(write) == 0 {
		return nil
	}
	return r.Stage(write, k)
}

func (r *Repo) blob(h plumbing.Hash) ([]byte, error) {
	b, err := r.repo.BlobObject(h)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	rd, err := b.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return io.ReadAll(rd)
}

// HashBlob is the git blob id of content.
func HashBlob(content []byte) plumbing.Hash {
	return plumbing.ComputeHash(plumbing.BlobObject, content)
}
