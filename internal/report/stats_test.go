package report

import (
	"math"
	"testing"
	"time"
)

func TestQuantile(t *testing.T) {
	cases := []struct {
		name   string
		values []float64
		q      float64
		want   float64
	}{
		{"median of an odd count is the middle", []float64{1, 2, 30}, 0.5, 2},
		{"median of an even count is the mean of the middle two", []float64{1, 2, 4, 100}, 0.5, 3},
		{"one value is every quantile", []float64{7}, 0.9, 7},
		{"p90 of 1..10 interpolates between 9 and 10", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9, 9.1},
		{"p90 of two values", []float64{60, 90}, 0.9, 87},
		{"p25 of 1..5", []float64{1, 2, 3, 4, 5}, 0.25, 2},
		{"p0 is the minimum", []float64{3, 4, 5}, 0, 3},
		{"p100 is the maximum", []float64{3, 4, 5}, 1, 5},
		// a skewed sample: the mean (1006.25) says nothing about the typical case
		{"skew leaves the median alone", []float64{5, 10, 10, 4000}, 0.5, 10},
	}
	for _, c := range cases {
		if got := quantile(c.values, c.q); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: quantile(%v, %v) = %v, want %v", c.name, c.values, c.q, got, c.want)
		}
	}
	if got := quantile(nil, 0.5); !math.IsNaN(got) {
		t.Errorf("quantile of nothing = %v, want NaN", got)
	}
}

func TestSummarise(t *testing.T) {
	s := summarise([]float64{10, 20, 30, 40, 50, 60, 70, 80, 90, 1000})
	want := summary{n: 10, min: 10, p25: 32.5, median: 55, p75: 77.5, p90: 181, max: 1000}
	got := []float64{s.min, s.p25, s.median, s.p75, s.p90, s.max}
	for i, w := range []float64{want.min, want.p25, want.median, want.p75, want.p90, want.max} {
		if s.n != want.n || math.Abs(got[i]-w) > 1e-9 {
			t.Errorf("summarise = %+v, want %+v", s, want)
			break
		}
	}
}

func TestNiceTicks(t *testing.T) {
	cases := []struct {
		max  float64
		n    int
		want []float64
	}{
		{1, 4, []float64{0, 1}},
		{3, 4, []float64{0, 1, 2, 3}},
		{7, 4, []float64{0, 2, 4, 6, 8}},
		{72, 5, []float64{0, 20, 40, 60, 80}},
		{1033, 5, []float64{0, 250, 500, 750, 1000, 1250}},
		{0, 4, []float64{0, 1}},
	}
	for _, c := range cases {
		got := niceTicks(c.max, c.n, 1)
		if len(got) != len(c.want) {
			t.Errorf("niceTicks(%v) = %v, want %v", c.max, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("niceTicks(%v) = %v, want %v", c.max, got, c.want)
				break
			}
		}
	}
}

func TestLogAxis(t *testing.T) {
	a := newLogAxis(100, 600, 3, 3000) // 3 min to about 2 days
	if a.lo != 2 || a.hi != 4320 {
		t.Errorf("domain %v..%v min, want 2..4320 (the ticks around the data)", a.lo, a.hi)
	}
	labels := map[string]bool{}
	for i, tk := range a.ticks {
		labels[tk.label] = true
		if i > 0 && a.x(tk.at)-a.x(a.ticks[i-1].at) < minTickGap {
			t.Errorf("ticks %s and %s are too close", a.ticks[i-1].label, tk.label)
		}
	}
	for _, l := range []string{"1 h", "1 d"} {
		if !labels[l] {
			t.Errorf("the axis has no %q tick: %+v", l, a.ticks)
		}
	}
	if x := a.x(60); x <= a.x(30) || x >= a.x(120) {
		t.Error("the axis is not increasing")
	}
	if a.x(0.001) != 100 || a.x(1e9) != 600 {
		t.Error("values outside the domain are not clamped to its ends")
	}
}

func TestHeatClass(t *testing.T) {
	cases := []struct{ v, most, want int }{
		{0, 3, 0}, {1, 1, 5}, {1, 2, 3}, {2, 2, 5}, {1, 10, 1}, {2, 10, 1}, {3, 10, 2}, {10, 10, 5}, {6, 10, 3},
	}
	for _, c := range cases {
		if got := heatClass(c.v, c.most); got != c.want {
			t.Errorf("heatClass(%d, %d) = %d, want %d", c.v, c.most, got, c.want)
		}
	}
	r := heatRanges(10)
	if r != [5][2]int{{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}} {
		t.Errorf("heatRanges(10) = %v", r)
	}
	if r := heatRanges(2); r != [5][2]int{{}, {}, {1, 1}, {}, {2, 2}} {
		t.Errorf("heatRanges(2) = %v", r)
	}
}

func TestMinutes(t *testing.T) {
	if got := minutes(75); got != "1 h 15 min" {
		t.Errorf("minutes(75) = %q", got)
	}
	if got := minutes(float64(26 * time.Hour / time.Minute)); got != "1 d 2 h" {
		t.Errorf("minutes(26 h) = %q", got)
	}
}
