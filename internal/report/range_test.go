package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/golden"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/library"
	"github.com/sev-dev/sev/internal/postmortem"
)

// history is the fixture with years of imported history before it: an
// incident every eleven days from January 2019 to November 2025, of every
// severity, some declined and some drills, with tags, postmortems in
// every state and follow-ups dated, undated, done, open and dropped.
func history(t testing.TB) *library.Library {
	l := fixture(t)
	berlin := l.Settings.Location()
	tags := []string{"payments", "search", "deploy", "dns", "capacity"}
	pmStatus := []string{"published", "in-review", "draft", ""}
	fuStatus := []string{"done", "", "dropped"}
	people := []string{"ana", "ben"}
	for i := 0; ; i++ {
		declared := time.Date(2019, 1, 3+11*i, (i*7)%24, 15, 0, 0, berlin)
		if declared.After(time.Date(2025, 11, 30, 0, 0, 0, 0, berlin)) {
			break
		}
		started := declared.Add(-time.Duration(10+i%30) * time.Minute)
		detected := started.Add(time.Duration(i%45) * time.Minute)
		mitigated := declared.Add(time.Duration(20+(i*37)%600) * time.Minute)
		resolved := mitigated.Add(time.Duration((i*13)%48) * time.Hour)
		sp := spec{id: fmt.Sprintf("%s-history-%d", isoDay(declared), i), sev: 1 + (i*5%7)%3, status: "resolved",
			tags:  []string{tags[i%5]},
			m:     incident.Times{Started: started, Detected: detected, Declared: declared, Mitigated: mitigated, Resolved: resolved},
			roles: map[string]string{"commander": people[i%2]},
			activity: []library.Activity{library.NewActivity(people[i%2], declared),
				library.NewActivity(people[(i+1)%2], mitigated)}}
		switch {
		case i%17 == 5:
			sp.status = "declined"
		case i%13 == 7:
			sp.kind = "drill"
		}
		if i%3 == 0 {
			sp.tags = append(sp.tags, "customer-facing")
		}
		if st := pmStatus[i%4]; sp.sev <= 2 && st != "" {
			sp.pm = &postmortem.Meta{Status: st}
			for k := range 2 {
				f := postmortem.FollowUp{ID: fmt.Sprintf("FU-%d", k+1), Title: "Fix", Type: "prevent", Status: fuStatus[(i+k)%3]}
				if (i+k)%4 != 0 {
					f.Due = isoDay(resolved.AddDate(0, 0, 7*((i+k)%9)))
				}
				sp.pm.FollowUps = append(sp.pm.FollowUps, f)
			}
		}
		l.Incidents = append(l.Incidents, sp.incident())
	}
	return l
}

// historyRange is the range of the golden files under testdata/range:
// seven and a half years, which the monthly charts draw in quarters and
// the tags grid in years.
var historyRange = Range{Since: ts("2019-03-15T00:00:00Z"), Until: ts("2026-10-31T00:00:00Z")}

// TestGoldenRange compares every report of the history over
// historyRange with testdata/range/ (go test ./internal/report -update
// rewrites them), and the monthly incidents of a fifteen-year range, drawn
// in years, with testdata/range-years/.
func TestGoldenRange(t *testing.T) {
	for _, r := range Build(history(t), fixtureNow, historyRange) {
		checkSVG(t, r)
		js, err := json.MarshalIndent(r.Data, "", "  ")
		if err != nil {
			t.Fatalf("%s: %v", r.ID, err)
		}
		golden.Check(t, "range/"+r.ID+".svg", r.SVG)
		golden.Check(t, "range/"+r.ID+".json", append(js, '\n'))
		golden.Check(t, "range/"+r.ID+".txt", []byte(describe(r)))
	}
	long := Range{Since: ts("2012-01-01T00:00:00Z")}
	for _, r := range Build(history(t), fixtureNow, long) {
		checkSVG(t, r)
		if r.ID == "incidents-monthly" || r.ID == "tags" {
			golden.Check(t, "range-years/"+r.ID+".svg", r.SVG)
			golden.Check(t, "range-years/"+r.ID+".txt", []byte(describe(r)))
		}
	}
}

