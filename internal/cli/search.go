package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/present"
	"github.com/sev-dev/sev/internal/search"
	"github.com/sev-dev/sev/internal/searchtext"
	"github.com/sev-dev/sev/internal/site"
	"github.com/sev-dev/sev/internal/term"
)

type searchOptions struct {
	asJSON, restricted, refresh bool
	limit                       int
	sort                        string
}

func (o *searchOptions) flags(c *cobra.Command, sortFlag bool) {
	c.Flags().BoolVar(&o.asJSON, "json", false, "print JSON (the shape is in docs/search.md)")
	c.Flags().IntVar(&o.limit, "limit", 10, "show at most this many incidents; 0 shows every match")
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
		RunE: func(cmd *cobra.Command, args []string) error { return a.runSearch(strings.Join(args, " "), o) },
	}
	o.flags(c, true)
	return c
}

func (a *app) runSearch(text string, o searchOptions) error {
	if o.sort != "relevance" && o.sort != "date" {
		return usagef("--sort must be relevance or date, not %q", o.sort)
	}
	if o.limit < 0 {
		return usagef("--limit must be 0 (every match) or more, not %d", o.limit)
	}
	ws, err := a.open()
	if err != nil {
		return err
	}
	q, err := ws.Query(text)
	var qe *searchtext.QueryError
	if errors.As(err, &qe) {
		return usagef("bad query at column %d: %s\n  %s", qe.Col, qe.Msg, strings.ReplaceAll(qe.Caret(), "\n", "\n  "))
	}
	return a.search(ws, text, &o, func(idx *search.Index) (*search.Result, error) {
		return idx.Search(a.ctx, search.Request{Query: q, Limit: o.limit, All: o.limit == 0, SortByDate: o.sort == "date",
			Restricted: o.restricted, Location: ws.Settings.Location()})
	})
}

// search runs do on the repository's index (workspace.Searched), with a
// progress line on a terminal while the index is built, and prints the
// hits for query.
func (a *app) search(ws *workspace, query string, o *searchOptions, do func(*search.Index) (*search.Result, error)) error {
	site.LimitSearchMemory(a.getenv)
	progress, end := present.Progress(a.rawErr, term.IsTerminal(a.rawErr), "building the search index", 1)
	res, broken, err := ws.Searched(o.restricted, o.refresh, progress, do)
	end()
	if err != nil {
		return err
	}
	if broken > 0 {
		fmt.Fprintf(a.stderr, "sev: %d file(s) could not be indexed; run \"sev validate\"\n", broken)
	}
	if o.asJSON {
		return present.JSON(a.stdout, struct {
			Query string `json:"query"`
			*search.Result
		}{query, res})
	}
	// In a terminal, highlights are ANSI sequences, written past the
	// escaping writer; present.Hits escapes every piece of user text.
	if term.IsTerminal(a.raw) && a.getenv("NO_COLOR") == "" {
		return present.Hits(a.raw, ws.Settings.Location(), res, true)
	}
	return present.Hits(a.stdout, ws.Settings.Location(), res, false)
}
