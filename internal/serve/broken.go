package serve

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/site"
)

// broken keeps what the builds of one sev serve left out because sev
// validate rejects it: the findings it already printed, so each rebuild
// prints only new or changed ones, and for an incident whose page an
// earlier build of this run had written, where its files break, for the
// error page at its address.
type broken struct {
	dir     string // the built site
	mu      sync.Mutex
	built   map[string]bool      // incident IDs with a page in some build of this run
	errs    map[string]diag.List // ID → the error findings of its files
	printed map[string]bool      // findings printed, as diag.String has them
}

func newBroken(dir string) *broken {
	return &broken{dir: dir, built: map[string]bool{}, errs: map[string]diag.List{}, printed: map[string]bool{}}
}

// update takes in a build's summary and prints to w the findings the last
// build did not have (print false: the caller already printed them all),
// and a line when none are left.
func (b *broken) update(sum site.Summary, w io.Writer, print bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if entries, err := os.ReadDir(filepath.Join(b.dir, "incidents")); err == nil {
		for _, e := range entries {
			if e.IsDir() && exists(filepath.Join(b.dir, "incidents", e.Name(), "index.html")) {
				b.built[e.Name()] = true
			}
		}
	}
	had := len(b.printed) > 0
	printed := map[string]bool{}
	b.errs = map[string]diag.List{}
	for _, d := range sum.Problems {
		s := d.String()
		if print && !b.printed[s] {
			fmt.Fprintf(w, "sev: %s\n", s)
		}
		printed[s] = true
		if id, ok := layout.IncidentOf(d.Path); ok {
			b.errs[id] = append(b.errs[id], d)
		}
	}
	b.printed = printed
	if print && had && len(printed) == 0 {
		fmt.Fprintln(w, "sev: every file builds again")
	}
}

// page is the error page for the incident a site address shows, when an
// earlier build of this run had its page and its files are now rejected:
// where they break (file, line, column and check) and nothing of what
// they say, which may be restricted. ok is false for any other address.
func (b *broken) page(urlPath string) (body string, ok bool) {
	parts := strings.Split(strings.Trim(urlPath, "/"), "/")
	if n := len(parts); n > 0 && parts[n-1] == "index.html" {
		parts = parts[:n-1]
	}
	if len(parts) < 2 || parts[len(parts)-2] != "incidents" {
		return "", false
	}
	id := parts[len(parts)-1]
	b.mu.Lock()
	defer b.mu.Unlock()
	errs := b.errs[id]
	if !b.built[id] || len(errs) == 0 {
		return "", false
	}
	var s strings.Builder
	fmt.Fprintf(&s, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s does not build</title></head><body>\n", html.EscapeString(id))
	fmt.Fprintf(&s, "<h1>%s does not build</h1>\n<p>sev validate rejects its files, so its page is left out until they are fixed:</p>\n<ul>\n", html.EscapeString(id))
	for _, d := range errs {
		fmt.Fprintf(&s, "<li><code>%s</code> [%s]</li>\n", html.EscapeString(d.Pos.String()), html.EscapeString(d.Check))
	}
	s.WriteString("</ul>\n<p>Run <code>sev validate</code> for what is wrong; this page shows the incident again once the files are fixed and saved.</p>\n</body></html>\n")
	return s.String(), true
}

// serveBroken writes the error page for r when there is one.
func (b *broken) serveBroken(w http.ResponseWriter, r *http.Request) bool {
	body, ok := b.page(r.URL.Path)
	if !ok {
		return false
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	io.WriteString(w, body)
	return true
}
