package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/term"
	"github.com/sev-dev/sev/internal/validate"
	"github.com/sev-dev/sev/internal/vcache"
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
	switch o.Format {
	case "text", "json", "github":
	default:
		return usagef("--format must be text, json or github, not %q", o.Format)
	}
	ws, err := a.open()
	if err != nil {
		return err
	}
	if err := a.verifyObjects(ws, o.NoCache); err != nil {
		return err
	}
	var diags diag.List
	if o.Staged {
		diags, err = a.validateStaged(ws, o.Base, o.NoCache)
	} else {
		diags, err = a.validateWorktree(ws, o.Base, o.NoCache)
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

// baseOptions reads the incidents at a git revision for the append-only check.
func (a *app) baseOptions(ws *workspace, rev string) (validate.Options, error) {
	repo, err := ws.Git(a.env)
	if err != nil {
		return validate.Options{}, err
	}
	h, err := repo.Resolve(rev)
	if err != nil {
		return validate.Options{}, usagef("--base %s: %v", rev, err)
	}
	return vcache.Base(repo, h)
}

// validateWorktree checks the working tree, with the per-folder cache.
func (a *app) validateWorktree(ws *workspace, base string, noCache bool) (diag.List, error) {
	var opts validate.Options
	if base != "" {
		var err error
		if opts, err = a.baseOptions(ws, base); err != nil {
			return nil, err
		}
	}
	opts.Now, opts.CoverageWeeks = a.now(), coverageWeeks
	var repo *gitstore.Repo
	if base == "" && !noCache {
		repo, _ = ws.Git(a.env) // outside git: no cache
	}
	return vcache.Worktree(repo, ws.FS, ws.Settings, opts, a.debugf), nil
}

// validateStaged checks what git's index holds, answered from the cache
// when the index is unchanged (vcache.Staged).
func (a *app) validateStaged(ws *workspace, base string, noCache bool) (diag.List, error) {
	repo, err := ws.Git(a.env)
	if err != nil {
		return nil, err
	}
	var opts validate.Options
	if base != "" {
		if opts, err = a.baseOptions(ws, base); err != nil {
			return nil, err
		}
	}
	opts.Now, opts.CoverageWeeks = a.now(), coverageWeeks
	return vcache.Staged(repo, ws.Settings, opts, base == "" && !noCache, a.debugf)
}

// coverageWeeks is how far ahead sev validate looks for gaps in on-call
// coverage.
const coverageWeeks = 4