// TestRangeUnits checks which unit a range is counted in: months up to
// 48 of them, then quarters up to 48, then years; weeks stay weeks (the
// last 53 of a longer range); the tags grid moves to years past 24
// quarters.
func TestRangeUnits(t *testing.T) {
	l := history(t)
	cases := []struct {
		since, until               string
		monthly, weekly, tags      string // unit and number of buckets
		monthlyFrom, weeklyFrom    string
		monthlyTo, weeklyTo, tagTo string
	}{
		{"2022-01-01", "2025-12-31", "month 48", "week 53", "quarter 16", "2022-01-01", "2024-12-30", "2025-12-31", "2025-12-31", "2025-12-31"},
		{"2021-12-31", "2025-12-31", "quarter 17", "week 53", "quarter 17", "2021-12-31", "2024-12-30", "2025-12-31", "2025-12-31", "2025-12-31"},
		{"2014-01-01", "2025-12-31", "quarter 48", "week 53", "year 12", "2014-01-01", "2024-12-30", "2025-12-31", "2025-12-31", "2025-12-31"},
		{"2013-12-31", "2025-12-31", "year 13", "week 53", "year 13", "2013-12-31", "2024-12-30", "2025-12-31", "2025-12-31", "2025-12-31"},
		// a short range inside a month and a week
		{"2025-06-11", "2025-06-12", "month 1", "week 1", "quarter 1", "2025-06-11", "2025-06-11", "2025-06-12", "2025-06-12", "2025-06-12"},
	}
	for _, c := range cases {
		r := Range{Since: ts(c.since + "T00:00:00Z"), Until: ts(c.until + "T00:00:00Z")}
		rs := Build(l, fixtureNow, r)
		m := byID(t, rs, "incidents-monthly").Data.(countsData)
		w := byID(t, rs, "incidents-weekly").Data.(countsData)
		tg := byID(t, rs, "tags").Data.(tagsData)
		got := fmt.Sprintf("%s %d|%s %d|%s %d|%s %s|%s %s|%s", m.Window.Unit, len(m.Buckets), w.Window.Unit, len(w.Buckets),
			tg.Window.Unit, len(tg.Quarters)+len(tg.Years), m.Window.From, m.Window.To, w.Window.From, w.Window.To, tg.Window.To)
		want := fmt.Sprintf("%s|%s|%s|%s %s|%s %s|%s", c.monthly, c.weekly, c.tags, c.monthlyFrom, c.monthlyTo, c.weeklyFrom, c.weeklyTo, c.tagTo)
		if got != want {
			t.Errorf("%s to %s:\n got %s\nwant %s", c.since, c.until, got, want)
		}
		if title := byID(t, rs, "incidents-monthly").Title; title != "Incidents per "+m.Window.Unit {
			t.Errorf("%s to %s: the monthly report is titled %q in %ss", c.since, c.until, title, m.Window.Unit)
		}
	}
}

// TestRangeBounds checks that the first and the last day are included
// whole, in the organisation's zone (Berlin), and nothing outside them.
func TestRangeBounds(t *testing.T) {
	l := fixture(t)
	l.Incidents = nil
	for _, at := range []string{
		"2024-03-09T23:59:00+01:00", // the day before: out
		"2024-03-09T23:30:00Z",      // 00:30 on the first day in Berlin: in
		"2024-03-10T12:00:00+01:00", // in
		"2024-05-20T23:59:59+02:00", // the last minute of the last day: in
		"2024-05-20T22:00:00Z",      // midnight after it in Berlin: out
	} {
		declared := ts(at)
		l.Incidents = append(l.Incidents, spec{id: isoDay(declared) + "-x", sev: 2, status: "resolved",
			m: incident.Times{Declared: declared}}.incident())
	}
	r := Range{Since: ts("2024-03-10T00:00:00Z"), Until: ts("2024-05-20T00:00:00Z")}
	rs := Build(l, fixtureNow, r)
	for _, id := range []string{"incidents-monthly", "incidents-weekly"} {
		d := byID(t, rs, id).Data.(countsData)
		if d.Total != 3 || d.Window.From != "2024-03-10" || d.Window.To != "2024-05-20" {
			t.Errorf("%s: %d incidents from %s to %s; want 3 from 2024-03-10 to 2024-05-20", id, d.Total, d.Window.From, d.Window.To)
		}
		for _, b := range d.Buckets {
			if b.Running {
				t.Errorf("%s: %s is running in a range that ended long ago", id, b.Start)
			}
		}
	}
	rep := byID(t, rs, "incidents-monthly")
	if !strings.Contains(rep.Caption, "the 3 months from 10 Mar 2024 to 20 May 2024") || strings.Contains(rep.Caption, "still running") {
		t.Errorf("caption %q", rep.Caption)
	}
	if h := byID(t, rs, "start-heatmap").Data.(heatmapData); h.Total != 3 {
		t.Errorf("the heatmap counts %d incidents, want 3", h.Total)
	}
	oc := byID(t, rs, "oncall").Data.(oncallData)
	if oc.Window.From != "2024-03-10" || oc.Window.To != "2024-05-20" {
		t.Errorf("on call from %s to %s", oc.Window.From, oc.Window.To)
	}
}

