package workspace

import (
	"fmt"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/validate"
	"github.com/sev-dev/sev/internal/vcache"
)

// CoverageWeeks is how far ahead sev validate looks for gaps in on-call
// coverage.
const CoverageWeeks = 4

// Check is what sev validate checks.
type Check struct {
	// Base is a revision whose timeline entries must be unchanged (the
	// append-only rule); the cache is not used with it.
	Base string
	// Staged checks git's index (what the next commit contains) instead
	// of the working tree.
	Staged bool
	// NoCache checks every folder.
	NoCache bool
}

// BaseError is a --base revision that names no commit.
type BaseError struct {
	Rev string
	Err error
}

func (e *BaseError) Error() string { return fmt.Sprintf("--base %s: %v", e.Rev, e.Err) }

// Validate runs sev validate's checks (the rules too) on the working tree
// or the index, with the caches in .git/sev (package vcache).
func (ws *Workspace) Validate(c Check) (diag.List, error) {
	var opts validate.Options
	if c.Base != "" {
		repo, err := ws.Repo()
		if err != nil {
			return nil, err
		}
		h, err := repo.Resolve(c.Base)
		if err != nil {
			return nil, &BaseError{c.Base, err}
		}
		if opts, err = vcache.Base(repo, h); err != nil {
			return nil, err
		}
	}
	opts.Now, opts.CoverageWeeks = ws.proc.Now(), CoverageWeeks
	cache := c.Base == "" && !c.NoCache
	if c.Staged {
		repo, err := ws.Repo()
		if err != nil {
			return nil, err
		}
		return vcache.Staged(repo, ws.Settings, opts, cache, ws.proc.Debugf)
	}
	var repo *gitstore.Repo
	if cache {
		repo, _ = ws.Repo() // outside git: no cache
	}
	return vcache.Worktree(repo, ws.FS, ws.Settings, opts, ws.proc.Debugf), nil
}
