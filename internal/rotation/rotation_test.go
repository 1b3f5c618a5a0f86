package rotation

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func mustParse(t testing.TB, yaml string) *Rotation {
	t.Helper()
	r, diags := Parse("rotations/test.yaml", []byte(yaml))
	if r == nil || diags.Errors() > 0 {
		t.Fatalf("parse: %v", diags)
	}
	return r
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestAt is the table of exact answers: daylight-saving transitions in
// three zones (Lord Howe's clocks move by 30 minutes), handoffs in a gap
// and in a fold, effective-dated changes, layers, restrictions and
// overlapping overrides.
func TestAt(t *testing.T) {
	cases := []struct {
		name, yaml string
		at         map[string]string // instant → person ("" for nobody)
	}{
		{"weekly London handoff stays at 09:00 local across the March change", `
org: eng
timezone: Europe/London
layers:
  - members: [alice, bob]
    shift: 1w
    start: 2027-03-22T09:00:00Z
`, map[string]string{
			"2027-03-22T09:00:00Z": "alice",
			"2027-03-29T07:59:00Z": "alice", // 08:59 BST
			"2027-03-29T08:00:00Z": "bob",   // 09:00 BST
			"2027-04-05T07:59:00Z": "bob",
			"2027-04-05T08:00:00Z": "alice",
			"2027-03-22T08:59:00Z": "", // before the start
		}},
		{"New York daily handoff at 02:30 falls into the spring gap", `
org: eng
timezone: America/New_York
layers:
  - members: [alice, bob, carol]
    shift: 1d
    start: 2027-03-12T02:30:00-05:00
`, map[string]string{
			"2027-03-13T07:29:00Z": "alice", // 02:29 EST on the 13th
			"2027-03-13T07:30:00Z": "bob",   // 02:30 EST
			"2027-03-14T06:59:00Z": "bob",   // 01:59 EST: just before the jump
			"2027-03-14T07:00:00Z": "carol", // 03:00 EDT: 02:30 does not exist, the handoff is at the jump
			"2027-03-15T06:29:00Z": "carol", // 02:29 EDT
			"2027-03-15T06:30:00Z": "alice", // 02:30 EDT
		}},
		{"New York handoff at 01:30 in the November fold happens at the first 01:30", `
org: eng
timezone: America/New_York
layers:
  - members: [alice, bob]
    shift: 1d
    start: 2026-10-31T01:30:00-04:00
`, map[string]string{
			"2026-11-01T05:29:00Z": "alice", // 01:29 EDT
			"2026-11-01T05:30:00Z": "bob",   // 01:30 EDT, the first one
			"2026-11-01T06:30:00Z": "bob",   // 01:30 EST, the second one: no second handoff
			"2026-11-02T06:29:00Z": "bob",
			"2026-11-02T06:30:00Z": "alice", // 01:30 EST
		}},
		{"Lord Howe: clocks move 30 minutes; a 02:15 handoff happens at 02:30", `
org: eng
timezone: Australia/Lord_Howe
layers:
  - members: [alice, bob]
    shift: 1d
    start: 2026-10-02T02:15:00+10:30
`, map[string]string{
			// 2026-10-04 02:00 +10:30 → 02:30 +11:00
			"2026-10-02T15:44:00Z": "alice", // 02:14 +10:30 on the 3rd
			"2026-10-02T15:45:00Z": "bob",   // 02:15 +10:30 on the 3rd
			"2026-10-03T15:29:00Z": "bob",   // 01:59 +10:30 on the 4th, just before the jump
			"2026-10-03T15:30:00Z": "alice", // the jump, 02:30 +11:00: 02:15 did not exist
			"2026-10-04T15:14:00Z": "alice", // 02:14 +11:00 on the 5th
			"2026-10-04T15:15:00Z": "bob",   // 02:15 +11:00
		}},
		{"effective-dated change restarts with the new members and keeps the past", `
org: eng
timezone: UTC
layers:
  - members: [alice, bob]
    shift: 1d
    start: 2026-01-01T09:00:00Z
    changes:
      - from: 2026-01-10T12:00:00Z
        members: [carol, dave]
`, map[string]string{
			"2026-01-09T09:00:00Z": "alice", // day 8
			"2026-01-10T11:59:00Z": "bob",
			"2026-01-10T12:00:00Z": "carol", // partial shift up to the next 09:00
			"2026-01-11T08:59:00Z": "carol",
			"2026-01-11T09:00:00Z": "dave",
			"2026-01-12T09:00:00Z": "carol",
		}},
		{"a restricted higher layer wins in its window; overlapping overrides: the last wins", `
org: eng
timezone: Europe/Berlin
layers:
  - name: base
    members: [alice]
    shift: 1w
    start: 2026-01-05T09:00:00+01:00
  - name: business-hours
    members: [bob]
    shift: 1w
    start: 2026-01-05T09:00:00+01:00
    restrictions:
      - days: [mon, tue, wed, thu, fri]
        from: "09:00"
        to: "17:00"
      - days: [sat]
        from: "22:00"
        to: "02:00"
overrides:
  - person: carol
    from: 2026-01-07T10:00:00+01:00
    to: 2026-01-07T14:00:00+01:00
  - person: dave
    from: 2026-01-07T12:00:00+01:00
    to: 2026-01-07T13:00:00+01:00
`, map[string]string{
			"2026-01-06T08:00:00Z": "bob",   // Tue 09:00 local
			"2026-01-06T16:00:00Z": "alice", // Tue 17:00 local
			"2026-01-07T09:30:00Z": "carol", // Wed 10:30 local
			"2026-01-07T11:30:00Z": "dave",  // overlaps carol's: defined later, wins
			"2026-01-07T12:30:00Z": "carol",
			"2026-01-07T13:00:00Z": "bob",
			"2026-01-10T21:30:00Z": "bob",   // Sat 22:30 local
			"2026-01-11T00:30:00Z": "bob",   // Sun 01:30 local: the Saturday window runs past midnight
			"2026-01-11T01:00:00Z": "alice", // Sun 02:00 local
		}},
		{"hour shifts with a handoff time: 12h from 08:00, aligned across the DST change", `
org: eng
timezone: Europe/Berlin
layers:
  - members: [alice, bob]
    shift: 12h
    start: 2027-03-26T08:00:00+01:00
    handoff: "08:00"
`, map[string]string{
			"2027-03-27T19:59:00Z": "bob",   // 20:59 CET Sat
			"2027-03-28T05:59:00Z": "bob",   // 07:59 CEST Sun: the night shift was 11 hours
			"2027-03-28T06:00:00Z": "alice", // 08:00 CEST
			"2027-03-28T17:59:00Z": "alice", // 19:59 CEST
			"2027-03-28T18:00:00Z": "bob",   // 20:00 CEST
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := mustParse(t, c.yaml)
			for at, want := range c.at {
				got, _, _, ok := r.At(ts(at))
				if !ok {
					got = ""
				}
				if got != want {
					t.Errorf("At(%s = %s) = %q, want %q", at, ts(at).In(r.loc).Format("Mon 2006-01-02 15:04 MST"), got, want)
				}
			}
		})
	}
}

var zones = []string{"UTC", "Europe/London", "America/New_York", "Australia/Lord_Howe", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns"}

func randomRotation(rng *rand.Rand, restricted bool) string {
	zone := zones[rng.IntN(len(zones))]
	shifts := []string{"1w", "2d", "1d", "12h", "8h", "3d12h", "90m"}
	members := []string{"a", "b", "c", "d"}[:1+rng.IntN(4)]
	start := time.Date(2019+rng.IntN(8), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), rng.IntN(4)*15, 0, 0, time.UTC)
	y := fmt.Sprintf("org: eng\ntimezone: %s\nlayers:\n  - members: [%s]\n    shift: %s\n    start: %s\n", zone,
		strings.Join(members, ", "), shifts[rng.IntN(len(shifts))], start.Format(time.RFC3339))
	if rng.IntN(2) == 0 {
		y += fmt.Sprintf("    handoff: \"%02d:%02d\"\n", rng.IntN(24), rng.IntN(4)*15)
	}
	if restricted {
		y += "    restrictions:\n      - days: [mon, wed, fri]\n        from: \"09:00\"\n        to: \"17:30\"\n"
	}
	if rng.IntN(3) == 0 {
		y += fmt.Sprintf("    changes:\n      - from: %s\n        members: [x, y]\n", start.AddDate(0, 1+rng.IntN(30), 0).Format(time.RFC3339))
	}
	return y
}

// TestScheduleProperties: for random rotations and windows, a layer's
// schedule covers the window with no gaps and no overlaps (nobody is on
// call only where restrictions say so), and agrees with At everywhere.
func TestScheduleProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 300; i++ {
		restricted := i%3 == 0
		y := randomRotation(rng, restricted)
		r := mustParse(t, y)
		from := time.Date(2019+rng.IntN(9), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), 0, 0, 0, time.UTC)
		to := from.Add(time.Duration(1+rng.IntN(60*24)) * time.Hour)
		segs := r.LayerSchedule(0, from, to)
		if len(segs) == 0 || !segs[0].Start.Equal(from) || !segs[len(segs)-1].End.Equal(to) {
			t.Fatalf("schedule does not span the window\n%s", y)
		}
		for j, s := range segs {
			if !s.End.After(s.Start) {
				t.Fatalf("empty or reversed segment %v\n%s", s, y)
			}
			if j > 0 && !segs[j-1].End.Equal(s.Start) {
				t.Fatalf("gap or overlap between %v and %v\n%s", segs[j-1], s, y)
			}
			if s.Person == "" && !restricted && !s.End.Before(r.Layers[0].Start) && s.Start.After(r.Layers[0].Start) {
				t.Fatalf("nobody on call in an unrestricted layer at %v\n%s", s, y)
			}
			for _, probe := range []time.Time{s.Start, s.End.Add(-time.Second), s.Start.Add(s.End.Sub(s.Start) / 2)} {
				if p, _ := r.Layers[0].at(probe, r.loc); p != s.Person {
					t.Fatalf("At(%v) = %q but the schedule says %q\n%s", probe, p, s.Person, y)
				}
			}
		}
	}
}

