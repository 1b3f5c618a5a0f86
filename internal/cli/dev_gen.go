package cli

import (
	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/gen"
	"github.com/sev-dev/sev/internal/present"
)

// devCmd groups tools for developing sev itself; it is hidden from help.
func (a *app) devCmd() *cobra.Command {
	c := &cobra.Command{
		Use:    "dev",
		Short:  "Tools for developing sev: test data for benchmarks, what search reads of a file",
		Hidden: true,
	}
	c.AddCommand(a.devGenCmd(), a.devManCmd(), a.devAttachmentTextCmd())
	return c
}

type devGenOptions struct {
	incidents int
	seed      int64
	from, to  string
	noCommit  bool
	asJSON    bool
	shape     gen.ShapeFlags
}

func (a *app) devGenCmd() *cobra.Command {
	var o devGenOptions
	c := &cobra.Command{
		Use:   "gen DIR",
		Short: "Generate a large, realistic incident repository",
		Long: `gen writes a repository of generated incidents into DIR (which must be
empty or not exist) and commits it as one commit. The same flags always
give the same bytes and the same commit id. Incidents are spread over
--from..--to with realistic severities, statuses, timelines and
postmortems, and a few rare phrases are planted in a known set of
incidents so that searches have known answers; they are printed at the
end (all of them with --json).

--shape picks the corpus's shape (default, light, wide, heavy); the other
shape flags change one of its dimensions (docs/performance.md).`,
		Example: "  sev dev gen --incidents 100000 --seed 1 /tmp/gen100k\n  sev dev gen --incidents 10000 --shape wide --style chat /tmp/w10k",
		Args:    exactArgs("DIR"),
		RunE:    func(cmd *cobra.Command, args []string) error { return a.devGen(args[0], o) },
	}
	fl := c.Flags()
	fl.IntVar(&o.incidents, "incidents", 1000, "how many incidents to generate")
	fl.Int64Var(&o.seed, "seed", 1, "the random seed; the same seed gives the same repository")
	fl.StringVar(&o.from, "from", "2019-01-01", "the first day incidents are declared on (YYYY-MM-DD)")
	fl.StringVar(&o.to, "to", "2026-11-01", "the end of the period (YYYY-MM-DD, exclusive); also the commit's date")
	fl.BoolVar(&o.noCommit, "no-commit", false, "only write the files; do not create a git repository")
	fl.BoolVar(&o.asJSON, "json", false, "print the statistics and every planted phrase's incidents as JSON")
	o.shape.Register(fl)
	return c
}

func (a *app) devGen(dir string, o devGenOptions) error {
	if o.incidents < 1 {
		return usagef("--incidents must be at least 1")
	}
	from, to, err := gen.Period(o.from, o.to)
	if err != nil {
		return usagef("%v", err)
	}
	shape, err := gen.ShapeOf(o.shape)
	if err != nil {
		return usagef("%v", err)
	}
	dir, err = a.path(dir)
	if err != nil {
		return err
	}
	start := a.now()
	st, err := gen.Generate(dir, gen.Options{Incidents: o.incidents, Seed: o.seed, Start: from, End: to, Commit: !o.noCommit, Shape: shape})
	if err != nil {
		return err
	}
	if o.asJSON {
		return present.JSON(a.stdout, st)
	}
	present.Generated(a.stdout, &st, a.now().Sub(start), dir)
	return nil
}
