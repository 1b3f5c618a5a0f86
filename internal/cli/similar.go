package cli

import (
	"fmt"

	"github.com/sev-dev/sev/internal/search"
	"github.com/spf13/cobra"
)

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
		RunE:    func(cmd *cobra.Command, args []string) error { return a.runSimilar(args[0], o) },
	}
	o.flags(c, false)
	return c
}

func (a *app) runSimilar(query string, o searchOptions) error {
	ws, err := a.open()
	if err != nil {
		return err
	}
	l, err := ws.Checked(query)
	if err != nil {
		return err
	}
	id := l.Record.ID
	if l.Record.Restricted() && !o.restricted {
		return fmt.Errorf("%s is restricted; add --include-restricted to compare it", id)
	}
	return a.search(ws, id, &o, func(idx *search.Index) (*search.Result, error) {
		return idx.Similar(a.ctx, id, search.Request{Limit: o.limit, Restricted: o.restricted, Location: ws.Settings.Location()})
	})
}
