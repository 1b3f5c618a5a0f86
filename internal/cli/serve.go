package cli

import (
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/config"
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
rebuilds everything. Reload the page to see it. "Now" is the clock.

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
	o.Live = true
	opts, live, err := ws.SiteOptions(o.Site)
	if err != nil {
		return err
	}
	site.LimitMemory(a.getenv)
	ctx, stop := signal.NotifyContext(a.ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve.Run(ctx, serve.Options{
		Addr: addr, Root: ws.Root, FS: ws.FS, Settings: ws.Settings, Site: opts,
		Reload: func() (*config.Settings, error) {
			ws, err := a.open()
			if err != nil {
				return nil, err
			}
			return ws.Settings, nil
		},
		Now: func() time.Time {
			if live {
				return a.now().Truncate(time.Second)
			}
			return time.Time{}
		},
		Built: func(sum site.Summary) { a.printSummary(opts.Out, sum) },
		Out:   a.stdout, Err: a.stderr,
	})
}
