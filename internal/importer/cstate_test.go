package importer

import (
	"testing"
	"time"
)

// The dates real status pages hold, and what they mean.
func TestParseTime(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	for _, c := range []struct {
		in, want, precision string
		loc                 *time.Location
	}{
		{"2020-11-12 15:54:00", "2020-11-12T15:54:00Z", "", nil},
		{"2020-11-12 15:54:00", "2020-11-12T15:54:00+01:00", "", berlin},
		{"2021-04-12T8:00:00-00:00", "2021-04-12T08:00:00Z", "", nil},
		{"2026-06-11T07:00:00-05:00", "2026-06-11T07:00:00-05:00", "", nil},
		{"2026-06-11T07:00", "2026-06-11T07:00:00Z", "", nil},
		{"2026-06-11 07:00 UTC", "2026-06-11T07:00:00Z", "", nil},
		{"2021-04-12", "2021-04-12T00:00:00Z", "day", berlin},
		{"2021-4-2", "2021-04-02T00:00:00Z", "day", nil},
	} {
		got, err := ParseTime(c.in, c.loc)
		if err != nil || got.At.Format(time.RFC3339) != c.want || got.Precision != c.precision {
			t.Errorf("ParseTime(%q) = %s %q, %v; want %s %q", c.in, got.At.Format(time.RFC3339), got.Precision, err, c.want, c.precision)
		}
	}
	for _, bad := range []string{"", "yesterday", "2021-13-01", "2021-02-30", "2021-02-03 25:00", "2021-02-03T10:61"} {
		if _, err := ParseTime(bad, nil); err == nil {
			t.Errorf("ParseTime(%q) accepted", bad)
		}
	}
}

// A body's updates, newest first as status pages write them, come out
// oldest first with the times their markers give.
func TestCStateEntries(t *testing.T) {
	body := "[Final message]\nDone.\n\n[Update - 2021-04-12 07h30 UTC]\nHalf way.\n\n[Update]\nStill going.\n\n" +
		"[INFRA-1](https://issues.example.com/INFRA-1) is not a marker\n\n[Initial message]\nStarting.\n```\n[not a marker]\n```\n"
	segs := cstateSegments(body)
	start := Time{At: time.Date(2021, 4, 12, 6, 0, 0, 0, time.UTC)}
	end := Time{At: time.Date(2021, 4, 12, 8, 0, 0, 0, time.UTC)}
	got := CState{}.entries(segs, start, end)
	want := []struct{ text, at, precision string }{
		{"Starting.\n```\n[not a marker]\n```", "06:00", ""},
		{"Still going.\n\n[INFRA-1](https://issues.example.com/INFRA-1) is not a marker", "06:00", "unknown"},
		{"Half way.", "07:30", ""},
		{"Done.", "08:00", ""},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d entries: %+v", len(got), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Text != w.text || g.At.At.Format("15:04") != w.at || g.At.Precision != w.precision || !g.Public {
			t.Errorf("entry %d = %q at %s %q; want %q at %s %q", i, g.Text, g.At.At.Format("15:04"), g.At.Precision, w.text, w.at, w.precision)
		}
	}
}
