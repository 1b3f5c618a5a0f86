package vcache

import (
	"os"
	"path/filepath"
	"time"

	"io/fs"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/validate"
)

// Worktree runs sev validate's checks on the working tree fsys (the
// rules too), with the per-folder cache of repo when repo is not nil.
func Worktree(repo *gitstore.Repo, fsys fs.FS, s *config.Settings, opts validate.Options, debugf func(string, ...any)) diag.List {
	var cache *Cache
	var fd *feed
	var fst feedState
	var key, token string
	if repo != nil {
		settings, _ := os.ReadFile(filepath.Join(repo.Root, config.File))
		if f, ok := openFeed(repo); ok {
			key, fst = feedKey(settings, opts.Now), loadFeedState(repo, f)
			next, paths, all, err := f.since(fst.Token)
			switch {
			case err != nil:
				debugf("change feed: %v; looking at every file", err)
				dropFeedState(repo)
			case !all && len(paths) == 0 && fst.Key == key:
				debugf("change feed (core.fsmonitor): nothing changed since the last run; its findings stand")
				return fst.Diags
			default:
				debugf("change feed (core.fsmonitor): %d path(s) changed (all: %v)", len(paths), all)
				fd, token = f, next
			}
		}
		start := time.Now()
		cache = Open(repo, settings)
		loaded, _, _ := cache.Stats()
		debugf("loaded the validation cache (%d folders) in %v", loaded, time.Since(start))
		opts.Cache = cache
	}
	start := time.Now()
	_, diags := validate.Run(fsys, opts)
	diags.Append(validate.Rules(fsys, s))
	diags.Sort()
	debugf("checked the repository in %v", time.Since(start))
	if cache != nil {
		if err := cache.Save(); err != nil {
			debugf("save the validation cache: %v", err)
		}
		_, checked, hits := cache.Stats()
		debugf("%d incident folder(s), %d from the cache", checked, hits)
	}
	if fd != nil {
		// the token is from before the files were read: whatever changed
		// while they were is reported next time
		if err := saveFeedState(repo, feedState{Key: key, Version: fd.version, Token: token, Diags: diags}); err != nil {
			debugf("save the change feed's token: %v", err)
		}
	}
	return diags
}

// Staged runs the checks on what git's index holds: exactly what the next
// commit contains. With useCache the findings are kept under the index's
// own checksum (and the day), so an unchanged index costs reading 20 bytes
// and the cache file.
func Staged(repo *gitstore.Repo, s *config.Settings, opts validate.Options, useCache bool, debugf func(string, ...any)) (diag.List, error) {
	file := filepath.Join(repo.GitDir, "sev", "validate-staged.cache")
	sum, ok := repo.IndexChecksum()
	key := StagedKey(sum, opts.Now)
	useCache = useCache && ok
	if useCache {
		if diags, hit := LoadStaged(file, key); hit {
			debugf("the index is unchanged: findings from the cache")
			return diags, nil
		}
	}
	fsys, err := repo.StagedFS()
	if err != nil {
		return nil, err
	}
	_, diags := validate.Run(fsys, opts)
	diags.Append(validate.Rules(fsys, s))
	diags.Sort()
	if useCache {
		if err := SaveStaged(file, key, diags); err != nil {
			debugf("save the validation cache: %v", err)
		}
	}
	return diags, nil
}

// Base reads the incidents at commit for the append-only check.
func Base(repo *gitstore.Repo, commit gitstore.Hash) (validate.Options, error) {
	tree, err := repo.Tree(commit)
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
