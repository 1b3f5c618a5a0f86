package present

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/workspace"
)

// Bulk prints the incidents a bulk edit matched, a line each: the ID, the
// title and what the edit records there, or why it records nothing
// ("skipped: ...", "refused: ..."). The full reason of a refusal goes to
// errw.
func Bulk(w, errw io.Writer, b *workspace.Bulk) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTITLE\tCHANGE")
	for _, m := range b.Matches {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", m.ID, firstLine(m.Title), bulkWhat(m))
	}
	tw.Flush()
	for _, m := range b.Matches {
		if m.Refused != nil && strings.Contains(m.Refused.Error(), "\n") {
			fmt.Fprintf(errw, "sev: %s: %v\n", m.ID, m.Refused)
		}
	}
}

// bulkWhat is what a bulk edit does to one incident, on one line.
func bulkWhat(m workspace.Match) string {
	switch {
	case m.Change != nil:
		var parts []string
		for _, e := range m.Change.Entries {
			parts = append(parts, firstLine(timeline.Describe(e)))
		}
		return strings.Join(parts, "; ")
	case m.Refused != nil:
		return "refused: " + strings.TrimPrefix(firstLine(m.Refused.Error()), m.ID+" ")
	}
	return "skipped: " + strings.TrimPrefix(m.Skipped, m.ID+" ")
}

// Outcome is what became of a bulk edit.
type Outcome int

// What became of a bulk edit: listed only (--dry-run), written to the
// working tree (--no-commit), committed.
const (
	DryRun Outcome = iota
	Written
	Recorded
)

// BulkSummary says what a bulk edit did (or, on a dry run, would do): on
// how many incidents, and how many were skipped or refused.
func BulkSummary(w io.Writer, b *workspace.Bulk, how Outcome) {
	n, skipped, refused := 0, 0, 0
	for _, m := range b.Matches {
		switch {
		case m.Change != nil:
			n++
		case m.Refused != nil:
			refused++
		default:
			skipped++
		}
	}
	var rest []string
	if skipped > 0 {
		rest = append(rest, fmt.Sprintf("%d skipped", skipped))
	}
	if refused > 0 {
		rest = append(rest, fmt.Sprintf("%d refused", refused))
	}
	also := ""
	if len(rest) > 0 {
		also = " (" + strings.Join(rest, ", ") + ")"
	}
	switch {
	case n == 0:
		fmt.Fprintf(w, "nothing to record: %d incident(s) matched, %s\n", len(b.Matches), strings.Join(rest, ", "))
	case how == DryRun:
		fmt.Fprintf(w, "dry run: would record on %d incident(s) in one commit%s; nothing was written\n", n, also)
	case how == Written:
		fmt.Fprintf(w, "written to %d incident(s)%s; not committed\n", n, also)
	default:
		fmt.Fprintf(w, "recorded on %d incident(s) in one commit%s\n", n, also)
	}
}

// firstLine is the first line of s, marked "…" when there is more.
func firstLine(s string) string {
	if l, _, more := strings.Cut(s, "\n"); more {
		return l + " …"
	}
	return s
}
