package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/present"
	"github.com/sev-dev/sev/internal/search"
	"github.com/sev-dev/sev/internal/term"
)

type searchOptions struct {
	asJSON, restricted, refresh bool
	limit                       int
	sort                        string
}

func (o *searchOptions) flags(c *cobra.Command, sortFlag bool) {
	c.Flags().BoolVar(&o.asJSON, "json", false, "print JSON (the shape is in docs/search.md)")
	c.Flags().IntVar(&o.limit, "limit", 10, "show at most this many incidents")
	c.Flags().BoolVar(&o.restricted, "include-restricted", false, "include restricted incidents")
	c.Flags().BoolVar(&o.refresh, "refresh", false, "compare every file with the index first (finds edits not yet staged in git)")
	if sortFlag {
		c.Flags().StringVar(&o.sort, "sort", "relevance", "relevance or date (newest first)")
	}
}

func (a *app) searchCmd() *cobra.Command {
	var o searchOptions
	c := &cobra.Command{
		Use:   "search QUERY",
		Short: "Search incidents, timelines and postmortems",
		Long: `search finds incidents by the words of their records, timeline entries and
postmortems, most relevant first, and shows where each matched.

  words            all must match; identifiers match as written
                   (dev-cluster-105, api.eu-west-1, ERR_CONN_RESET, 10.20.3.14)
                   and by their words (dev cluster 105)
  "a phrase"       the words in this order
  -word            must not match
  sev:1            severity (also severity:, SEV1, sev:1,2)
  status:open      tag:payments  org:support  service:checkout-api
  kind:drill       person:alice
  after:2025-06-01 before:2025-07-01   declared on or after / before a day

The index lives in .git/sev/search and is brought up to date before every
search. Restricted incidents are left out unless --include-restricted is
given. docs/search.md has the details.`,
		Example: "  sev search 'database timeout sev:1 tag:payments status:open after:2025-06-01'\n" +
			"  sev search '\"connection reset\" -staging' --sort date\n  sev search rollback --json --limit 50",
		Args: minArgs(1, "a QUERY"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.sort != "relevance" && o.sort != "date" {
				return usagef("--sort must be relevance or date, not %q", o.sort)
			}
			ws, err := a.open()
			if err != nil {
				return err
			}
			text := strings.Join(args, " ")
			q, err := search.ParseQuery(text, search.Vocabulary{Severity: ws.settings.ParseSeverity,
				Statuses: ws.settings.StatusNames(), Location: ws.settings.Location()})
			var qe *search.QueryError
			if errors.As(err, &qe) {
				return usagef("bad query at column %d: %s\n  %s", qe.Col, qe.Msg, strings.ReplaceAll(qe.Caret(), "\n", "\n  "))
			}
			idx, err := a.openSearch(ws, &o)
			if err != nil {
				return err
			}
			defer idx.Close()
			res, err := idx.Search(a.ctx, search.Request{Query: q, Limit: o.limit, SortByDate: o.sort == "date",
				Restricted: o.restricted, Location: ws.settings.Location()})
			if err != nil {
				return err
			}
			return a.printHits(ws, text, res, &o)
		},
	}
	o.flags(c, true)
	return c
}

func (a *app) similarCmd() *cobra.Command {
	var o searchOptions
	c := &cobra.Command{
		Use:   "similar ID",
		Short: "Find the past incidents most like one incident",
		Long: `similar finds the incidents whose text and tags are most like those of one
incident (its title, summary, impact, timeline and postmortem): the words
that are frequent in it and rare in the repository weigh most. The
incident itself is not listed.`,
		Example: "  sev similar checkout\n  sev similar 2026-03-02-checkout-errors-in-eu --json --limit 5",
		Args:    exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.open()
			if err != nil {
				return err
			}
			id, err := ws.resolve(args[0])
			if err != nil {
				return err
			}
			l, err := ws.checked(id)
			if err != nil {
				return err
			}
			if l.Record.Restricted() && !o.restricted {
				return fmt.Errorf("%s is restricted; add --include-restricted to compare it", id)
			}
			idx, err := a.openSearch(ws, &o)
			if err != nil {
				return err
			}
			defer idx.Close()
			res, err := idx.Similar(a.ctx, id, search.Request{Limit: o.limit, Restricted: o.restricted, Location: ws.settings.Location()})
			if err != nil {
				return err
			}
			return a.printHits(ws, id, res, &o)
		},
	}
	o.flags(c, false)
	return c
}

