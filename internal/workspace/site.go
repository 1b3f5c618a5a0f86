package workspace

import (
	"path/filepath"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/serve"
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
	opts = site.Options{Out: s.Out, BaseURL: s.BaseURL, IncludeRestricted: s.IncludeRestricted, AttachmentText: ws.proc.AttachmentText}
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

// Serve is how sev serve runs on this workspace (serve.Run): the site as
// s asks (SiteOptions, with Live set), sev.yaml read again after it
// changes, and "now" the clock at each rebuild unless a reference time was
// given. The caller sets the address and where the log goes.
func (ws *Workspace) Serve(s Site) (serve.Options, error) {
	s.Live = true
	opts, clock, err := ws.SiteOptions(s)
	if err != nil {
		return serve.Options{}, err
	}
	return serve.Options{Root: ws.Root, FS: ws.FS, Settings: ws.Settings, Site: opts,
		Reload: func() (*config.Settings, error) {
			settings, _, err := config.Read(ws.FS)
			return settings, err
		},
		Now: func() time.Time {
			if clock {
				return ws.proc.Now().Truncate(time.Second)
			}
			return time.Time{}
		},
	}, nil
}
