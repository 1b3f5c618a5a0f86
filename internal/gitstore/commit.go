package gitstore

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Signature is who made a change.
type Signature struct {
	Name  string
	Email string
	When  time.Time
}

// ErrRefMoved means the branch changed between reading and updating it.
var ErrRefMoved = errors.New("branch moved while committing")

// WriteBlob stores content and returns its id.
func (r *Repo) WriteBlob(content []byte) (plumbing.Hash, error) {
	obj := r.objects().NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	obj.SetSize(int64(len(content)))
	w, err := obj.Writer()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := w.Write(content); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	return r.objects().SetEncodedObject(obj)
}

// BuildTree writes the trees for base with blobs placed at the given paths
// (a zero hash removes the path) and returns the new root tree. Only the
// folders above changed paths are read and written.
func (r *Repo) BuildTree(base plumbing.Hash, blobs map[string]plumbing.Hash) (plumbing.Hash, error) {
	return r.buildTree(base, "", blobs)
}

func (r *Repo) buildTree(base plumbing.Hash, dir string, blobs map[string]plumbing.Hash) (plumbing.Hash, error) {
	var entries []object.TreeEntry
	if !base.IsZero() {
		t, err := object.GetTree(r.repo.Storer, base)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("read tree %s: %w", dir, err)
		}
		entries = append(entries, t.Entries...)
	}
	byName := map[string]int{}
	for i, e := range entries {
		byName[e.Name] = i
	}
	children := map[string]map[string]plumbing.Hash{}
	for p, h := range blobs {
		first, rest, nested := strings.Cut(p, "/")
		if !nested {
			if i, ok := byName[first]; ok {
				if entries[i].Mode == filemode.Dir || entries[i].Mode == filemode.Submodule {
					return plumbing.ZeroHash, fmt.Errorf("%s is a folder in the commit; it cannot become a file", path.Join(dir, first))
				}
				entries[i].Hash, entries[i].Mode = h, filemode.Regular
			} else {
				byName[first] = len(entries)
				entries = append(entries, object.TreeEntry{Name: first, Mode: filemode.Regular, Hash: h})
			}
			continue
		}
		if children[first] == nil {
			children[first] = map[string]plumbing.Hash{}
		}
		children[first][rest] = h
	}
	for name, sub := range children {
		var subBase plumbing.Hash
		i, ok := byName[name]
		if ok && entries[i].Mode != filemode.Dir {
			return plumbing.ZeroHash, fmt.Errorf("%s is a file or link in the commit; it cannot become a folder", path.Join(dir, name))
		}
		if ok {
			subBase = entries[i].Hash
		}
		h, err := r.buildTree(subBase, path.Join(dir, name), sub)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		if ok {
			entries[i].Hash, entries[i].Mode = h, filemode.Dir
		} else {
			byName[name] = len(entries)
			entries = append(entries, object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: h})
		}
	}
	kept := entries[:0]
	for _, e := range entries {
		if !e.Hash.IsZero() && !(e.Mode == filemode.Dir && e.Hash == emptyTree) {
			kept = append(kept, e)
		}
	}
	if len(kept) == 0 {
		return emptyTree, nil
	}
	// git orders tree entries by name, comparing a folder as if its name
	// ended in "/".
	sort.Slice(kept, func(i, j int) bool { return sortKey(kept[i]) < sortKey(kept[j]) })
	t := &object.Tree{Entries: kept}
	obj := r.objects().NewEncodedObject()
	if err := t.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return r.objects().SetEncodedObject(obj)
}

var emptyTree = plumbing.NewHash("4b825dc642cb6eb9a060e54bf8d69288fbee4904")

func sortKey(e object.TreeEntry) string {
	if e.Mode == filemode.Dir {
		return e.Name + "/"
	}
	return e.Name
}

// WriteCommit stores a commit of tree with the given parent (zero: none).
func (r *Repo) WriteCommit(tree, parent plumbing.Hash, author, committer Signature, message string) (plumbing.Hash, error) {
	c := &object.Commit{
		Author:    object.Signature{Name: author.Name, Email: author.Email, When: author.When},
		Committer: object.Signature{Name: committer.Name, Email: committer.Email, When: committer.When},
		Message:   message,
		TreeHash:  tree,
	}
	if !parent.IsZero() {
		c.ParentHashes = []plumbing.Hash{parent}
	}
	obj := r.objects().NewEncodedObject()
	if err := c.Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return r.objects().SetEncodedObject(obj)
}

// UpdateRef moves ref from old to new the way git does: under ref.lock,
// failing with ErrRefMoved if the ref is no longer old, and with a reflog
// line for the ref and for HEAD. The lock is taken with k, so a crash
// journal can prove it sev's own (see Locker).
func (r *Repo) UpdateRef(name plumbing.ReferenceName, old, new plumbing.Hash, who Signature, msg string, k *Locker) error {
	refPath := filepath.Join(r.CommonDir, filepath.FromSlash(string(name)))
	if err := os.MkdirAll(filepath.Dir(refPath), 0o755); err != nil {
		return err
	}
	lock := refPath + ".lock"
	h, err := k.create(lock)
	if err != nil {
		if errors.Is(err, errLockHeld) {
			return fmt.Errorf("%s exists: another git process is updating %s; if none is running, remove the file", lock, name)
		}
		return fmt.Errorf("lock %s: %w", name, err)
	}
	f := h.f
	done := false
	defer func() {
		if !done {
			h.release(lock)
		}
	}()
	cur, err := r.RefHash(name)
	if err != nil {
		return err
	}
	if cur != old {
		return ErrRefMoved
	}
	if _, err := fmt.Fprintf(f, "%s\n", new); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	h.f = nil
	if err := os.Rename(lock, refPath); err != nil {
		return fmt.Errorf("update %s: %w", name, err)
	}
	done = true
	h.done()
	line := reflogLine(old, new, who, msg)
	r.appendReflog(filepath.Join(r.CommonDir, "logs", filepath.FromSlash(string(name))), line)
	if head, _, err := r.Head(); err == nil && head == name {
		r.appendReflog(filepath.Join(r.GitDir, "logs", "HEAD"), line)
	}
	return nil
}

func reflogLine(old, new plumbing.Hash, who Signature, msg string) []byte {
	var b bytes.Buffer
	_, offset := who.When.Zone()
	sign := '+'
	if offset < 0 {
		sign, offset = '-', -offset
	}
	msg = strings.SplitN(msg, "\n", 2)[0]
	fmt.Fprintf(&b, "%s %s %s <%s> %d %c%02d%02d\t%s\n", old, new, who.Name, who.Email,
		who.When.Unix(), sign, offset/3600, offset%3600/60, msg)
	return b.Bytes()
}

// appendReflog adds a line to a reflog. Reflogs are a convenience for
// people reading history; failing to write one never fails the commit.
func (r *Repo) appendReflog(p string, line []byte) {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return
	}
	f.Write(line)
	f.Close()
}
