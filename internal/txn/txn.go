// Package txn is sev's write transaction: it turns a change.Change into
// one git commit on the current branch and, when asked, pushes it,
// re-applying local changes on a remote that moved. It owns everything a
// write needs to be safe: sev's own lock, the journal that lets the next
// run finish a change a killed process left half-done, git lock files
// taken through claims that prove them sev's own, the repeated-command
// guard, the commit message that names only the ID of a restricted
// incident, and the push loop.
//
// A caller opens a Store on a repository and calls Commit, CommitFiles or
// Push; nothing else of git is needed (DESIGN.md, "Writes").
package txn

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/workers"
)

// Options are what a Store needs from its caller's process.
type Options struct {
	Ctx context.Context
	// Now is the clock for commit times and the repeated-command guard.
	Now func() time.Time
	// Getenv reads SEV_PUSH_TIMEOUT and SEV_CRASH_AT (the crash tests'
	// kill points).
	Getenv func(string) string
	// Stderr receives notices: an interrupted change being finished,
	// uncommitted edits swept into a commit, a declaration renamed on
	// re-apply.
	Stderr io.Writer
	// Debugf receives what --debug shows; nil discards it.
	Debugf func(format string, args ...any)
	// Committer signs commits sev makes on its own (changes re-applied on
	// a new remote tip); its time is set when they are made.
	Committer gitstore.Signature
}

// Store is a repository open for sev's writes.
type Store struct {
	git      *gitstore.Repo
	root     string
	fsys     fs.FS
	dir      string // .git/sev
	settings *config.Settings
	ctx      context.Context
	now      func() time.Time
	getenv   func(string) string
	stderr   io.Writer
	debugf   func(format string, args ...any)
	sign     gitstore.Signature
}

// Open returns a Store on repo, whose working tree is root.
func Open(repo *gitstore.Repo, s *config.Settings, o Options) *Store {
	st := &Store{git: repo, root: repo.Root, fsys: os.DirFS(repo.Root), dir: filepath.Join(repo.GitDir, "sev"),
		settings: s, ctx: o.Ctx, now: o.Now, getenv: o.Getenv, stderr: o.Stderr, debugf: o.Debugf, sign: o.Committer}
	if st.ctx == nil {
		st.ctx = context.Background()
	}
	if st.now == nil {
		st.now = time.Now
	}
	if st.getenv == nil {
		st.getenv = os.Getenv
	}
	if st.stderr == nil {
		st.stderr = io.Discard
	}
	if st.debugf == nil {
		st.debugf = func(string, ...any) {}
	}
	return st
}

// Commit is one change to record, or a batch of them recorded as one
// commit.
type Commit struct {
	Change *change.Change
	// Batch, instead of Change, is a bulk edit: changes to different
	// incidents, applied together as one commit (or not at all) whose
	// message names the incidents by ID only (change.BatchMessage).
	Batch []*change.Change
	// Author made the change; Committer recorded it.
	Author, Committer gitstore.Signature
	// Restricted says the incident is restricted as the caller read it
	// (for a Batch: all of them are); the message names only the ID when
	// it is restricted before or after the change, whatever this says.
	Restricted bool
	// Fingerprint identifies the command for the repeated-command guard
	// and for finishing an interrupted run of the same command; empty
	// means no guard.
	Fingerprint string
	// Again records the change even if the same command was recorded in
	// the last ten minutes.
	Again bool
	// Push pushes the commit at once.
	Push bool
}

// Commit applies c.Change (or c.Batch) to the repository as one commit and pushes it
// when asked. SIGINT or SIGTERM while the change is committed locally
// waits for the commit to finish (a few milliseconds); kill -9 is healed
// by the next run from the journal. It prints nothing but notices; the
// caller reports what happened.
func (s *Store) Commit(c Commit) (gitstore.Hash, error) {
	if (c.Change == nil) == (len(c.Batch) == 0) {
		return gitstore.ZeroHash, errors.New("a commit needs a change or a batch of them")
	}
	interrupted := holdSignals()
	defer interrupted()
	unlock, err := s.lock()
	if err != nil {
		return gitstore.ZeroHash, err
	}
	defer unlock()
	finished, err := s.recover()
	if err != nil {
		return gitstore.ZeroHash, err
	}
	if c.Fingerprint != "" && finished == c.Fingerprint {
		// The same command was interrupted and is now complete.
		_, head, err := s.git.Head()
		return head, err
	}
	if !c.Again && c.Fingerprint != "" {
		if d, ok := s.recentlyDone(c.Fingerprint); ok {
			what := d.Incident
			if d.Others > 0 {
				what = fmt.Sprintf("%s and %d other incident(s)", d.Incident, d.Others)
			}
			return gitstore.ZeroHash, fmt.Errorf("%s: this exact command was recorded at %s (entry %s); pass --again to record it a second time",
				what, d.At.Format(time.RFC3339), strings.Join(d.Entries, ", "))
		}
	}
	j := &journal{Fingerprint: c.Fingerprint, Change: c.Change, Batch: c.Batch, Restricted: c.Restricted, Author: c.Author, Committer: c.Committer}
	if err := s.saveJournal(j); err != nil {
		return gitstore.ZeroHash, err
	}
	s.crashpoint("journal")
	head, err := s.apply(j)
	var landed *landedError
	if errors.As(err, &landed) {
		return gitstore.ZeroHash, err // the journal stays for the next run
	}
	if err != nil {
		s.dropJournal()
		return gitstore.ZeroHash, err
	}
	s.finish(j)
	if sig := interrupted(); sig != nil {
		return head, fmt.Errorf("%v: stopped after committing %s locally; nothing was pushed", sig, Short(head))
	}
	if c.Push {
		if err := s.pushLoop(); err != nil {
			return head, fmt.Errorf("committed %s locally, but the push failed: %w\nrun \"sev push\" to try again", Short(head), err)
		}
	}
	return head, nil
}

