package present

import (
	"fmt"
	"io"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/txn"
)

// Change prints what a change recorded on an incident, a line per
// timeline entry, and its commit (none when it was only written).
func Change(w io.Writer, ch *change.Change, head gitstore.Hash) {
	for _, e := range ch.Entries {
		fmt.Fprintf(w, "%s: %s\n", ch.Incident, timeline.Describe(e))
	}
	committed(w, head)
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
	committed(w, head)
}

func committed(w io.Writer, head gitstore.Hash) {
	if !head.IsZero() {
		fmt.Fprintf(w, "committed %s\n", txn.Short(head))
	}
}