// BenchmarkAt: the cost of "who is on call" does not grow with the age of
// the rotation.
func BenchmarkAt(b *testing.B) {
	now := ts("2026-11-25T12:00:00Z")
	for _, age := range []string{"1 day", "10 years"} {
		start := now.AddDate(0, 0, -1)
		if age == "10 years" {
			start = now.AddDate(-10, 0, 0)
		}
		r := mustParse(b, fmt.Sprintf("org: eng\ntimezone: Europe/Berlin\nlayers:\n  - members: [a, b, c, d, e]\n    shift: 12h\n    start: %s\n", start.Format(time.RFC3339)))
		b.Run("started "+age+" ago", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				r.At(now.Add(time.Duration(i%1000) * time.Minute))
			}
		})
	}
}

// FuzzParse: no rotation file makes Parse, At or Schedule panic or loop.
func FuzzParse(f *testing.F) {
	f.Add([]byte("org: eng\ntimezone: Australia/Lord_Howe\nlayers:\n  - members: [a, b]\n    shift: 1d\n    start: 2026-10-02T02:15:00+10:30\n    handoff: \"02:15\"\n"))
	f.Add([]byte("org: eng\ntimezone: UTC\nlayers:\n  - members: [a]\n    shift: 1m\n    start: 2026-01-01T00:00:00Z\n    restrictions:\n      - from: \"23:00\"\n        to: \"01:00\"\n"))
	f.Add([]byte("org: x\ntimezone: America/New_York\nlayers: []\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, _ := Parse("rotations/fuzz.yaml", data)
		if r == nil {
			return
		}
		at := time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC)
		r.At(at)
		r.Schedule(at, at.Add(72*time.Hour))
	})
}
