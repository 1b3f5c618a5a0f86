package importer_test

import (
	"testing"
	"testing/fstest"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/importer"
	"github.com/sev-dev/sev/internal/validate"
)

// Whatever a status page's file holds, the import never panics and what
// it writes passes the validation gate: a record is written valid or not
// at all.
func FuzzCStateImport(f *testing.F) {
	f.Add("---\ntitle: get.jenkins.io issues\ndate: 2020-11-12 15:54:00\nresolvedWhen: 2020-11-14 08:26:00\nresolved: true\nseverity: down\naffected:\n  - get.jenkins.io\nsection: issue\n---\n\n* *2020-11-23: Azure is investigating*\n\nThe volume is down.\n")
	f.Add("---\ntitle: \"\\u202eevil\\u0007\"\ndate: 2021-04-12\nresolved: true\nresolvedWhen: 2021-04-11\nseverity: nope\naffected: [\"!!!\", \"Ünïcode Svc\"]\n---\n[Update - 2021-04-12 07h30 UTC]\nx\x00y\n[Final message]\n```\n[Initial message]\n")
	f.Add("---\ntitle: x\ndate: 2021-02-30T25:61:00+99:99\n---\n")
	f.Fuzz(func(t *testing.T, file string) {
		site := fstest.MapFS{"content/issues/2021-01-01-x.md": &fstest.MapFile{Data: []byte(file)}}
		recs, _, err := importer.CState{}.Read(site)
		if err != nil {
			return
		}
		s := config.Default()
		repo := fstest.MapFS{}
		none := func(string) ([]byte, bool, error) { return nil, false, nil }
		res := importer.Build(s, importer.Scan(repo, s), recs, time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)).Apply(s, none)
		for p, b := range res.Files {
			repo[p] = &fstest.MapFile{Data: b}
		}
		incs, diags := validate.LoadAll(repo, s)
		if diags.Errors() > 0 || len(incs) != len(res.Created) {
			t.Fatalf("the import wrote files the gate rejects (%d of %d kept):\n%s", len(incs), len(res.Created), diags.Error())
		}
	})
}
