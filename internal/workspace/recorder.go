package workspace

import (
	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/txn"
)

// Recorder commits changes as me, each recorded even if an identical one
// was just recorded (automation.Recorder).
func (ws *Workspace) Recorder(me txn.Identity) Recorder { return Recorder{ws: ws, me: me} }

// Recorder is a workspace committing as one identity.
type Recorder struct {
	ws *Workspace
	me txn.Identity
}

// Record commits ch (change.ErrNothing when it is all there already).
func (r Recorder) Record(ch *change.Change, restricted bool) error {
	_, err := r.ws.Commit(ch, r.me, Write{Again: true}, restricted)
	return err
}
