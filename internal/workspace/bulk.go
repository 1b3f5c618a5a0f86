package workspace

import (
	"cmp"
	"errors"
	"slices"
	"time"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/searchtext"
	"github.com/sev-dev/sev/internal/txn"
	"github.com/sev-dev/sev/internal/validate"
	"github.com/sev-dev/sev/internal/workers"
)

// Bulk is a bulk edit planned (sev tag --where ...): the incidents a
// query matched and, for each, the change it makes or why it makes none.
type Bulk struct {
	// Matches are newest first (by the date sev search sorts by).
	Matches []Match
	// Hidden counts the restricted incidents the query matched that were
	// left out, because restricted ones were not asked for.
	Hidden int
	// LeftOut are the findings of the incidents the validation gate
	// rejected: they were not looked at.
	LeftOut diag.List
	me      txn.Identity
}

// Match is one incident a bulk edit's query matched.
type Match struct {
	ID, Title  string
	Restricted bool
	// Change is what the edit records on the incident; nil when it
	// records nothing there.
	Change *change.Change
	// Skipped says why nothing is recorded because nothing would change
	// (the incident has the tag already); Refused why the change cannot
	// be made (it would put milestones out of order).
	Skipped string
	Refused error
}

// Changes are the changes the bulk edit records, in the order of its
// matches.
func (b *Bulk) Changes() []*change.Change {
	var out []*change.Change
	for _, m := range b.Matches {
		if m.Change != nil {
			out = append(out, m.Change)
		}
	}
	return out
}

// Where plans op on every incident that passes the validation gate and
// q's filters (restricted incidents only with restricted), as whoever by
// names (Whoami). q must have no words: a bulk edit selects by fields,
// exactly, never by relevance. An op that refuses the request itself
// (ops.InputError) stops the plan; one that finds nothing to do
// (ops.AlreadyError, or a change that leaves the record as it is) skips
// the incident; any other refusal, or a change that change.Apply would
// refuse on the working tree, is reported on the incident and leaves it
// out.
func (ws *Workspace) Where(q *searchtext.Query, restricted bool, by string, op func(env *ops.Env, inc *ops.Incident, by string) (*change.Change, error)) (*Bulk, error) {
	if q.HasText() {
		return nil, errors.New("a bulk edit selects by filters only")
	}
	me, err := ws.Whoami(by)
	if err != nil {
		return nil, err
	}
	b := &Bulk{me: me}
	picked := ws.matching(q, restricted, b)
	start, env := time.Now(), ws.Ops()
	for _, inc := range picked {
		m := Match{ID: inc.ID(), Title: inc.Record.Title, Restricted: inc.Record.Restricted()}
		cur := &ops.Incident{Record: inc.Record, Entries: inc.Entries}
		ch, err := op(env, cur, me.Handle)
		var already *ops.AlreadyError
		switch {
		case ops.IsInput(err):
			return nil, err
		case errors.As(err, &already):
			m.Skipped = already.Error()
		case err != nil:
			m.Refused = err
		case ops.Unchanged(ws.Settings, cur, ch):
			m.Skipped = "nothing would change"
		default:
			m.Change = ch
		}
		b.Matches = append(b.Matches, m)
	}
	ws.precheck(b)
	ws.proc.Debugf("planned the change on %d matching incidents in %v", len(b.Matches), time.Since(start))
	return b, nil
}

// matching reads every incident through the gate and returns those q's
// filters select, newest first, leaving restricted ones out unless
// restricted; b gets the gate's findings and how many were left out.
func (ws *Workspace) matching(q *searchtext.Query, restricted bool, b *Bulk) []*validate.Incident {
	start := time.Now()
	incs, diags := validate.LoadAll(ws.FS, ws.Settings)
	ws.proc.Debugf("read %d incidents through the validation gate in %v", len(incs), time.Since(start))
	b.LeftOut = diags
	var picked []*validate.Incident
	for _, inc := range incs {
		if !q.Match(doc(inc, q.HasFilter(searchtext.FieldPerson))) {
			continue
		}
		if inc.Record.Restricted() && !restricted {
			b.Hidden++
			continue
		}
		picked = append(picked, inc)
	}
	slices.SortStableFunc(picked, func(x, y *validate.Incident) int {
		return cmp.Or(incident.DateOf(y.Record).Compare(incident.DateOf(x.Record)), cmp.Compare(x.ID(), y.ID()))
	})
	return picked
}

// doc is an incident as the query language sees it; its postmortem (for
// person:) is read only when the query asks about people.
func doc(inc *validate.Incident, people bool) *searchtext.Doc {
	var pm *searchtext.Postmortem
	if people && inc.Postmortem != nil {
		pm = searchtext.ParsePostmortem(inc.Postmortem)
	}
	return searchtext.NewDoc(inc.Record, inc.Entries, pm)
}

// precheck applies each planned change to the working tree as the commit
// will (change.Prepare, whose result the commit reuses while the files are
// unchanged), on all cores, and turns one that would be refused into a
// refusal of its incident, so that one incident cannot stop the whole edit
// at commit time.
func (ws *Workspace) precheck(b *Bulk) {
	workers.Each(len(b.Matches), func(i int) {
		m := &b.Matches[i]
		if m.Change == nil {
			return
		}
		if _, err := m.Change.Prepare(ws.Settings, ws.ReadWorktree); err != nil {
			m.Change, m.Refused = nil, err
		}
	})
}

// CommitBulk records the bulk edit's changes as one commit (txn.Commit's
// Batch; a single change as any change is), or only writes them with
// w.NoCommit, and pushes as w or sev.yaml's push: auto asks.
func (ws *Workspace) CommitBulk(b *Bulk, w Write) (gitstore.Hash, error) {
	changes := b.Changes()
	switch {
	case len(changes) == 0:
		return gitstore.ZeroHash, change.ErrNothing
	case len(changes) == 1:
		m := b.Matches[slices.IndexFunc(b.Matches, func(m Match) bool { return m.Change != nil })]
		return ws.Commit(m.Change, b.me, w, m.Restricted)
	case w.NoCommit:
		return gitstore.ZeroHash, txn.WriteBatch(ws.Root, ws.FS, ws.Settings, changes)
	}
	st, err := ws.Store()
	if err != nil {
		return gitstore.ZeroHash, err
	}
	return st.Commit(txn.Commit{Batch: changes, Author: b.me.Author, Committer: b.me.Committer,
		Fingerprint: cmp.Or(w.Fingerprint, change.BatchFingerprint(changes, b.me.Handle)), Again: w.Again,
		Push: w.Push || ws.Settings.Push == "auto"})
}