// TestRangeOpenEnds checks the default for a bound left out: only Until
// (in the past) gives the usual lengths back from it; an Until after the
// reference time ends the incident reports at the reference time, exactly
// as no range does, while the follow-ups run on to their last due day.
func TestRangeOpenEnds(t *testing.T) {
	l := history(t)
	past := Build(l, fixtureNow, Range{Until: ts("2023-06-15T00:00:00Z")})
	m := byID(t, past, "incidents-monthly").Data.(countsData)
	if len(m.Buckets) != 24 || m.Window.From != "2021-07-01" || m.Window.To != "2023-06-15" || m.Window.Unit != "month" {
		t.Errorf("until alone: %d buckets %+v; want the 24 months to 15 Jun 2023", len(m.Buckets), m.Window)
	}
	w := byID(t, past, "incidents-weekly").Data.(countsData)
	if len(w.Buckets) != 26 || w.Window.To != "2023-06-15" {
		t.Errorf("until alone: %d weeks %+v; want 26 to 15 Jun 2023", len(w.Buckets), w.Window)
	}

	// the fixture's last follow-up is due on 15 Dec 2026
	future := Range{Until: ts("2026-12-10T00:00:00Z")}
	a, b := Build(l, fixtureNow, Range{}), Build(l, fixtureNow, future)
	for i := range a {
		ja, _ := json.Marshal(a[i].Data)
		jb, _ := json.Marshal(b[i].Data)
		same := bytes.Equal(a[i].SVG, b[i].SVG) && bytes.Equal(ja, jb)
		if same != (a[i].ID != "follow-ups") {
			t.Errorf("%s: the same with an Until after the reference time: %v", a[i].ID, same)
		}
	}
	fu := byID(t, b, "follow-ups").Data.(followUpsData)
	if fu.Window.From != "2024-12-01" || fu.Window.To != "2026-12-10" || len(fu.Months) != 25 {
		t.Errorf("follow-ups from %s to %s in %d months; want the 24 months to now and on to the range's last day, 10 Dec 2026",
			fu.Window.From, fu.Window.To, len(fu.Months))
	}
}

// TestRangeFollowUps checks that over a range an undated follow-up counts
// only when its incident is in the range, and a dated one by its due day.
func TestRangeFollowUps(t *testing.T) {
	l := fixture(t)
	// the late deploy (31 Dec 2025) has the only undated follow-up (its
	// type, other, has no weeks in the policy); the search incident (5 Oct
	// 2026) one due 20 Oct and a dropped one due 12 weeks after it was
	// resolved, in December.
	october := Range{Since: ts("2026-10-01T00:00:00Z"), Until: ts("2026-10-31T00:00:00Z")}
	fu := byID(t, Build(l, fixtureNow, october), "follow-ups").Data.(followUpsData)
	if fu.NoDueDate != (fuCounts{}) || fu.Total != (fuCounts{Overdue: 1}) || len(fu.Months) != 1 {
		t.Errorf("October 2026: undated %+v, total %+v, %d months", fu.NoDueDate, fu.Total, len(fu.Months))
	}
	december := Range{Since: ts("2025-12-01T00:00:00Z"), Until: ts("2025-12-31T00:00:00Z")}
	fu = byID(t, Build(l, fixtureNow, december), "follow-ups").Data.(followUpsData)
	if fu.NoDueDate != (fuCounts{Open: 1}) || fu.Total != (fuCounts{Open: 1}) {
		t.Errorf("December 2025: undated %+v, total %+v", fu.NoDueDate, fu.Total)
	}
	all := byID(t, Build(l, fixtureNow, Range{}), "follow-ups").Data.(followUpsData)
	if all.NoDueDate != (fuCounts{Open: 1}) || all.Total.Dropped != 1 {
		t.Errorf("without a range: undated %+v, total %+v", all.NoDueDate, all.Total)
	}
}

