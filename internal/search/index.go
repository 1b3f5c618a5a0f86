// Package search is sev's full-text search: one bleve index per
// repository under .git/sev/search (never committed), kept up to date
// from the working tree by git blob ids, with an analyzer that keeps
// identifiers such as dev-cluster-105 findable as written and as words, a
// query language with field filters, relevance ranking, snippets that say
// where a match is, and a more-like-this query for similar incidents.
//
// Restricted incidents are never written to the main index: they go to a
// separate one, built and read only when a command is asked to include
// them, so neither their text nor their term statistics can leak into an
// ordinary search.
package search

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/sev-dev/sev/internal/attachtext"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/searchtext"
)

// FormatVersion changes whenever the analysis, the document model or the
// files under .git/sev/search change; an index of another version is
// rebuilt from scratch.
const FormatVersion = 6

// Options say where a repository and its index are.
type Options struct {
	Root         string                // the working tree
	Dir          string                // the index folder, .git/sev/search
	GitIndexFile string                // git's index, whose checksum says whether anything was staged
	HashBlob     func([]byte) [20]byte // git's blob id of a file's content
	Debugf       func(string, ...any)  // details for --debug; nil: none
	Progress     func(done, total int) // called during a build of many documents; nil: none
	Warnf        func(string, ...any)  // a file that cannot be indexed
	// AttachmentText is the searchable text of an attachment; nil:
	// attachtext.Extract. sev runs PDFs in a child process through it.
	AttachmentText func(name string, data []byte) (string, error)
	// Settings are sev.yaml's settings: incidents are indexed only when
	// they pass validation with them (validate.Load). SettingsKey
	// fingerprints them; when it changes, the index is built again, since
	// the same files may now pass or fail.
	Settings    *config.Settings
	SettingsKey string
}

// Index is an open search index.
type Index struct {
	o          Options
	syn        *searchtext.Synonyms // the settings' synonyms, whose groups the documents carry (fSyn)
	main       bleve.Index          // nil until a sync or a query needs it
	mainRO     bool                 // main was opened read-only (nothing to write)
	restricted bleve.Index          // nil until asked for
	restRO     bool
	st         *state
}

var errFormat = errors.New("index format")

// Open opens the index, creating it, or rebuilding it when it was written
// by another format version or cannot be read. It does not bring the index
// up to date; Sync does.
func Open(o Options) (*Index, error) {
	if o.Debugf == nil {
		o.Debugf = func(string, ...any) {}
	}
	if o.Warnf == nil {
		o.Warnf = func(string, ...any) {}
	}
	if o.Settings == nil {
		o.Settings = config.Default()
	}
	if o.AttachmentText == nil {
		o.AttachmentText = attachtext.Extract
	}
	x := &Index{o: o, syn: searchtext.NewSynonyms(o.Settings.Search.Synonyms)}
	st, err := loadState(filepath.Join(o.Dir, stateFile))
	if err == nil && st.Settings != o.SettingsKey {
		err = fmt.Errorf("%w: the settings changed", errFormat)
	}
	if err == nil {
		// opened when first needed: read-only by a query of an index that
		// is up to date, which then writes nothing
		x.st = st
		_, err = os.Stat(filepath.Join(o.Dir, "main"))
	}
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			o.Debugf("search index: rebuilding: %v", err)
		}
		if err := x.reset(); err != nil {
			return nil, err
		}
	}
	return x, nil
}

// openMain opens the main index if it is not open yet, for writing when
// write is set (reopening it if it was opened read-only). An index that
// cannot be opened for writing is built again from nothing (reset).
func (x *Index) openMain(write bool) error {
	if x.main != nil && (!write || !x.mainRO) {
		return nil
	}
	if x.main != nil {
		x.main.Close()
		x.main = nil
	}
	m, err := openBleve(filepath.Join(x.o.Dir, "main"), false, !write)
	if err == nil {
		x.main, x.mainRO = m, !write
		return nil
	}
	if !write {
		return err
	}
	x.o.Debugf("search index: rebuilding: %v", err)
	return x.reset()
}

