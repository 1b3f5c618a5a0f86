package gitstore

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// The index (.git/index) is patched here rather than through go-git's
// index encoder, for two reasons measured on a 100k-incident repository
// (300,000 entries, a 52 MB index): go-git decodes every entry into a
// struct and encodes it again, and it drops the cache-tree and
// untracked-cache extensions, so the user's next `git status` and
// `git commit` rescan everything. patchIndex streams the file once and
// copies every entry it does not change byte for byte.

// ErrIndexUnsupported means the index uses a feature the patcher does not
// handle (split index, sparse index); callers fall back to the git CLI.
var ErrIndexUnsupported = errors.New("index format not supported")

// staged is what an index entry records for a file sev wrote.
type staged struct {
	path string
	hash [20]byte // zero: remove the path
	stat fileStat
}

type fileStat struct {
	ctimeS, ctimeN, mtimeS, mtimeN uint32
	dev, ino, mode, uid, gid, size uint32
}

type extension struct {
	sig  string
	data []byte
}

const (
	flagExtended  = 0x4000
	nameMask      = 0x0fff
	skipWorktree  = 1 << 14
	entryMetaSize = 62
)

// entry is one index entry as it lies in the file.
type entry struct {
	start, end int    // byte range in the file
	meta       []byte // the 62 fixed bytes
	ext        []byte // 2 bytes of extended flags, or nil
	name       []byte // the full path (for version 4 a reused buffer)
	stage      int
}

// indexReader walks the entries of an index without copying them.
type indexReader struct {
	data    []byte
	version uint32
	count   int
	off, i  int
	name    []byte
}

func newIndexReader(data []byte) (*indexReader, error) {
	if len(data) < 12+20 || string(data[:4]) != "DIRC" {
		return nil, fmt.Errorf("not a git index")
	}
	r := &indexReader{data: data[:len(data)-20], version: binary.BigEndian.Uint32(data[4:8]),
		count: int(binary.BigEndian.Uint32(data[8:12])), off: 12}
	if r.version < 2 || r.version > 4 {
		return nil, fmt.Errorf("%w: version %d", ErrIndexUnsupported, r.version)
	}
	return r, nil
}

// next reads the next entry; ok is false after the last one.
func (r *indexReader) next() (e entry, ok bool, err error) {
	if r.i == r.count {
		return e, false, nil
	}
	body := r.data
	if r.off+entryMetaSize > len(body) {
		return e, false, fmt.Errorf("index truncated")
	}
	e.start = r.off
	e.meta = body[r.off : r.off+entryMetaSize]
	off := r.off + entryMetaSize
	flags := binary.BigEndian.Uint16(e.meta[60:62])
	e.stage = int(flags>>12) & 3
	if flags&flagExtended != 0 {
		if r.version < 3 || off+2 > len(body) {
			return e, false, fmt.Errorf("index entry %d: bad extended flags", r.i)
		}
		e.ext = body[off : off+2]
		if binary.BigEndian.Uint16(e.ext)&skipWorktree != 0 {
			return e, false, fmt.Errorf("%w: sparse checkout", ErrIndexUnsupported)
		}
		off += 2
	}
	if r.version == 4 {
		strip, k := decodeGitVarint(body[off:])
		if k <= 0 || int(strip) > len(r.name) {
			return e, false, fmt.Errorf("index entry %d: bad path prefix", r.i)
		}
		off += k
		end := bytes.IndexByte(body[off:], 0)
		if end < 0 {
			return e, false, fmt.Errorf("index truncated")
		}
		r.name = append(r.name[:len(r.name)-int(strip)], body[off:off+end]...)
		e.name = r.name
		off += end + 1
	} else {
		end := bytes.IndexByte(body[off:], 0)
		if end < 0 {
			return e, false, fmt.Errorf("index truncated")
		}
		e.name = body[off : off+end]
		off += end + 1
		for (off-e.start)%8 != 0 { // NUL padding to a multiple of 8 bytes
			off++
		}
	}
	e.end = off
	r.off = off
	r.i++
	return e, true, nil
}

