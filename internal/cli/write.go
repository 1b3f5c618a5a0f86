package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
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
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/timeline"
)

// writeFlags are the flags every command that changes an incident takes.
type writeFlags struct {
	at       string
	by       string
	noCommit bool
	push     bool
	again    bool
}

func (w *writeFlags) register(c interface {
	BoolVar(*bool, string, bool, string)
	StringVar(*string, string, string, string)
}) {
	w.registerCommit(c)
	c.BoolVar(&w.again, "again", false, "record the change even if the same command was just recorded")
}

// registerCommit adds the flags about who commits and whether to push,
// for commands without the repeated-command guard (postmortem edits).
func (w *writeFlags) registerCommit(c interface {
	BoolVar(*bool, string, bool, string)
	StringVar(*string, string, string, string)
}) {
	c.StringVar(&w.by, "by", "", "who is making the change (default: $SEV_USER, then git's user.name/email)")
	c.BoolVar(&w.noCommit, "no-commit", false, "only write the files; do not commit")
	c.BoolVar(&w.push, "push", false, "push the commit at once (also: push: auto in sev.yaml)")
}

// registerAt adds --at, for commands that record something that happened.
func (w *writeFlags) registerAt(c interface {
	StringVar(*string, string, string, string)
}) {
	c.StringVar(&w.at, "at", "", "when it happened (RFC 3339 with an offset), if not now; recorded as back-dated")
}

// journal is the crash record of a change being committed, kept under
// .git/sev/ while the commit is under way. The next write finishes or
// discards it, so a kill at any point leaves no half-done state behind.
type journal struct {
	Fingerprint string         `json:"fingerprint"`
	Change      *change.Change `json:"change"`
	Locks       []string       `json:"locks,omitempty"`
	Restricted  bool           `json:"restricted"`
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
}

const repeatWindow = 10 * time.Minute

type writer struct {
	a     *app
	ws    *workspace
	repo  *gitstore.Repo
	dir   string // .git/sev
	id    identity
	flags writeFlags
}

