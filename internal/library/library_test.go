package library

import (
	"os"
	"testing"

	"github.com/sev-dev/sev/internal/config"
)

// TestDemo loads the demo organisation in this repository.
func TestDemo(t *testing.T) {
	fsys := os.DirFS("../..")
	data, err := os.ReadFile("../../sev.yaml")
	if err != nil {
		t.Skip("no demo data")
	}
	s, _ := config.Parse("sev.yaml", data)
	l, err := Load(fsys, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Problems) != 0 {
		t.Errorf("the demo has problems: %v", l.Problems)
	}
	if len(l.Incidents) != 44 || len(l.Rotations) != 7 {
		t.Errorf("loaded %d incidents and %d rotations, want 44 and 7", len(l.Incidents), len(l.Rotations))
	}
	pms := 0
	for i, inc := range l.Incidents {
		if i > 0 && inc.Date.After(l.Incidents[i-1].Date) {
			t.Errorf("%s is out of order", inc.ID())
		}
		if inc.Postmortem != nil {
			pms++
		}
		if inc.Entries == 0 || inc.Last == nil || len(inc.Activity) != inc.Entries {
			t.Errorf("%s: timeline not summarised", inc.ID())
		}
	}
	if pms != 23 {
		t.Errorf("%d postmortems, want 23", pms)
	}
	v := l.Visible(false)
	for _, inc := range v.Incidents {
		if inc.Restricted() {
			t.Errorf("Visible keeps restricted %s", inc.ID())
		}
	}
	if len(v.Incidents) != len(l.Incidents)-3 {
		t.Errorf("Visible kept %d of %d incidents; the demo has 3 restricted ones", len(v.Incidents), len(l.Incidents))
	}
	d, err := l.Detail(l.Incidents[0])
	if err != nil || len(d.Timeline) != l.Incidents[0].Entries {
		t.Errorf("Detail: %v, %d entries", err, len(d.Timeline))
	}
	if len(l.People()) < 10 {
		t.Errorf("only %d people", len(l.People()))
	}
}
