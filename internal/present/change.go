package present

import (
	"fmt"
	"io"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/txn"
)

// Change prints what a change recorded on an incident, a line per
// timeline entry, and its commit (none when it was only written).
func Change(w io.Writer, ch *change.Change, head gitstore.Hash) {
	for _, e := range ch.Entries {
		fmt.Fprintf(w, "%s: %s\n", ch.Incident, timeline.Describe(e))
	}
	Committed(w, head)
}

// Declared prints what declaring an incident did: its ID, severity and
// status, who was paged, and the commit.
func Declared(w io.Writer, s *config.Settings, ch *change.Change, head gitstore.Hash) {
	rec := ch.Create
	fmt.Fprintf(w, "declared %s (%s, %s)\n", rec.ID, s.SeverityName(rec.Severity), rec.Status)
	for _, p := range ch.Entries {
		if p.Type == timeline.Page {
			fmt.Fprintf(w, "paged %s (on call in %s)\n", p.Person, p.Rotation)
		}
	}
	Committed(w, head)
}

// Committed names the commit a change made (nothing when it was only
// written).
func Committed(w io.Writer, head gitstore.Hash) {
	if !head.IsZero() {
		fmt.Fprintf(w, "committed %s\n", txn.Short(head))
	}
}

// Postmortem prints what a postmortem edit did: the parts kept because
// someone edited them (when the user asked for a refresh), and the file
// with what changed and its commit, or that it is up to date.
func Postmortem(out, errw io.Writer, pc *ops.PostmortemChange, head gitstore.Hash, pushed, refresh bool, remote string) {
	for _, name := range pc.Kept {
		if refresh {
			fmt.Fprintf(errw, "sev: kept your edits in the %q part of %s (delete its content to have it generated again)\n", name, pc.Path)
		}
	}
	switch {
	case pc.Unchanged:
		fmt.Fprintf(out, "%s is up to date\n", pc.Path)
	case head.IsZero():
		fmt.Fprintf(out, "%s: %s (not committed)\n", pc.Path, pc.What)
	default:
		fmt.Fprintf(out, "%s: %s [%s]\n", pc.Path, pc.What, txn.Short(head))
		if pushed {
			fmt.Fprintf(out, "pushed to %s\n", remote)
		}
	}
}
