package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/attachment"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/layout"
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
		r, err := ws.gitRepo(a.env)
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
	st, sum, err := site.Build(ws.fsys, ws.settings, opts)
	if err != nil {
		return err
	}
	a.printSummary(opts.Out, sum)
	w, err := newWatcher(ws.root)
	if err != nil {
		return err
	}
	defer w.Close()
	ctx, stop := signal.NotifyContext(a.ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{Handler: siteHandler(opts.Out), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	fmt.Fprintf(a.stdout, "serving http://%s/ — rebuilt on every change; Ctrl-C to stop\n", ln.Addr())
	for {
		ids, all, err := w.next(ctx)
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
		sum, err := st.Rebuild(ws.settings, ids)
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

// siteHandler serves the built site with the security headers a static
// host should send too, and the site's 404 page.
func siteHandler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", site.CSP+"; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cache-Control", "no-cache")
		clean := filepath.Clean("/" + r.URL.Path)
		p := filepath.Join(dir, filepath.FromSlash(clean))
		if fi, err := os.Stat(p); err != nil || (fi.IsDir() && !exists(filepath.Join(p, "index.html"))) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			if b, err := os.ReadFile(filepath.Join(dir, "404.html")); err == nil {
				w.Write(b)
			}
			return
		}
		if strings.Contains(clean, "/attachments/") {
			// Attachments are data: the policy's type, never run, and a
			// download unless the type is inert (internal/attachment).
			typ, inline := attachment.ContentType(path.Base(clean))
			h.Set("Content-Type", typ)
			if !inline {
				h.Set("Content-Disposition", "attachment")
				h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
			}
		}
		files.ServeHTTP(w, r)
	})
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// watcher turns file-system events under the repository into the
// incidents they concern. Folders are watched one by one (inotify is not
// recursive); new incident folders are added as they appear.
type watcher struct {
	root string
	fs   *fsnotify.Watcher
}

func newWatcher(root string) (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", root, err)
	}
	w := &watcher{root: root, fs: fw}
	if err := fw.Add(root); err != nil {
		fw.Close()
		return nil, err
	}
	for _, d := range []string{layout.Incidents, layout.Postmortems, layout.Rotations, site.Override} {
		if err := w.addTree(filepath.Join(root, d)); err != nil {
			fw.Close()
			return nil, err
		}
	}
	return w, nil
}

func (w *watcher) addTree(dir string) error {
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil
			}
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if d.Name() == layout.Attachments {
			return filepath.SkipDir
		}
		if err := w.fs.Add(p); err != nil {
			return fmt.Errorf("watch %s: %w (raise fs.inotify.max_user_watches for very large repositories)", p, err)
		}
		return nil
	})
	return err
}

func (w *watcher) Close() error { return w.fs.Close() }

// next waits for a change and returns the incidents it concerns, or all
// when something that affects every page changed. Events arriving within
// 30 ms of each other (a commit writes several files) are taken together.
func (w *watcher) next(ctx context.Context) (ids []string, all bool, err error) {
	seen := map[string]bool{}
	var timer <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return nil, false, ctx.Err()
		case err := <-w.fs.Errors:
			return nil, false, err
		case ev := <-w.fs.Events:
			id, everything, relevant := w.classify(ev)
			if !relevant {
				continue
			}
			if everything {
				all = true
			} else if id != "" && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
			timer = time.After(30 * time.Millisecond)
		case <-timer:
			return ids, all, nil
		}
	}
}

// classify maps a changed path to an incident ID, or to "everything".
func (w *watcher) classify(ev fsnotify.Event) (id string, all, relevant bool) {
	rel, err := filepath.Rel(w.root, ev.Name)
	if err != nil {
		return "", false, false
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	if strings.HasSuffix(rel, ".tmp") || strings.HasPrefix(parts[len(parts)-1], ".") {
		return "", false, false
	}
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
			w.addTree(ev.Name)
		}
	}
	switch {
	case rel == config.File:
		return "", true, true
	case parts[0] == layout.Rotations || parts[0] == site.Override:
		return "", true, true
	case parts[0] == layout.Postmortems && len(parts) == 2 && strings.HasSuffix(parts[1], ".md"):
		return strings.TrimSuffix(parts[1], ".md"), false, true
	case parts[0] == layout.Incidents && len(parts) >= 3:
		return parts[2], false, true
	}
	return "", false, false
}
