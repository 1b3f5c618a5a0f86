package gitstore

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
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
		tmp, err := os.CreateTemp(filepath.Dir(full), ".sev-tmp-*")
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
