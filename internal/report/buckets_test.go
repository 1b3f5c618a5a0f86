package report

import (
	"strings"
	"testing"
	"time"
)

func berlin(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestBucketStart checks that instants fall in the week, month and
// quarter of their local date, whatever their offset, around the
// daylight-saving changes and New Year.
func TestBucketStart(t *testing.T) {
	loc := berlin(t)
	cases := []struct {
		at                   string
		week, month, quarter string // local dates of the bucket starts
	}{
		// 23:30 UTC on Sunday is already Monday in Berlin: a new week.
		{"2026-03-01T23:30:00Z", "2026-03-02", "2026-03-01", "2026-01-01"},
		{"2026-03-01T22:59:00Z", "2026-02-23", "2026-03-01", "2026-01-01"},
		// the Sunday the clocks go forward; Monday after it.
		{"2026-03-29T03:30:00+02:00", "2026-03-23", "2026-03-01", "2026-01-01"},
		{"2026-03-30T00:00:00+02:00", "2026-03-30", "2026-03-01", "2026-01-01"},
		// the second 02:30 of the night the clocks go back.
		{"2026-10-25T02:30:00+01:00", "2026-10-19", "2026-10-01", "2026-10-01"},
		// New Year's Eve 23:50 and 00:30 are the same week (Monday 29
		// December) but different months, quarters and years.
		{"2025-12-31T23:50:00+01:00", "2025-12-29", "2025-12-01", "2025-10-01"},
		{"2026-01-01T00:30:00+01:00", "2025-12-29", "2026-01-01", "2026-01-01"},
		// 23:30 UTC on 31 December is New Year in Berlin.
		{"2025-12-31T23:30:00Z", "2025-12-29", "2026-01-01", "2026-01-01"},
	}
	for _, c := range cases {
		at := ts(c.at)
		for _, u := range []struct {
			unit unit
			want string
		}{{weekly, c.week}, {monthly, c.month}, {quarterly, c.quarter}} {
			got := u.unit.start(at, loc)
			if isoDay(got) != u.want || got.Hour() != 0 || got.Minute() != 0 || got.Location() != loc {
				t.Errorf("%s start of %s = %s, want %s 00:00 in Berlin", u.unit, c.at, got, u.want)
			}
		}
	}
}

// TestSeries checks consecutive buckets: a week with a daylight-saving
// change is 167 or 169 hours long, and lookups at the edges land right.
func TestSeries(t *testing.T) {
	loc := berlin(t)
	now := ts("2026-04-01T12:00:00+02:00")
	s := lastBuckets(weekly, 3, now, loc, time.Time{})
	if len(s.starts) != 3 || isoDay(s.starts[0]) != "2026-03-16" || isoDay(s.end) != "2026-04-06" {
		t.Fatalf("weeks %v to %v", s.starts, s.end)
	}
	if h := s.starts[2].Sub(s.starts[1]).Hours(); h != 167 {
		t.Errorf("the week the clocks go forward is %v hours, want 167", h)
	}
	cases := map[string]int{
		"2026-03-15T23:59:59+01:00": -1,
		"2026-03-16T00:00:00+01:00": 0,
		"2026-03-29T23:59:00+02:00": 1,
		"2026-03-29T22:30:00Z":      2, // 00:30 on Monday in Berlin
		"2026-04-05T23:59:00+02:00": 2,
		"2026-04-06T00:00:00+02:00": -1,
	}
	for at, want := range cases {
		if got := s.index(ts(at)); got != want {
			t.Errorf("index(%s) = %d, want %d", at, got, want)
		}
	}
	if !s.running(2, now) || s.running(1, now) {
		t.Error("only the last week contains now")
	}
	if got := s.describe(); got != "the 3 weeks from 16 Mar 2026 to 1 Apr 2026" {
		t.Errorf("describe = %q (the series ends today, not at the end of the week)", got)
	}

	fall := lastBuckets(weekly, 2, ts("2026-10-26T12:00:00+01:00"), loc, time.Time{})
	if h := fall.starts[1].Sub(fall.starts[0]).Hours(); h != 169 {
		t.Errorf("the week the clocks go back is %v hours, want 169", h)
	}

	m := lastBuckets(monthly, 24, ts("2026-02-10T12:00:00+01:00"), loc, ts("2025-11-20T10:00:00Z"))
	var keys []string
	for i := range m.starts {
		keys = append(keys, m.key(i))
	}
	if got := strings.Join(keys, " "); got != "2025-11 2025-12 2026-01 2026-02" {
		t.Errorf("months when the data starts later than 24 months ago: %s", got)
	}
	main, sub := m.axisLabels()
	if strings.Join(main, ",") != "Nov,Dec,Jan,Feb" || strings.Join(sub, ",") != "2025,,2026," {
		t.Errorf("axis labels %q / %q", main, sub)
	}
	q := lastBuckets(quarterly, 8, ts("2026-02-10T12:00:00+01:00"), loc, time.Time{})
	if len(q.starts) != 8 || q.key(0) != "2024-Q2" || q.key(7) != "2026-Q1" || q.label(7) != "Q1 2026" {
		t.Errorf("quarters %s..%s", q.key(0), q.key(len(q.starts)-1))
	}
}

// TestHeatmapCell checks the weekday and hour of instants in the
// organisation's zone, across both daylight-saving changes.
func TestHeatmapCell(t *testing.T) {
	loc := berlin(t)
	cases := []struct {
		at        string
		day, hour int
	}{
		{"2026-11-24T01:10:00Z", 1, 2},       // Tuesday 02:10 CET
		{"2026-03-29T00:59:00Z", 6, 1},       // Sunday 01:59 CET, just before the change
		{"2026-03-29T01:00:00Z", 6, 3},       // the next minute is 03:00 CEST
		{"2026-10-25T00:30:00Z", 6, 2},       // the first 02:30 (CEST)
		{"2026-10-25T01:30:00Z", 6, 2},       // the second 02:30 (CET)
		{"2025-12-31T23:30:00Z", 3, 0},       // Thursday, New Year's Day, 00:30
		{"2026-06-01T08:00:00-04:00", 0, 14}, // Monday morning in New York is afternoon in Berlin
	}
	for _, c := range cases {
		d, h := heatmapCell(ts(c.at), loc)
		if d != c.day || h != c.hour {
			t.Errorf("%s: %s %02d h, want %s %02d h", c.at, dayNames[d], h, dayNames[c.day], c.hour)
		}
	}
}

// TestLongSeriesLabels checks the names of year buckets and how the axis
// labels of long series thin out: quarters to Q1 past 24 of them, years to
// every second, fifth, tenth one past 16, 32, 80.
func TestLongSeriesLabels(t *testing.T) {
	loc := berlin(t)
	y := spanBuckets(yearly, yearly.start(ts("1999-07-01T00:00:00Z"), loc), yearly.start(ts("2026-02-10T12:00:00+01:00"), loc))
	if len(y.starts) != 28 || y.key(0) != "1999" || y.label(27) != "2026" || isoDay(y.end) != "2027-01-01" {
		t.Errorf("years %s..%s (%d), end %s", y.key(0), y.label(len(y.starts)-1), len(y.starts), isoDay(y.end))
	}
	if i := y.index(ts("2000-12-31T23:30:00Z")); i != 2 {
		t.Errorf("00:30 on New Year's Day 2001 in Berlin is in bucket %d, want 2 (2001)", i)
	}
	main, sub := y.axisLabels()
	if got := strings.Join(main, ","); got != ",2000,,2002,,2004,,2006,,2008,,2010,,2012,,2014,,2016,,2018,,2020,,2022,,2024,,2026" ||
		strings.Join(sub, "") != "" {
		t.Errorf("28 years labelled %q / %q", main, sub)
	}
	q := spanBuckets(quarterly, quarterly.start(ts("2019-03-15T00:00:00Z"), loc), quarterly.start(ts("2026-10-31T00:00:00Z"), loc))
	main, sub = q.axisLabels()
	if len(q.starts) != 32 || main[0] != "Q1" || main[1] != "" || main[4] != "Q1" || sub[0] != "2019" || sub[4] != "2020" {
		t.Errorf("32 quarters labelled %q / %q", main, sub)
	}
	q = lastBuckets(quarterly, 8, ts("2026-02-10T12:00:00+01:00"), loc, time.Time{})
	if main, _ := q.axisLabels(); strings.Join(main, ",") != "Q2,Q3,Q4,Q1,Q2,Q3,Q4,Q1" {
		t.Errorf("8 quarters labelled %q", main)
	}
}
