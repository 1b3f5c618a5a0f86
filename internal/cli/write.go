package cli

import (
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

// write is how the flags ask for a change to be recorded.
func (w writeFlags) write() wsp.Write {
	return wsp.Write{NoCommit: w.noCommit, Push: w.push, Again: w.again, Fingerprint: w.fingerprint}
}
