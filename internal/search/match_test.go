package search

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/gen"
	"github.com/sev-dev/sev/internal/searchtext"
	"github.com/sev-dev/sev/internal/validate"
)

// TestMatchAgreesWithIndex checks that searchtext's Query.Match (what
// sev tag --where and the other bulk edits select by) lets through
// exactly the incidents the index returns for a query of filters, on a
// generated repository, restricted incidents included.
func TestMatchAgreesWithIndex(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	root := filepath.Join(t.TempDir(), "repo")
	if _, err := gen.Generate(root, gen.Options{Incidents: 600, Seed: 5, Shape: gen.Shapes["default"], Commit: true,
		Start: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	incs, _ := validate.LoadAll(os.DirFS(root), config.Default())
	docs := make([]*searchtext.Doc, len(incs))
	for i, inc := range incs {
		var pm *searchtext.Postmortem
		if inc.Postmortem != nil {
			pm = searchtext.ParsePostmortem(inc.Postmortem)
		}
		docs[i] = searchtext.NewDoc(inc.Record, inc.Entries, pm)
	}
	// values the corpus has, so that every query selects something
	d := docs[len(docs)/2]
	service, person := d.Services[0], d.People[len(d.People)-1]
	var tag string
	for _, x := range docs {
		if len(x.Tags) > 0 {
			tag = x.Tags[0]
			break
		}
	}
	x := openTest(t, root, nil)
	if _, err := x.Sync(true, false); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"service:" + service,
		"service:" + service + " before:2023-01-01",
		"tag:" + tag + " status:open,resolved",
		"-tag:" + tag + " after:2022-06 sev:1,2",
		"person:" + person,
		"kind:drill,maintenance",
		"-status:closed -kind:normal",
		"after:2022-03-01 before:2022-04-01",
		// bounds exactly at an incident's time: after is inclusive, before is not
		"after:" + d.Date.UTC().Format(time.RFC3339),
		"before:" + d.Date.UTC().Format(time.RFC3339),
	} {
		pq, err := searchtext.ParseQuery(q, testVocab)
		if err != nil {
			t.Fatal(err)
		}
		res, err := x.Search(context.Background(), Request{Query: pq, All: true, Restricted: true})
		if err != nil {
			t.Fatal(err)
		}
		var fromIndex, matched []string
		for _, h := range res.Hits {
			fromIndex = append(fromIndex, h.ID)
		}
		for _, d := range docs {
			if pq.Match(d) {
				matched = append(matched, d.ID)
			}
		}
		slices.Sort(fromIndex)
		if len(matched) == 0 {
			t.Errorf("%q matches nothing; the test needs a query that selects", q)
		}
		if !slices.Equal(fromIndex, matched) {
			t.Errorf("%q: the index returns %d incidents, Match %d\nindex: %s\nmatch: %s", q, len(fromIndex), len(matched),
				strings.Join(fromIndex, " "), strings.Join(matched, " "))
		}
	}
}
