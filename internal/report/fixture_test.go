package report

import (
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/library"
	"github.com/sev-dev/sev/internal/postmortem"
	"github.com/sev-dev/sev/internal/rotation"
)

// fixtureNow is the reference time of the fixture: Monday 30 November
// 2026, noon in Berlin.
var fixtureNow = ts("2026-11-30T12:00:00+01:00")

func ts(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

const fixtureSettings = `
name: Fixture
timezone: Europe/Berlin
tags:
  - name: payments
  - name: search
people:
  - handle: ana
    timezone: Europe/Berlin
  - handle: ben
    timezone: America/New_York
    email: ben@example.com
`

const fixtureRotation = `
org: eng
timezone: Europe/Berlin
layers:
  - members: [ana, ben]
    shift: 1w
    start: 2026-08-31T09:00:00+02:00
`

func fixtureSettingsParsed(t testing.TB) *config.Settings {
	t.Helper()
	s, diags := config.Parse("sev.yaml", []byte(fixtureSettings))
	if diags.Errors() > 0 {
		t.Fatal(diags)
	}
	return s
}

// spec is an incident of the fixture in a few lines.
type spec struct {
	id, status, kind string
	sev              int
	m                incident.Times
	tags             []string
	roles            map[string]string
	responders       []string
	activity         []library.Activity
	pm               *postmortem.Meta
}

func act(by, at string) library.Activity { return library.NewActivity(by, ts(at)) }

// fixture is a small library that exercises every report: severities,
// a declined incident and a drill (left out of metrics), a backfill (kept),
// starts on both daylight-saving days and across New Year, an incident
// without a start time, responders in two time zones, postmortems in
// every state and follow-ups done, dropped, open, overdue and undated.
func fixture(t testing.TB) *library.Library {
	specs := []spec{
		{id: "2026-11-24-checkout-errors", sev: 1, status: "resolved", tags: []string{"payments", "deploy"},
			m: incident.Times{Started: ts("2026-11-24T02:10:00+01:00"), Detected: ts("2026-11-24T02:25:00+01:00"),
				Declared: ts("2026-11-24T02:30:00+01:00"), Mitigated: ts("2026-11-24T03:40:00+01:00"), Resolved: ts("2026-11-24T09:00:00+01:00")},
			roles: map[string]string{"commander": "ana", "comms": "ben"}, responders: []string{"carol"},
			activity: []library.Activity{act("ana", "2026-11-24T02:30:00+01:00"), act("ana", "2026-11-24T03:40:00+01:00"),
				act("ben@example.com", "2026-11-24T09:00:00+01:00"), act("carol", "2026-11-24T10:00:00+01:00")},
			pm: &postmortem.Meta{Status: "in-review", FollowUps: []postmortem.FollowUp{
				{ID: "FU-1", Title: "Canary", Due: "2026-12-15", Type: "prevent"},
				{ID: "FU-2", Title: "Alert", Due: "2026-11-27", Type: "detect", Status: "done"}}}},
		{id: "2026-11-16-payments-timeout", sev: 1, status: "resolved", tags: []string{"payments"},
			m: incident.Times{Detected: ts("2026-11-16T20:05:00+01:00"), Declared: ts("2026-11-16T20:10:00+01:00"),
				Mitigated: ts("2026-11-16T21:05:00+01:00"), Resolved: ts("2026-11-17T01:00:00+01:00")},
			roles:    map[string]string{"commander": "ben"},
			activity: []library.Activity{act("ben", "2026-11-16T20:10:00+01:00"), act("ben", "2026-11-16T23:30:00+01:00")}},
		{id: "2026-11-29-small", sev: 3, status: "open", tags: []string{"search"},
			m: incident.Times{Declared: ts("2026-11-29T18:00:00+01:00")}},
		{id: "2026-10-25-dns-dst", sev: 2, status: "resolved", tags: []string{"dns"},
			// 02:30 after the clocks went back: the second 02:30 that night.
			m: incident.Times{Started: ts("2026-10-25T02:30:00+01:00"), Detected: ts("2026-10-25T02:50:00+01:00"),
				Declared: ts("2026-10-25T03:00:00+01:00"), Mitigated: ts("2026-10-25T04:30:00+01:00"), Resolved: ts("2026-10-25T06:00:00+01:00")},
			roles: map[string]string{"commander": "ana"}},
		{id: "2026-10-05-search-slow", sev: 2, status: "closed", tags: []string{"search", "capacity"},
			m: incident.Times{Started: ts("2026-10-05T14:00:00+02:00"), Detected: ts("2026-10-05T14:20:00+02:00"),
				Declared: ts("2026-10-05T14:30:00+02:00"), Mitigated: ts("2026-10-05T16:00:00+02:00"), Resolved: ts("2026-10-06T10:00:00+02:00")},
			roles:    map[string]string{"commander": "ben", "scribe": "ana"},
			activity: []library.Activity{act("ben", "2026-10-05T14:30:00+02:00"), act("ana", "2026-10-05T15:00:00+02:00")},
			pm: &postmortem.Meta{Status: "published", FollowUps: []postmortem.FollowUp{
				{ID: "FU-1", Title: "Autoscale", Due: "2026-10-20", Type: "mitigate"},
				{ID: "FU-2", Title: "Rewrite", Type: "prevent", Status: "dropped"}}}},
		{id: "2026-08-15-backfill-email", sev: 3, status: "closed", kind: "backfill", tags: []string{"third-party"},
			m: incident.Times{Started: ts("2026-08-15T10:00:00+02:00"), Declared: ts("2026-08-15T11:00:00+02:00"), Resolved: ts("2026-08-15T13:00:00+02:00")}},
		{id: "2026-07-01-false-alarm", sev: 2, status: "declined", tags: []string{"search"},
			m: incident.Times{Declared: ts("2026-07-01T10:00:00+02:00")}},
		{id: "2026-06-10-drill", sev: 1, status: "closed", kind: "drill", tags: []string{"payments"},
			m:        incident.Times{Declared: ts("2026-06-10T10:00:00+02:00"), Resolved: ts("2026-06-10T11:00:00+02:00")},
			activity: []library.Activity{act("ana", "2026-06-10T10:00:00+02:00")}},
		{id: "2026-06-02-login-failures", sev: 2, status: "resolved", tags: []string{"auth"},
			m: incident.Times{Started: ts("2026-06-02T09:00:00+02:00"), Detected: ts("2026-06-02T09:05:00+02:00"),
				Declared: ts("2026-06-02T09:10:00+02:00"), Mitigated: ts("2026-06-02T10:00:00+02:00"), Resolved: ts("2026-06-02T12:00:00+02:00")},
			pm: &postmortem.Meta{Status: "published", FollowUps: []postmortem.FollowUp{
				{ID: "FU-1", Title: "Rate limit", Due: "2026-07-01", Type: "prevent", Status: "done"}}}},
		{id: "2026-03-29-cert-expiry", sev: 3, status: "resolved", tags: []string{"certificates"},
			// 03:30 just after the clocks went forward.
			m:  incident.Times{Started: ts("2026-03-29T03:30:00+02:00"), Declared: ts("2026-03-29T04:00:00+02:00"), Resolved: ts("2026-03-29T05:00:00+02:00")},
			pm: &postmortem.Meta{Status: "draft"}},
		{id: "2026-01-01-new-year", sev: 3, status: "open",
			m: incident.Times{Declared: ts("2026-01-01T00:30:00+01:00")}},
		{id: "2025-12-31-late-deploy", sev: 2, status: "resolved", tags: []string{"deploy"},
			m: incident.Times{Started: ts("2025-12-31T23:40:00+01:00"), Declared: ts("2025-12-31T23:50:00+01:00"), Resolved: ts("2026-01-01T02:00:00+01:00")},
			pm: &postmortem.Meta{Status: "published", FollowUps: []postmortem.FollowUp{
				{ID: "FU-1", Title: "Freeze", Type: "other"}}}},
	}
	s := fixtureSettingsParsed(t)
	l := &library.Library{Settings: s}
	for _, sp := range specs {
		l.Incidents = append(l.Incidents, sp.incident())
	}
	r, diags := rotation.Parse("rotations/primary.yaml", []byte(fixtureRotation))
	if r == nil {
		t.Fatal(diags)
	}
	l.Rotations = []*rotation.Rotation{r}
	return l
}

func (sp spec) incident() *library.Incident {
	rec := &incident.Incident{ID: sp.id, Title: sp.id[11:], Severity: sp.sev, Status: sp.status, Kind: sp.kind,
		Tags: sp.tags, Roles: sp.roles, Responders: sp.responders, Milestones: sp.m}
	if sp.pm != nil {
		sp.pm.Incident = sp.id
	}
	return &library.Incident{Record: rec, Durations: incident.DurationsOf(rec), Date: incident.DateOf(rec),
		Activity: sp.activity, Entries: len(sp.activity), Postmortem: sp.pm}
}

// byID finds a report.
func byID(t testing.TB, rs []Report, id string) Report {
	t.Helper()
	for _, r := range rs {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no report %q", id)
	return Report{}
}