// TestRangeInverted builds a range that starts after the reference time,
// which the commands refuse: the reports are empty, never a panic or a
// broken chart.
func TestRangeInverted(t *testing.T) {
	for _, r := range Build(history(t), fixtureNow, Range{Since: ts("2027-01-01T00:00:00Z")}) {
		checkSVG(t, r)
		if r.ID != "oncall" && !strings.Contains(string(r.SVG), "empty-label") {
			t.Errorf("%s: a range after the reference time has something to show", r.ID)
		}
	}
}

// TestRangeDeterministic builds the history's range twice from libraries
// filled in a different order.
func TestRangeDeterministic(t *testing.T) {
	a := Build(history(t), fixtureNow, historyRange)
	l := history(t)
	for i, j := 0, len(l.Incidents)-1; i < j; i, j = i+1, j-1 {
		l.Incidents[i], l.Incidents[j] = l.Incidents[j], l.Incidents[i]
	}
	b := Build(l, fixtureNow, historyRange)
	for i := range a {
		ja, _ := json.Marshal(a[i].Data)
		jb, _ := json.Marshal(b[i].Data)
		if !bytes.Equal(a[i].SVG, b[i].SVG) || !bytes.Equal(ja, jb) || describe(a[i]) != describe(b[i]) {
			t.Errorf("%s: two builds differ", a[i].ID)
		}
	}
}

// TestRangeOr checks that flags override sev.yaml one bound at a time.
func TestRangeOr(t *testing.T) {
	a, b := ts("2020-01-01T00:00:00Z"), ts("2021-01-01T00:00:00Z")
	c := ts("2022-01-01T00:00:00Z")
	if got := (Range{Until: c}).Or(Range{Since: a, Until: b}); !got.Since.Equal(a) || !got.Until.Equal(c) {
		t.Errorf("Or = %+v", got)
	}
	if !(Range{}).IsZero() || (Range{Since: a}).IsZero() {
		t.Error("IsZero")
	}
}

// Imported incidents count unless the range leaves them out; a day-only
// start is left out of the weekday × hour heatmap either way.
func TestRangeExcludeImported(t *testing.T) {
	l := fixture(t)
	l.Incidents = nil
	for i, at := range []string{"2024-03-10T12:00:00+01:00", "2024-03-11T12:00:00+01:00", "2024-03-12T00:00:00Z"} {
		inc := spec{id: isoDay(ts(at)) + "-x", sev: 2, status: "resolved", m: incident.Times{Declared: ts(at)}}.incident()
		if i > 0 {
			inc.Record.Source = &incident.Source{System: "cstate", ID: inc.ID()}
		}
		if i == 2 {
			inc.Record.Precision = map[string]string{"declared": incident.PrecisionDay}
		}
		l.Incidents = append(l.Incidents, inc)
	}
	r := Range{Since: ts("2024-03-01T00:00:00Z"), Until: ts("2024-03-31T00:00:00Z")}
	all := Build(l, fixtureNow, r)
	if d := byID(t, all, "incidents-monthly").Data.(countsData); d.Total != 3 {
		t.Errorf("with imported incidents: %d, want 3", d.Total)
	}
	if h := byID(t, all, "start-heatmap").Data.(heatmapData); h.Total != 2 || h.NoStart != 1 {
		t.Errorf("heatmap: %d placed, %d without a time of day; want 2 and 1", h.Total, h.NoStart)
	}
	r.ExcludeImported = true
	own := Build(l, fixtureNow, r)
	if d := byID(t, own, "incidents-monthly").Data.(countsData); d.Total != 1 {
		t.Errorf("without imported incidents: %d, want 1", d.Total)
	}
}
