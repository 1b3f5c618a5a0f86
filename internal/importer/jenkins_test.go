package importer_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/importer"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/validate"
)

// jenkinsSite finds the real cState site of the Jenkins project (297
// notices, ../shared/datasets/README.md) by walking up from the package.
func jenkinsSite(t *testing.T) string {
	dir, _ := filepath.Abs(".")
	for {
		p := filepath.Join(dir, "shared", "datasets", "jenkins-status")
		if _, err := os.Stat(filepath.Join(p, "content", "issues")); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("the jenkins-status dataset (../shared/datasets) is not here")
		}
		dir = parent
	}
}

// Importing the real Jenkins status page gives one incident per notice,
// with every update as an entry; what it writes validates with no error;
// the problems it reports are the data's own (a resolution before the
// issue's date), by file and field; and a second import changes nothing.
func TestImportJenkins(t *testing.T) {
	site := jenkinsSite(t)
	notices, err := fs.Glob(os.DirFS(site), "content/issues/*.md")
	if err != nil || len(notices) < 290 {
		t.Fatalf("found %d notices (%v)", len(notices), err)
	}
	recs, probs, err := importer.CState{BaseURL: "https://status.jenkins.io"}.Read(os.DirFS(site))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(notices) || len(probs) != 0 {
		t.Fatalf("read %d records of %d notices, problems %v", len(recs), len(notices), probs)
	}
	s := config.Default()
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	repo := fstest.MapFS{}
	read := func(p string) ([]byte, bool, error) {
		f, ok := repo[p]
		if !ok {
			return nil, false, nil
		}
		return f.Data, true, nil
	}
	res := importer.Build(s, importer.Scan(repo, s), recs, now).Apply(s, read)
	if len(res.Created) != len(notices) {
		t.Fatalf("created %d incidents of %d notices; problems: %v", len(res.Created), len(notices), res.Problems)
	}
	for _, p := range res.Problems {
		if p.Skipped || !strings.HasPrefix(p.Where, "content/issues/") || p.Field != "resolved" || !strings.Contains(p.Message, "is before an earlier milestone") {
			t.Errorf("unexpected problem: %s", p)
		}
	}
	for f, b := range res.Files {
		repo[f] = &fstest.MapFile{Data: b}
	}
	_, diags := validate.LoadAll(repo, s)
	if diags.Errors() > 0 {
		t.Fatalf("the import does not validate:\n%s", diags.Error())
	}
	updates := 0
	for _, r := range recs {
		entries, _, _ := timeline.Parse("", repo[layout.Timeline(findID(t, res, r.Source.ID, repo))].Data)
		notes := 0
		for _, e := range entries {
			if !e.Imported {
				t.Errorf("%s: entry %s is not marked imported", r.Source.ID, e.ID)
			}
			if e.Type == timeline.Note {
				notes++
			}
		}
		if notes != len(r.Entries) || notes == 0 {
			t.Errorf("%s: %d notes for %d updates", r.Source.ID, notes, len(r.Entries))
		}
		body, _ := os.ReadFile(filepath.Join(site, "content", "issues", r.Source.ID+".md"))
		if marked := markers.FindAll(body, -1); notes < len(marked) {
			t.Errorf("%s: %d notes, but the notice has %d marked updates", r.Source.ID, notes, len(marked))
		}
		updates += notes
	}
	if updates < 500 {
		t.Errorf("only %d updates in all; the notices hold more", updates)
	}
	again := importer.Build(s, importer.Scan(repo, s), recs, now.Add(time.Hour)).Apply(s, read)
	if len(again.Files) != 0 || len(again.Unchanged) != len(notices) {
		t.Errorf("a second import wrote %d files (%d unchanged); it must change nothing", len(again.Files), len(again.Unchanged))
	}
}

// markers are the update headings the Jenkins notices use.
var markers = regexp.MustCompile(`(?mi)^\[(initial|update|final|closing)[^\]]*\]`)

// findID is the incident imported from a source id.
func findID(t *testing.T, res *importer.Result, sourceID string, repo fstest.MapFS) string {
	t.Helper()
	for _, id := range res.Created {
		if strings.Contains(string(repo[layout.Record(id)].Data), "\n  id: "+sourceID+"\n") {
			return id
		}
	}
	t.Fatalf("no incident for %s", sourceID)
	return ""
}
