package cli

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
	Mapping      string
	loc          *time.Location
	declined     string

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
	{"statuspage", "Atlassian Statuspage: incidents.json, or a folder of such files", fileSource(func(importOptions) fileReader { return importer.Statuspage{} })},
	{"pagerduty", "PagerDuty REST API v2: a folder with incidents*.json and log_entries/ID.json", fileSource(func(importOptions) fileReader { return importer.PagerDuty{} })},
	{"incident-io", "incident.io API v2: a folder with incidents*.json, incident_updates*.json, follow_ups*.json", readIncidentIO},
	{"csv", "a CSV file with a header row, with --mapping FILE", readGeneric},
	{"json", "a JSON file with an array of records, with --mapping FILE", readGeneric},
	{"github", "GitHub issues: OWNER/REPO, the issues with the --label labels (GITHUB_TOKEN)", readGitHub},
}

// fileReader reads records from a file or folder in fsys.
type fileReader interface {
	Read(fsys fs.FS, name string) ([]importer.Record, []importer.Problem, error)
}

// fileSource reads PATH, a file or a folder, with the reader mk makes.
func fileSource(mk func(importOptions) fileReader) func(importOptions) ([]importer.Record, []importer.Problem, error) {
	return func(o importOptions) ([]importer.Record, []importer.Problem, error) {
		abs, err := filepath.Abs(o.Path)
		if err != nil {
			return nil, nil, err
		}
		return mk(o).Read(os.DirFS(filepath.Dir(abs)), filepath.Base(abs))
	}
}

func readIncidentIO(o importOptions) ([]importer.Record, []importer.Problem, error) {
	return fileSource(func(o importOptions) fileReader { return importer.IncidentIO{Declined: o.declined} })(o)
}

func readGeneric(o importOptions) ([]importer.Record, []importer.Problem, error) {
	if o.Mapping == "" {
		return nil, nil, usagef("a %s import needs --mapping FILE: which column holds what (docs/migrate.md)", o.Source)
	}
	data, err := os.ReadFile(o.Mapping)
	if err != nil {
		return nil, nil, err
	}
	m, diags := importer.ParseMapping(o.Mapping, data)
	if diags.Errors() > 0 {
		return nil, nil, diags
	}
	if ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(o.Path)), "."); ext != o.Source {
		return nil, nil, usagef("a %s import reads a .%s file, not %s", o.Source, o.Source, o.Path)
	}
	abs, err := filepath.Abs(o.Path)
	if err != nil {
		return nil, nil, err
	}
	mapDir, err := filepath.Abs(filepath.Dir(o.Mapping))
	if err != nil {
		return nil, nil, err
	}
	// the files a mapping names are beside it; both are read through one
	// file system rooted where they meet
	root := commonDir(filepath.Dir(abs), mapDir)
	rel := func(p string) string { r, _ := filepath.Rel(root, p); return filepath.ToSlash(r) }
	return importer.Generic{Mapping: m, Dir: rel(mapDir)}.Read(os.DirFS(root), rel(abs))
}

// commonDir is the deepest folder that holds both a and b.
func commonDir(a, b string) string {
	for {
		if r, err := filepath.Rel(a, b); err == nil && !strings.HasPrefix(r, "..") {
			return a
		}
		parent := filepath.Dir(a)
		if parent == a {
			return a
		}
		a = parent
	}
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
		Long: `import reads the incidents another system holds and records them as
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
	f.StringVar(&o.Mapping, "mapping", "", "csv, json: the mapping file (YAML) that says which column or key holds what")
	f.StringVar(&o.Visibility, "visibility", "", "the visibility of every imported incident (public, internal, restricted); default: the source's")
	registerGitHubFlags(f, &o)
	return c
}

// checkFlags refuses a flag the source does not read, which would
// otherwise be ignored without a word.
func (o importOptions) checkFlags() error {
	only := func(flag string, set bool, sources ...string) error {
		if set && !slices.Contains(sources, o.Source) {
			return usagef("%s is for %s imports, not %s", flag, strings.Join(sources, " and "), o.Source)
		}
		return nil
	}
	for _, err := range []error{
		only("--url", o.URL != "", "cstate"),
		only("--mapping", o.Mapping != "", "csv", "json"),
		only("--label", len(o.Labels) > 0, "github"),
		only("--state", o.State != "" && o.State != "all", "github"),
		only("--severity-label", len(o.SeverityLabels) > 0, "github"),
		only("--since", o.Since != "", "github"),
	} {
		if err != nil {
			return err
		}
	}
	return nil
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
	if err := o.checkFlags(); err != nil {
		return err
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
	o.declined = importer.DeclinedStatus(ws.Settings)
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
