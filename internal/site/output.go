package site

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// marker is written into every output folder sev builds, so that a later
// build may delete stale files there and never in a folder it did not make.
const marker = ".sev-site"

// output writes the site's files into a folder: only files whose bytes
// changed are rewritten (so `sev serve` touches only what a change
// affects), each through a temporary file and a rename, and files a
// build no longer produces are removed at the end.
type output struct {
	dir     string
	fresh   bool     // the folder was empty: nothing to compare or remove
	dirs    sync.Map // folders known to exist
	mu      sync.Mutex
	written map[string]bool
	changed []string
	bytes   int64
}

func openOutput(dir string) (*output, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	fresh := len(ents) == 0
	if !fresh {
		if _, err := os.Stat(filepath.Join(dir, marker)); err != nil {
			return nil, fmt.Errorf("%s is not empty and was not written by sev build; choose another --out or empty it", dir)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, marker), []byte("written by sev build; stale files here are removed on the next build\n"), 0o644); err != nil {
		return nil, err
	}
	return &output{dir: dir, fresh: fresh, written: map[string]bool{marker: true}}, nil
}

// write stores one file; name is slash-separated and relative to the
// site's root.
func (o *output) write(name string, data []byte) error {
	if !fs.ValidPath(name) || strings.Contains(name, "\\") {
		return fmt.Errorf("site: invalid output path %q", name)
	}
	o.mu.Lock()
	if o.written[name] {
		o.mu.Unlock()
		return fmt.Errorf("site: %s written twice (two pages share a URL)", name)
	}
	o.written[name] = true
	o.bytes += int64(len(data))
	o.mu.Unlock()
	p := filepath.Join(o.dir, filepath.FromSlash(name))
	var old []byte
	err := fs.ErrNotExist
	if !o.fresh {
		old, err = os.ReadFile(p)
	}
	switch {
	case err == nil && bytes.Equal(old, data):
		return nil
	case err == nil:
		// replaced through a temporary file and a rename, so a reader
		// (sev serve's browser) never sees half of it
		tmp := p + ".tmp"
		if err := os.WriteFile(tmp, data, 0o644); err != nil {
			return err
		}
		if err := os.Rename(tmp, p); err != nil {
			return err
		}
	default:
		// a new file: nothing links to it until its page is written
		if err := o.mkdirs(filepath.Dir(p)); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	o.mu.Lock()
	o.changed = append(o.changed, name)
	o.mu.Unlock()
	return nil
}

// mkdirs is os.MkdirAll that remembers what it made: a build writes
// thousands of files into a few folders each.
func (o *output) mkdirs(dir string) error {
	if _, ok := o.dirs.Load(dir); ok {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	o.dirs.Store(dir, true)
	return nil
}

// groupOf names the part of the site a file belongs to, so an
// incremental rebuild knows which files it regenerates: one incident's
// page and attachments, one facet value's listing pages, one person's
// page, or one of the site-wide pages.
func groupOf(name string) string {
	parts := strings.Split(name, "/")
	switch {
	case parts[0] == "incidents" && len(parts) > 2:
		return "incident:" + parts[1]
	case parts[0] == "library" && len(parts) > 3:
		return "facet:" + parts[1] + "/" + parts[2]
	case parts[0] == "people" && len(parts) > 2:
		return "person:" + parts[1]
	case len(parts) > 1:
		return parts[0]
	}
	return name
}

// keep carries the files of earlier builds in groups this build does not
// regenerate.
func (o *output) keep(prev map[string]bool, regenerated func(group string) bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for name := range prev {
		if !regenerated(groupOf(name)) {
			o.written[name] = true
		}
	}
}

// keepFile carries one file of the last build that an incremental
// rebuild knows to be unchanged.
func (o *output) keepFile(name string) {
	o.mu.Lock()
	o.written[name] = true
	o.mu.Unlock()
}

// dropStale removes the files of prev that this build did not write,
// without walking the folder (sev serve's path).
func (o *output) dropStale(prev map[string]bool) error {
	for name := range prev {
		if !o.written[name] {
			if err := os.Remove(filepath.Join(o.dir, filepath.FromSlash(name))); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}

// prune removes the files and empty folders this build did not write.
func (o *output) prune() error {
	if o.fresh {
		return nil
	}
	var stale []string
	err := filepath.WalkDir(o.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(o.dir, p)
		if !o.written[filepath.ToSlash(rel)] {
			stale = append(stale, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range stale {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	var dirs []string
	filepath.WalkDir(o.dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && p != o.dir {
			dirs = append(dirs, p)
		}
		return nil
	})
	sort.Sort(sort.Reverse(sort.StringSlice(dirs)))
	for _, d := range dirs {
		os.Remove(d) // fails, as it should, when not empty
	}
	return nil
}
