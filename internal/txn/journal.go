package txn

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/timeline"
)

// journal is the crash record of a change being committed, kept under
// .git/sev/ while the commit is under way. The next write finishes or
// discards it, so a kill at any point leaves no half-done state behind.
type journal struct {
	Fingerprint string         `json:"fingerprint"`
	Change      *change.Change `json:"change,omitempty"`
	// Batch is a bulk edit's changes, committed together (Commit.Batch);
	// Change is nil then.
	Batch      []*change.Change `json:"batch,omitempty"`
	Locks      []string         `json:"locks,omitempty"`
	Restricted bool             `json:"restricted"`
	// Author and Committer are kept so that a change finished by a later
	// run is still signed by the person who made it.
	Author    gitstore.Signature `json:"author"`
	Committer gitstore.Signature `json:"committer"`
}

// doneRecord remembers recent completed commands so that running the same
// command again right after an interruption does not record it twice.
type doneRecord struct {
	Fingerprint string    `json:"fingerprint"`
	At          time.Time `json:"at"`
	Incident    string    `json:"incident"`
	Entries     []string  `json:"entries"`
	// Others counts the other incidents of a bulk edit; Incident and
	// Entries are its first.
	Others int `json:"others,omitempty"`
}

// changes are the journal's changes: its Change, or its Batch.
func (j *journal) changes() []*change.Change {
	if j.Change != nil {
		return []*change.Change{j.Change}
	}
	return j.Batch
}

// applyTo computes the files of the journal's change (or batch) on the
// version read gives.
func (j *journal) applyTo(s *config.Settings, read change.ReadFunc) (map[string][]byte, error) {
	if j.Change != nil {
		return j.Change.Apply(s, read)
	}
	return change.ApplyAll(j.Batch, s, read)
}

// what names what the journal changes in a notice: the incident, or how
// many.
func (j *journal) what() string {
	if j.Change != nil {
		return j.Change.Incident
	}
	return fmt.Sprintf("%d incidents", len(j.Batch))
}

const repeatWindow = 10 * time.Minute

// apply commits the journal's change on the current branch and brings the
// working tree and index up to date.
func (s *Store) apply(j *journal) (plumbing.Hash, error) {
	if what := s.git.InProgress(); what != "" {
		return plumbing.ZeroHash, fmt.Errorf("%s is in progress in this repository; finish or abort it, then run the command again", what)
	}
	for attempt := 0; attempt < 5; attempt++ {
		branch, head, err := s.git.Head()
		if err != nil {
			return plumbing.ZeroHash, err
		}
		start := time.Now()
		files, err := j.applyTo(s.settings, s.readWorktree)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		s.debugf("applied the change to %s in %v", j.what(), time.Since(start))
		paths := slices.Sorted(maps.Keys(files))
		for _, p := range paths {
			if err := gitstore.CheckWritable(s.root, p); err != nil {
				return plumbing.ZeroHash, err
			}
		}
		if attempt == 0 {
			s.noteSweptIn(head, j.changes())
		}
		msg := s.message(j, files)
		start = time.Now()
		newHead, blobs, err := s.commitFiles(head, files, j.Author, j.Committer, msg)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		s.debugf("wrote %d blobs, their trees and the commit in %v", len(blobs), time.Since(start))
		// The index is locked before the branch moves, so no other git
		// process can write an index that would revert this commit.
		il, err := s.git.LockIndex(paths, s.locker())
		if err != nil {
			return plumbing.ZeroHash, err
		}
		err = s.git.UpdateRef(branch, head, newHead, j.Committer, "sev: "+firstLine(msg), s.locker())
		if errors.Is(err, gitstore.ErrRefMoved) {
			il.Release()
			continue
		}
		if err != nil {
			il.Release()
			return plumbing.ZeroHash, err
		}
		if err := s.finishCheckout(il, files, blobs); err != nil {
			return plumbing.ZeroHash, &landedError{head: newHead, err: err}
		}
		return newHead, nil
	}
	return plumbing.ZeroHash, fmt.Errorf("the branch kept moving while committing; try again")
}

