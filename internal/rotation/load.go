package rotation

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/config"
)

// Night is the part of the day, in a person's own time zone, that counts
// as night: from NightStart to NightEnd minutes after midnight (22:00 to
// 07:00).
const (
	NightStart = 22 * 60
	NightEnd   = 7 * 60
)

// Calendar is when a person works: their time zone and working week
// (sev.yaml people[].timezone and working-hours; by default the
// organisation's zone and Monday to Friday 09:00-17:00).
type Calendar struct {
	Location *time.Location
	days     [7]bool // by time.Weekday
	from, to int     // minutes after midnight; from > to runs past midnight
}

// CalendarOf returns the calendar of the person with the handle (or email
// or GitHub login). Someone not in sev.yaml gets the defaults. On an error
// (a malformed working-hours, which sev validate reports) the defaults
// are returned with it.
func CalendarOf(s *config.Settings, handle string) (Calendar, error) {
	c := Calendar{Location: s.Location(), days: [7]bool{false, true, true, true, true, true, false}, from: 9 * 60, to: 17 * 60}
	p, ok := s.Person(handle)
	if !ok {
		return c, nil
	}
	if p.Timezone != "" {
		if l, err := config.LoadLocation(p.Timezone); err == nil {
			c.Location = l
		}
	}
	h := p.WorkingHours
	if h == nil {
		return c, nil
	}
	f, err1 := time.Parse("15:04", h.From)
	t, err2 := time.Parse("15:04", h.To)
	if err1 != nil || err2 != nil {
		return c, fmt.Errorf("sev.yaml: %s's working-hours must be HH:MM times", handle)
	}
	w := c
	w.from, w.to = f.Hour()*60+f.Minute(), t.Hour()*60+t.Minute()
	if len(h.Days) > 0 {
		w.days = [7]bool{}
		for _, d := range h.Days {
			i := slices.Index(weekdays, strings.ToLower(d))
			if i < 0 {
				return c, fmt.Errorf("sev.yaml: %s's working-hours has an unknown day %q", handle, d)
			}
			w.days[i] = true
		}
	}
	return w, nil
}

// Working reports whether t falls in the person's working hours. A window
// that runs past midnight belongs to the day it starts on.
func (c Calendar) Working(t time.Time) bool {
	t = t.In(c.Location)
	m := t.Hour()*60 + t.Minute()
	if c.from < c.to {
		return c.days[t.Weekday()] && m >= c.from && m < c.to
	}
	return (c.days[t.Weekday()] && m >= c.from) || (c.days[(t.Weekday()+6)%7] && m < c.to)
}

// Night reports whether t is at night (22:00-07:00) in the person's zone.
func (c Calendar) Night(t time.Time) bool {
	t = t.In(c.Location)
	m := t.Hour()*60 + t.Minute()
	return m < NightEnd || m >= NightStart
}

// Hours is how a stretch of time splits: its total length, the part
// outside working hours, the part at night, and the part that is both
// (so Total-Off, Off-OffNight and OffNight do not overlap). In hours.
type Hours struct {
	Total, Off, Night, OffNight float64
}

// Add adds another split to h.
func (h *Hours) Add(o Hours) {
	h.Total += o.Total
	h.Off += o.Off
	h.Night += o.Night
	h.OffNight += o.OffNight
}

// Split classifies every minute from start to end. It cuts the interval
// at local midnight, 07:00, 22:00 and the edges of working hours, where
// the answer can change, and classifies each piece by its middle, so the
// result is exact across daylight-saving changes.
func (c Calendar) Split(start, end time.Time) Hours {
	loc := c.Location
	cuts := []time.Time{start}
	l := start.In(loc)
	day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	for ; day.Before(end); day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc) {
		for _, m := range []int{0, NightEnd, NightStart, c.from, c.to} {
			t := time.Date(day.Year(), day.Month(), day.Day(), m/60, m%60, 0, 0, loc)
			if t.After(start) && t.Before(end) {
				cuts = append(cuts, t)
			}
		}
	}
	sort.Slice(cuts, func(i, j int) bool { return cuts[i].Before(cuts[j]) })
	cuts = append(cuts, end)
	var h Hours
	for i := 0; i+1 < len(cuts); i++ {
		a, b := cuts[i], cuts[i+1]
		if !b.After(a) {
			continue
		}
		n := b.Sub(a).Hours()
		mid := a.Add(b.Sub(a) / 2)
		off, night := !c.Working(mid), c.Night(mid)
		h.Total += n
		if off {
			h.Off += n
		}
		if night {
			h.Night += n
		}
		if off && night {
			h.OffNight += n
		}
	}
	return h
}

// PersonLoad is one person's on-call load over a window.
type PersonLoad struct {
	Person   string
	Timezone string
	Hours    Hours
	// Shifts is the number of schedule segments the person was on call
	// for, across rotations.
	Shifts    int
	Rotations []string // in the order given
}

// Load adds up, for every person on call in any of the rotations between
// from and to, the hours on call (overlapping shifts in two rotations
// count once) and how they split into working hours, off-hours and night
// in the person's own calendar. The result is sorted by hours on call,
// most first, then by handle.
func Load(rs []*Rotation, s *config.Settings, from, to time.Time) ([]PersonLoad, error) {
	spans := map[string][]span{}
	shifts := map[string]int{}
	rotsOf := map[string][]string{}
	for _, r := range rs {
		for _, seg := range r.Schedule(from, to) {
			if seg.Person == "" {
				continue
			}
			spans[seg.Person] = append(spans[seg.Person], span{seg.Start, seg.End})
			shifts[seg.Person]++
			if !slices.Contains(rotsOf[seg.Person], r.Name) {
				rotsOf[seg.Person] = append(rotsOf[seg.Person], r.Name)
			}
		}
	}
	people := make([]string, 0, len(spans))
	for p := range spans {
		people = append(people, p)
	}
	sort.Strings(people)
	out := []PersonLoad{}
	for _, person := range people {
		cal, err := CalendarOf(s, person)
		if err != nil {
			return nil, err
		}
		pl := PersonLoad{Person: person, Timezone: cal.Location.String(), Shifts: shifts[person], Rotations: rotsOf[person]}
		for _, sp := range mergeSpans(spans[person]) {
			pl.Hours.Add(cal.Split(sp.start, sp.end))
		}
		out = append(out, pl)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Hours.Total > out[j].Hours.Total })
	return out, nil
}

type span struct{ start, end time.Time }

// mergeSpans joins overlapping and touching spans.
func mergeSpans(ss []span) []span {
	sort.Slice(ss, func(i, j int) bool { return ss[i].start.Before(ss[j].start) })
	var out []span
	for _, s := range ss {
		if n := len(out); n > 0 && !s.start.After(out[n-1].end) {
			if s.end.After(out[n-1].end) {
				out[n-1].end = s.end
			}
			continue
		}
		out = append(out, s)
	}
	return out
}
