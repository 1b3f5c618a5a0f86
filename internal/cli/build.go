package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/present"
	"github.com/sev-dev/sev/internal/site"
	"github.com/sev-dev/sev/internal/term"
	wsp "github.com/sev-dev/sev/internal/workspace"
)

// buildOptions are the flags sev build and sev serve share.
type buildOptions struct{ wsp.Site }

func (o *buildOptions) register(c *cobra.Command, out string) {
	c.Flags().StringVar(&o.Out, "out", out, "folder to write the site into")
	c.Flags().StringVar(&o.BaseURL, "base-url", "", "absolute URL the site is served from, e.g. https://org.github.io/incidents/ (for the feed and the sitemap)")
	c.Flags().BoolVar(&o.IncludeRestricted, "include-restricted", false, "include restricted incidents (only for a site nobody outside may see)")
	c.Flags().StringVar(&o.Now, "now", "", "the build's reference time, RFC 3339 (default: the time of the last commit, so one commit always builds the same site)")
	c.Flags().StringVar(&o.Since, "since", "", "first day the trend reports cover, YYYY-MM-DD in sev.yaml's timezone (default: sev.yaml reports.since, else 24 months back)")
	c.Flags().BoolVar(&o.ExcludeImported, "exclude-imported", false, "leave incidents brought in by sev import out of the trend reports (also: reports.imported: false in sev.yaml)")
	c.Flags().StringVar(&o.Until, "until", "", "last day the trend reports cover, YYYY-MM-DD (default: sev.yaml reports.until, else the reference time)")
}

func (a *app) buildCmd() *cobra.Command {
	var o buildOptions
	c := &cobra.Command{
		Use:   "build [--out public] [--base-url URL] [--include-restricted] [--since DATE] [--until DATE]",
		Short: "Build the incident library as a static website",
		Long: `build writes the incident library — what is on fire now, every incident and
postmortem, people and on call, trend reports, a public status page with an
Atom feed, and search — as static files that any web server or GitHub Pages
can serve. Restricted incidents are left out entirely unless
--include-restricted is given, and so is every incident that sev validate
rejects (each is named with its findings on stderr). Attachments are
published as data: images and PDFs as they are, text on a page, anything
else as a ZIP download.

"Now" on the site (how long an incident has been open, who is on call) is
the time of the last commit unless --now says otherwise, so building one
commit twice gives byte-identical output.

The trend reports cover the last 24 months (26 weeks for the weekly one)
unless sev.yaml's reports block or --since and --until give the period:
days in sev.yaml's timezone, both included, each flag replacing its
sev.yaml key. An incident is in the period when the day it was declared
is; a long period is drawn in quarters or years. Every other page, and
search, still holds every incident.`,
		Example: "  sev build\n  sev build --out public --base-url https://northwind.github.io/incidents/\n  sev build --since 2019-01-01 --until 2025-12-31",
		Args:    exactArgs(),
		RunE:    func(cmd *cobra.Command, args []string) error { return a.runBuild(o) },
	}
	o.register(c, "public")
	return c
}

func (a *app) runBuild(o buildOptions) error {
	ws, err := a.open()
	if err != nil {
		return err
	}
	a.warnSettings(ws)
	if err := ws.Verify(false); err != nil {
		return err
	}
	if o.BaseURL == "" {
		if base, from := ws.DefaultBaseURL(); base != "" {
			o.BaseURL = base
			fmt.Fprintf(a.stderr, "sev: the feed and the sitemap link to %s (GitHub Pages, from %s); pass --base-url if the site is served elsewhere\n", base, from)
		} else {
			a.warnf("no --base-url, and no GitHub repository to take one from: the status feed's links are relative to the feed and the sitemap lists paths; pass --base-url https://… for links that work everywhere")
		}
	}
	opts, _, err := ws.SiteOptions(o.Site)
	if err != nil {
		return err
	}
	site.LimitBuildMemory(a.getenv)
	opts.Once = true
	var end func()
	opts.Progress, end = present.Progress(a.rawErr, term.IsTerminal(a.rawErr), "writing incident pages", 250)
	_, sum, err := site.Build(ws.FS, ws.Settings, opts)
	end()
	if err != nil {
		return err
	}
	a.printSummary(opts.Out, sum)
	return nil
}

func (a *app) printSummary(out string, sum site.Summary) {
	present.Built(a.stdout, sum, out)
	a.leftOut(sum.Problems)
	for _, n := range sum.Unsearchable {
		a.warnf("%s", n)
	}
}
