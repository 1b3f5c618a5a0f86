package workspace

import (
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/ghsetup"
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/report"
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
	// Since and Until are the first and last day of the reports as a
	// person gave them (--since, --until; "" for sev.yaml's reports).
	Since, Until string
	// ExcludeImported leaves imported incidents out of the reports
	// (--exclude-imported; else sev.yaml's reports.imported).
	ExcludeImported bool
	// Live is sev serve: without Now or SEV_NOW, "now" is the clock at
	// each rebuild rather than the last commit's time.
	Live bool
}

// DefaultBaseURL is the address a build is served from when nobody says:
// the GitHub Pages site of the repository (GITHUB_REPOSITORY in GitHub
// Actions, else the github.com repository of the remote), and where that
// came from; empty when it cannot be known (no remote, another host, a
// GitHub Enterprise Server).
func (ws *Workspace) DefaultBaseURL() (base, from string) {
	if srv := ws.proc.Getenv("GITHUB_SERVER_URL"); srv != "" && strings.TrimSuffix(srv, "/") != "https://github.com" {
		return "", ""
	}
	remote := ""
	if repo, err := ws.Repo(); err == nil {
		remote = repo.RemoteURL(ws.Settings.Remote)
	}
	r, err := ghsetup.RepoOf("", ws.proc.Getenv, remote)
	if err != nil {
		return "", ""
	}
	from = "the git remote " + ws.Settings.Remote
	if ws.proc.Getenv("GITHUB_REPOSITORY") != "" {
		from = "GITHUB_REPOSITORY"
	}
	return ghsetup.PagesURL(r), from
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
	// the site/ folder holds the theme's overrides: a build written there
	// would be read back as overrides by the next one
	theme := filepath.Join(ws.Root, site.Override)
	if rel, err := filepath.Rel(theme, opts.Out); err == nil && (rel == "." || !strings.HasPrefix(rel, "..")) {
		return opts, false, ops.Inputf("--out %s is inside %s/, the folder of the theme's overrides; write the site elsewhere (the default is public)", s.Out, site.Override)
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
	if opts.Reports, err = ws.reportRange(s, opts.Now); err != nil {
		return opts, false, err
	}
	return opts, clock, nil
}

// reportRange reads --since and --until into the reports' period and
// checks it together with sev.yaml's reports: a date that does not parse,
// an until before the since or a since after the reference time is a
// usage error that names the flag or the sev.yaml key. A reports block
// with problems stops the build with its findings (their line and column)
// unless both flags replace it.
func (ws *Workspace) reportRange(s Site, now time.Time) (report.Range, error) {
	loc := ws.Settings.Location()
	flags := report.Range{ExcludeImported: s.ExcludeImported}
	var err error
	if s.Since != "" {
		if flags.Since, err = ops.Day("since", s.Since, loc); err != nil {
			return flags, err
		}
	}
	if s.Until != "" {
		if flags.Until, err = ops.Day("until", s.Until, loc); err != nil {
			return flags, err
		}
	}
	p := slices.Clone(ws.Settings.Reports.Problems)
	p.Override(ws.Settings.Levels()) // as sev validate reports them
	if p.Errors() > 0 && (s.Since == "" || s.Until == "") {
		return flags, p
	}
	r := site.ReportRange(flags, ws.Settings)
	name := func(flag string, t time.Time, given string) string {
		if given != "" {
			return "--" + flag + " " + given
		}
		return config.File + " reports." + flag + " " + t.Format(config.DateLayout)
	}
	if !r.Since.IsZero() && !r.Until.IsZero() && r.Until.Before(r.Since) {
		return r, ops.Inputf("%s is before %s; the reports' last day must not come before their first",
			name("until", r.Until, s.Until), name("since", r.Since, s.Since))
	}
	if r.Since.After(now) {
		return r, ops.Inputf("%s is after the build's reference time (%s); the reports would have nothing in them",
			name("since", r.Since, s.Since), now.In(loc).Format(time.RFC3339))
	}
	return r, nil
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
