package cli

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/importer"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/present"
)

type importOptions struct {
	Source, Path string
	Write        writeFlags
	DryRun       bool
	URL          string
	TimeZone     string
	Visibility   string
	loc          *time.Location

	// github
	Labels         []string
	State          string
	SeverityLabels []string
	Since          string
	// what a reader that calls a service needs, set by runImport
	getenv   func(string) string
	ctx      context.Context
	settings *config.Settings
}

// importSource is a system sev import reads: its name, what PATH is, and
// how to read it into records.
type importSource struct {
	name, path string
	read       func(o importOptions) ([]importer.Record, []importer.Problem, error)
}

// importSources are the systems sev import reads, in the order the help
// lists them.
var importSources = []importSource{
	{"cstate", "a cState status page: the site's folder (content/issues/*.md)", readCState},
	{"github", "GitHub issues: OWNER/REPO, the issues with the --label labels (GITHUB_TOKEN)", readGitHub},
}

func findSource(name string) (importSource, bool) {
	for _, s := range importSources {
		if s.name == name {
			return s, true
		}
	}
	return importSource{}, false
}

func sourceNames() string {
	var names []string
	for _, s := range importSources {
		names = append(names, s.name)
	}
	return strings.Join(names, ", ")
}

func readCState(o importOptions) ([]importer.Record, []importer.Problem, error) {
	st, err := os.Stat(o.Path)
	if err != nil {
		return nil, nil, err
	}
	if !st.IsDir() {
		return nil, nil, fmt.Errorf("%s is not a folder; a cState import reads the site's folder", o.Path)
	}
	return importer.CState{BaseURL: o.URL, Loc: o.loc}.Read(os.DirFS(o.Path))
}

func (a *app) importCmd() *cobra.Command {
	var o importOptions
	c := &cobra.Command{
		Use:   "import SOURCE PATH",
		Short: "Import incidents from another system, as one commit",
		Long: `import reads the incidents another system exported and records them as
incidents of this repository, in one commit. Sources and their PATH:

` + sourceHelp() + `

Each incident keeps its source and its id there, so importing again only
adds what is new (updates, a resolution) and never declares an incident
twice. Entries keep their original times and authors; imported authors are
not responders and do not count as on-call load. Problems in the data are
reported by file and field, and the record is imported without the bad
value, or left out when nothing sensible remains. See docs/migrate.md.`,
		Example: `  sev import cstate ../status --url https://status.example.com --dry-run
  sev import cstate ../status
  GH_TOKEN=$(gh auth token) sev import github acme/status --label status`,
		Args: exactArgs("SOURCE", "PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Source, o.Path = args[0], args[1]
			return a.runImport(o)
		},
	}
	o.Write.registerCommit(c.Flags())
	f := c.Flags()
	f.BoolVar(&o.DryRun, "dry-run", false, "show what would be imported; write nothing")
	f.StringVar(&o.URL, "url", "", "cstate: the status page's address, to link each incident to its page there")
	f.StringVar(&o.TimeZone, "timezone", "UTC", "the zone of times the source writes without an offset")
	f.StringVar(&o.Visibility, "visibility", "", "the visibility of every imported incident (public, internal, restricted); default: the source's")
	registerGitHubFlags(f, &o)
	return c
}

func sourceHelp() string {
	var b strings.Builder
	for _, s := range importSources {
		fmt.Fprintf(&b, "  %-12s %s\n", s.name, s.path)
	}
	return b.String()
}

func (a *app) runImport(o importOptions) error {
	src, ok := findSource(o.Source)
	if !ok {
		return usagef("unknown source %q; use one of %s", o.Source, sourceNames())
	}
	if o.Visibility != "" && !slices.Contains(incident.Visibilities, o.Visibility) {
		return usagef("--visibility %q: use one of %s", o.Visibility, strings.Join(incident.Visibilities, ", "))
	}
	loc, err := time.LoadLocation(o.TimeZone)
	if err != nil {
		return usagef("--timezone %q: not a time zone name (e.g. UTC, Europe/Berlin)", o.TimeZone)
	}
	o.loc = loc
	ws, err := a.open()
	if err != nil {
		return err
	}
	a.warnSettings(ws)
	o.getenv, o.ctx, o.settings = a.getenv, a.ctx, ws.Settings
	recs, probs, err := src.read(o)
	if err != nil {
		return fmt.Errorf("import %s %s: %w", o.Source, o.Path, err)
	}
	if o.Visibility != "" {
		for i := range recs {
			recs[i].Visibility = o.Visibility
		}
	}
	res, head, pushed, err := ws.Import(o.Source, recs, o.Write.by, o.Write.write(), o.DryRun)
	if res != nil {
		read := len(recs)
		for _, p := range probs {
			if p.Skipped {
				read++
			}
		}
		res.Problems = append(probs, res.Problems...)
		importer.SortProblems(res.Problems)
		present.Import(a.stdout, a.stderr, o.Source, read, res, head, pushed, o.DryRun)
	}
	return err
}
