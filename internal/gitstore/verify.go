package gitstore

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrDamaged means the object store holds an object or pack whose bytes
// do not match its name or checksum, or misses an object the current
// commit needs.
var ErrDamaged = errors.New("the git object store is damaged")

// verifiedFile records what Verify last found intact.
const verifiedFile = "objects.verified"

// storeState is the object store as Verify saw it: the commit it checked
// and the size and modification time of every pack and loose object.
type storeState struct {
	Head  string              `json:"head"`
	Packs map[string][2]int64 `json:"packs"`
	Loose map[string][2]int64 `json:"loose"`
}

// Verify checks that the object store is intact: every pack's checksum,
// every loose object's content against its name, and that every object
// the current commit reaches is present and readable. What it found intact
// is remembered in .git/sev/objects.verified by size and modification
// time, so an unchanged store costs a directory scan, and after a commit
// only the new objects are read: a new loose object is hashed, a new pack
// checksummed, and `git rev-list --objects` walks the commits since the
// last one checked. A damaged store gives an error that wraps ErrDamaged
// and names the object or pack. With again, everything is checked as if
// for the first time (a byte changed in place with the old size and time
// is found only so).
func (r *Repo) Verify(ctx context.Context, again bool) error {
	_, head, err := r.Head()
	if err != nil || head.IsZero() {
		return nil // detached or empty: nothing sev writes to yet
	}
	if format, _, _ := r.git(ctx, nil, "config", "--get", "extensions.objectformat"); strings.TrimSpace(format) == "sha256" {
		return nil // sev's git library reads SHA-1 repositories only
	}
	objects := filepath.Join(r.CommonDir, "objects")
	now, err := scanStore(objects)
	if err != nil {
		return fmt.Errorf("check the git objects: %w", err)
	}
	now.Head = head.String()
	file := filepath.Join(r.CommonDir, "sev", verifiedFile)
	var old storeState
	if b, err := os.ReadFile(file); err == nil && !again {
		_ = json.Unmarshal(b, &old) // unreadable: check everything
	}
	removed := false
	for name, st := range now.Packs {
		if old.Packs[name] != st {
			if err := verifyPack(filepath.Join(objects, "pack", name)); err != nil {
				return err
			}
		}
	}
	for name := range old.Packs {
		if _, ok := now.Packs[name]; !ok {
			removed = true
		}
	}
	for name, st := range now.Loose {
		if old.Loose[name] != st {
			if err := verifyLoose(objects, name); err != nil {
				return err
			}
		}
	}
	for name := range old.Loose {
		if _, ok := now.Loose[name]; !ok {
			removed = true
		}
	}
	if now.Head != old.Head || removed || len(now.Packs) != len(old.Packs) || len(now.Loose) != len(old.Loose) {
		missing := "--missing=print"
		if pc, _, _ := r.git(ctx, nil, "config", "--get-regexp", `^(extensions\.partialclone|remote\..*\.promisor)$`); strings.TrimSpace(pc) != "" {
			missing = "--missing=allow-promisor" // a partial clone fetches what it lacks on demand
		}
		args := []string{"rev-list", "--objects", missing, now.Head}
		if old.Head != "" && !removed && old.Head != now.Head {
			// objects reachable from the commit checked last were present
			// then, and none has gone since
			if _, _, err := r.git(ctx, nil, "cat-file", "-e", old.Head+"^{commit}"); err == nil {
				args = append(args, "--not", old.Head)
			}
		}
		out, stderr, err := r.git(ctx, nil, args...)
		if err != nil {
			return fmt.Errorf("%w: git %s: %s; run \"git fsck --full\" to see every damaged object and copy them back from another clone",
				ErrDamaged, strings.Join(args, " "), firstLine(stderr, err))
		}
		for line := range strings.Lines(out) {
			if id, ok := strings.CutPrefix(line, "?"); ok {
				return fmt.Errorf("%w: object %s, which commit %s needs, is missing; copy it back from another clone (git fsck --full lists every missing object)",
					ErrDamaged, strings.TrimSpace(id), now.Head)
			}
		}
	}
	b, _ := json.Marshal(now)
	if err := WriteFile(filepath.Dir(file), filepath.Base(file), b); err != nil {
		return nil // a read-only .git still verifies; it only cannot remember
	}
	return nil
}

