package report

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/library"
)

// bigLibrary repeats the fixture's incidents, each copy a day earlier
// than the one before (wrapping after ten years), up to n incidents.
func bigLibrary(t testing.TB, n int) *library.Library {
	base := fixture(t)
	l := &library.Library{Settings: base.Settings, Rotations: base.Rotations}
	for k := 0; len(l.Incidents) < n; k++ {
		shift := -time.Duration(k%3650) * 24 * time.Hour
		for _, inc := range base.Incidents {
			c := *inc
			rec := *inc.Record
			rec.ID = fmt.Sprintf("%s-%d", rec.ID, k)
			c.Record = &rec
			c.Date = c.Date.Add(shift)
			m := &rec.Milestones
			for _, t := range []*time.Time{&m.Started, &m.Detected, &m.Declared, &m.Mitigated, &m.Resolved} {
				if !t.IsZero() {
					*t = t.Add(shift)
				}
			}
			c.Activity = nil
			for _, a := range inc.Activity {
				c.Activity = append(c.Activity, library.NewActivity(a.By, a.At().Add(shift)))
			}
			l.Incidents = append(l.Incidents, &c)
		}
	}
	return l
}

// TestLargeLibrary checks that charts stay small when there is a lot of
// data: strips of many incidents become histograms instead of dots.
func TestLargeLibrary(t *testing.T) {
	for _, r := range Build(bigLibrary(t, 20_000), fixtureNow, Range{}) {
		if len(r.SVG) > 64<<10 {
			t.Errorf("%s: the SVG is %d bytes", r.ID, len(r.SVG))
		}
		if r.ID == "durations" {
			svg := string(r.SVG)
			if !strings.Contains(svg, `class="sev sev-2 bin"`) || strings.Contains(svg, `class="sev sev-2 dot"`) {
				t.Error("the SEV2 strips of thousands of incidents are not histograms")
			}
		}
	}
}

// BenchmarkBuild builds every report of a library of 100,000 incidents.
func BenchmarkBuild(b *testing.B) {
	l := bigLibrary(b, 100_000)
	b.ResetTimer()
	for b.Loop() {
		if rs := Build(l, fixtureNow, Range{}); len(rs) == 0 {
			b.Fatal("no reports")
		}
	}
}