// extensions parses what follows the entries.
func (r *indexReader) extensions() ([]extension, error) {
	var exts []extension
	off := r.off
	for off+8 <= len(r.data) {
		sig := string(r.data[off : off+4])
		size := int(binary.BigEndian.Uint32(r.data[off+4 : off+8]))
		if off+8+size > len(r.data) {
			return nil, fmt.Errorf("index extension %q truncated", sig)
		}
		if sig[0] < 'A' || sig[0] > 'Z' {
			// "link" (split index) and "sdir" (sparse index) change what
			// the entries mean; only git itself may rewrite such an index.
			return nil, fmt.Errorf("%w: extension %q", ErrIndexUnsupported, sig)
		}
		exts = append(exts, extension{sig: sig, data: r.data[off+8 : off+8+size]})
		off += 8 + size
	}
	return exts, nil
}

// indexWriter builds the patched index.
type indexWriter struct {
	out      []byte
	version  uint32
	prev     []byte // the last name written, for version 4
	count    int
	verbatim int // start of a pending run of copied bytes, or -1
	src      []byte
}

func (w *indexWriter) flush(upto int) {
	if w.verbatim >= 0 {
		w.out = append(w.out, w.src[w.verbatim:upto]...)
		w.verbatim = -1
	}
}

func (w *indexWriter) entry(meta, ext, name []byte) {
	w.out = append(w.out, meta...)
	w.out = append(w.out, ext...)
	if w.version == 4 {
		common := 0
		for common < len(w.prev) && common < len(name) && w.prev[common] == name[common] {
			common++
		}
		w.out = appendGitVarint(w.out, uint64(len(w.prev)-common))
		w.out = append(w.out, name[common:]...)
		w.out = append(w.out, 0)
	} else {
		start := len(w.out) - len(meta) - len(ext)
		w.out = append(w.out, name...)
		w.out = append(w.out, 0)
		for (len(w.out)-start)%8 != 0 {
			w.out = append(w.out, 0)
		}
	}
	w.prev = append(w.prev[:0], name...)
	w.count++
}

func newMeta(f staged, ext []byte) []byte {
	m := make([]byte, entryMetaSize)
	for j, v := range []uint32{f.stat.ctimeS, f.stat.ctimeN, f.stat.mtimeS, f.stat.mtimeN,
		f.stat.dev, f.stat.ino, f.stat.mode, f.stat.uid, f.stat.gid, f.stat.size} {
		binary.BigEndian.PutUint32(m[j*4:], v)
	}
	copy(m[40:60], f.hash[:])
	flags := uint16(min(len(f.path), nameMask))
	if ext != nil {
		flags |= flagExtended
	}
	binary.BigEndian.PutUint16(m[60:62], flags)
	return m
}

// patchIndex returns the index data with files (sorted by path) recorded:
// entries replaced, inserted or removed, the cache-tree above them
// invalidated, and extensions that index entries by position dropped. All
// other entries are copied as they are, except that entries racily clean
// against old (the index file's modification time) are smudged, as git
// does when it writes an index: their recorded size becomes 0 so that git
// compares their content instead of trusting stat data the newer index
// would otherwise vouch for.
func patchIndex(data []byte, files []staged, old stamp) ([]byte, error) {
	if len(files) == 0 {
		return data, nil
	}
	r, err := newIndexReader(data)
	if err != nil {
		return nil, err
	}
	w := &indexWriter{out: make([]byte, 12, len(data)+len(files)*160+64), version: r.version, verbatim: -1, src: r.data}
	copy(w.out, data[:8])
	i := 0
	diverged := false // the output's previous name differs from the input's
	emit := func(f staged, ext []byte) {
		if !isZero(f.hash) {
			w.entry(newMeta(f, ext), ext, []byte(f.path))
		}
		diverged = true
	}
	for {
		e, ok, err := r.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		for i < len(files) && files[i].path < string(e.name) {
			w.flush(e.start)
			emit(files[i], nil)
			i++
		}
		if i < len(files) && files[i].path == string(e.name) {
			if e.stage != 0 {
				return nil, fmt.Errorf("%s has a merge conflict; resolve it with git first", files[i].path)
			}
			w.flush(e.start)
			emit(files[i], e.ext)
			i++
			continue
		}
		if i > 0 && files[i-1].path == string(e.name) {
			return nil, fmt.Errorf("%s has a merge conflict; resolve it with git first", e.name)
		}
		if old.racy(binary.BigEndian.Uint32(e.meta[8:12])) && binary.BigEndian.Uint32(e.meta[36:40]) != 0 {
			w.flush(e.start)
			meta := append([]byte(nil), e.meta...)
			binary.BigEndian.PutUint32(meta[36:40], 0)
			w.entry(meta, e.ext, e.name)
			diverged = false
			continue
		}
		if w.version == 4 && diverged {
			w.flush(e.start)
			w.entry(e.meta, e.ext, e.name)
			diverged = false
			continue
		}
		if w.verbatim < 0 {
			w.verbatim = e.start
		}
		w.count++
		if w.version == 4 {
			w.prev = append(w.prev[:0], e.name...)
		}
	}
	w.flush(r.off)
	for ; i < len(files); i++ {
		emit(files[i], nil)
	}
	exts, err := r.extensions()
	if err != nil {
		return nil, err
	}
	for _, x := range keepExtensions(exts, files, old) {
		w.out = append(w.out, x.sig...)
		w.out = binary.BigEndian.AppendUint32(w.out, uint32(len(x.data)))
		w.out = append(w.out, x.data...)
	}
	binary.BigEndian.PutUint32(w.out[8:12], uint32(w.count))
	if isZero([20]byte(data[len(data)-20:])) { // index.skipHash
		return append(w.out, make([]byte, 20)...), nil
	}
	sum := sha1.Sum(w.out)
	return append(w.out, sum[:]...), nil
}

