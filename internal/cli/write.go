package cli

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/txn"
)

// writeFlags are the flags every command that changes an incident takes.
type writeFlags struct {
	at       string
	by       string
	noCommit bool
	push     bool
	again    bool
	// fingerprint, when set, identifies the change for the repeated-command
	// guard instead of the command line (ChatOps and intake: the event).
	fingerprint string
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

// store opens the write transaction on the workspace's repository.
func (a *app) store(ws *workspace) (*txn.Store, error) {
	repo, err := ws.Git(a.env)
	if err != nil {
		return nil, err
	}
	name, email := a.gitUser(ws)
	return txn.Open(repo, ws.Settings, txn.Options{Ctx: a.ctx, Now: a.now, Getenv: a.getenv, Stderr: a.stderr,
		Debugf: a.debugf, Committer: gitstore.Signature{Name: name, Email: email}}), nil
}

// commit applies ch to the repository as one commit (or only to the files
// with --no-commit) and pushes it when asked (txn.Store.Commit). It prints
// nothing; the caller reports what happened.
func (a *app) commit(ws *workspace, ch *change.Change, id identity, f writeFlags, restricted bool) (gitstore.Hash, error) {
	if f.noCommit {
		return gitstore.ZeroHash, txn.WriteFiles(ws.Root, ws.FS, ws.Settings, ch)
	}
	st, err := a.store(ws)
	if err != nil {
		return gitstore.ZeroHash, err
	}
	return st.Commit(txn.Commit{Change: ch, Author: id.Author, Committer: id.Committer, Restricted: restricted,
		Fingerprint: cmp.Or(f.fingerprint, a.fingerprint(id.Handle)), Again: f.again, Push: f.push || ws.Settings.Push == "auto"})
}

// commitPlain commits files as given, with no timeline entry.
func (a *app) commitPlain(ws *workspace, files map[string][]byte, me identity, msg string) (gitstore.Hash, error) {
	st, err := a.store(ws)
	if err != nil {
		return gitstore.ZeroHash, err
	}
	return st.CommitFiles(files, me.Author, me.Committer, msg)
}

// pushNow pushes the current branch, re-applying local changes as needed.
func (a *app) pushNow(ws *workspace) error {
	st, err := a.store(ws)
	if err != nil {
		return err
	}
	return st.Push()
}
