package present

import (
	"fmt"
	"io"
	"strings"

	"github.com/sev-dev/sev/internal/ghsetup"
)

// statusWords are how the checklist marks each status.
var statusWords = map[ghsetup.Status]string{ghsetup.OK: "ok", ghsetup.Fix: "FIX", ghsetup.Warn: "warn", ghsetup.Unknown: "?"}

// Doctor prints sev github doctor's checklist: a line per item with what
// was found, and the fix under each item that needs one.
func Doctor(w io.Writer, r *ghsetup.Report) {
	head := r.Repo
	if r.DefaultBranch != "" {
		head += " (default branch " + r.DefaultBranch + ")"
	}
	fmt.Fprintln(w, head)
	for _, it := range r.Items {
		fmt.Fprintf(w, "  %-4s  %-11s  %s\n", statusWords[it.Status], it.Check, it.What)
		if it.Fix != "" && it.Status != ghsetup.OK {
			fmt.Fprintf(w, "  %-4s  %-11s  fix: %s\n", "", "", it.Fix)
		}
	}
	var parts []string
	for _, c := range []struct {
		st   ghsetup.Status
		word string
	}{{ghsetup.Fix, "to fix"}, {ghsetup.Warn, "to look at"}, {ghsetup.Unknown, "not checked (the token may not read them)"}} {
		if n := r.Count(c.st); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, c.word))
		}
	}
	if len(parts) == 0 {
		fmt.Fprintln(w, "everything sev's workflows need is in place")
		return
	}
	fmt.Fprintln(w, strings.Join(parts, ", ")+"; docs/github.md explains each")
}

// SetupSteps prints what sev github setup did and could not do (nothing
// unless setup ran).
func SetupSteps(w io.Writer, steps []ghsetup.Step, setup bool) {
	if setup && len(steps) == 0 {
		fmt.Fprintln(w, "nothing to set up")
	}
	for _, s := range steps {
		if s.Err != "" {
			fmt.Fprintf(w, "could not %s: %s\n", s.What, s.Err)
		} else {
			fmt.Fprintf(w, "did: %s\n", s.What)
		}
	}
}
