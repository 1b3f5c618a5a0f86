package importer_test

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/importer"
	"github.com/sev-dev/sev/internal/incident"
)

func record(system, id, title string) importer.Record {
	return importer.Record{Where: "in.json", Title: title, Source: incident.Source{System: system, ID: id},
		Declared: importer.Time{At: time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)}}
}

// A source that two incidents claim, and a source id given twice, are
// reported and not imported: which incident is which is for a person.
func TestBuildRefusesAmbiguousSources(t *testing.T) {
	s := config.Default()
	rec := func(id string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("id: " + id + "\ntitle: x\nseverity: 1\nstatus: open\nsource:\n  system: legacy\n  id: \"7\"\n")}
	}
	repo := fstest.MapFS{
		"incidents/2024/2024-05-01-a/incident.yaml": rec("2024-05-01-a"),
		"incidents/2024/2024-05-01-b/incident.yaml": rec("2024-05-01-b"),
	}
	recs := []importer.Record{record("legacy", "7", "Seven"), record("legacy", "8", "Eight"), record("legacy", "8", "Eight again")}
	p := importer.Build(s, importer.Scan(repo, s), recs, time.Now())
	if len(p.Changes) != 1 || p.Changes[0].Create == nil || p.Changes[0].Create.Title != "Eight" {
		t.Fatalf("changes = %+v; only the first record 8 may be imported", p.Changes)
	}
	var msgs []string
	for _, pr := range p.Problems {
		msgs = append(msgs, pr.String())
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{`incidents 2024-05-01-a and 2024-05-01-b both say they are legacy "7"`, `the source id "8" is also used by in.json`} {
		if !strings.Contains(all, want) {
			t.Errorf("problems:\n%s\nwant %q", all, want)
		}
	}
}

// Labels follow the rule for services, tags and orgs.
func TestLabel(t *testing.T) {
	for in, want := range map[string]string{
		"Web Frontend": "web-frontend", "ci.jenkins.io": "ci.jenkins.io", " Payments_API ": "payments_api",
		"!!!": "", "-.x.-": "x", "Überweisung": "uberweisung", "a/b": "a-b",
	} {
		if got := importer.Label(in); got != want {
			t.Errorf("Label(%q) = %q, want %q", in, got, want)
		}
	}
}
