// Package vcache keeps sev validate's findings between runs under .git/sev:
// per incident folder for the working tree (keyed by the git blob ids of
// its files), and for the whole index with --staged (keyed by the index's
// checksum). Both keys include sev.yaml and the sev binary.
package vcache

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/sev-dev/sev/internal/filestat"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/validate"
)

// Cache keeps the findings of each incident folder under
// .git/sev/validate.cache, keyed by the git blob ids of the folder's files
// and by sev.yaml and the sev binary. A folder is re-checked only when a
// file in it changed: the stat data (size, mtime, ctime, inode) is compared
// first, and when it differs the file is hashed and its blob id compared,
// so a checkout that rewrote identical content costs a hash, not a parse.
type Cache struct {
	root, file string
	key        [32]byte
	old        map[string]*cachedFolder
	mu         sync.Mutex
	cur        map[string]*cachedFolder
	hits       int
	changed    bool     // something differs from the loaded cache
	dirs       sync.Map // folder path → open descriptor, for stats relative to it
}

type cachedFolder struct {
	entries []cachedFile // the folder itself and its sub-folders first, then files
	result  validate.Result
}

type cachedFile struct {
	path string
	filestat.Stat
	blob plumbing.Hash
}

const cacheMagic = "sev-validate-cache-3\n"

func Open(repo *gitstore.Repo, settings []byte) *Cache {
	c := &Cache{root: repo.Root, file: filepath.Join(repo.GitDir, "sev", "validate.cache"),
		old: map[string]*cachedFolder{}, cur: map[string]*cachedFolder{}}
	h := sha256.New()
	h.Write([]byte(cacheMagic))
	h.Write(settings)
	h.Write([]byte(BinaryKey()))
	copy(c.key[:], h.Sum(nil))
	c.load()
	return c
}

// stat reads a file's stat data. Paths under incidents/<year>/ and
// postmortems/ are looked up relative to an open descriptor of that
// folder, which saves the kernel walking the same leading folders
// hundreds of thousands of times.
func (c *Cache) stat(rel string) (cachedFile, bool) {
	base, name := rel, ""
	if n := strings.Count(rel, "/"); n >= 2 {
		i := strings.IndexByte(rel, '/')
		i += 1 + strings.IndexByte(rel[i+1:], '/')
		base, name = rel[:i], rel[i+1:]
	} else if dir, file, ok := strings.Cut(rel, "/"); ok && dir == layout.Postmortems {
		base, name = dir, file
	}
	var st filestat.Stat
	ok := false
	if name != "" {
		fd, _ := c.dirFD(base)
		st, ok = filestat.At(fd, filepath.Join(c.root, filepath.FromSlash(base)), name)
	} else {
		st, ok = filestat.Lstat(filepath.Join(c.root, filepath.FromSlash(rel)))
	}
	return cachedFile{path: rel, Stat: st}, ok
}

func (c *Cache) dirFD(dir string) (int, bool) {
	if fd, ok := c.dirs.Load(dir); ok {
		return fd.(int), fd.(int) >= 0
	}
	fd := filestat.OpenDir(filepath.Join(c.root, filepath.FromSlash(dir)))
	if actual, loaded := c.dirs.LoadOrStore(dir, fd); loaded {
		filestat.CloseDir(fd)
		fd = actual.(int)
	}
	return fd, fd >= 0
}

// close releases the folder descriptors.
func (c *Cache) close() {
	c.dirs.Range(func(_, fd any) bool {
		filestat.CloseDir(fd.(int))
		return true
	})
}

// Lookup implements validate.FolderCache.
func (c *Cache) Lookup(dir string) (validate.Result, bool) {
	var miss validate.Result
	f := c.old[dir]
	if f == nil {
		return miss, false
	}
	fresh := &cachedFolder{result: f.result, entries: make([]cachedFile, len(f.entries))}
	for i, e := range f.entries {
		now, ok := c.stat(e.path)
		if !ok || now.Dir != e.Dir {
			return miss, false
		}
		now.blob = e.blob
		if !now.Same(e.Stat) {
			c.mu.Lock()
			c.changed = true
			c.mu.Unlock()
			// a folder's listing changed, or a file may have: compare content
			if e.Dir {
				return miss, false
			}
			data, err := os.ReadFile(filepath.Join(c.root, filepath.FromSlash(e.path)))
			if err != nil || gitstore.HashBlob(data) != e.blob {
				return miss, false
			}
		}
		fresh.entries[i] = now
	}
	c.mu.Lock()
	c.cur[dir] = fresh
	c.hits++
	c.mu.Unlock()
	return f.result, true
}