// openSearch opens the repository's index and brings it up to date.
func (a *app) openSearch(ws *workspace, o *searchOptions) (*search.Index, error) {
	repo, err := ws.gitRepo(a.env)
	if err != nil {
		return nil, err
	}
	var mu sync.Mutex
	opts := search.Options{
		Root: ws.root, Dir: filepath.Join(repo.GitDir, "sev", "search"), GitIndexFile: repo.IndexFile(),
		HashBlob: func(b []byte) [20]byte { return gitstore.HashBlob(b) },
		Debugf:   a.debugf,
		Settings: ws.settings, SettingsKey: ws.settingsKey(),
		Warnf: func(format string, args ...any) {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(a.stderr, "sev: warning: "+format+"\n", args...)
		},
	}
	progress := false
	if isTerminal(a.rawErr) {
		opts.Progress = func(done, total int) {
			progress = true
			fmt.Fprintf(a.rawErr, "\rsev: building the search index: %d of %d incidents", done, total)
		}
	}
	idx, err := search.Open(opts)
	if err != nil {
		return nil, err
	}
	_, err = idx.Sync(o.restricted, o.refresh)
	if progress {
		fmt.Fprintln(a.rawErr)
	}
	if err != nil {
		idx.Close()
		return nil, err
	}
	if n := len(idx.Broken()); n > 0 {
		fmt.Fprintf(a.stderr, "sev: %d file(s) could not be indexed; run \"sev validate\"\n", n)
	}
	return idx, nil
}

// isTerminal reports whether w is a terminal (a character device other
// than /dev/null).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(fi, null)
}

func (a *app) printHits(ws *workspace, query string, res *search.Result, o *searchOptions) error {
	for i := range res.Hits {
		res.Hits[i].SevName = ws.settings.SeverityName(res.Hits[i].Severity)
	}
	if o.asJSON {
		return present.JSON(a.stdout, struct {
			Query string `json:"query"`
			*search.Result
		}{query, res})
	}
	if len(res.Hits) == 0 {
		fmt.Fprintln(a.stdout, "no incidents match")
		return nil
	}
	// In a terminal, highlights are ANSI sequences, written past the
	// escaping writer; every piece of user text is escaped here instead.
	mark, w := markPlain, a.stdout
	if isTerminal(a.raw) && a.getenv("NO_COLOR") == "" {
		mark, w = markANSI, a.raw
	}
	loc := ws.settings.Location()
	for i, h := range res.Hits {
		if i > 0 {
			fmt.Fprintln(w)
		}
		date := ""
		if !h.Date.IsZero() {
			date = " · " + h.Date.In(loc).Format("2006-01-02")
		}
		restricted := ""
		if h.Restricted {
			restricted = " · restricted"
		}
		title := term.Line(h.Title)
		for _, s := range h.Snippets {
			if s.Field == "title" {
				title = highlight(s.Text, s.Highlights, mark)
			}
		}
		fmt.Fprintf(w, "%s  %s · %s%s%s\n  %s\n", term.Line(h.ID), term.Line(h.SevName), term.Line(h.Status), date, restricted, title)
		for _, s := range h.Snippets {
			if s.Field != "title" { // highlighted in the title line
				fmt.Fprintf(w, "  %s: %s\n", term.Line(s.Where), highlight(s.Text, s.Highlights, mark))
			}
		}
	}
	if res.Total > len(res.Hits) {
		fmt.Fprintf(w, "\n%d of %d incidents shown; --limit %d shows all\n", len(res.Hits), res.Total, res.Total)
	}
	return nil
}

var (
	markPlain = [2]string{"«", "»"}
	markANSI  = [2]string{"\x1b[1m", "\x1b[0m"}
)

// highlight marks the spans of text.
func highlight(text string, spans [][2]int, mark [2]string) string {
	var b strings.Builder
	last := 0
	for _, s := range spans {
		if s[0] < last || s[1] > len(text) {
			continue
		}
		b.WriteString(term.Line(text[last:s[0]]))
		b.WriteString(mark[0] + term.Line(text[s[0]:s[1]]) + mark[1])
		last = s[1]
	}
	b.WriteString(term.Line(text[last:]))
	return b.String()
}