// CommitFiles commits files as given, with no timeline entry (sev init's
// skeleton, postmortem edits), and writes them to the working tree and
// the index.
func (s *Store) CommitFiles(files map[string][]byte, author, committer gitstore.Signature, msg string) (gitstore.Hash, error) {
	return s.CommitComputed(func() (map[string][]byte, string, error) { return files, msg, nil }, author, committer)
}

// CommitComputed is CommitFiles for files that compute makes while sev's
// lock is held, from the repository as it is then: an import reads every
// incident, and a change another sev commits meanwhile must not be
// overwritten. When compute returns no files nothing is committed and
// the hash is zero.
func (s *Store) CommitComputed(compute func() (map[string][]byte, string, error), author, committer gitstore.Signature) (gitstore.Hash, error) {
	unlock, err := s.lock()
	if err != nil {
		return gitstore.ZeroHash, err
	}
	defer unlock()
	files, msg, err := compute()
	if err != nil || len(files) == 0 {
		return gitstore.ZeroHash, err
	}
	branch, head, err := s.git.Head()
	if err != nil {
		return gitstore.ZeroHash, err
	}
	newHead, blobs, err := s.commitFiles(head, files, author, committer, msg)
	if err != nil {
		return gitstore.ZeroHash, err
	}
	if err := gitstore.WriteFiles(s.root, files); err != nil {
		return gitstore.ZeroHash, err
	}
	if err := s.git.UpdateRef(branch, head, newHead, committer, "sev: "+firstLine(msg), s.locker()); err != nil {
		return gitstore.ZeroHash, err
	}
	return newHead, s.git.Stage(blobs, s.locker())
}

// Push pushes the current branch, re-applying local changes on the remote
// tip as needed, for up to two minutes (SEV_PUSH_TIMEOUT).
func (s *Store) Push() error {
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	return s.pushLoop()
}

// WriteFiles applies ch to the working tree only, with no commit (the
// --no-commit flag).
func WriteFiles(root string, fsys fs.FS, settings *config.Settings, ch *change.Change) error {
	files, err := ch.Apply(settings, readFS(fsys))
	if err != nil {
		return err
	}
	for _, p := range slices.Sorted(maps.Keys(files)) {
		if err := gitstore.WriteFile(root, p, files[p]); err != nil {
			return err
		}
	}
	return nil
}

// WriteBatch applies a bulk edit's changes to the working tree only, with
// no commit (the --no-commit flag).
func WriteBatch(root string, fsys fs.FS, settings *config.Settings, changes []*change.Change) error {
	files, err := change.ApplyAll(changes, settings, readFS(fsys))
	if err != nil {
		return err
	}
	return writeAll(root, files)
}

// writers is how many files writeAll writes at once: each write waits
// for its fsync, and a bulk edit writes thousands, so the waits overlap.
const writers = 16

// writeAll writes files into the working tree at root, each atomically
// (gitstore.WriteFile), several at a time.
func writeAll(root string, files map[string][]byte) error {
	paths := slices.Sorted(maps.Keys(files))
	return workers.EachIO(writers, len(paths), func(i int) error { return gitstore.WriteFile(root, paths[i], files[paths[i]]) })
}

// Short is the 7-character abbreviation of a commit id.
func Short(h gitstore.Hash) string { return h.String()[:7] }

// readFS reads a file of a working tree for change.Apply.
func readFS(fsys fs.FS) change.ReadFunc {
	return func(p string) ([]byte, bool, error) {
		b, err := fs.ReadFile(fsys, p)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, false, nil
		}
		return b, err == nil, err
	}
}

func (s *Store) readWorktree(p string) ([]byte, bool, error) { return readFS(s.fsys)(p) }

// crashpoint kills the process at a named point when SEV_CRASH_AT names
// it, the way kill -9 would, with no cleanup. The crash tests use it to
// prove a kill at any point leaves a consistent repository; it does
// nothing otherwise.
func (s *Store) crashpoint(name string) {
	if s.getenv("SEV_CRASH_AT") == name {
		kill9()
	}
}

// signatureNow signs a commit sev makes on its own.
func (s *Store) signatureNow() gitstore.Signature {
	sig := s.sign
	if sig.Name == "" {
		sig.Name = "sev"
	}
	if sig.Email == "" {
		sig.Email = "sev@sev.invalid"
	}
	sig.When = s.now()
	return sig
}
