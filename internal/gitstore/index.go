package gitstore

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// The index (.git/index) is patched here rather than through go-git's
// index encoder for two reasons measured on a 100k-incident repository:
// go-git rewrites every entry through reflection-free but allocation-heavy
// code, and it drops the cache-tree and untracked-cache extensions, which
// makes the user's next `git status` and `git commit` rescan everything.
// This patcher keeps every byte it does not need to change.

// ErrIndexUnsupported means the index uses a feature the patcher does not
// handle (split index, sparse index); callers fall back to the git CLI.
var ErrIndexUnsupported = errors.New("index format not supported")

type indexEntry struct {
	meta  [62]byte // ctime .. flags, as stored
	ext   uint16   // extended flags (v3+), when meta's extended bit is set
	name  string
	stage int
}

type rawIndex struct {
	version uint32
	entries []indexEntry
	exts    []extension
	skipSum bool
}

type extension struct {
	sig  string
	data []byte
}

const (
	flagExtended = 0x4000
	nameMask     = 0x0fff
)

func parseIndex(data []byte) (*rawIndex, error) {
	if len(data) < 12+20 || string(data[:4]) != "DIRC" {
		return nil, fmt.Errorf("not a git index")
	}
	idx := &rawIndex{version: binary.BigEndian.Uint32(data[4:8])}
	if idx.version < 2 || idx.version > 4 {
		return nil, fmt.Errorf("%w: version %d", ErrIndexUnsupported, idx.version)
	}
	sum := data[len(data)-20:]
	body := data[:len(data)-20]
	if bytes.Equal(sum, make([]byte, 20)) {
		idx.skipSum = true
	} else if s := sha1.Sum(body); !bytes.Equal(s[:], sum) {
		return nil, fmt.Errorf("index checksum mismatch")
	}
	n := int(binary.BigEndian.Uint32(data[8:12]))
	idx.entries = make([]indexEntry, 0, n+4)
	off := 12
	prev := ""
	for i := 0; i < n; i++ {
		if off+62 > len(body) {
			return nil, fmt.Errorf("index truncated")
		}
		var e indexEntry
		copy(e.meta[:], body[off:off+62])
		start := off
		off += 62
		flags := binary.BigEndian.Uint16(e.meta[60:62])
		e.stage = int(flags>>12) & 3
		if flags&flagExtended != 0 {
			if idx.version < 3 || off+2 > len(body) {
				return nil, fmt.Errorf("index entry %d: bad extended flags", i)
			}
			e.ext = binary.BigEndian.Uint16(body[off : off+2])
			if e.ext&(1<<14) != 0 { // CE_SKIP_WORKTREE in a sparse checkout
				return nil, fmt.Errorf("%w: sparse checkout", ErrIndexUnsupported)
			}
			off += 2
		}
		if idx.version == 4 {
			strip, k := binary.Uvarint(body[off:])
			if k <= 0 || int(strip) > len(prev) {
				return nil, fmt.Errorf("index entry %d: bad path prefix", i)
			}
			off += k
			end := bytes.IndexByte(body[off:], 0)
			if end < 0 {
				return nil, fmt.Errorf("index truncated")
			}
			e.name = prev[:len(prev)-int(strip)] + string(body[off:off+end])
			off += end + 1
		} else {
			end := bytes.IndexByte(body[off:], 0)
			if end < 0 {
				return nil, fmt.Errorf("index truncated")
			}
			e.name = string(body[off : off+end])
			off += end + 1
			// entries are padded with NULs to a multiple of 8 bytes
			for (off-start)%8 != 0 {
				off++
			}
		}
		prev = e.name
		idx.entries = append(idx.entries, e)
	}
	for off+8 <= len(body) {
		sig := string(body[off : off+4])
		size := int(binary.BigEndian.Uint32(body[off+4 : off+8]))
		if off+8+size > len(body) {
			return nil, fmt.Errorf("index extension %q truncated", sig)
		}
		if sig[0] < 'A' || sig[0] > 'Z' {
			// "link" (split index) and "sdir" (sparse index) change what the
			// entries mean; only git itself may rewrite such an index.
			return nil, fmt.Errorf("%w: extension %q", ErrIndexUnsupported, sig)
		}
		idx.exts = append(idx.exts, extension{sig: sig, data: body[off+8 : off+8+size]})
		off += 8 + size
	}
	return idx, nil
}

// staged is what an index entry records for a file sev wrote.
type staged struct {
	path string
	hash [20]byte
	stat fileStat
}

type fileStat struct {
	ctimeS, ctimeN, mtimeS, mtimeN uint32
	dev, ino, mode, uid, gid, size uint32
}

func (idx *rawIndex) find(name string) (int, bool) {
	i := sort.Search(len(idx.entries), func(i int) bool {
		return idx.entries[i].name >= name
	})
	return i, i < len(idx.entries) && idx.entries[i].name == name
}

