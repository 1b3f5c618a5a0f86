// Package serve is what sev serve needs besides the site itself: an HTTP
// handler that serves a built site with the headers a static host should
// send (and attachments as data), and a watcher that turns file-system
// events under the repository into the incidents whose pages to rebuild.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/sev-dev/sev/internal/attachment"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/site"
)

// Handler serves the built site with the security headers a static
// host should send too, and the site's 404 page.
func Handler(dir string) http.Handler { return handler(dir, nil) }

// handler is Handler that serves, where b has one, the error page of an
// incident whose files no longer build instead of the 404 page.
func handler(dir string, b *broken) http.Handler {
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
			if b != nil && b.serveBroken(w, r) {
				return
			}
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

// Watcher turns file-system events under the repository into the
// incidents they concern. Folders are watched one by one (inotify is not
// recursive); new incident folders are added as they appear.
type Watcher struct {
	root string
	fs   *fsnotify.Watcher
}

func NewWatcher(root string) (*Watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", root, err)
	}
	w := &Watcher{root: root, fs: fw}
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

func (w *Watcher) addTree(dir string) error {
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

func (w *Watcher) Close() error { return w.fs.Close() }

// Next waits for a change and returns the incidents it concerns, or all
// when something that affects every page changed. Events arriving within
// 30 ms of each other (a commit writes several files) are taken together.
func (w *Watcher) Next(ctx context.Context) (ids []string, all bool, err error) {
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
func (w *Watcher) classify(ev fsnotify.Event) (id string, all, relevant bool) {
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
	}
	if id, ok := layout.IncidentOf(filepath.ToSlash(rel)); ok {
		return id, false, true
	}
	return "", false, false
}

// Options are what Run serves and watches.
type Options struct {
	Addr string
	// Root is the working tree watched; FS and Settings are what the
	// first build reads.
	Root     string
	FS       fs.FS
	Settings *config.Settings
	Site     site.Options
	// Reload reads sev.yaml again after it changed.
	Reload func() (*config.Settings, error)
	// Now is the site's "now" for each rebuild; the zero time keeps the
	// first build's.
	Now func() time.Time
	// Built is told about the first build; Out and Err receive the log.
	Built    func(site.Summary)
	Out, Err io.Writer
}

// Run builds the site, serves it on Addr and rebuilds what a change
// touches (every page when sev.yaml, rotations/ or site/ change) until
// ctx ends. After each rebuild it prints the findings of files left out
// that it has not printed yet, and serves an incident whose files broke
// since its page was built an error page naming where.
func Run(ctx context.Context, o Options) error {
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w; choose another with --addr", o.Addr, err)
	}
	defer ln.Close()
	st, sum, err := site.Build(o.FS, o.Settings, o.Site)
	if err != nil {
		return err
	}
	o.Built(sum)
	b := newBroken(o.Site.Out)
	b.update(sum, o.Err, false) // Built printed the first build's findings
	w, err := NewWatcher(o.Root)
	if err != nil {
		return err
	}
	defer w.Close()
	srv := &http.Server{Handler: handler(o.Site.Out, b), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	fmt.Fprintf(o.Out, "serving http://%s/ — rebuilt on every change; Ctrl-C to stop\n", ln.Addr())
	settings := o.Settings
	for {
		ids, all, err := w.Next(ctx)
		if err != nil {
			break
		}
		if all {
			ids = nil
			s, err := o.Reload()
			if err != nil {
				fmt.Fprintf(o.Err, "sev: %v\n", err)
				continue
			}
			settings = s
		}
		if now := o.Now(); !now.IsZero() {
			st.SetNow(now)
		}
		sum, err := st.Rebuild(settings, ids)
		if err != nil {
			fmt.Fprintf(o.Err, "sev: rebuild: %v\n", err)
			continue
		}
		fmt.Fprintf(o.Out, "rebuilt %s: %d file(s) changed in %s\n", describeChange(ids), len(sum.Changed), sum.Took.Round(time.Millisecond))
		b.update(sum, o.Err, true)
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
