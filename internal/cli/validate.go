package cli

import (
	"errors"
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/term"
	"github.com/sev-dev/sev/internal/validate"
	wsp "github.com/sev-dev/sev/internal/workspace"
)

type validateOptions struct {
	Format, Base    string
	NoCache, Staged bool
}

func (a *app) validateCmd() *cobra.Command {
	o := validateOptions{Format: "text"}
	c := &cobra.Command{
		Use:   "validate",
		Short: "Check every file of the repository and print every problem",
		Long: `validate checks sev.yaml, every incident record and timeline, and the files
around them, and prints each problem as path:line:col: message [check-id]
(at a terminal, with the line and a caret under the column). It exits 0
when there are no errors (warnings alone do not fail), 1 when there are,
and 2 on a usage error. Levels per check are set in sev.yaml:

  checks:
    unknown-tag: error      # or warning, or off

With --staged it checks what git's index holds — exactly what the next
commit contains, ignoring unstaged edits — as a pre-commit hook wants; an
unchanged index is answered from the cache in milliseconds.

Before anything else it checks git's object store: pack checksums, new loose
objects against their names, and that every object the current commit needs
is present (remembered in .git/sev, so an unchanged store costs a directory
scan; --no-cache checks everything again). A damaged store fails with the
object or pack named.

With --base REF it also checks that timeline entries present at REF were
neither edited nor removed (the append-only rule), as a pull request check.`,
		Example: "  sev validate\n  sev validate --format github --base origin/main",
		Args:    exactArgs(),
		RunE:    func(cmd *cobra.Command, args []string) error { return a.runValidate(o) },
	}
	c.Flags().StringVar(&o.Format, "format", "text", "output format: text, json or github (workflow annotations)")
	c.Flags().BoolVar(&o.NoCache, "no-cache", false, "check every folder, ignoring the cache in .git/sev")
	c.Flags().BoolVar(&o.Staged, "staged", false, "check what is staged in git's index (what the next commit contains) instead of the working tree")
	c.Flags().StringVar(&o.Base, "base", "", "a git revision (e.g. origin/main) whose timeline entries must be unchanged")
	return c
}

func (a *app) runValidate(o validateOptions) error {
	if !slices.Contains([]string{"text", "json", "github"}, o.Format) {
		return usagef("--format must be text, json or github, not %q", o.Format)
	}
	ws, err := a.open()
	if err != nil {
		return err
	}
	if err := ws.Verify(o.NoCache); err != nil {
		return err
	}
	diags, err := ws.Validate(wsp.Check{Base: o.Base, Staged: o.Staged, NoCache: o.NoCache})
	var be *wsp.BaseError
	if errors.As(err, &be) {
		return usagef("%v", err)
	}
	if err != nil {
		return err
	}
	if o.Format == "text" && !o.Staged && term.IsTerminal(a.raw) {
		// a person reads it: the line and a caret under the column
		err = diags.WriteSource(a.stdout, func(p string) []byte { b, _ := validate.ReadRegular(ws.FS, p, ws.Settings); return b })
	} else {
		err = diags.Write(a.stdout, o.Format)
	}
	if err != nil {
		return err
	}
	if n := diags.Errors(); n > 0 {
		if o.Format == "text" {
			fmt.Fprintf(a.stderr, "%d error(s), %d warning(s)\n", n, len(diags)-n)
		}
		return &findingsError{n: n}
	}
	return nil
}