func firstLine(s string, err error) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return err.Error()
	}
	if i := strings.IndexByte(s, '\n'); i > 0 {
		s = s[:i]
	}
	return s
}

// scanStore lists the packs and loose objects with their size and time.
func scanStore(objects string) (storeState, error) {
	st := storeState{Packs: map[string][2]int64{}, Loose: map[string][2]int64{}}
	packs, err := os.ReadDir(filepath.Join(objects, "pack"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return st, err
	}
	for _, e := range packs {
		if !strings.HasSuffix(e.Name(), ".pack") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed by a concurrent gc
		}
		st.Packs[e.Name()] = [2]int64{info.Size(), info.ModTime().UnixNano()}
	}
	for i := range 256 {
		dir := fmt.Sprintf("%02x", i)
		entries, err := os.ReadDir(filepath.Join(objects, dir))
		if err != nil {
			continue
		}
		for _, e := range entries {
			if len(e.Name()) != 38 || !isHex(e.Name()) {
				continue
			}
			info, err := e.Info()
			if err != nil {
				continue
			}
			st.Loose[dir+e.Name()] = [2]int64{info.Size(), info.ModTime().UnixNano()}
		}
	}
	return st, nil
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil
}

// verifyPack checks a pack's trailing checksum against its bytes, and its
// index's checksums against the pack and against the index's own bytes.
func verifyPack(path string) error {
	damaged := func(what string) error {
		return fmt.Errorf("%w: pack %s: %s; run \"git fsck --full\" to see the damaged objects and copy them back from another clone",
			ErrDamaged, filepath.Base(path), what)
	}
	trailer, err := checksummed(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil // removed by a concurrent gc, its objects repacked
	}
	if err != nil {
		return damaged(err.Error())
	}
	idx := strings.TrimSuffix(path, ".pack") + ".idx"
	if _, err := checksummed(idx); err != nil {
		return damaged("index " + filepath.Base(idx) + ": " + err.Error())
	}
	b, err := os.ReadFile(idx)
	if err != nil || len(b) < 40 || !bytes.Equal(b[len(b)-40:len(b)-20], trailer) {
		return damaged("its index " + filepath.Base(idx) + " describes another pack")
	}
	return nil
}

// checksummed reads a file whose last 20 bytes are the SHA-1 of the rest
// and returns them, or an error when they do not match.
func checksummed(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.Size() < 20 {
		return nil, errors.New("it is truncated")
	}
	h := sha1.New()
	if _, err := io.Copy(h, io.LimitReader(f, info.Size()-20)); err != nil {
		return nil, err
	}
	trailer := make([]byte, 20)
	if _, err := io.ReadFull(f, trailer); err != nil {
		return nil, err
	}
	if !bytes.Equal(h.Sum(nil), trailer) {
		return nil, errors.New("its checksum does not match its content")
	}
	return trailer, nil
}

// verifyLoose inflates a loose object and checks that its header and
// content hash to its name.
func verifyLoose(objects, id string) error {
	path := filepath.Join(objects, id[:2], id[2:])
	damaged := func(what string) error {
		return fmt.Errorf("%w: object %s (%s): %s; copy it back from another clone (git fsck --full lists every damaged object)",
			ErrDamaged, id, path, what)
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil // packed by a concurrent gc
	}
	if err != nil {
		return damaged(err.Error())
	}
	defer f.Close()
	z, err := zlib.NewReader(bufio.NewReader(f))
	if err != nil {
		return damaged(err.Error())
	}
	br := bufio.NewReader(z)
	header, err := br.ReadString(0)
	if err != nil {
		return damaged("no object header: " + err.Error())
	}
	kind, size, ok := strings.Cut(strings.TrimSuffix(header, "\x00"), " ")
	n, err := strconv.ParseInt(size, 10, 64)
	if !ok || err != nil || n < 0 || (kind != "blob" && kind != "tree" && kind != "commit" && kind != "tag") {
		return damaged(fmt.Sprintf("bad object header %q", header))
	}
	h := sha1.New()
	h.Write([]byte(header))
	got, err := io.Copy(h, br)
	if err != nil {
		return damaged(err.Error())
	}
	if got != n {
		return damaged(fmt.Sprintf("it holds %d bytes where its header says %d", got, n))
	}
	if hex.EncodeToString(h.Sum(nil)) != id {
		return damaged("its content does not hash to its name")
	}
	return nil
}
