package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/validate"
)

func (a *app) validateCmd() *cobra.Command {
	var format, base string
	var noCache bool
	c := &cobra.Command{
		Use:   "validate",
		Short: "Check every file of the repository and print every problem",
		Long: `validate checks sev.yaml, every incident record and timeline, and the files
around them, and prints each problem as path:line:col: message [check-id].
It exits 0 when there are no errors (warnings alone do not fail), 1 when
there are, and 2 on a usage error. Levels per check are set in sev.yaml:

  checks:
    unknown-tag: error      # or warning, or off

With --base REF it also checks that timeline entries present at REF were
neither edited nor removed (the append-only rule), as a pull request check.`,
		Example: "  sev validate\n  sev validate --format github --base origin/main",
		Args:    exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch format {
			case "text", "json", "github":
			default:
				return usagef("--format must be text, json or github, not %q", format)
			}
			ws, err := a.open()
			if err != nil {
				return err
			}
			var opts validate.Options
			var cache *validateCache
			switch {
			case base != "":
				if opts, err = a.baseOptions(ws, base); err != nil {
					return err
				}
			case !noCache:
				if repo, err := ws.gitRepo(a.env); err == nil {
					settings, _ := os.ReadFile(filepath.Join(ws.root, config.File))
					start := time.Now()
					cache = openValidateCache(repo, settings)
					a.debugf("loaded the validation cache (%d folders) in %v", len(cache.old), time.Since(start))
					opts.Cache = cache
				}
			}
			start := time.Now()
			_, diags := validate.Run(ws.fsys, opts)
			a.debugf("checked the repository in %v", time.Since(start))
			if cache != nil {
				if err := cache.save(); err != nil && a.debug {
					fmt.Fprintf(a.stderr, "sev: save the validation cache: %v\n", err)
				}
				if a.debug {
					fmt.Fprintf(a.stderr, "sev: %d incident folder(s), %d from the cache\n", len(cache.cur), cache.hits)
				}
			}
			switch format {
			case "json":
				err = diags.WriteJSON(a.stdout)
			case "github":
				err = diags.WriteGitHub(a.stdout)
			default:
				err = diags.WriteText(a.stdout)
			}
			if err != nil {
				return err
			}
			if n := diags.Errors(); n > 0 {
				if format == "text" {
					fmt.Fprintf(a.stderr, "%d error(s), %d warning(s)\n", n, len(diags)-n)
				}
				return &findingsError{n: n}
			}
			return nil
		},
	}
	c.Flags().StringVar(&format, "format", "text", "output format: text, json or github (workflow annotations)")
	c.Flags().BoolVar(&noCache, "no-cache", false, "check every folder, ignoring the cache in .git/sev")
	c.Flags().StringVar(&base, "base", "", "a git revision (e.g. origin/main) whose timeline entries must be unchanged")
	return c
}

// baseOptions reads the incidents at a git revision for the append-only check.
func (a *app) baseOptions(ws *workspace, rev string) (validate.Options, error) {
	repo, err := ws.gitRepo(a.env)
	if err != nil {
		return validate.Options{}, err
	}
	h, err := repo.Git().ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return validate.Options{}, usagef("--base %s: %v", rev, err)
	}
	tree, err := repo.Tree(*h)
	if err != nil {
		return validate.Options{}, err
	}
	var ids []string
	if t, err := tree.Tree(layout.Incidents); err == nil {
		for _, y := range t.Entries {
			if yt, err := t.Tree(y.Name); err == nil {
				for _, e := range yt.Entries {
					ids = append(ids, e.Name)
				}
			}
		}
	}
	return validate.Options{
		BaseIDs: ids,
		Base: func(id string) ([]byte, bool, error) {
			return repo.ReadFile(tree, layout.Timeline(id))
		},
	}, nil
}
