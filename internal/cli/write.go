package cli

import (
	"maps"
	"slices"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/txn"
	wsp "github.com/sev-dev/sev/internal/workspace"
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

// commit applies ch to the repository as one commit (or only to the files
// with --no-commit) and pushes it when asked (txn.Store.Commit). It prints
// nothing; the caller reports what happened.
func (a *app) commit(ws *workspace, ch *change.Change, id txn.Identity, f writeFlags, restricted bool) (gitstore.Hash, error) {
	return ws.Commit(ch, id, wsp.Write{NoCommit: f.noCommit, Push: f.push, Again: f.again, Fingerprint: f.fingerprint}, restricted)
}

// commitFiles writes files as one commit (sev init, postmortem edits),
// or only to the working tree with --no-commit, and pushes when asked.
func (a *app) commitFiles(ws *workspace, files map[string][]byte, f writeFlags, msg string) error {
	if f.noCommit {
		for _, p := range slices.Sorted(maps.Keys(files)) {
			if err := gitstore.WriteFile(ws.Root, p, files[p]); err != nil {
				return err
			}
		}
		return nil
	}
	me, err := ws.Whoami(f.by)
	if err != nil {
		return err
	}
	if _, err := ws.CommitFiles(files, me, msg); err != nil {
		return err
	}
	if f.push {
		return ws.Push()
	}
	return nil
}
