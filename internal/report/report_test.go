package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/golden"
)

// TestGolden compares every report of the fixture with testdata/: the
// SVG, the JSON, and the title, caption and table as text. Run
// go test ./internal/report -update to rewrite them, then look at the
// diff (and at the SVGs).
func TestGolden(t *testing.T) {
	reports := Build(fixture(t), fixtureNow, Range{})
	ids := map[string]bool{}
	for _, r := range reports {
		if ids[r.ID] {
			t.Errorf("two reports with ID %q", r.ID)
		}
		ids[r.ID] = true
		js, err := json.MarshalIndent(r.Data, "", "  ")
		if err != nil {
			t.Fatalf("%s: %v", r.ID, err)
		}
		golden.Check(t, r.ID+".svg", r.SVG)
		golden.Check(t, r.ID+".json", append(js, '\n'))
		golden.Check(t, r.ID+".txt", []byte(describe(r)))
	}
	want := []string{"incidents-weekly", "incidents-monthly", "sev1", "durations", "start-heatmap", "responders", "oncall",
		"tags", "postmortems", "follow-ups"}
	if len(reports) != len(want) {
		t.Errorf("%d reports, want %d", len(reports), len(want))
	}
	for _, id := range want {
		if !ids[id] {
			t.Errorf("no report %q", id)
		}
	}
}

// describe is a report's words and table as text.
func describe(r Report) string {
	var b strings.Builder
	b.WriteString(r.Title + "\n\n" + r.Caption + "\n\n")
	b.WriteString(strings.Join(r.Table.Columns, " | ") + "\n")
	for _, row := range r.Table.Rows {
		b.WriteString(strings.Join(row, " | ") + "\n")
	}
	return b.String()
}

// TestDeterministic builds twice from libraries whose maps and slices
// were filled in a different order, and expects the same bytes.
func TestDeterministic(t *testing.T) {
	a := Build(fixture(t), fixtureNow, Range{})
	l := fixture(t)
	for i, j := 0, len(l.Incidents)-1; i < j; i, j = i+1, j-1 {
		l.Incidents[i], l.Incidents[j] = l.Incidents[j], l.Incidents[i]
	}
	b := Build(l, fixtureNow, Range{})
	for i := range a {
		ja, _ := json.Marshal(a[i].Data)
		jb, _ := json.Marshal(b[i].Data)
		if !bytes.Equal(a[i].SVG, b[i].SVG) || !bytes.Equal(ja, jb) || describe(a[i]) != describe(b[i]) {
			t.Errorf("%s: two builds differ", a[i].ID)
		}
	}
}
