package rotation

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// civilDuration is a shift length on the wall clock: days and minutes.
// "1w" is seven calendar days whatever the clocks do in between.
type civilDuration struct {
	days, minutes int
}

func (d civilDuration) seconds() int64 { return int64(d.days)*86400 + int64(d.minutes)*60 }

func (d civilDuration) wall() time.Duration {
	return time.Duration(d.days)*24*time.Hour + time.Duration(d.minutes)*time.Minute
}

var durationRE = regexp.MustCompile(`^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$`)

// parseShift reads shift lengths such as 1w, 2d, 12h, 3d12h or 90m.
func parseShift(s string) (civilDuration, error) {
	m := durationRE.FindStringSubmatch(s)
	if s == "" || m == nil {
		return civilDuration{}, fmt.Errorf("shift %q is not a length such as 1w, 2d, 12h or 3d12h", s)
	}
	n := func(i int) int {
		v, _ := strconv.Atoi(m[i])
		return v
	}
	d := civilDuration{days: n(1)*7 + n(2), minutes: n(3)*60 + n(4)}
	if d.wall() <= 0 {
		return d, fmt.Errorf("shift %q is zero; a shift must last at least a minute", s)
	}
	if d.wall() > 366*24*time.Hour {
		return d, fmt.Errorf("shift %q is longer than a year", s)
	}
	return d, nil
}

// parseClock reads "HH:MM" as minutes after midnight.
func parseClock(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		if s == "24:00" {
			return 24 * 60, nil
		}
		return 0, fmt.Errorf("%q is not a time of day such as 09:00", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// civil is t's wall-clock reading in loc, as a UTC time (civil time has no
// gaps or folds, so durations on it are plain arithmetic).
func civil(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), time.UTC)
}

// instant converts a civil time to the instant it names in loc. A civil
// time that happens twice (clocks going back) is its first occurrence; one
// that never happens (clocks going forward) is the moment the clocks
// jumped, the first instant after the gap.
func instant(c time.Time, loc *time.Location) time.Time {
	guess := c.Add(-offsetAt(c, loc))
	prev, next := offsetAt(guess.Add(-13*time.Hour), loc), offsetAt(guess.Add(13*time.Hour), loc)
	var found time.Time
	for _, off := range []time.Duration{prev, next, offsetAt(guess, loc)} {
		t := c.Add(-off)
		if civil(t, loc).Equal(c) && (found.IsZero() || t.Before(found)) {
			found = t
		}
	}
	if !found.IsZero() {
		return found
	}
	// In a gap: with the larger offset, c names an instant still in the
	// zone period before the jump; that period ends at the transition.
	_, end := c.Add(-max(prev, next)).In(loc).ZoneBounds()
	if end.IsZero() {
		return guess
	}
	return end
}

func offsetAt(t time.Time, loc *time.Location) time.Duration {
	_, off := t.In(loc).Zone()
	return time.Duration(off) * time.Second
}

// inGap reports whether a civil time does not exist in loc.
func inGap(c time.Time, loc *time.Location) bool {
	return !civil(instant(c, loc), loc).Equal(c)
}
