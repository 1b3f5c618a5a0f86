package rotation

import (
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/config"
)

func loadSettings(t *testing.T) *config.Settings {
	t.Helper()
	s, diags := config.Parse("sev.yaml", []byte(`
timezone: Europe/Berlin
people:
  - handle: ana
  - handle: ben
    timezone: America/New_York
    email: ben@example.com
  - handle: noor
    timezone: Asia/Tokyo
    working-hours: {days: [mon, tue], from: "22:00", to: "06:00"}
`))
	if diags.Errors() > 0 {
		t.Fatal(diags)
	}
	return s
}

func TestCalendar(t *testing.T) {
	s := loadSettings(t)
	cases := []struct {
		who, at        string
		working, night bool
	}{
		{"ana", "2026-03-02T09:00:00+01:00", true, false},  // Monday 09:00 Berlin
		{"ana", "2026-03-02T08:59:00+01:00", false, false}, // a minute early
		{"ana", "2026-03-02T17:00:00+01:00", false, false}, // the end is exclusive
		{"ana", "2026-03-02T22:00:00+01:00", false, true},
		{"ana", "2026-03-03T06:59:00+01:00", false, true},
		{"ana", "2026-03-07T12:00:00+01:00", false, false}, // Saturday
		{"stranger", "2026-03-02T10:00:00+01:00", true, false},
		// 15:00 in Berlin is 09:00 in New York; found by email too.
		{"ben", "2026-03-02T15:00:00+01:00", true, false},
		{"ben@example.com", "2026-03-02T14:59:00+01:00", false, false},
		{"ben", "2026-03-03T04:30:00+01:00", false, true}, // 22:30 Monday in New York
		// noor works Monday and Tuesday nights in Tokyo; Wednesday 03:00
		// belongs to Tuesday's shift, Thursday 03:00 to no shift.
		{"noor", "2026-03-03T03:00:00+09:00", true, true},
		{"noor", "2026-03-04T03:00:00+09:00", true, true},
		{"noor", "2026-03-05T03:00:00+09:00", false, true},
		{"noor", "2026-03-02T12:00:00+09:00", false, false},
	}
	for _, c := range cases {
		cal, err := CalendarOf(s, c.who)
		if err != nil {
			t.Fatal(err)
		}
		at := ts(c.at)
		if got := cal.Working(at); got != c.working {
			t.Errorf("%s at %s: working = %v, want %v", c.who, c.at, got, c.working)
		}
		if got := cal.Night(at); got != c.night {
			t.Errorf("%s at %s: night = %v, want %v", c.who, c.at, got, c.night)
		}
	}
}

func TestCalendarErrors(t *testing.T) {
	s := loadSettings(t)
	s.People[0].WorkingHours = &config.Hours{From: "9am", To: "17:00"}
	if _, err := CalendarOf(s, "ana"); err == nil || !strings.Contains(err.Error(), "ana's working-hours must be HH:MM") {
		t.Errorf("err = %v", err)
	}
	s.People[0].WorkingHours = &config.Hours{Days: []string{"mon", "funday"}, From: "09:00", To: "17:00"}
	cal, err := CalendarOf(s, "ana")
	if err == nil || !strings.Contains(err.Error(), `unknown day "funday"`) {
		t.Errorf("err = %v", err)
	}
	if !cal.Working(ts("2026-03-03T10:00:00+01:00")) {
		t.Error("a malformed calendar should fall back to the default week")
	}
}

func TestSplit(t *testing.T) {
	s := loadSettings(t)
	ana, _ := CalendarOf(s, "ana")
	noor, _ := CalendarOf(s, "noor")
	cases := []struct {
		name     string
		cal      Calendar
		from, to string
		want     Hours
	}{
		{"a working day", ana, "2026-03-02T00:00:00+01:00", "2026-03-03T00:00:00+01:00",
			Hours{Total: 24, Off: 16, Night: 9, OffNight: 9}},
		// Berlin skips 02:00-03:00 on Sunday 29 March 2026: the weekend
		// is 47 hours, and Saturday night 8 of them.
		{"the weekend clocks spring forward", ana, "2026-03-28T00:00:00+01:00", "2026-03-30T00:00:00+02:00",
			Hours{Total: 47, Off: 47, Night: 7 + 8 + 2, OffNight: 17}},
		{"the weekend clocks fall back", ana, "2026-10-24T00:00:00+02:00", "2026-10-26T00:00:00+01:00",
			Hours{Total: 49, Off: 49, Night: 7 + 10 + 2, OffNight: 19}},
		{"a night shift that is working hours", noor, "2026-03-02T20:00:00+09:00", "2026-03-03T08:00:00+09:00",
			Hours{Total: 12, Off: 2 + 2, Night: 9, OffNight: 1}},
		{"minutes", ana, "2026-03-02T16:30:00+01:00", "2026-03-02T17:15:00+01:00",
			Hours{Total: 0.75, Off: 0.25}},
	}
	for _, c := range cases {
		got := c.cal.Split(ts(c.from), ts(c.to))
		if got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestLoad(t *testing.T) {
	s := loadSettings(t)
	// ana is on call all week in both rotations, and ben takes ana's
	// Wednesday in "b" (the override wins there), so ana's hours count
	// once where the rotations overlap.
	a := mustParse(t, `
org: eng
timezone: Europe/Berlin
layers:
  - members: [ana]
    shift: 1w
    start: 2026-03-02T00:00:00+01:00
`)
	a.Name = "a"
	b := mustParse(t, `
org: eng
timezone: Europe/Berlin
layers:
  - members: [ana]
    shift: 1d
    start: 2026-03-02T00:00:00+01:00
    restrictions: [{days: [mon, tue, wed], from: "18:00", to: "23:00"}]
overrides:
  - person: ben
    from: 2026-03-04T18:00:00+01:00
    to: 2026-03-04T23:00:00+01:00
`)
	b.Name = "b"
	from, to := ts("2026-03-02T00:00:00+01:00"), ts("2026-03-09T00:00:00+01:00")
	got, err := Load([]*Rotation{b, a}, s, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d people: %+v", len(got), got)
	}
	ana, ben := got[0], got[1]
	if ana.Person != "ana" || ana.Hours.Total != 168 || ana.Hours.Off != 168-40 || ana.Hours.Night != 63 {
		t.Errorf("ana: %+v", ana)
	}
	if ana.Shifts != 3 || strings.Join(ana.Rotations, ",") != "b,a" {
		t.Errorf("ana's shifts %d in rotations %v; want 3 in b,a", ana.Shifts, ana.Rotations)
	}
	// 18:00-23:00 Berlin is 12:00-17:00 in New York: working hours.
	if ben.Person != "ben" || ben.Timezone != "America/New_York" || ben.Hours != (Hours{Total: 5}) {
		t.Errorf("ben: %+v", ben)
	}
	if none, err := Load(nil, s, from, to); err != nil || none == nil || len(none) != 0 {
		t.Errorf("no rotations: %#v, %v (want an empty, non-nil list)", none, err)
	}
}
