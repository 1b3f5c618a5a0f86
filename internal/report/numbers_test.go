package report

import (
	"strings"
	"testing"
)

// TestNumbers checks the fixture's reports against numbers worked out by
// hand (see the comments in fixture), independently of the golden files.
func TestNumbers(t *testing.T) {
	rs := Build(fixture(t), fixtureNow, Range{})

	monthly := byID(t, rs, "incidents-monthly").Data.(countsData)
	if monthly.Window.From != "2025-12-01" || monthly.Window.To != "2026-11-30" || len(monthly.Buckets) != 12 {
		t.Errorf("monthly window %+v with %d buckets; want Dec 2025 (the oldest incident) to today", monthly.Window, len(monthly.Buckets))
	}
	// the declined incident (July) and the drill (June) are left out; the
	// backfill (August) counts.
	counts := map[string]string{}
	for _, b := range monthly.Buckets {
		counts[b.Start] = strings.Join(itoas(b.Counts), ",")
	}
	for month, want := range map[string]string{"2025-12": "0,1,0", "2026-01": "0,0,1", "2026-06": "0,1,0", "2026-07": "0,0,0",
		"2026-08": "0,0,1", "2026-11": "2,0,1"} {
		if counts[month] != want {
			t.Errorf("%s: counts by severity %s, want %s", month, counts[month], want)
		}
	}
	if last := monthly.Buckets[len(monthly.Buckets)-1]; !last.Running || monthly.Buckets[0].Running {
		t.Error("only the current month is running")
	}

	d := byID(t, rs, "durations").Data.(durationsData)
	mitigate := d.Measures[1].Severities[0] // SEV1
	// 90 min, and 60 min measured from detection (no start recorded):
	// median 75 min, p90 60 + 0.9 × 30 = 87 min.
	if mitigate.N != 2 || mitigate.Median != 75*60 || mitigate.P90 != 87*60 {
		t.Errorf("SEV1 time to mitigate %+v", mitigate)
	}
	if detect := d.Measures[0].Severities[0]; detect.N != 1 || detect.Median != 15*60 {
		t.Errorf("SEV1 time to detect %+v: the incident without a start has no time to detect", detect)
	}

	h := byID(t, rs, "start-heatmap").Data.(heatmapData)
	for _, c := range []struct{ day, hour, want int }{
		{1, 2, 1},  // Tuesday 02:10
		{6, 2, 1},  // the second 02:30 of the night the clocks go back
		{6, 3, 1},  // 03:30 the night they go forward
		{3, 0, 1},  // 00:30 on New Year's Day, a Thursday
		{2, 23, 1}, // 23:40 on New Year's Eve
		{0, 20, 1}, // detected at 20:05 when no start was recorded
	} {
		if got := h.Counts[c.day][c.hour]; got != c.want {
			t.Errorf("%s %02d h: %d incidents, want %d", dayNames[c.day], c.hour, got, c.want)
		}
	}
	if h.Total != 10 {
		t.Errorf("heatmap total %d, want 10", h.Total)
	}

	resp := byID(t, rs, "responders").Data.(respondersData)
	people := map[string]responder{}
	for _, p := range resp.People {
		people[p.Person] = p
	}
	// ben's entries: 03:00 in New York (written as his email), 14:10 and
	// 17:30 on a Monday there, and 08:30 on a Monday.
	if b := people["ben"]; b.Incidents != 3 || b.Entries != 4 || b.OffHours != 3 || b.Night != 1 || b.Roles["commander"] != 2 {
		t.Errorf("ben: %+v", b)
	}
	if a := people["ana"]; a.Incidents != 4 || a.OffHours != 2 || a.Night != 2 {
		t.Errorf("ana (the drill counts as work): %+v", a)
	}
	if _, ok := people["ben@example.com"]; ok {
		t.Error("an email is not counted as a person of its own")
	}

	pm := byID(t, rs, "postmortems").Data.(postmortemsData)
	if pm.Total != (pmCounts{Required: 6, Published: 3, InReview: 1, Missing: 2, Overdue: 3, NotRequired: 1}) {
		t.Errorf("postmortems %+v", pm.Total)
	}
	fu := byID(t, rs, "follow-ups").Data.(followUpsData)
	if fu.Total != (fuCounts{Done: 2, Dropped: 1, Open: 2, Overdue: 1}) || fu.NoDueDate != (fuCounts{Open: 1}) {
		t.Errorf("follow-ups %+v, no due date %+v", fu.Total, fu.NoDueDate)
	}

	oc := byID(t, rs, "oncall").Data.(oncallData)
	// 90 days with the autumn change: 2161 hours, shared by ana and ben.
	if len(oc.People) != 2 || oc.People[0].Hours+oc.People[1].Hours != 2161 {
		t.Errorf("on call %+v", oc.People)
	}

	tags := byID(t, rs, "tags").Data.(tagsData)
	for _, tg := range tags.Tags {
		if tg.Tag == "payments" && tg.Total != 2 {
			t.Errorf("payments: %d incidents, want 2 (the drill is left out)", tg.Total)
		}
		if tg.Tag == "search" && tg.Total != 2 {
			t.Errorf("search: %d incidents, want 2 (the declined one is left out)", tg.Total)
		}
	}
}

// Pages addressed to a person count in the responder load like pages
// from a rotation.
func TestNotifiedPagesCount(t *testing.T) {
	l := fixture(t)
	l.Incidents[0].Notified = []string{"ana", "ana"}
	before := 0
	for _, p := range byID(t, Build(fixture(t), fixtureNow, Range{}), "responders").Data.(respondersData).People {
		if p.Person == "ana" {
			before = p.Paged
		}
	}
	found := false
	for _, p := range byID(t, Build(l, fixtureNow, Range{}), "responders").Data.(respondersData).People {
		if p.Person == "ana" {
			found = true
			if p.Paged != before+2 {
				t.Errorf("ana paged %d, want %d", p.Paged, before+2)
			}
		}
	}
	if !found {
		t.Error("ana is not among the responders")
	}
}
