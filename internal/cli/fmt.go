package cli

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/layout"
)

func (a *app) fmtCmd() *cobra.Command {
	var check bool
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
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.open()
			if err != nil {
				return err
			}
			ids := args
			if len(ids) == 0 {
				if ids, err = layout.IDs(ws.FS); err != nil {
					return err
				}
			} else {
				for i, q := range ids {
					if ids[i], err = ws.Resolve(q); err != nil {
						return err
					}
				}
			}
			var problems diag.List
			changed := 0
			for _, id := range ids {
				files, d := ws.Canonical(id)
				problems.Append(d)
				for _, p := range slices.Sorted(maps.Keys(files)) {
					changed++
					if check {
						fmt.Fprintln(a.stdout, p)
						continue
					}
					if err := gitstore.WriteFile(ws.Root, p, files[p]); err != nil {
						return err
					}
					fmt.Fprintf(a.stdout, "formatted %s\n", p)
				}
			}
			problems.Sort()
			problems.WriteText(a.stderr)
			if problems.Errors() > 0 || (check && changed > 0) {
				return &findingsError{n: changed + problems.Errors()}
			}
			return nil
		},
	}
	c.Flags().BoolVar(&check, "check", false, "list files that are not canonical and exit 1; change nothing")
	return c
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
