package workspace

import (
	"path/filepath"
	"time"

	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/site"
)

// Site is how a command asks for the library site.
type Site struct {
	// Out is the folder to write, relative to Dir; "" with Live is
	// .git/sev/site, never committed.
	Out               string
	BaseURL           string
	IncludeRestricted bool
	// Now is the reference time as a person gave it ("" for the default).
	Now string
	// Live is sev serve: without Now or SEV_NOW, "now" is the clock at
	// each rebuild rather than the last commit's time.
	Live bool
}

// SiteOptions turns a request into site.Options. The reference time is
// s.Now, else SEV_NOW, else (for a build) the last commit's time, so one
// commit always builds the same site, else the clock. clock reports that
// "now" is the clock and should be read again at every rebuild.
func (ws *Workspace) SiteOptions(s Site) (opts site.Options, clock bool, err error) {
	opts = site.Options{Out: s.Out, BaseURL: s.BaseURL, IncludeRestricted: s.IncludeRestricted}
	switch {
	case opts.Out == "" && s.Live:
		repo, err := ws.Repo()
		if err != nil {
			return opts, false, err
		}
		opts.Out = filepath.Join(repo.GitDir, "sev", "site")
	case !filepath.IsAbs(opts.Out):
		opts.Out = filepath.Join(ws.Dir, opts.Out)
	}
	switch {
	case s.Now != "":
		if opts.Now, err = ops.Instant("now", s.Now, ws.Settings.Location()); err != nil {
			return opts, false, err
		}
	case ws.proc.Getenv("SEV_NOW") != "":
		opts.Now = ws.proc.Now()
	default:
		opts.Now, clock = ws.proc.Now(), s.Live
		if t, ok := ws.LastCommitTime(); ok && !s.Live {
			opts.Now = t
		}
	}
	opts.Now = opts.Now.Truncate(time.Second)
	return opts, clock, nil
}
