package cli

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/serve"
	"github.com/sev-dev/sev/internal/site"
)

func (a *app) serveCmd() *cobra.Command {
	var o buildOptions
	var addr string
	c := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:8080]",
		Short: "Build the incident library, serve it, and rebuild it on every change",
		Long: `serve builds the site like "sev build", serves it over HTTP and watches the
repository: a change to an incident, its timeline or postmortem rewrites
only the pages it appears on; a change to sev.yaml, rotations/ or site/
rebuilds everything. A file an edit breaks is named with its line and
column, once per new finding, and the broken incident's address shows
where (docs/site.md). Reload the page to see it. "Now" is the clock.
--since and --until set the reports' period as for "sev build"; they
hold over every rebuild, and sev.yaml's reports fills the bound they
leave out.

The site is written to .git/sev/site unless --out says otherwise, so it is
never committed and the next start rewrites only what changed.`,
		Example: "  sev serve\n  sev serve --addr 0.0.0.0:8080 --include-restricted",
		Args:    exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.serve(o, addr)
		},
	}
	o.register(c, "")
	c.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	return c
}

func (a *app) serve(o buildOptions, addr string) error {
	ws, err := a.open()
	if err != nil {
		return err
	}
	a.warnSettings(ws)
	so, err := ws.Serve(o.Site)
	if err != nil {
		return err
	}
	site.LimitMemory(a.getenv)
	ctx, stop := signal.NotifyContext(a.ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	so.Addr, so.Out, so.Err = addr, a.stdout, a.stderr
	so.Built = func(sum site.Summary) { a.printSummary(so.Site.Out, sum) }
	return serve.Run(ctx, so)
}
