package gitstore

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Locker takes git's lock files (index.lock, refs/heads/main.lock) so that
// one left behind by a killed process can be proven to be sev's own and
// removed by the next run, and a lock of any other git process never is.
//
// It first creates a claim file of its own under Dir and, next to it, a
// note of the lock's path (written and synced before the lock can exist),
// and then hard-links the claim to the lock's name: link(2) fails when the
// name exists, exactly like the O_EXCL create git uses, and afterwards the
// lock and the claim are the same file. The claim is kept until the lock
// is gone (renamed into place or removed), so its inode cannot be reused
// meanwhile; a lock is sev's exactly when it is the same file as one of
// its claims (Recover).
//
// A nil Locker, or a file system without hard links, takes the lock with
// O_EXCL directly; such a lock is never removed by a later run.
type Locker struct {
	Dir string
	// Held, when set, is called once the lock is held (a crash test's
	// hook).
	Held func(lock string)
}

// claimNote is the suffix of the file that names a claim's lock.
const claimNote = ".target"

// heldLock is a lock file taken by a Locker.
type heldLock struct {
	f     *os.File
	claim string // "" when taken directly
}

// errLockHeld is the lock's name existing already: another process holds it.
var errLockHeld = errors.New("lock held")

// create takes lock, or fails with errLockHeld when it exists.
func (k *Locker) create(lock string) (*heldLock, error) {
	if k == nil || k.Dir == "" {
		return createDirect(lock)
	}
	if err := os.MkdirAll(k.Dir, 0o755); err != nil {
		return nil, err
	}
	var b [8]byte
	rand.Read(b[:])
	claim := filepath.Join(k.Dir, filepath.Base(lock)+"-"+hex.EncodeToString(b[:]))
	if err := WriteFile(k.Dir, filepath.Base(claim)+claimNote, []byte(lock)); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(claim, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		os.Remove(claim + claimNote)
		return nil, err
	}
	h := &heldLock{f: f, claim: claim}
	err = os.Link(claim, lock)
	switch {
	case err == nil:
		if k.Held != nil {
			k.Held(lock)
		}
		return h, nil
	case os.IsExist(err):
		f.Close()
		h.done()
		return nil, errLockHeld
	}
	// no hard links here (another file system, some network shares)
	f.Close()
	h.done()
	return createDirect(lock)
}

func createDirect(lock string) (*heldLock, error) {
	f, err := os.OpenFile(lock, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if os.IsExist(err) {
		return nil, errLockHeld
	}
	if err != nil {
		return nil, err
	}
	return &heldLock{f: f}, nil
}

// done forgets the claim once the lock file is gone (renamed or removed).
func (h *heldLock) done() {
	if h.claim != "" {
		os.Remove(h.claim)
		os.Remove(h.claim + claimNote)
		h.claim = ""
	}
}

// release closes and removes the lock without using it.
func (h *heldLock) release(lock string) {
	if h.f != nil {
		h.f.Close()
		h.f = nil
	}
	os.Remove(lock)
	h.done()
}

// Recover removes the git locks that a killed sev left behind, and only
// those: a lock that is the same file as one of the claims in dir. It must
// run while no other sev works in the repository (under sev's own lock).
// It returns the locks it removed.
func Recover(dir string) ([]string, error) {
	notes, _ := filepath.Glob(filepath.Join(dir, "*"+claimNote))
	var removed []string
	for _, n := range notes {
		claim := strings.TrimSuffix(n, claimNote)
		lock, err := os.ReadFile(n)
		if err == nil && len(lock) > 0 {
			ok, err := stale(string(lock), claim)
			if err != nil {
				return removed, err
			}
			if ok {
				removed = append(removed, string(lock))
			}
		}
		os.Remove(claim)
		os.Remove(n)
	}
	// claims whose note was never written were never linked
	claims, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, c := range claims {
		os.Remove(c)
	}
	return removed, nil
}

// stale removes lock if it is the same file as claim.
func stale(lock, claim string) (bool, error) {
	cfi, err := os.Lstat(claim)
	if err != nil {
		return false, nil // never linked, or already cleaned up
	}
	lfi, err := os.Lstat(lock)
	if err != nil {
		return false, nil // released, or renamed into place
	}
	if !os.SameFile(cfi, lfi) {
		return false, nil
	}
	if err := os.Remove(lock); err != nil {
		return false, fmt.Errorf("remove the stale %s: %w", lock, err)
	}
	return true, nil
}