// finishCheckout writes the committed files into the working tree and the
// index, under the index lock taken before the branch moved.
func (s *Store) finishCheckout(il *gitstore.IndexLock, files map[string][]byte, blobs map[string]plumbing.Hash) error {
	defer il.Release()
	s.crashpoint("ref")
	start := time.Now()
	if err := writeAll(s.root, files); err != nil {
		return err
	}
	s.crashpoint("files")
	err := il.Stage(blobs)
	s.debugf("wrote %d files and the index in %v", len(files), time.Since(start))
	return err
}

// landedError is a failure after the commit landed on the branch: the
// journal stays, so the next sev run brings the working tree and index up
// to date.
type landedError struct {
	head plumbing.Hash
	err  error
}

func (e *landedError) Error() string {
	return fmt.Sprintf("committed %s, but updating the working tree or index failed: %v\nrun the command again to finish it", e.head.String()[:7], e.err)
}

func (e *landedError) Unwrap() error { return e.err }

// commitFiles writes the blobs, trees and commit for files on top of head.
func (s *Store) commitFiles(head plumbing.Hash, files map[string][]byte, author, committer gitstore.Signature, msg string) (plumbing.Hash, map[string]plumbing.Hash, error) {
	if len(files) < gitstore.BatchMin {
		return s.writeCommit(head, files, author, committer, msg)
	}
	// many files (an import): their objects go into one pack
	s.git.StartBatch()
	c, blobs, err := s.writeCommit(head, files, author, committer, msg)
	if err != nil {
		s.git.DropBatch()
		return c, blobs, err
	}
	return c, blobs, s.git.FlushBatch()
}

func (s *Store) writeCommit(head plumbing.Hash, files map[string][]byte, author, committer gitstore.Signature, msg string) (plumbing.Hash, map[string]plumbing.Hash, error) {
	blobs := map[string]plumbing.Hash{}
	for p, data := range files {
		h, err := s.git.WriteBlob(data)
		if err != nil {
			return plumbing.ZeroHash, nil, err
		}
		blobs[p] = h
	}
	var baseTree plumbing.Hash
	if !head.IsZero() {
		c, err := s.git.Commit(head)
		if err != nil {
			return plumbing.ZeroHash, nil, err
		}
		baseTree = c.TreeHash
	}
	tree, err := s.git.BuildTree(baseTree, blobs)
	if err != nil {
		return plumbing.ZeroHash, nil, err
	}
	if committer.Name == "" && committer.Email == "" {
		committer = s.signatureNow()
	}
	committer.When = s.now()
	c, err := s.git.WriteCommit(tree, head, author, committer, msg)
	return c, blobs, err
}

// locker takes git's lock files so that one a killed sev leaves behind is
// proven to be sev's own and removed by the next run (gitstore.Locker).
func (s *Store) locker() *gitstore.Locker {
	return &gitstore.Locker{Dir: filepath.Join(s.dir, "claims"), Held: func(p string) {
		s.crashpoint("locked:" + filepath.Base(p))
	}}
}

