package cli

import (
	"bufio"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/present"
	"github.com/sev-dev/sev/internal/searchtext"
	"github.com/sev-dev/sev/internal/term"
	wsp "github.com/sev-dev/sev/internal/workspace"
)

// whereFlags are the flags of a command that changes every incident a
// query selects (--where) instead of the one its ID names.
type whereFlags struct {
	query                   string
	set                     bool // --where was given
	yes, dryRun, restricted bool
}

func (w *whereFlags) register(c *cobra.Command) {
	f := c.Flags()
	f.StringVar(&w.query, "where", "", "change every incident these filters select (tag:, service:, status:, before:, ... as in sev search) instead of one ID")
	f.BoolVar(&w.yes, "yes", false, "with --where: do not ask before recording")
	f.BoolVar(&w.dryRun, "dry-run", false, "with --where: list the incidents and what would be recorded, and write nothing")
	f.BoolVar(&w.restricted, "include-restricted", false, "with --where: select restricted incidents too")
}

// check reads whether --where was given and refuses the flags that only
// go with it.
func (w *whereFlags) check(cmd *cobra.Command) error {
	w.set = cmd.Flags().Changed("where")
	if w.set {
		if strings.TrimSpace(w.query) == "" {
			return usagef("--where needs a query of filters, such as 'tag:legacy status:open'")
		}
		return nil
	}
	for _, name := range []string{"yes", "dry-run", "include-restricted"} {
		if cmd.Flags().Changed(name) {
			return usagef("--%s goes with --where", name)
		}
	}
	return nil
}

// bothError is a command given an incident ID and --where.
func bothError(cmd *cobra.Command) error {
	return usagef("%s takes an incident ID or --where QUERY, not both", cmd.Name())
}

// exact checks arguments that are an incident ID and then names, or,
// with --where, only the names.
func (w *whereFlags) exact(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := w.check(cmd); err != nil {
			return err
		}
		if !w.set {
			return exactArgs(append([]string{"ID"}, names...)...)(cmd, args)
		}
		if len(args) == len(names)+1 {
			return bothError(cmd)
		}
		return exactArgs(names...)(cmd, args)
	}
}

// atLeast checks arguments that are an incident ID and then at least n
// more (what names), or, with --where, only those. A first argument that
// is an incident's full ID is taken as one: a tag or a value never looks
// like 2026-03-02-checkout.
func (w *whereFlags) atLeast(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := w.check(cmd); err != nil {
			return err
		}
		if !w.set {
			return minArgs(n+1, "ID and "+what)(cmd, args)
		}
		if len(args) > 0 && incident.ValidID(args[0]) {
			return bothError(cmd)
		}
		return minArgs(n, what)(cmd, args)
	}
}

// target takes the incident ID off the front of args, unless --where
// selects the incidents.
func (w *whereFlags) target(id *string, args []string) []string {
	if w.set {
		return args
	}
	*id = args[0]
	return args[1:]
}

// edit makes op's change on the incident id names, or with --where on
// every incident the query selects (bulk).
func (a *app) edit(id string, w whereFlags, f writeFlags, op operation) error {
	if w.set {
		return a.bulk(w, f, op)
	}
	return a.change(id, f, op)
}

// bulk makes op's change on every incident that passes the gate and the
// query's filters: it lists them with what it records on each, asks on a
// terminal, and records the changes as one commit (workspace.Where and
// CommitBulk).
func (a *app) bulk(w whereFlags, f writeFlags, op operation) error {
	at, err := ops.At(f.at)
	if err != nil {
		return err
	}
	ws, err := a.open()
	if err != nil {
		return err
	}
	a.warnSettings(ws)
	q, err := a.filters(ws, w.query)
	if err != nil {
		return err
	}
	b, err := ws.Where(q, w.restricted, f.by, func(env *ops.Env, inc *ops.Incident, by string) (*change.Change, error) {
		return op(env, inc, by, at)
	})
	if err != nil {
		return err
	}
	a.leftOut(b.LeftOut)
	if b.Hidden > 0 {
		fmt.Fprintf(a.stderr, "sev: %d restricted incident(s) match too and were left out; add --include-restricted to change them\n", b.Hidden)
	}
	if len(b.Matches) == 0 {
		return fmt.Errorf("no incident matches %q; nothing was written", w.query)
	}
	present.Bulk(a.stdout, a.stderr, b)
	return a.record(ws, b, w, f)
}

// record commits a planned bulk edit after asking on a terminal, or
// says why it writes nothing (--dry-run, nothing to record).
func (a *app) record(ws *workspace, b *wsp.Bulk, w whereFlags, f writeFlags) error {
	changes := b.Changes()
	if len(changes) == 0 || w.dryRun {
		present.BulkSummary(a.stdout, b, present.DryRun)
		if len(changes) == 0 && slices.ContainsFunc(b.Matches, func(m wsp.Match) bool { return m.Refused != nil }) {
			return errors.New("the change was refused wherever it would record something; nothing was written")
		}
		return nil
	}
	if !w.yes && term.IsTerminalInput(a.stdin) && !a.confirm(fmt.Sprintf("Record this on %d incident(s) in one commit?", len(changes))) {
		return errors.New("nothing was written")
	}
	head, err := ws.CommitBulk(b, f.write())
	if err != nil {
		return err
	}
	how := present.Recorded
	if head.IsZero() {
		how = present.Written
	}
	present.BulkSummary(a.stdout, b, how)
	present.Committed(a.stdout, head)
	return nil
}

// filters parses a --where query: the search language's filters, with a
// mistake shown at its column; words are refused, because a bulk edit
// selects exactly, never by relevance.
func (a *app) filters(ws *workspace, text string) (*searchtext.Query, error) {
	q, err := ws.Query(text)
	var qe *searchtext.QueryError
	if errors.As(err, &qe) {
		return nil, usagef("bad --where query at column %d: %s\n  %s", qe.Col, qe.Msg, strings.ReplaceAll(qe.Caret(), "\n", "\n  "))
	}
	if err != nil {
		return nil, err
	}
	if q.HasText() {
		return nil, usagef("--where takes filters only (%s); %q is a word: find incidents by their words with sev search",
			strings.Join(searchtext.FilterKeys(), ", "), q.Text[0].Text)
	}
	return q, nil
}

// confirm asks a yes-or-no question on the terminal; only y or yes is yes.
func (a *app) confirm(question string) bool {
	fmt.Fprintf(a.stderr, "%s [y/N] ", question)
	answer, _ := bufio.NewReader(a.stdin).ReadString('\n')
	answer = strings.ToLower(strings.TrimSpace(answer))
	return answer == "y" || answer == "yes"
}
