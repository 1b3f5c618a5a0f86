package search

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// The manifest remembers, for every incident, the stat data and git blob
// ids of its three files and of its attachments, and where its document
// went. It is read only when the cheap freshness check fails.
type manifest map[string]*manEntry

type manEntry struct {
	year        string
	rec, tl, pm fileState
	attDir      fileStat   // the attachments/ folder as the files were listed
	att         []attState // the files in attachments/ (attachment.Listed), by name
	where       uint8
	msg         string // why it could not be indexed (whereBroken)
}

// attState is an attachment's name and state.
type attState struct {
	name string
	fileState
}

type fileState struct {
	stat fileStat
	blob [20]byte // zero: the file does not exist
}

// Where a document is.
const (
	whereNone       = iota
	whereMain       // in the main index
	whereRestricted // in the restricted index
	wherePending    // restricted, not indexed until asked for
	whereBroken     // could not be read; see msg
)

// The three files of an incident, in the order of manEntry.files.
const (
	fileRecord = iota
	fileTimeline
	filePostmortem
)

func (e *manEntry) files() [3]*fileState { return [3]*fileState{&e.rec, &e.tl, &e.pm} }

// each calls fn with the path and state of every file the entry tracks:
// the three files, then the attachments.
func (e *manEntry) each(id string, fn func(p string, f *fileState)) {
	for k, f := range e.files() {
		fn(e.path(id, k), f)
	}
	for i := range e.att {
		fn(e.attPath(id, e.att[i].name), &e.att[i].fileState)
	}
}

func (e *manEntry) attPath(id, name string) string {
	return "incidents/" + e.year + "/" + id + "/attachments/" + name
}

func (e *manEntry) path(id string, kind int) string {
	switch kind {
	case fileRecord:
		return "incidents/" + e.year + "/" + id + "/incident.yaml"
	case fileTimeline:
		return "incidents/" + e.year + "/" + id + "/timeline.yaml"
	}
	return "postmortems/" + id + ".md"
}

const (
	manifestFile  = "manifest"
	manifestMagic = "sev-search-manifest 2\n"
)

func loadManifest(p string) (manifest, error) {
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return manifest{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	magic := make([]byte, len(manifestMagic))
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != manifestMagic {
		return nil, fmt.Errorf("%w: %s: bad header", errFormat, p)
	}
	m := manifest{}
	for {
		id, err := readString(r)
		if errors.Is(err, io.EOF) {
			return m, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", errFormat, p, err)
		}
		e := &manEntry{}
		if e.year, err = readString(r); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", errFormat, p, err)
		}
		var where [1]byte
		if _, err := io.ReadFull(r, where[:]); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", errFormat, p, err)
		}
		e.where = where[0]
		for _, fs := range e.files() {
			if err := readFileState(r, fs); err != nil {
				return nil, fmt.Errorf("%w: %s: %v", errFormat, p, err)
			}
		}
		var dir fileState
		if err := readFileState(r, &dir); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", errFormat, p, err)
		}
		e.attDir = dir.stat
		n, err := binary.ReadUvarint(r)
		if err != nil || n > 1<<16 {
			return nil, fmt.Errorf("%w: %s: attachments: %v", errFormat, p, err)
		}
		e.att = make([]attState, n)
		for i := range e.att {
			if e.att[i].name, err = readString(r); err == nil {
				err = readFileState(r, &e.att[i].fileState)
			}
			if err != nil {
				return nil, fmt.Errorf("%w: %s: %v", errFormat, p, err)
			}
		}
		if e.msg, err = readString(r); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", errFormat, p, err)
		}
		m[id] = e
	}
}

func saveManifest(p string, m manifest) error {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	buf := make([]byte, 0, len(m)*200+len(manifestMagic))
	buf = append(buf, manifestMagic...)
	for _, id := range ids {
		e := m[id]
		buf = appendString(buf, id)
		buf = appendString(buf, e.year)
		buf = append(buf, e.where)
		for _, fs := range e.files() {
			buf = appendFileState(buf, fs)
		}
		buf = appendFileState(buf, &fileState{stat: e.attDir})
		buf = binary.AppendUvarint(buf, uint64(len(e.att)))
		for i := range e.att {
			buf = appendString(buf, e.att[i].name)
			buf = appendFileState(buf, &e.att[i].fileState)
		}
		buf = appendString(buf, e.msg)
	}
	return writeFile(p, buf)
}

// A file's state is 52 bytes: size, mtime, ctime and inode as
// little-endian 64-bit numbers, then the blob id.
func appendFileState(buf []byte, fs *fileState) []byte {
	buf = binary.LittleEndian.AppendUint64(buf, uint64(fs.stat.Size))
	buf = binary.LittleEndian.AppendUint64(buf, uint64(fs.stat.Mtime))
	buf = binary.LittleEndian.AppendUint64(buf, uint64(fs.stat.Ctime))
	buf = binary.LittleEndian.AppendUint64(buf, fs.stat.Ino)
	return append(buf, fs.blob[:]...)
}

func readFileState(r *bufio.Reader, fs *fileState) error {
	var b [8*4 + 20]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return err
	}
	fs.stat = fileStat{Size: int64(binary.LittleEndian.Uint64(b[:])), Mtime: int64(binary.LittleEndian.Uint64(b[8:])),
		Ctime: int64(binary.LittleEndian.Uint64(b[16:])), Ino: binary.LittleEndian.Uint64(b[24:])}
	copy(fs.blob[:], b[32:])
	return nil
}

func appendString(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

func readString(r *bufio.Reader) (string, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return "", err
	}
	if n > 1<<20 {
		return "", fmt.Errorf("string of %d bytes", n)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", io.ErrUnexpectedEOF
	}
	return string(b), nil
}

// writeFile replaces a file atomically: the index's files describe each
// other, so a half-written one must never be read.
func writeFile(p string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(p), filepath.Base(p)+".tmp*")
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("search index: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("search index: %w", err)
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}
