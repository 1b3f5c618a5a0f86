package cli

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

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
	if o.out == "" {
		r, err := ws.Git(a.env)
		if err != nil {
			return err
		}
		o.out = filepath.Join(r.GitDir, "sev", "site")
	} else if !filepath.IsAbs(o.out) {
		wd, err := a.workDir()
		if err != nil {
			return err
		}
		o.out = filepath.Join(wd, o.out)
	}
	a.limitMemory()
	live := o.now == "" && a.getenv("SEV_NOW") == ""
	opts, err := a.siteOptions(ws, o)
	if err != nil {
		return err
	}
	if live {
		opts.Now = a.now().Truncate(time.Second)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w; choose another with --addr", addr, err)
	}
	defer ln.Close()
	st, sum, err := site.Build(ws.FS, ws.Settings, opts)
	if err != nil {
		return err
	}
	a.printSummary(opts.Out, sum)
	w, err := serve.NewWatcher(ws.Root)
	if err != nil {
		return err
	}
	defer w.Close()
	ctx, stop := signal.NotifyContext(a.ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{Handler: serve.Handler(opts.Out), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	fmt.Fprintf(a.stdout, "serving http://%s/ — rebuilt on every change; Ctrl-C to stop\n", ln.Addr())
	for {
		ids, all, err := w.Next(ctx)
		if err != nil {
			break
		}
		if all {
			ids = nil
			if ws, err = a.open(); err != nil {
				fmt.Fprintf(a.stderr, "sev: %v\n", err)
				continue
			}
		}
		if live {
			st.SetNow(a.now().Truncate(time.Second))
		}
		sum, err := st.Rebuild(ws.Settings, ids)
		if err != nil {
			fmt.Fprintf(a.stderr, "sev: rebuild: %v\n", err)
			continue
		}
		fmt.Fprintf(a.stdout, "rebuilt %s: %d file(s) changed in %s\n", describeChange(ids), len(sum.Changed), sum.Took.Round(time.Millisecond))
	}
	shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return srv.Shutdown(shut)
}

func describeChange(ids []string) string {
	if len(ids) == 0 {
		return "everything"
	}
	return strings.Join(ids, ", ")
}