func isZero(h [20]byte) bool { return h == [20]byte{} }

// keepExtensions invalidates the cache-tree above the changed paths and
// the untracked cache's folders that can no longer be trusted, keeps
// resolve-undo data, and drops the rest (offset tables, fsmonitor bitmaps)
// because they describe the old entry list. An extension that does not
// parse is dropped: git rebuilds it.
func keepExtensions(exts []extension, files []staged, old stamp) []extension {
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = f.path
	}
	var kept []extension
	for _, x := range exts {
		switch x.sig {
		case "TREE":
			if data, err := invalidateTree(x.data, paths); err == nil {
				kept = append(kept, extension{sig: "TREE", data: data})
			}
		case "UNTR":
			if data, err := invalidateUntracked(x.data, paths, old); err == nil {
				kept = append(kept, extension{sig: "UNTR", data: data})
			}
		case "REUC":
			kept = append(kept, x)
		}
	}
	return kept
}

// invalidateTree rewrites the TREE extension with the folders above each
// path marked invalid (entry count -1, no object id), as git does when a
// file below them is staged.
func invalidateTree(data []byte, paths []string) ([]byte, error) {
	dirty := map[string]bool{"": true}
	for _, p := range paths {
		for d := p; strings.Contains(d, "/"); {
			d = d[:strings.LastIndexByte(d, '/')]
			dirty[d] = true
		}
	}
	out := make([]byte, 0, len(data))
	rest, out, err := rewriteTreeNode(data, "", true, dirty, out)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("TREE extension has trailing bytes")
	}
	return out, nil
}

func rewriteTreeNode(data []byte, parent string, root bool, dirty map[string]bool, out []byte) ([]byte, []byte, error) {
	nul := bytes.IndexByte(data, 0)
	nl := bytes.IndexByte(data, '\n')
	if nul < 0 || nl < nul {
		return nil, nil, fmt.Errorf("bad TREE extension")
	}
	name := data[:nul]
	countStr, subStr, ok := strings.Cut(string(data[nul+1:nl]), " ")
	count, err1 := strconv.Atoi(countStr)
	subtrees, err2 := strconv.Atoi(subStr)
	if !ok || err1 != nil || err2 != nil {
		return nil, nil, fmt.Errorf("bad TREE extension")
	}
	data = data[nl+1:]
	var hash []byte
	if count >= 0 {
		if len(data) < 20 {
			return nil, nil, fmt.Errorf("bad TREE extension")
		}
		hash, data = data[:20], data[20:]
	}
	full := string(name)
	if !root && parent != "" {
		full = parent + "/" + full
	}
	if dirty[full] {
		count, hash = -1, nil
	}
	out = append(out, name...)
	out = append(out, 0)
	out = strconv.AppendInt(out, int64(count), 10)
	out = append(out, ' ')
	out = strconv.AppendInt(out, int64(subtrees), 10)
	out = append(out, '\n')
	out = append(out, hash...)
	var err error
	for i := 0; i < subtrees; i++ {
		if data, out, err = rewriteTreeNode(data, full, false, dirty, out); err != nil {
			return nil, nil, err
		}
	}
	return data, out, nil
}
