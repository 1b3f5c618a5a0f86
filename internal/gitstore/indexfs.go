package gitstore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// IndexFS is the repository as staged in git's index (what the next commit
// would contain), as an fs.FS: folders and files come from the index
// entries, file contents from the object store. `sev validate --staged`
// checks it, so a pre-commit hook checks exactly what is committed.
type IndexFS struct {
	repo  *Repo
	files map[string]indexFile
	dirs  map[string][]fs.DirEntry
}

type indexFile struct {
	hash plumbing.Hash
	mode fs.FileMode
	size int64
}

// IndexChecksum returns the checksum at the end of the index file: it
// changes whenever any entry does. ok is false when the index has none
// (index.skipHash) or does not exist.
func (r *Repo) IndexChecksum() (sum [20]byte, ok bool) {
	f, err := os.Open(r.indexFile())
	if err != nil {
		return sum, false
	}
	defer f.Close()
	if _, err := f.Seek(-20, io.SeekEnd); err != nil {
		return sum, false
	}
	if _, err := io.ReadFull(f, sum[:]); err != nil {
		return sum, false
	}
	return sum, sum != [20]byte{}
}

// StagedFS reads the index into an IndexFS.
func (r *Repo) StagedFS() (*IndexFS, error) {
	data, err := os.ReadFile(r.indexFile())
	if errors.Is(err, os.ErrNotExist) {
		data = emptyIndex()
	} else if err != nil {
		return nil, err
	}
	rd, err := newIndexReader(data)
	if err != nil {
		return nil, err
	}
	x := &IndexFS{repo: r, files: map[string]indexFile{}, dirs: map[string][]fs.DirEntry{".": nil}}
	for {
		e, ok, err := rd.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if e.stage != 0 {
			return nil, fmt.Errorf("%s has a merge conflict; resolve it before checking what is staged", e.name)
		}
		name := string(e.name)
		mode := binary.BigEndian.Uint32(e.meta[24:28])
		f := indexFile{hash: plumbing.Hash(e.meta[40:60]), size: int64(binary.BigEndian.Uint32(e.meta[36:40]))}
		switch mode & 0o170000 {
		case 0o120000:
			f.mode = fs.ModeSymlink
		case 0o160000:
			f.mode = fs.ModeDir | fs.ModeIrregular // a submodule
		default:
			f.mode = fs.FileMode(mode & 0o777)
		}
		x.files[name] = f
		x.addEntry(name, f.mode)
	}
	for _, list := range x.dirs {
		sort.Slice(list, func(i, j int) bool { return list[i].Name() < list[j].Name() })
	}
	return x, nil
}

// addEntry records name in its folder's listing, creating the folders
// above it on the way.
func (x *IndexFS) addEntry(name string, mode fs.FileMode) {
	dir, base := path.Split(name)
	dir = strings.TrimSuffix(dir, "/")
	if dir == "" {
		dir = "."
	}
	if _, ok := x.dirs[dir]; !ok {
		x.dirs[dir] = nil
		if dir != "." {
			x.addEntry(dir, fs.ModeDir)
		}
	}
	x.dirs[dir] = append(x.dirs[dir], dirEntry{name: base, mode: mode, fsys: x, path: name})
}

// Open implements fs.FS.
func (x *IndexFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if list, ok := x.dirs[name]; ok {
		return &indexDir{info: dirInfo(name), entries: list}, nil
	}
	f, ok := x.files[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	if f.mode&fs.ModeType != 0 {
		return &indexDir{info: fileInfo{name: path.Base(name), mode: f.mode}}, nil
	}
	data, err := x.repo.blob(f.hash)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return &indexFileReader{Reader: bytes.NewReader(data), info: fileInfo{name: path.Base(name), size: int64(len(data)), mode: f.mode}}, nil
}

// ReadDir implements fs.ReadDirFS.
func (x *IndexFS) ReadDir(name string) ([]fs.DirEntry, error) {
	list, ok := x.dirs[name]
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	return list, nil
}

type dirEntry struct {
	name, path string
	mode       fs.FileMode
	fsys       *IndexFS
}

func (d dirEntry) Name() string      { return d.name }
func (d dirEntry) IsDir() bool       { return d.mode.IsDir() }
func (d dirEntry) Type() fs.FileMode { return d.mode.Type() }
func (d dirEntry) Info() (fs.FileInfo, error) {
	if d.mode.IsDir() {
		return dirInfo(d.path), nil
	}
	return fileInfo{name: d.name, mode: d.mode, size: d.fsys.files[d.path].size}, nil
}

type fileInfo struct {
	name string
	size int64
	mode fs.FileMode
}

func (f fileInfo) Name() string       { return f.name }
func (f fileInfo) Size() int64        { return f.size }
func (f fileInfo) Mode() fs.FileMode  { return f.mode }
func (f fileInfo) ModTime() time.Time { return time.Time{} }
func (f fileInfo) IsDir() bool        { return f.mode.IsDir() }
func (f fileInfo) Sys() any           { return nil }

func dirInfo(name string) fileInfo { return fileInfo{name: path.Base(name), mode: fs.ModeDir | 0o755} }

type indexFileReader struct {
	*bytes.Reader
	info fileInfo
}

func (f *indexFileReader) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *indexFileReader) Close() error               { return nil }

type indexDir struct {
	info    fileInfo
	entries []fs.DirEntry
	read    int
}

func (d *indexDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *indexDir) Close() error               { return nil }
func (d *indexDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.name, Err: fs.ErrInvalid}
}

func (d *indexDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.read:]
	if n <= 0 {
		d.read = len(d.entries)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.read += n
	return rest[:n], nil
}

// IndexFile is the path of git's index: GIT_INDEX_FILE when set, else the
// repository's own.
func (r *Repo) IndexFile() string { return r.indexFile() }
