package cli

import (
	"time"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/present"
	"github.com/sev-dev/sev/internal/txn"
)

// operation makes the change a command records on an existing incident
// (one of package ops's functions, with the command's options).
type operation func(env *ops.Env, inc *ops.Incident, by string, at time.Time) (*change.Change, error)

// openIncident opens the workspace (warning about a broken sev.yaml) and
// the incident the query names, with who is making the change.
func (a *app) openIncident(query, by string) (*workspace, *ops.Incident, txn.Identity, error) {
	ws, err := a.open()
	if err != nil {
		return nil, nil, txn.Identity{}, err
	}
	a.warnSettings(ws)
	inc, me, err := ws.Target(query, by)
	return ws, inc, me, err
}

// change runs the shared steps of every command that changes an incident:
// resolve the incident, make the change, commit, report.
func (a *app) change(query string, f writeFlags, op operation) error {
	at, err := ops.At(f.at)
	if err != nil {
		return err
	}
	ws, l, me, err := a.openIncident(query, f.by)
	if err != nil {
		return err
	}
	ch, err := op(ws.Ops(), &ops.Incident{Record: l.Record, Entries: l.Entries}, me.Handle, at)
	if err != nil {
		return err
	}
	head, err := ws.Commit(ch, me, f.write(), l.Record.Restricted())
	if err != nil {
		return err
	}
	present.Change(a.stdout, ch, head)
	return nil
}
