package present

import (
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/layout"
)

// LeftOut tells which incident folders or files a command left out
// because sev validate rejects them, naming each problem (at most a
// screenful); warnings are not mentioned.
func LeftOut(w io.Writer, diags diag.List) {
	var errs diag.List
	folders := map[string]bool{}
	for _, d := range diags {
		if d.Severity == diag.Error {
			errs = append(errs, d)
			folders[folderOf(d.Path)] = true
		}
	}
	if len(errs) == 0 {
		return
	}
	fmt.Fprintf(w, "sev: %d incident folder(s) or file(s) left out because sev validate rejects them:\n", len(folders))
	const most = 10
	errs[:min(most, len(errs))].WriteText(w)
	if len(errs) > most {
		fmt.Fprintf(w, "... and %d more; run \"sev validate\" for all of them\n", len(errs)-most)
	}
}

// folderOf is the incident folder (or other file) a finding is about.
func folderOf(p string) string {
	if id, ok := layout.IncidentOf(p); ok && strings.HasPrefix(p, layout.Incidents+"/") {
		year, _, _ := strings.Cut(strings.TrimPrefix(p, layout.Incidents+"/"), "/")
		return path.Join(layout.Incidents, year, id)
	}
	return p
}
