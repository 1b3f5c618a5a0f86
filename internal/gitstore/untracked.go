package gitstore

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
)

// git's own variable-width integers (varint.c): big-endian groups of seven
// bits with an offset of one per continuation byte. Index version 4 path
// prefixes and the untracked cache use them; they are not LEB128.

func decodeGitVarint(b []byte) (v uint64, n int) {
	if len(b) == 0 {
		return 0, 0
	}
	c := b[0]
	v = uint64(c & 127)
	n = 1
	for c&128 != 0 {
		if n == len(b) || v+1 >= 1<<57 {
			return 0, 0
		}
		v++
		c = b[n]
		n++
		v = v<<7 | uint64(c&127)
	}
	return v, n
}

func appendGitVarint(out []byte, v uint64) []byte {
	var buf [16]byte
	pos := len(buf) - 1
	buf[pos] = byte(v & 127)
	for v >>= 7; v != 0; v >>= 7 {
		v--
		pos--
		buf[pos] = 128 | byte(v&127)
	}
	return append(out, buf[pos:]...)
}

// stamp is an index file's modification time, the reference git uses to
// call an entry or a cached directory "racily clean": changed within the
// same clock tick as the index was written, so its stat data proves
// nothing. Zero means unknown (no index yet).
type stamp struct{ sec, nsec uint32 }

// racy reports whether a recorded modification time is not older than the
// index. Only seconds are compared, which errs towards "racy": git built
// without nanosecond timestamps does the same.
func (s stamp) racy(mtimeSec uint32) bool {
	return s.sec != 0 && mtimeSec >= s.sec
}

const statDataSize = 36 // ctime, mtime (sec, nsec), dev, ino, uid, gid, size

// untrackedCache is the untracked-cache extension (UNTR) split at the
// parts invalidateUntracked rewrites.
type untrackedCache struct {
	head      []byte   // identity, exclude-file data and the folder blocks
	names     []string // the folders depth first: "" for the root, then "a/", "a/b/"
	valid     []uint64 // folders whose listing git trusts while their stat data holds
	checkOnly []byte   // the second bitmap, as it is
	hashBits  []byte   // the third bitmap, as it is
	stats     []byte   // stat data of the valid folders, in order
	rest      []byte   // .gitignore hashes and the NUL guard
}