// fingerprint identifies a command by its arguments and author.
func (a *app) fingerprint(handle string) string {
	h := sha256.New()
	for _, s := range a.args {
		if s == "--again" || s == "--push" {
			continue
		}
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	h.Write([]byte(handle))
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// commit applies ch to the repository as one commit (or only to the files
// with --no-commit) and pushes it when asked. It prints nothing; the
// caller reports what happened.
func (a *app) commit(ws *workspace, ch *change.Change, id identity, f writeFlags, restricted bool) (plumbing.Hash, error) {
	if f.noCommit {
		files, err := ch.Apply(ws.settings, ws.readWorktree)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		for _, p := range sortedKeys(files) {
			if err := gitstore.WriteFile(ws.root, p, files[p]); err != nil {
				return plumbing.ZeroHash, err
			}
		}
		return plumbing.ZeroHash, nil
	}
	repo, err := ws.gitRepo(a.env)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	w := &writer{a: a, ws: ws, repo: repo, dir: filepath.Join(repo.GitDir, "sev"), id: id, flags: f}
	// Ctrl-C or SIGTERM while the change is committed locally waits for
	// the commit to finish (a few milliseconds); kill -9 is healed by the
	// next run from the journal.
	interrupted := holdSignals()
	defer interrupted()
	unlock, err := w.lock()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	defer unlock()
	fp := a.fingerprint(id.handle)
	finished, err := w.recover()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if finished == fp {
		// The same command was interrupted and is now complete.
		_, head, err := repo.Head()
		return head, err
	}
	if !f.again {
		if d, ok := w.recentlyDone(fp); ok {
			return plumbing.ZeroHash, fmt.Errorf("%s: this exact command was recorded at %s (entry %s); pass --again to record it a second time",
				d.Incident, d.At.Format(time.RFC3339), strings.Join(d.Entries, ", "))
		}
	}
	j := &journal{Fingerprint: fp, Change: ch, Restricted: restricted}
	if err := w.saveJournal(j); err != nil {
		return plumbing.ZeroHash, err
	}
	a.crashpoint("journal")
	head, err := w.apply(j)
	var landed *landedError
	if errors.As(err, &landed) {
		return plumbing.ZeroHash, err // the journal stays for the next run
	}
	if err != nil {
		w.dropJournal()
		return plumbing.ZeroHash, err
	}
	w.finish(j)
	if sig := interrupted(); sig != nil {
		return head, fmt.Errorf("%v: stopped after committing %s locally; nothing was pushed", sig, head.String()[:7])
	}
	if f.push || ws.settings.Push == "auto" {
		if err := w.pushLoop(); err != nil {
			return head, fmt.Errorf("committed %s locally, but the push failed: %w\nrun \"sev push\" to try again", head.String()[:7], err)
		}
	}
	return head, nil
}

// apply commits the journal's change on the current branch and brings the
// working tree and index up to date.
func (w *writer) apply(j *journal) (plumbing.Hash, error) {
	if what := w.repo.InProgress(); what != "" {
		return plumbing.ZeroHash, fmt.Errorf("%s is in progress in this repository; finish or abort it, then run the command again", what)
	}
	if j.Author.Name == "" && j.Author.Email == "" {
		j.Author, j.Committer = w.id.author, w.id.committer
	}
	for attempt := 0; attempt < 5; attempt++ {
		branch, head, err := w.repo.Head()
		if err != nil {
			return plumbing.ZeroHash, err
		}
		files, err := j.Change.Apply(w.ws.settings, w.ws.readWorktree)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		paths := sortedKeys(files)
		for _, p := range paths {
			if err := gitstore.CheckWritable(w.ws.root, p); err != nil {
				return plumbing.ZeroHash, err
			}
		}
		if attempt == 0 {
			w.noteSweptIn(head, j.Change)
		}
		// The subject names only the ID when the incident is restricted
		// before or after the change, whatever the caller thought.
		msg := w.messageOn(w.ws.readWorktree, j.Change, j.Change.Message(j.Restricted))
		msg = w.messageOn(readFrom(files), j.Change, msg)
		newHead, blobs, err := w.commitFiles(head, files, j.Author, msg)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		// The index is locked before the branch moves, so no other git
		// process can write an index that would revert this commit.
		il, err := w.repo.LockIndex(paths, w.locker())
		if err != nil {
			return plumbing.ZeroHash, err
		}
		err = w.repo.UpdateRef(branch, head, newHead, j.Committer, "sev: "+firstLine(msg), w.locker())
		if errors.Is(err, gitstore.ErrRefMoved) {
			il.Release()
			continue
		}
		if err != nil {
			il.Release()
			return plumbing.ZeroHash, err
		}
		if err := w.finishCheckout(il, files, blobs); err != nil {
			return plumbing.ZeroHash, &landedError{head: newHead, err: err}
		}
		return newHead, nil
	}
	return plumbing.ZeroHash, fmt.Errorf("the branch kept moving while committing; try again")
}

// finishCheckout writes the committed files into the working tree and the
// index, under the index lock taken before the branch moved.
func (w *writer) finishCheckout(il *gitstore.IndexLock, files map[string][]byte, blobs map[string]plumbing.Hash) error {
	defer il.Release()
	w.a.crashpoint("ref")
	for _, p := range sortedKeys(files) {
		if err := gitstore.WriteFile(w.ws.root, p, files[p]); err != nil {
			return err
		}
	}
	w.a.crashpoint("files")
	return il.Stage(blobs)
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
func (w *writer) commitFiles(head plumbing.Hash, files map[string][]byte, author gitstore.Signature, msg string) (plumbing.Hash, map[string]plumbing.Hash, error) {
	blobs := map[string]plumbing.Hash{}
	for p, data := range files {
		h, err := w.repo.WriteBlob(data)
		if err != nil {
			return plumbing.ZeroHash, nil, err
		}
		blobs[p] = h
	}
	var baseTree plumbing.Hash
	if !head.IsZero() {
		c, err := w.repo.Commit(head)
		if err != nil {
			return plumbing.ZeroHash, nil, err
		}
		baseTree = c.TreeHash
	}
	tree, err := w.repo.BuildTree(baseTree, blobs)
	if err != nil {
		return plumbing.ZeroHash, nil, err
	}
	committer := w.id.committer
	if committer.Name == "" && committer.Email == "" {
		committer = w.signatureNow()
	}
	committer.When = w.a.now()
	c, err := w.repo.WriteCommit(tree, head, author, committer, msg)
	return c, blobs, err
}

// locker takes git's lock files so that one a killed sev leaves behind is
// proven to be sev's own and removed by the next run (gitstore.Locker).
func (w *writer) locker() *gitstore.Locker {
	return &gitstore.Locker{Dir: filepath.Join(w.dir, "claims"), Held: func(p string) {
		w.a.crashpoint("locked:" + filepath.Base(p))
	}}
}

func (w *writer) lock() (func(), error) {
	if err := os.MkdirAll(w.dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(w.dir, "lock"), os.O_RDWR|os.O_CREATE, 0o644)
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
	removed, err := gitstore.Recover(filepath.Join(w.dir, "claims"))
	if err != nil {
		f.Close()
		return nil, err
	}
	for _, l := range removed {
		w.a.debugf("removed %s, left by an interrupted sev", l)
	}
	return func() { f.Close() }, nil
}

func (w *writer) saveJournal(j *journal) error {
	b, err := json.Marshal(j)
	if err != nil {
		return err
	}
	return gitstore.WriteFile(w.dir, "journal.json", b)
}

func (w *writer) dropJournal() { os.Remove(filepath.Join(w.dir, "journal.json")) }

// recover finishes a change that a killed sev left half-done: it removes
// the git locks it held, and either completes the working tree and index
// of a commit that landed or re-runs the change that did not. It returns
// the fingerprint of the command it finished, if any.
func (w *writer) recover() (string, error) {
	b, err := os.ReadFile(filepath.Join(w.dir, "journal.json"))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	var j journal
	if err := json.Unmarshal(b, &j); err != nil || j.Change == nil {
		w.dropJournal()
		return "", nil
	}
	for _, l := range j.Locks {
		os.Remove(l)
	}
	// temporary files of an atomic write that was cut short
	for _, dir := range []string{filepath.Join(w.ws.root, filepath.FromSlash(layout.Dir(j.Change.Incident))), w.dir} {
		tmps, _ := filepath.Glob(filepath.Join(dir, "*", ".sev-tmp-*"))
		more, _ := filepath.Glob(filepath.Join(dir, ".sev-tmp-*"))
		for _, t := range append(tmps, more...) {
			os.Remove(t)
		}
	}
	j.Locks = nil
	fmt.Fprintf(w.a.stderr, "sev: finishing an interrupted change to %s\n", j.Change.Incident)
	landed, err := w.landed(j.Change)
	if err != nil {
		return "", err
	}
	if landed {
		err = w.syncLanded(&j)
	} else {
		_, err = w.apply(&j)
	}
	if err != nil && !errors.Is(err, change.ErrNothing) {
		return "", fmt.Errorf("finish the interrupted change to %s: %w", j.Change.Incident, err)
	}
	w.finish(&j)
	return j.Fingerprint, nil
}

// landed reports whether every entry of the change is in HEAD's timeline.
func (w *writer) landed(ch *change.Change) (bool, error) {
	_, head, err := w.repo.Head()
	if err != nil {
		return false, err
	}
	tree, err := w.repo.Tree(head)
	if err != nil {
		return false, err
	}
	data, _, err := w.repo.ReadFile(tree, layout.Timeline(ch.Incident))
	if err != nil {
		return false, err
	}
	entries, _, _ := timeline.Parse(layout.Timeline(ch.Incident), data)
	for _, e := range ch.Entries {
		if !timeline.Has(entries, e.ID) {
			return false, nil
		}
	}
	return true, nil
}

// syncLanded brings the working tree and index up to a commit that landed
// before the process died. Applying the change to the working tree again
// must give exactly the committed files (it does whether or not the files
// were written yet, and with any edits the commit swept in); anything else
// is someone's newer work and is left alone.
func (w *writer) syncLanded(j *journal) error {
	_, head, err := w.repo.Head()
	if err != nil {
		return err
	}
	tree, err := w.repo.Tree(head)
	if err != nil {
		return err
	}
	files, err := j.Change.Apply(w.ws.settings, w.ws.readWorktree)
	if errors.Is(err, change.ErrNothing) {
		files, err = map[string][]byte{}, nil
		for _, p := range append([]string{layout.Record(j.Change.Incident), layout.Timeline(j.Change.Incident)}, sortedKeys(j.Change.Files)...) {
			if data, ok, rerr := w.ws.readWorktree(p); rerr == nil && ok {
				files[p] = data
			}
		}
	}
	if err != nil {
		return err
	}
	blobs := map[string]plumbing.Hash{}
	for _, p := range sortedKeys(files) {
		committed, ok, err := w.repo.ReadFile(tree, p)
		if err != nil {
			return err
		}
		if !ok || string(committed) != string(files[p]) {
			return fmt.Errorf("%s in the working tree does not match the commit %s; compare them (git diff %s) and commit or discard the difference", p, head.String()[:7], p)
		}
		blobs[p] = gitstore.HashBlob(committed)
	}
	il, err := w.repo.LockIndex(sortedKeys(files), w.locker())
	if err != nil {
		return err
	}
	return w.finishCheckout(il, files, blobs)
}

// finish drops the journal and remembers the command as done.
func (w *writer) finish(j *journal) {
	var ids []string
	for _, e := range j.Change.Entries {
		ids = append(ids, e.ID)
	}
	done := w.loadDone()
	done = append(done, doneRecord{Fingerprint: j.Fingerprint, At: w.a.now(), Incident: j.Change.Incident, Entries: ids})
	if len(done) > 50 {
		done = done[len(done)-50:]
	}
	if b, err := json.Marshal(done); err == nil {
		gitstore.WriteFile(w.dir, "done.json", b)
	}
	w.dropJournal()
}

func (w *writer) loadDone() []doneRecord {
	var done []doneRecord
	if b, err := os.ReadFile(filepath.Join(w.dir, "done.json")); err == nil {
		json.Unmarshal(b, &done)
	}
	return done
}

func (w *writer) recentlyDone(fp string) (doneRecord, bool) {
	now := w.a.now()
	for _, d := range slices.Backward(w.loadDone()) {
		if d.Fingerprint == fp && now.Sub(d.At) < repeatWindow && now.Sub(d.At) >= -time.Minute && w.stillThere(d) {
			return d, true
		}
	}
	return doneRecord{}, false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
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

// commitPlain commits files as given, with no timeline entry: used by
// `sev init` for the repository skeleton.
func (a *app) commitPlain(ws *workspace, files map[string][]byte, me identity, msg string) (plumbing.Hash, error) {
	repo, err := ws.gitRepo(a.env)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	w := &writer{a: a, ws: ws, repo: repo, dir: filepath.Join(repo.GitDir, "sev"), id: me}
	unlock, err := w.lock()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	defer unlock()
	branch, head, err := repo.Head()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	newHead, blobs, err := w.commitFiles(head, files, me.author, msg)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	for _, p := range sortedKeys(files) {
		if err := gitstore.WriteFile(ws.root, p, files[p]); err != nil {
			return plumbing.ZeroHash, err
		}
	}
	if err := repo.UpdateRef(branch, head, newHead, me.committer, "sev: "+firstLine(msg), w.locker()); err != nil {
		return plumbing.ZeroHash, err
	}
	return newHead, repo.Stage(blobs, w.locker())
}

// crashpoint kills the process at a named point when SEV_CRASH_AT names
// it, the way kill -9 would, with no cleanup. The crash tests use it to
// prove a kill at any point leaves a consistent repository; it does
// nothing otherwise.
func (a *app) crashpoint(name string) {
	if a.getenv("SEV_CRASH_AT") == name {
		kill9()
	}
}

// stillThere reports whether the entries of a remembered command are still
// in the incident's timeline (they are not if the commit was undone).
func (w *writer) stillThere(d doneRecord) bool {
	data, ok, err := w.ws.readWorktree(layout.Timeline(d.Incident))
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

// noteSweptIn tells the user when the incident's files had uncommitted
// edits of their own: the commit includes them (nothing is lost), and
// they should know.
func (w *writer) noteSweptIn(head plumbing.Hash, ch *change.Change) {
	tree, err := w.repo.Tree(head)
	if err != nil {
		return
	}
	for _, p := range []string{layout.Record(ch.Incident), layout.Timeline(ch.Incident)} {
		mine, ok, err := w.ws.readWorktree(p)
		if err != nil || !ok {
			continue
		}
		committed, ok, err := w.repo.ReadFile(tree, p)
		if err == nil && (!ok || string(committed) != string(mine)) && ch.Create == nil {
			fmt.Fprintf(w.a.stderr, "sev: %s had uncommitted changes; they are part of this commit\n", p)
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
