package present

import (
	"fmt"
	"io"

	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/importer"
)

// Import reports an import: the problems in the data (on errw), and what
// was created, updated and already up to date; a dry run lists each
// incident it would write.
func Import(w, errw io.Writer, system string, records int, res *importer.Result, head gitstore.Hash, pushed, dry bool) {
	for _, p := range res.Problems {
		fmt.Fprintf(errw, "%s\n", p)
	}
	if len(res.Problems) > 0 {
		fmt.Fprintf(errw, "%d problem(s) in the data\n", len(res.Problems))
	}
	if dry {
		for _, id := range res.Created {
			fmt.Fprintf(w, "new     %s\n", id)
		}
		for _, id := range res.Updated {
			fmt.Fprintf(w, "update  %s\n", id)
		}
	}
	left := 0
	for _, p := range res.Problems {
		if p.Skipped {
			left++
		}
	}
	verb := "Imported"
	if dry {
		verb = "Would import"
	}
	fmt.Fprintf(w, "%s %d record(s) from %s: %d new, %d updated, %d unchanged, %d left out\n",
		verb, records, system, len(res.Created), len(res.Updated), len(res.Unchanged), left)
	switch {
	case dry:
		fmt.Fprintln(w, "Dry run: nothing was written")
	case !head.IsZero():
		fmt.Fprintf(w, "Committed %s (%d files)\n", head.String()[:7], len(res.Files))
		if pushed {
			fmt.Fprintln(w, "Pushed")
		}
	case len(res.Files) > 0:
		fmt.Fprintf(w, "Wrote %d files (not committed)\n", len(res.Files))
	default:
		fmt.Fprintln(w, "Nothing to write: the repository is up to date")
	}
}