// reset removes whatever is in the index folder and creates an empty index.
func (x *Index) reset() error {
	if err := os.RemoveAll(x.o.Dir); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if err := os.MkdirAll(x.o.Dir, 0o755); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	x.st = &state{Format: FormatVersion, Settings: x.o.SettingsKey}
	m, err := openBleve(filepath.Join(x.o.Dir, "main"), true, false)
	if err != nil {
		return err
	}
	x.main, x.mainRO = m, false
	return nil
}

// openBleve creates or opens one bleve index; read-only, scorch starts no
// background work and writes nothing (a read-write open commits to its
// root file, with fsyncs).
func openBleve(path string, create, readOnly bool) (bleve.Index, error) {
	if create {
		idx, err := bleve.NewUsing(path, indexMapping(), scorch.Name, scorch.Name, nil)
		if err != nil {
			return nil, fmt.Errorf("search index: create %s: %w", path, err)
		}
		return idx, nil
	}
	idx, err := bleve.OpenUsing(path, map[string]any{"bolt_timeout": "30s", "read_only": readOnly})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return idx, nil
}

// openRestricted opens (or creates) the index of restricted incidents,
// for writing when write is set.
func (x *Index) openRestricted(write bool) (bleve.Index, error) {
	if x.restricted != nil && (!write || !x.restRO) {
		return x.restricted, nil
	}
	if x.restricted != nil {
		x.restricted.Close()
		x.restricted = nil
	}
	p := filepath.Join(x.o.Dir, "restricted")
	_, err := os.Stat(p)
	create := errors.Is(err, fs.ErrNotExist)
	idx, err := openBleve(p, create, !write && !create)
	if err != nil {
		return nil, err
	}
	x.restricted, x.restRO = idx, !write && !create
	return idx, nil
}

// Close closes the index; closing it again does nothing.
func (x *Index) Close() error {
	var errs []error
	for _, idx := range []*bleve.Index{&x.main, &x.restricted} {
		if *idx != nil {
			errs = append(errs, (*idx).Close())
			*idx = nil
		}
	}
	return errors.Join(errs...)
}

// indexMapping documents the fields for bleve (documents are built
// directly, see Doc.bleveDoc): nothing is mapped dynamically and there is
// no composite _all field, which would store every word a second time.
func indexMapping() mapping.IndexMapping {
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = AnalyzerName
	m.DefaultMapping = bleve.NewDocumentStaticMapping()
	m.DefaultMapping.Dynamic = false
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	for _, f := range textFields {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = AnalyzerName
		fm.IncludeInAll = false
		fm.DocValues = false
		m.DefaultMapping.AddFieldMappingsAt(f.name, fm)
	}
	for _, f := range []string{fSev, fStatus, fKind, fTag, fOrg, fService, fPerson, fPMStatus} {
		fm := bleve.NewKeywordFieldMapping()
		fm.IncludeInAll = false
		fm.DocValues = false
		m.DefaultMapping.AddFieldMappingsAt(f, fm)
	}
	dm := bleve.NewNumericFieldMapping()
	dm.IncludeInAll = false
	m.DefaultMapping.AddFieldMappingsAt(fDate, dm)
	return m
}

// state is the small file read by every search to decide, without
// walking the working tree, whether anything may have changed.
type state struct {
	Format   int       `json:"format"`
	GitIndex fileStat  `json:"git_index"`
	GitSum   string    `json:"git_sum"`
	Watch    []watched `json:"watch"`
	Pending  int       `json:"pending_restricted"` // restricted incidents not in the restricted index
	Broken   []string  `json:"broken"`             // files that could not be indexed
	Docs     int       `json:"docs"`
	Settings string    `json:"settings"` // Options.SettingsKey
}

type watched struct {
	Path string   `json:"path"`
	Stat fileStat `json:"stat"`
}

const stateFile = "state.json"

func loadState(p string) (*state, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	var st state
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", errFormat, p, err)
	}
	if st.Format != FormatVersion {
		return nil, fmt.Errorf("%w %d, want %d", errFormat, st.Format, FormatVersion)
	}
	return &st, nil
}
