package cli

import (
	"time"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/present"
)

// operation makes the change a command records on an existing incident
// (one of package ops's functions, with the command's options).
type operation func(env *ops.Env, inc *ops.Incident, by string, at time.Time) (*change.Change, error)

// change runs the shared steps of every command that changes an incident:
// resolve the incident, make the change, commit (workspace.Change), report.
func (a *app) change(query string, f writeFlags, op operation) error {
	at, err := ops.At(f.at)
	if err != nil {
		return err
	}
	ws, err := a.open()
	if err != nil {
		return err
	}
	a.warnSettings(ws)
	ch, head, err := ws.Change(query, f.by, f.write(), func(env *ops.Env, inc *ops.Incident, by string) (*change.Change, error) {
		return op(env, inc, by, at)
	})
	if err != nil {
		return err
	}
	present.Change(a.stdout, ch, head)
	return nil
}
