package sitesearch

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/attachtext"
	"github.com/sev-dev/sev/internal/gen"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/searchtext"
	"github.com/sev-dev/sev/internal/timeline"
)

// A generated repository (internal/gen) is the realistic corpus of the
// tests and benchmarks: its text, its sizes, and phrases planted in a
// known set of incidents, the known answers of searches. Repositories are
// generated once into the temporary folder and reused by later runs.

type corpus struct {
	docs    []Doc
	planted map[string][]string
	dir     string
}

var corpora sync.Map // size → *corpus

func loadCorpus(tb testing.TB, n int) *corpus {
	tb.Helper()
	if c, ok := corpora.Load(n); ok {
		return c.(*corpus)
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("sev-sitesearch-gen%d-%d-seed1", gen.Version, n))
	planted, err := generated(dir, n)
	if err != nil {
		tb.Fatal(err)
	}
	docs, err := readDocs(os.DirFS(dir))
	if err != nil {
		tb.Fatal(err)
	}
	c := &corpus{docs: docs, planted: planted, dir: dir}
	corpora.Store(n, c)
	return c
}

// generated makes sure dir holds a generated repository of n incidents
// and returns its planted phrases. The repository is generated next to
// dir and renamed into place, so that concurrent test runs never see one
// half written.
func generated(dir string, n int) (map[string][]string, error) {
	done := filepath.Join(dir, ".sitesearch-planted.json")
	if b, err := os.ReadFile(done); err == nil {
		var p map[string][]string
		if json.Unmarshal(b, &p) == nil {
			return p, nil
		}
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+".tmp")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	st, err := gen.Generate(filepath.Join(tmp, "repo"), gen.Options{Incidents: n, Seed: 1,
		Start: time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		return nil, err
	}
	b, _ := json.Marshal(st.Planted)
	if err := os.WriteFile(filepath.Join(tmp, "repo", ".sitesearch-planted.json"), b, 0o644); err != nil {
		return nil, err
	}
	if _, err := os.Stat(done); err == nil { // another run finished first; it has the same bytes
		return st.Planted, nil
	}
	os.RemoveAll(dir) // a repository without its planted phrases was not finished
	if err := os.Rename(filepath.Join(tmp, "repo"), dir); err != nil {
		if _, statErr := os.Stat(done); statErr != nil {
			return nil, err
		}
	}
	return st.Planted, nil
}

// readDocs turns every visible incident of a repository into a Doc, as
// the site does: the record's text, each timeline entry, each
// postmortem section (its heading weighing more than its text) and each
// attachment's text.
func readDocs(fsys fs.FS) ([]Doc, error) {
	ids, err := layout.IDs(fsys)
	if err != nil {
		return nil, err
	}
	docs := make([]*Doc, len(ids))
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				docs[i], errs[i] = readDoc(fsys, ids[i])
			}
		})
	}
	for i := range ids {
		next <- i
	}
	close(next)
	wg.Wait()
	var out []Doc
	for i, d := range docs {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if d != nil {
			out = append(out, *d)
		}
	}
	return out, nil
}

func readDoc(fsys fs.FS, id string) (*Doc, error) {
	rec, err := fs.ReadFile(fsys, layout.Record(id))
	if err != nil {
		return nil, err
	}
	inc, _, diags := incident.Parse(layout.Record(id), rec)
	if diags.Errors() > 0 {
		return nil, diags.Err()
	}
	inc.ID = id
	var entries []timeline.Entry
	if tl, err := fs.ReadFile(fsys, layout.Timeline(id)); err == nil {
		entries, _, _ = timeline.Parse(layout.Timeline(id), tl)
	}
	var pm *searchtext.Postmortem
	if b, err := fs.ReadFile(fsys, layout.Postmortem(id)); err == nil {
		pm = searchtext.ParsePostmortem(b)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	sd := searchtext.NewDoc(inc, entries, pm)
	if sd.Restricted() {
		return nil, nil
	}
	atts, err := fs.ReadDir(fsys, path.Join(layout.Dir(id), layout.Attachments))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, a := range atts {
		b, err := fs.ReadFile(fsys, layout.Attachment(id, a.Name()))
		if err != nil {
			return nil, err
		}
		if text, _ := attachtext.Extract(a.Name(), b); text != "" {
			sd.Attachments = append(sd.Attachments, searchtext.Attachment{Name: a.Name(), Text: text})
		}
	}
	d := FromSearch(sd, "incidents/"+sd.ID+"/", fmt.Sprintf("SEV%d", sd.Severity), time.UTC)
	return &d, nil
}
