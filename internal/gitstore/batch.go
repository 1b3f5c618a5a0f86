package gitstore

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/memory"
)

// batchMin is the number of files from which WriteFiles syncs the file
// system once instead of each file: two fsyncs per file (the file, its
// folder) are most of the time an import of thousands of incidents takes.
const batchMin = 32

// WriteFiles writes many files as WriteFile does, each replaced whole by
// a rename, but with the durability paid once: every file is written to
// a temporary file beside its target, the file system is synced, the
// temporaries are renamed into place and the file system is synced
// again. A crash leaves each file old or new, never half written (and at
// worst stray .sev-tmp-* files). Where the platform cannot sync a whole
// file system, or for a few files, it is WriteFile for each.
func WriteFiles(root string, files map[string][]byte) error {
	paths := slices.Sorted(maps.Keys(files))
	if len(paths) < batchMin || syncFS(root) != nil {
		for _, p := range paths {
			if err := WriteFile(root, p, files[p]); err != nil {
				return err
			}
		}
		return nil
	}
	tmps := make([]string, 0, len(paths))
	defer func() {
		for _, t := range tmps {
			os.Remove(t) // those not renamed, after a failure
		}
	}()
	for _, p := range paths {
		if err := CheckWritable(root, p); err != nil {
			return err
		}
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		tmp, err := os.CreateTemp(filepath.Dir(full), TempPrefix+"*")
		if err != nil {
			return err
		}
		tmps = append(tmps, tmp.Name())
		_, err = tmp.Write(files[p])
		if err == nil {
			err = tmp.Chmod(0o644)
		}
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	if err := syncFS(root); err != nil {
		return err
	}
	for i, p := range paths {
		if err := os.Rename(tmps[i], filepath.Join(root, filepath.FromSlash(p))); err != nil {
			return err
		}
		tmps[i] = ""
	}
	tmps = nil
	return syncFS(root)
}

// BatchMin is the number of files from which a commit's objects are
// written as one pack (StartBatch) rather than a loose file each.
const BatchMin = 256

// StartBatch makes the objects written from now on (blobs, trees, the
// commit) collect in memory, until FlushBatch writes them as one pack: an
// import of 10,000 incidents writes 30,000 objects, and a file for each
// was most of its time. Reads still go to the repository, so trees built
// in a batch may only start from trees it already has (as BuildTree's do).
func (r *Repo) StartBatch() { r.pending = memory.NewStorage() }

// FlushBatch writes the batch's objects as one pack with its index, as
// git's own fetch does, and ends the batch. Without a batch it does
// nothing.
func (r *Repo) FlushBatch() error {
	mem := r.pending
	r.pending = nil
	if mem == nil || len(mem.Objects) == 0 {
		return nil
	}
	pw, ok := r.repo.Storer.(storer.PackfileWriter)
	if !ok {
		return fmt.Errorf("the object store cannot take a pack")
	}
	w, err := pw.PackfileWriter()
	if err != nil {
		return err
	}
	hashes := slices.Collect(maps.Keys(mem.Objects))
	// no deltas: the objects are new files, mostly unlike each other, and
	// finding deltas would cost more than it saves
	if _, err := packfile.NewEncoder(w, mem, false).Encode(hashes, 0); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// objects is where new objects go: the batch's memory while one is open.
func (r *Repo) objects() storer.EncodedObjectStorer {
	if r.pending != nil {
		return r.pending
	}
	return r.repo.Storer
}

// DropBatch ends a batch without writing it (after a failure).
func (r *Repo) DropBatch() { r.pending = nil }