func parseUntracked(data []byte) (*untrackedCache, error) {
	identLen, n := decodeGitVarint(data)
	if n == 0 || uint64(len(data)-n) < identLen {
		return nil, fmt.Errorf("untracked cache: bad header")
	}
	off := n + int(identLen)
	const fixed = 2*statDataSize + 4 + 2*20 // exclude-file stats, flags, exclude-file hashes
	if off+fixed > len(data) {
		return nil, fmt.Errorf("untracked cache: header truncated")
	}
	off += fixed
	nul := bytes.IndexByte(data[off:], 0)
	if nul < 0 {
		return nil, fmt.Errorf("untracked cache: header truncated")
	}
	off += nul + 1
	uc := &untrackedCache{}
	if off >= len(data) {
		uc.head = data // no folders recorded
		return uc, nil
	}
	count, n := decodeGitVarint(data[off:])
	if n == 0 || count > uint64(len(data)) {
		return nil, fmt.Errorf("untracked cache: bad folder count")
	}
	if count == 0 {
		uc.head = data
		return uc, nil
	}
	off += n
	// the folder blocks, depth first; the three bitmaps, the stat data,
	// the .gitignore hashes and a NUL guard follow them
	var walk func(parent string) error
	walk = func(parent string) error {
		if len(uc.names) == int(count) {
			return fmt.Errorf("untracked cache: more folders than counted")
		}
		untracked, k := decodeGitVarint(data[off:])
		if k == 0 {
			return fmt.Errorf("untracked cache: truncated")
		}
		off += k
		dirs, k := decodeGitVarint(data[off:])
		if k == 0 || dirs > uint64(len(data)) {
			return fmt.Errorf("untracked cache: truncated")
		}
		off += k
		end := bytes.IndexByte(data[off:], 0)
		if end < 0 {
			return fmt.Errorf("untracked cache: truncated")
		}
		name := parent
		if end > 0 {
			name += string(data[off:off+end]) + "/"
		}
		off += end + 1
		uc.names = append(uc.names, name)
		for range untracked {
			end := bytes.IndexByte(data[off:], 0)
			if end < 0 {
				return fmt.Errorf("untracked cache: truncated")
			}
			off += end + 1
		}
		for range dirs {
			if err := walk(name); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(""); err != nil {
		return nil, err
	}
	if len(uc.names) != int(count) {
		return nil, fmt.Errorf("untracked cache: fewer folders than counted")
	}
	uc.head = data[:off]
	valid, k, err := readEWAH(data[off:])
	if err != nil {
		return nil, err
	}
	uc.valid = valid
	off += k
	_, k, err = readEWAH(data[off:])
	if err != nil {
		return nil, err
	}
	uc.checkOnly = data[off : off+k]
	off += k
	_, k, err = readEWAH(data[off:])
	if err != nil {
		return nil, err
	}
	uc.hashBits = data[off : off+k]
	off += k
	if off+len(valid)*statDataSize > len(data) {
		return nil, fmt.Errorf("untracked cache: stat data truncated")
	}
	for _, bit := range valid {
		if bit >= count {
			return nil, fmt.Errorf("untracked cache: folder %d out of range", bit)
		}
	}
	uc.stats = data[off : off+len(valid)*statDataSize]
	uc.rest = data[off+len(valid)*statDataSize:]
	return uc, nil
}

// trusted lists the folders git will not rescan while their stat data holds.
func (uc *untrackedCache) trusted() []string {
	var names []string
	for _, bit := range uc.valid {
		names = append(names, uc.names[bit])
	}
	return names
}

// invalidateUntracked rewrites the untracked-cache extension so that git
// rescans every folder it can no longer trust once a newer index is
// written: the folders above the paths sev staged, and every folder whose
// recorded modification time is racy against the old index. Left alone, a
// file created in the same clock tick as git's last scan would stay
// invisible to `git status`, because the new index's later timestamp makes
// the stale record look trustworthy. The rest of the cache is kept, so the
// next `git status` rescans a handful of folders rather than the tree.
func invalidateUntracked(data []byte, paths []string, old stamp) ([]byte, error) {
	uc, err := parseUntracked(data)
	if err != nil {
		return nil, err
	}
	if len(uc.valid) == 0 {
		return data, nil
	}
	dirty := map[string]bool{"": true}
	for _, p := range paths {
		for d := p; strings.Contains(d, "/"); {
			d = d[:strings.LastIndexByte(d, '/')]
			dirty[d+"/"] = true
		}
	}
	var keep []uint64
	var keptStats []byte
	for i, bit := range uc.valid {
		st := uc.stats[i*statDataSize : (i+1)*statDataSize]
		if dirty[uc.names[bit]] || old.racy(binary.BigEndian.Uint32(st[8:12])) {
			continue
		}
		keep = append(keep, bit)
		keptStats = append(keptStats, st...)
	}
	if len(keep) == len(uc.valid) {
		return data, nil
	}
	out := make([]byte, 0, len(data))
	out = append(out, uc.head...)
	out = appendEWAH(out, keep, len(uc.names))
	out = append(out, uc.checkOnly...)
	out = append(out, uc.hashBits...)
	out = append(out, keptStats...)
	out = append(out, uc.rest...)
	return out, nil
}

// readEWAH decodes one of git's EWAH-compressed bitmaps (ewah/ewah_io.c):
// bit count, word count, the 64-bit words, the last marker's position.
// It returns the set bits in order and the bytes read.
func readEWAH(b []byte) ([]uint64, int, error) {
	if len(b) < 8 {
		return nil, 0, fmt.Errorf("untracked cache: bitmap truncated")
	}
	words := uint64(binary.BigEndian.Uint32(b[4:8]))
	size := 8 + 8*words + 4
	if uint64(len(b)) < size {
		return nil, 0, fmt.Errorf("untracked cache: bitmap truncated")
	}
	var bits []uint64
	pos := uint64(0) // in words
	for i := uint64(0); i < words; {
		marker := binary.BigEndian.Uint64(b[8+8*i:])
		i++
		run := (marker >> 1) & 0xffffffff
		literals := marker >> 33
		if marker&1 != 0 {
			for j := pos * 64; j < (pos+run)*64; j++ {
				bits = append(bits, j)
			}
		}
		pos += run
		for ; literals > 0 && i < words; literals-- {
			w := binary.BigEndian.Uint64(b[8+8*i:])
			i++
			for j := uint64(0); j < 64; j++ {
				if w&(1<<j) != 0 {
					bits = append(bits, pos*64+j)
				}
			}
			pos++
		}
	}
	return bits, int(size), nil
}

// appendEWAH encodes the set bits (ascending) of an n-bit bitmap as one
// marker word followed by plain literal words, which git's reader accepts
// like any other EWAH stream.
func appendEWAH(out []byte, bits []uint64, n int) []byte {
	literals := (n + 63) / 64
	words := make([]uint64, literals)
	for _, b := range bits {
		words[b/64] |= 1 << (b % 64)
	}
	out = binary.BigEndian.AppendUint32(out, uint32(n))
	out = binary.BigEndian.AppendUint32(out, uint32(1+literals))
	out = binary.BigEndian.AppendUint64(out, uint64(literals)<<33)
	for _, w := range words {
		out = binary.BigEndian.AppendUint64(out, w)
	}
	return binary.BigEndian.AppendUint32(out, 0)
}
