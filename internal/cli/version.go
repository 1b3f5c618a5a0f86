package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/buildinfo"
	"github.com/sev-dev/sev/internal/present"
)

type versionOptions struct{ JSON bool }

func (a *app) versionCmd() *cobra.Command {
	var o versionOptions
	c := &cobra.Command{
		Use:   "version",
		Short: "Print which sev this is: version, commit, build date, Go version",
		Long: `version prints the release (or "devel" for a build from source), the commit
it was built from, the commit's date, and the Go version and platform.
"sev --version" prints the same line.`,
		Example: "  sev version\n  sev version --json",
		Args:    exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.JSON {
				return present.JSON(a.stdout, buildinfo.Read())
			}
			fmt.Fprintln(a.stdout, buildinfo.Read())
			return nil
		},
	}
	c.Flags().BoolVar(&o.JSON, "json", false, "print JSON")
	return c
}
