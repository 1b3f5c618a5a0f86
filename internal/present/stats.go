package present

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/gen"
	"github.com/sev-dev/sev/internal/site"
)

// Built is sev build's one line: what was written where, how big, how fast.
func Built(w io.Writer, sum site.Summary, out string) {
	fmt.Fprintf(w, "built %d incidents: %d files, %s, in %s → %s\n", sum.Incidents, sum.Files, binaryBytes(sum.Bytes),
		sum.Took.Round(time.Millisecond), out)
}

// Generated is what sev dev gen made, and the planted phrases that
// benchmarks and tests search for.
func Generated(w io.Writer, st *gen.Stats, took time.Duration, dir string) {
	fmt.Fprintf(w, "generated %d incidents (%d timeline entries, %d postmortems): %d files, %s in %s\n",
		st.Incidents, st.Entries, st.Postmortems, st.Files, decimalBytes(st.Bytes), took.Round(time.Millisecond))
	if st.Commit != "" {
		fmt.Fprintf(w, "committed %s in %s\n", st.Commit[:7], dir)
	}
	fmt.Fprintln(w, "planted phrases (incidents that mention each):")
	for _, phrase := range slices.Sorted(maps.Keys(st.Planted)) {
		ids := st.Planted[phrase]
		example := strings.Join(ids[:min(2, len(ids))], ", ")
		if len(ids) > 2 {
			example += ", …"
		}
		fmt.Fprintf(w, "  %-24q %6d  %s\n", phrase, len(ids), example)
	}
}

// binaryBytes renders a byte count in KiB, MiB, GiB.
func binaryBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// decimalBytes renders a byte count for people: 612.3 MB.
func decimalBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}
