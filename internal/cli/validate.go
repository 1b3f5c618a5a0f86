package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/rule"
	"github.com/sev-dev/sev/internal/validate"
	"github.com/sev-dev/sev/internal/vcache"
)

func (a *app) validateCmd() *cobra.Command {
	var format, base string
	var noCache, staged bool
	c := &cobra.Command{
		Use:   "validate",
		Short: "Check every file of the repository and print every problem",
		Long: `validate checks sev.yaml, every incident record and timeline, and the files
around them, and prints each problem as path:line:col: message [check-id].
It exits 0 when there are no errors (warnings alone do not fail), 1 when
there are, and 2 on a usage error. Levels per check are set in sev.yaml:

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
			if err := a.verifyObjects(ws, noCache); err != nil {
				return err
			}
			var diags diag.List
			if staged {
				diags, err = a.validateStaged(ws, base, noCache)
			} else {
				diags, err = a.validateWorktree(ws, base, noCache)
			}
			if err != nil {
				return err
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
	c.Flags().BoolVar(&staged, "staged", false, "check what is staged in git's index (what the next commit contains) instead of the working tree")
	c.Flags().StringVar(&base, "base", "", "a git revision (e.g. origin/main) whose timeline entries must be unchanged")
	return c
}

// baseOptions reads the incidents at a git revision for the append-only check.
func (a *app) baseOptions(ws *workspace, rev string) (validate.Options, error) {
	repo, err := ws.gitRepo(a.env)
	if err != nil {
		return validate.Options{}, err
	}
	h, err := repo.Resolve(rev)
	if err != nil {
		return validate.Options{}, usagef("--base %s: %v", rev, err)
	}
	tree, err := repo.Tree(h)
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

// validateWorktree checks the working tree, with the per-folder cache.
func (a *app) validateWorktree(ws *workspace, base string, noCache bool) (diag.List, error) {
	var opts validate.Options
	var cache *vcache.Cache
	var err error
	switch {
	case base != "":
		if opts, err = a.baseOptions(ws, base); err != nil {
			return nil, err
		}
	case !noCache:
		if repo, err := ws.gitRepo(a.env); err == nil {
			settings, _ := os.ReadFile(filepath.Join(ws.root, config.File))
			start := time.Now()
			cache = vcache.Open(repo, settings)
			loaded, _, _ := cache.Stats()
			a.debugf("loaded the validation cache (%d folders) in %v", loaded, time.Since(start))
			opts.Cache = cache
		}
	}
	start := time.Now()
	opts.Now, opts.CoverageWeeks = a.now(), coverageWeeks
	_, diags := validate.Run(ws.fsys, opts)
	diags.Append(ruleChecks(ws.fsys, ws.settings))
	diags.Sort()
	a.debugf("checked the repository in %v", time.Since(start))
	if cache != nil {
		if err := cache.Save(); err != nil {
			a.debugf("save the validation cache: %v", err)
		}
		_, checked, hits := cache.Stats()
		a.debugf("%d incident folder(s), %d from the cache", checked, hits)
	}
	return diags, nil
}

// validateStaged checks the index. Its findings are cached under the
// index's own checksum, which changes with any staged path or blob id, so
// an unchanged index costs reading 20 bytes and the cache file.
func (a *app) validateStaged(ws *workspace, base string, noCache bool) (diag.List, error) {
	repo, err := ws.gitRepo(a.env)
	if err != nil {
		return nil, err
	}
	var opts validate.Options
	if base != "" {
		if opts, err = a.baseOptions(ws, base); err != nil {
			return nil, err
		}
	}
	file := filepath.Join(repo.GitDir, "sev", "validate-staged.cache")
	sum, ok := repo.IndexChecksum()
	key := vcache.StagedKey(sum, a.now())
	useCache := ok && base == "" && !noCache
	if useCache {
		if diags, hit := vcache.LoadStaged(file, key); hit {
			a.debugf("the index is unchanged: findings from the cache")
			return diags, nil
		}
	}
	fsys, err := repo.StagedFS()
	if err != nil {
		return nil, err
	}
	opts.Now, opts.CoverageWeeks = a.now(), coverageWeeks
	_, diags := validate.Run(fsys, opts)
	diags.Append(ruleChecks(fsys, ws.settings))
	diags.Sort()
	if useCache {
		if err := vcache.SaveStaged(file, key, diags); err != nil {
			a.debugf("save the validation cache: %v", err)
		}
	}
	return diags, nil
}

// coverageWeeks is how far ahead sev validate looks for gaps in on-call
// coverage.
const coverageWeeks = 4

// ruleChecks parses rules/ as sev automate would, so a pull request that
// adds a broken rule fails validation instead of the next automation run.
// Problems in rotations are validate.Run's to report; rules naming a
// rotation that does not parse are reported here.
func ruleChecks(fsys fs.FS, s *config.Settings) diag.List {
	files, diags, err := rule.ReadFiles(fsys)
	if err != nil {
		diags.Add(diag.Pos{Path: rule.Folder}, rule.Check, "cannot read: %v", err)
		return diags
	}
	if len(files) == 0 {
		return diags
	}
	rots, _ := validate.Rotations(fsys, s) // their problems are validate.Run's
	_, d := rule.ParseSet(files, &rule.Env{Settings: s, Rotations: rots})
	diags.Append(d)
	diags.Override(s.Levels())
	return diags
}