// set records the files in the index, replacing or inserting their
// entries; a zero hash removes the path.
func (idx *rawIndex) set(files []staged) error {
	for _, f := range files {
		i, ok := idx.find(f.path)
		if f.hash == ([20]byte{}) {
			for ok && i < len(idx.entries) && idx.entries[i].name == f.path {
				idx.entries = append(idx.entries[:i], idx.entries[i+1:]...)
			}
			continue
		}
		if ok && (idx.entries[i].stage != 0 || (i+1 < len(idx.entries) && idx.entries[i+1].name == f.path)) {
			return fmt.Errorf("%s has a merge conflict; resolve it with git first", f.path)
		}
		var e indexEntry
		if ok {
			e = idx.entries[i]
		}
		e.name = f.path
		e.stage = 0
		m := e.meta[:]
		for j, v := range []uint32{f.stat.ctimeS, f.stat.ctimeN, f.stat.mtimeS, f.stat.mtimeN,
			f.stat.dev, f.stat.ino, f.stat.mode, f.stat.uid, f.stat.gid, f.stat.size} {
			binary.BigEndian.PutUint32(m[j*4:], v)
		}
		copy(m[40:60], f.hash[:])
		flags := uint16(len(f.path))
		if len(f.path) >= nameMask {
			flags = nameMask
		}
		if e.ext != 0 {
			flags |= flagExtended
		}
		binary.BigEndian.PutUint16(m[60:62], flags)
		if ok {
			idx.entries[i] = e
		} else {
			idx.entries = append(idx.entries, indexEntry{})
			copy(idx.entries[i+1:], idx.entries[i:])
			idx.entries[i] = e
		}
	}
	idx.invalidate(files)
	return nil
}

// invalidate marks the cache-tree of every folder above a changed file as
// out of date, so git recomputes just those trees, and drops extensions
// that index entries by position or that describe the old entry list.
func (idx *rawIndex) invalidate(files []staged) {
	var kept []extension
	for _, x := range idx.exts {
		switch x.sig {
		case "TREE":
			paths := make([]string, len(files))
			for i, f := range files {
				paths[i] = f.path
			}
			if data, err := invalidateTree(x.data, paths); err == nil {
				kept = append(kept, extension{sig: "TREE", data: data})
			}
		case "REUC", "UNTR":
			kept = append(kept, x)
		}
	}
	idx.exts = kept
}

func (idx *rawIndex) encode() []byte {
	var buf bytes.Buffer
	buf.Grow(len(idx.entries)*80 + 1024)
	var hdr [12]byte
	copy(hdr[:4], "DIRC")
	binary.BigEndian.PutUint32(hdr[4:], idx.version)
	binary.BigEndian.PutUint32(hdr[8:], uint32(len(idx.entries)))
	buf.Write(hdr[:])
	prev := ""
	var tmp [binary.MaxVarintLen64]byte
	for _, e := range idx.entries {
		start := buf.Len()
		buf.Write(e.meta[:])
		if binary.BigEndian.Uint16(e.meta[60:62])&flagExtended != 0 {
			var x [2]byte
			binary.BigEndian.PutUint16(x[:], e.ext)
			buf.Write(x[:])
		}
		if idx.version == 4 {
			common := 0
			for common < len(prev) && common < len(e.name) && prev[common] == e.name[common] {
				common++
			}
			n := binary.PutUvarint(tmp[:], uint64(len(prev)-common))
			buf.Write(tmp[:n])
			buf.WriteString(e.name[common:])
			buf.WriteByte(0)
		} else {
			buf.WriteString(e.name)
			buf.WriteByte(0)
			for (buf.Len()-start)%8 != 0 {
				buf.WriteByte(0)
			}
		}
		prev = e.name
	}
	for _, x := range idx.exts {
		buf.WriteString(x.sig)
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(x.data)))
		buf.Write(n[:])
		buf.Write(x.data)
	}
	if idx.skipSum {
		buf.Write(make([]byte, 20))
	} else {
		s := sha1.Sum(buf.Bytes())
		buf.Write(s[:])
	}
	return buf.Bytes()
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
	var out bytes.Buffer
	rest, err := rewriteTreeNode(data, "", true, dirty, &out)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("TREE extension has trailing bytes")
	}
	return out.Bytes(), nil
}

func rewriteTreeNode(data []byte, parent string, root bool, dirty map[string]bool, out *bytes.Buffer) ([]byte, error) {
	nul := bytes.IndexByte(data, 0)
	nl := bytes.IndexByte(data, '\n')
	if nul < 0 || nl < nul {
		return nil, fmt.Errorf("bad TREE extension")
	}
	name := string(data[:nul])
	var count, subtrees int
	if _, err := fmt.Sscanf(string(data[nul+1:nl]), "%d %d", &count, &subtrees); err != nil {
		return nil, fmt.Errorf("bad TREE extension: %w", err)
	}
	data = data[nl+1:]
	var hash []byte
	if count >= 0 {
		if len(data) < 20 {
			return nil, fmt.Errorf("bad TREE extension")
		}
		hash, data = data[:20], data[20:]
	}
	full := name
	if !root && parent != "" {
		full = parent + "/" + name
	}
	if dirty[full] {
		count, hash = -1, nil
	}
	out.WriteString(name)
	out.WriteByte(0)
	fmt.Fprintf(out, "%d %d\n", count, subtrees)
	out.Write(hash)
	var err error
	for i := 0; i < subtrees; i++ {
		if data, err = rewriteTreeNode(data, full, false, dirty, out); err != nil {
			return nil, err
		}
	}
	return data, nil
}