// Store implements validate.FolderCache.
func (c *Cache) Store(dir string, files []string, r validate.Result) {
	f := &cachedFolder{result: r}
	dirs := []string{dir}
	if len(files) == 1 && files[0] == dir {
		dirs = nil // a single file (a postmortem) is its own unit
	}
	for _, p := range files {
		if dirs == nil {
			break
		}
		if d := filepath.ToSlash(filepath.Dir(p)); d != dir && !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	for _, d := range dirs {
		e, ok := c.stat(d)
		if !ok {
			return
		}
		f.entries = append(f.entries, e)
	}
	for _, p := range files {
		e, ok := c.stat(p)
		if !ok {
			return
		}
		data, err := os.ReadFile(filepath.Join(c.root, filepath.FromSlash(p)))
		if err != nil {
			return
		}
		e.blob = gitstore.HashBlob(data)
		f.entries = append(f.entries, e)
	}
	c.mu.Lock()
	c.cur[dir] = f
	c.changed = true
	c.mu.Unlock()
}

func (c *Cache) load() {
	fh, err := os.Open(c.file)
	if err != nil {
		return
	}
	defer fh.Close()
	r := bufio.NewReaderSize(fh, 1<<20)
	var key [32]byte
	if _, err := io.ReadFull(r, key[:]); err != nil || key != c.key {
		return
	}
	old := map[string]*cachedFolder{}
	for {
		dir, err := readString(r)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return
		}
		f, err := readFolderEntry(r)
		if err != nil {
			return
		}
		for i := range f.entries {
			if f.entries[i].path == "" {
				f.entries[i].path = dir
			} else {
				f.entries[i].path = dir + "/" + f.entries[i].path
			}
		}
		old[dir] = f
	}
	c.old = old
}

func readFolderEntry(r *bufio.Reader) (*cachedFolder, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil || n > 1<<20 {
		return nil, fmt.Errorf("bad cache entry")
	}
	f := &cachedFolder{entries: make([]cachedFile, n)}
	for i := range f.entries {
		e := &f.entries[i]
		if e.path, err = readString(r); err != nil {
			return nil, err
		}
		var fixed [1 + 8*4 + 20]byte
		if _, err := io.ReadFull(r, fixed[:]); err != nil {
			return nil, err
		}
		e.Dir = fixed[0] == 1
		e.Symlink = fixed[0] == 2
		e.Size = int64(binary.LittleEndian.Uint64(fixed[1:]))
		e.Mtime = int64(binary.LittleEndian.Uint64(fixed[9:]))
		e.Ctime = int64(binary.LittleEndian.Uint64(fixed[17:]))
		e.Ino = binary.LittleEndian.Uint64(fixed[25:])
		copy(e.blob[:], fixed[33:])
	}
	d, err := readString(r)
	if err != nil {
		return nil, err
	}
	if d != "" {
		if err := json.Unmarshal([]byte(d), &f.result.Diags); err != nil {
			return nil, err
		}
	}
	if f.result.Facts, err = readString(r); err != nil {
		return nil, err
	}
	return f, nil
}

func readString(r *bufio.Reader) (string, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return "", err
	}
	if n > 1<<24 {
		return "", fmt.Errorf("bad cache string")
	}
	b := make([]byte, n)
	_, err = io.ReadFull(r, b)
	return string(b), err
}

// save writes the folders seen in this run; folders no longer present
// drop out of the cache.
func (c *Cache) Save() error {
	defer c.close()
	if !c.changed && len(c.cur) == len(c.old) {
		return nil
	}
	var buf []byte
	buf = append(buf, c.key[:]...)
	for _, dir := range slices.Sorted(maps.Keys(c.cur)) {
		f := c.cur[dir]
		buf = appendString(buf, dir)
		buf = binary.AppendUvarint(buf, uint64(len(f.entries)))
		for _, e := range f.entries {
			buf = appendString(buf, strings.TrimPrefix(strings.TrimPrefix(e.path, dir), "/"))
			var fixed [1 + 8*4 + 20]byte
			switch {
			case e.Dir:
				fixed[0] = 1
			case e.Symlink:
				fixed[0] = 2
			}
			binary.LittleEndian.PutUint64(fixed[1:], uint64(e.Size))
			binary.LittleEndian.PutUint64(fixed[9:], uint64(e.Mtime))
			binary.LittleEndian.PutUint64(fixed[17:], uint64(e.Ctime))
			binary.LittleEndian.PutUint64(fixed[25:], e.Ino)
			copy(fixed[33:], e.blob[:])
			buf = append(buf, fixed[:]...)
		}
		d := ""
		if len(f.result.Diags) > 0 {
			b, _ := json.Marshal(f.result.Diags)
			d = string(b)
		}
		buf = appendString(buf, d)
		buf = appendString(buf, f.result.Facts)
	}
	return gitstore.WriteFile(filepath.Dir(c.file), filepath.Base(c.file), buf)
}

func appendString(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

// binaryKey identifies the running sev binary, so findings cached by one
// version of the checks are not reused by another.
func BinaryKey() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return exe
	}
	return fmt.Sprintf("%s %d %d", exe, fi.Size(), fi.ModTime().UnixNano())
}

// Stats are how many folders the cache held when opened, how many were
// checked in this run, and how many of those were answered from it.
func (c *Cache) Stats() (loaded, checked, hits int) { return len(c.old), len(c.cur), c.hits }