func (s *Store) lock() (func(), error) {
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(s.dir, "lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	// flock is released by the kernel when the process dies, so a killed
	// sev never leaves a stale lock.
	if err := flock(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("wait for another sev in this repository: %w", err)
	}
	// No other sev runs now: git locks that a killed one left are removed,
	// and only those (the claims prove them its own).
	removed, err := gitstore.Recover(filepath.Join(s.dir, "claims"))
	if err != nil {
		f.Close()
		return nil, err
	}
	for _, l := range removed {
		s.debugf("removed %s, left by an interrupted sev", l)
	}
	return func() { f.Close() }, nil
}

func (s *Store) saveJournal(j *journal) error {
	b, err := json.Marshal(j)
	if err != nil {
		return err
	}
	return gitstore.WriteFile(s.dir, "journal.json", b)
}

func (s *Store) dropJournal() { os.Remove(filepath.Join(s.dir, "journal.json")) }

// recover finishes a change that a killed sev left half-done: it removes
// the git locks it held, and either completes the working tree and index
// of a commit that landed or re-runs the change that did not. It returns
// the fingerprint of the command it finished, if any.
func (s *Store) recover() (string, error) {
	b, err := os.ReadFile(filepath.Join(s.dir, "journal.json"))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	var j journal
	if err := json.Unmarshal(b, &j); err != nil || len(j.changes()) == 0 {
		s.dropJournal()
		return "", nil
	}
	for _, l := range j.Locks {
		os.Remove(l)
	}
	// temporary files of an atomic write that was cut short
	dirs := []string{s.dir}
	for _, ch := range j.changes() {
		dirs = append(dirs, filepath.Join(s.root, filepath.FromSlash(layout.Dir(ch.Incident))))
	}
	for _, dir := range dirs {
		tmps, _ := filepath.Glob(filepath.Join(dir, "*", gitstore.TempPrefix+"*"))
		more, _ := filepath.Glob(filepath.Join(dir, gitstore.TempPrefix+"*"))
		for _, t := range append(tmps, more...) {
			os.Remove(t)
		}
	}
	j.Locks = nil
	fmt.Fprintf(s.stderr, "sev: finishing an interrupted change to %s\n", j.what())
	landed, err := s.landed(j.changes())
	if err != nil {
		return "", err
	}
	if landed {
		err = s.syncLanded(&j)
	} else {
		_, err = s.apply(&j)
	}
	if err != nil && !errors.Is(err, change.ErrNothing) {
		return "", fmt.Errorf("finish the interrupted change to %s: %w", j.what(), err)
	}
	s.finish(&j)
	return j.Fingerprint, nil
}

// landed reports whether every entry of the changes is in HEAD's
// timelines (a batch lands in one commit, so all or none).
func (s *Store) landed(changes []*change.Change) (bool, error) {
	_, head, err := s.git.Head()
	if err != nil {
		return false, err
	}
	tree, err := s.git.Tree(head)
	if err != nil {
		return false, err
	}
	for _, ch := range changes {
		data, _, err := s.git.ReadFile(tree, layout.Timeline(ch.Incident))
		if err != nil {
			return false, err
		}
		entries, _, _ := timeline.Parse(layout.Timeline(ch.Incident), data)
		for _, e := range ch.Entries {
			if !timeline.Has(entries, e.ID) {
				return false, nil
			}
		}
	}
	return true, nil
}

// syncLanded brings the working tree and index up to a commit that landed
// before the process died. Applying the change to the working tree again
// must give exactly the committed files (it does whether or not the files
// were written yet, and with any edits the commit swept in); anything else
// is someone's newer work and is left alone.
func (s *Store) syncLanded(j *journal) error {
	_, head, err := s.git.Head()
	if err != nil {
		return err
	}
	tree, err := s.git.Tree(head)
	if err != nil {
		return err
	}
	files := map[string][]byte{}
	for _, ch := range j.changes() {
		got, err := ch.Apply(s.settings, s.readWorktree)
		if errors.Is(err, change.ErrNothing) {
			got, err = map[string][]byte{}, nil
			for _, p := range append([]string{layout.Record(ch.Incident), layout.Timeline(ch.Incident)}, slices.Sorted(maps.Keys(ch.Files))...) {
				if data, ok, rerr := s.readWorktree(p); rerr == nil && ok {
					got[p] = data
				}
			}
		}
		if err != nil {
			return err
		}
		maps.Copy(files, got)
	}
	blobs := map[string]plumbing.Hash{}
	for _, p := range slices.Sorted(maps.Keys(files)) {
		committed, ok, err := s.git.ReadFile(tree, p)
		if err != nil {
			return err
		}
		if !ok || string(committed) != string(files[p]) {
			return fmt.Errorf("%s in the working tree does not match the commit %s; compare them (git diff %s) and commit or discard the difference", p, head.String()[:7], p)
		}
		blobs[p] = gitstore.HashBlob(committed)
	}
	il, err := s.git.LockIndex(slices.Sorted(maps.Keys(files)), s.locker())
	if err != nil {
		return err
	}
	return s.finishCheckout(il, files, blobs)
}

// finish drops the journal and remembers the command as done.
func (s *Store) finish(j *journal) {
	var ids []string
	changes := j.changes()
	for _, e := range changes[0].Entries {
		ids = append(ids, e.ID)
	}
	done := s.loadDone()
	done = append(done, doneRecord{Fingerprint: j.Fingerprint, At: s.now(), Incident: changes[0].Incident, Entries: ids, Others: len(changes) - 1})
	if len(done) > 50 {
		done = done[len(done)-50:]
	}
	if b, err := json.Marshal(done); err == nil {
		gitstore.WriteFile(s.dir, "done.json", b)
	}
	s.dropJournal()
}

func (s *Store) loadDone() []doneRecord {
	var done []doneRecord
	if b, err := os.ReadFile(filepath.Join(s.dir, "done.json")); err == nil {
		json.Unmarshal(b, &done)
	}
	return done
}

func (s *Store) recentlyDone(fp string) (doneRecord, bool) {
	now := s.now()
	for _, d := range slices.Backward(s.loadDone()) {
		if d.Fingerprint == fp && now.Sub(d.At) < repeatWindow && now.Sub(d.At) >= -time.Minute && s.stillThere(d) {
			return d, true
		}
	}
	return doneRecord{}, false
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// jitter returns a randomised exponential backoff for attempt n (from 1).
// jitter is the wait before attempt n+1 after a rejected push:
// exponential from 50 ms, capped at 800 ms, and random between half and
// one and a half of that, so writers that collided spread out. (Shorter
// waits for those who waited longest, for fairness, made the machine
// busier and everyone slower when measured at 50 writers.)
func jitter(n int) time.Duration {
	base := 50 * time.Millisecond << min(n, 4)
	return base/2 + time.Duration(rand.Int64N(int64(base)))
}

// stillThere reports whether the entries of a remembered command are still
// in the incident's timeline (they are not if the commit was undone).
func (s *Store) stillThere(d doneRecord) bool {
	data, ok, err := s.readWorktree(layout.Timeline(d.Incident))
	if err != nil || !ok {
		return false
	}
	entries, _, _ := timeline.Parse(layout.Timeline(d.Incident), data)
	for _, id := range d.Entries {
		if !timeline.Has(entries, id) {
			return false
		}
	}
	return true
}

// noteSweptIn tells the user when the incidents' files had uncommitted
// edits of their own: the commit includes them (nothing is lost), and
// they should know.
func (s *Store) noteSweptIn(head plumbing.Hash, changes []*change.Change) {
	tree, err := s.git.Tree(head)
	if err != nil {
		return
	}
	for _, ch := range changes {
		if ch.Create != nil {
			continue
		}
		for _, p := range []string{layout.Record(ch.Incident), layout.Timeline(ch.Incident)} {
			mine, ok, err := s.readWorktree(p)
			if err != nil || !ok {
				continue
			}
			committed, ok, err := s.git.ReadFile(tree, p)
			if err == nil && (!ok || string(committed) != string(mine)) {
				fmt.Fprintf(s.stderr, "sev: %s had uncommitted changes; they are part of this commit\n", p)
			}
		}
	}
}

// readFrom reads the files a change produced.
func readFrom(files map[string][]byte) change.ReadFunc {
	return func(p string) ([]byte, bool, error) {
		b, ok := files[p]
		return b, ok, nil
	}
}

// holdSignals defers SIGINT and SIGTERM until the returned function is
// called; it reports the signal that arrived meanwhile, if any. Called
// more than once, it reports nothing after the first call.
func holdSignals() func() os.Signal {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	stopped := false
	return func() os.Signal {
		if stopped {
			return nil
		}
		stopped = true
		signal.Stop(ch)
		select {
		case s := <-ch:
			return s
		default:
			return nil
		}
	}
}
