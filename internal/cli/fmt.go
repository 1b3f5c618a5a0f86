package cli

import (
	"fmt"
	"maps"
	"slices"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/gitstore"
)

type fmtOptions struct{ Check bool }

func (a *app) fmtCmd() *cobra.Command {
	var o fmtOptions
	c := &cobra.Command{
		Use:   "fmt [ID...]",
		Short: "Rewrite incident files canonically",
		Long: `fmt rewrites incident records and timelines in the canonical form sev
writes: the schema header, fields in a fixed order, quoting only where a
value would otherwise read back differently, two-space indentation and LF
line endings. Comments in these files are not kept. Files with problems
are reported and left alone. With --check it changes nothing and exits 1
if a file would change.`,
		Example: "  sev fmt\n  sev fmt --check",
		RunE:    func(cmd *cobra.Command, args []string) error { return a.runFmt(o, args) },
	}
	c.Flags().BoolVar(&o.Check, "check", false, "list files that are not canonical and exit 1; change nothing")
	return c
}

func (a *app) runFmt(o fmtOptions, queries []string) error {
	ws, err := a.open()
	if err != nil {
		return err
	}
	files, problems, err := ws.NotCanonical(queries)
	if err != nil {
		return err
	}
	for _, p := range slices.Sorted(maps.Keys(files)) {
		if o.Check {
			fmt.Fprintln(a.stdout, p)
			continue
		}
		if err := gitstore.WriteFile(ws.Root, p, files[p]); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "formatted %s\n", p)
	}
	changed := len(files)
	problems.Sort()
	problems.WriteText(a.stderr)
	if problems.Errors() > 0 || (o.Check && changed > 0) {
		return &findingsError{n: changed + problems.Errors()}
	}
	return nil
}
