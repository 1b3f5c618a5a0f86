package ops

import (
	"testing"
	"time"
)

func TestWhen(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data")
	}
	if at, err := At(""); err != nil || !at.IsZero() {
		t.Errorf(`At("") = %v, %v; want now (zero)`, at, err)
	}
	for _, bad := range []string{"yesterday", "1969-12-31T23:00:00Z", "2026-03-02"} {
		if _, err := At(bad); !IsInput(err) {
			t.Errorf("At(%q) = %v; want an input error", bad, err)
		}
	}
	d, err := Instant("from", "2026-03-29", berlin)
	if err != nil || !d.Equal(time.Date(2026, 3, 28, 23, 0, 0, 0, time.UTC)) {
		t.Errorf("a date is its midnight in the given zone: got %v, %v", d, err)
	}
	for _, w := range [][2]string{{"2026-03-02", "2026-03-02"}, {"2026-03-02", "2026-03-01"}, {"2020-01-01", "2024-01-01"}, {"2026-03-01", "soon"}} {
		if _, _, err := Window(w[0], w[1], time.UTC); !IsInput(err) {
			t.Errorf("Window(%q, %q) = %v; want an input error", w[0], w[1], err)
		}
	}
	if f, to, err := Window("2026-03-01", "2026-03-02T12:00:00Z", time.UTC); err != nil || to.Sub(f) != 36*time.Hour {
		t.Errorf("Window = %v..%v, %v", f, to, err)
	}
}
