package report

import (
	"fmt"
	"sort"
	"time"
)

// unit is the length of a bucket of a time series.
type unit int

const (
	weekly unit = iota
	monthly
	quarterly
	yearly // only for a long range (period.go)
)

func (u unit) String() string { return [...]string{"week", "month", "quarter", "year"}[u] }

// start is the start of the bucket containing t, in loc: Monday at
// midnight, the first of the month, of the quarter, of the year.
func (u unit) start(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	switch u {
	case weekly:
		return time.Date(t.Year(), t.Month(), t.Day()-(int(t.Weekday())+6)%7, 0, 0, 0, 0, loc)
	case monthly:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
	case quarterly:
		return time.Date(t.Year(), t.Month()-(t.Month()-1)%3, 1, 0, 0, 0, 0, loc)
	}
	return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, loc)
}

// add moves a bucket start by k buckets, on the calendar, so a week is
// 167 or 169 hours when the clocks change in it.
func (u unit) add(t time.Time, k int) time.Time {
	switch u {
	case weekly:
		return time.Date(t.Year(), t.Month(), t.Day()+7*k, 0, 0, 0, 0, t.Location())
	case monthly:
		return time.Date(t.Year(), t.Month()+time.Month(k), 1, 0, 0, 0, 0, t.Location())
	case quarterly:
		return time.Date(t.Year(), t.Month()+time.Month(3*k), 1, 0, 0, 0, 0, t.Location())
	}
	return time.Date(t.Year()+k, 1, 1, 0, 0, 0, 0, t.Location())
}

// series is a run of consecutive buckets.
type series struct {
	unit   unit
	starts []time.Time
	end    time.Time // the end of the last bucket, exclusive
	// upTo, when set, is the reference time inside the last bucket:
	// the series describes itself as ending that day.
	upTo time.Time
	// from, when set, is where the series starts inside its first
	// bucket: a range that starts on another day than a bucket does.
	from time.Time
}

// lastBuckets is the n buckets up to and including the one containing
// now, starting later when the data does (earliest, if not zero, is the
// oldest data point).
func lastBuckets(u unit, n int, now time.Time, loc *time.Location, earliest time.Time) series {
	last := u.start(now, loc)
	first := u.add(last, -(n - 1))
	if !earliest.IsZero() {
		if e := u.start(earliest, loc); e.After(first) && !e.After(last) {
			first = e
		}
	}
	s := spanBuckets(u, first, last)
	s.upTo = now
	return s
}

// spanBuckets is the buckets from the one starting at first to the one
// starting at last.
func spanBuckets(u unit, first, last time.Time) series {
	s := series{unit: u}
	for t := first; !t.After(last); t = u.add(t, 1) {
		s.starts = append(s.starts, t)
	}
	s.end = u.add(last, 1)
	return s
}

// first is the first instant the series covers.
func (s series) first() time.Time {
	if !s.from.IsZero() {
		return s.from
	}
	return s.starts[0]
}

// index is the bucket containing t, or -1.
func (s series) index(t time.Time) int {
	if len(s.starts) == 0 || t.Before(s.first()) || !t.Before(s.end) {
		return -1
	}
	return sort.Search(len(s.starts), func(i int) bool { return s.starts[i].After(t) }) - 1
}

// bucketEnd is where bucket i ends.
func (s series) bucketEnd(i int) time.Time {
	if i+1 < len(s.starts) {
		return s.starts[i+1]
	}
	return s.end
}

// running reports whether bucket i contains now, so its count is not
// final yet.
func (s series) running(i int, now time.Time) bool {
	return !now.Before(s.starts[i]) && now.Before(s.bucketEnd(i))
}

// runningNote is the caption's clause about the bucket containing now,
// when the series has one: "; the current month is still running and
// drawn lighter".
func (s series) runningNote(now time.Time) string {
	if len(s.starts) == 0 || !s.running(len(s.starts)-1, now) {
		return ""
	}
	return "; the current " + s.unit.String() + " is still running and drawn lighter"
}

// lastDay is the last day the series covers: the day before its end, or
// the day of the reference time when that is earlier.
func (s series) lastDay() time.Time {
	loc := s.end.Location()
	if !s.upTo.IsZero() && s.upTo.Before(s.end) {
		t := s.upTo.In(loc)
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	}
	return time.Date(s.end.Year(), s.end.Month(), s.end.Day()-1, 0, 0, 0, 0, loc)
}

// describe says which time the series covers, for captions.
func (s series) describe() string {
	n := len(s.starts)
	what := s.unit.String()
	if n != 1 {
		what = fmt.Sprintf("%d %ss", n, what)
	}
	return fmt.Sprintf("the %s from %s to %s", what, day(s.first()), day(s.lastDay()))
}

// window is the series as the JSON gives it.
func (s series) window() windowData {
	return windowData{Unit: s.unit.String(), From: isoDay(s.first()), To: isoDay(s.lastDay()), TimeZone: s.end.Location().String()}
}

// windowData is the time a report covers: from its first day to its last
// day, both included, in the organisation's time zone.
type windowData struct {
	Unit     string `json:"unit,omitempty"`
	From     string `json:"from"`
	To       string `json:"to"`
	TimeZone string `json:"time_zone"`
}

// label is how bucket i is named in tables and tooltips.
func (s series) label(i int) string {
	t := s.starts[i]
	switch s.unit {
	case weekly:
		return "week of " + day(t)
	case monthly:
		return t.Format("Jan 2006")
	case yearly:
		return t.Format("2006")
	}
	return quarterName(t)
}

func quarterName(t time.Time) string { return fmt.Sprintf("Q%d %d", (int(t.Month())-1)/3+1, t.Year()) }

// key is the bucket's name in JSON: 2026-06-01, 2026-06, 2026-Q2, 2026.
func (s series) key(i int) string {
	t := s.starts[i]
	switch s.unit {
	case weekly:
		return isoDay(t)
	case monthly:
		return t.Format("2006-01")
	case yearly:
		return t.Format("2006")
	}
	return fmt.Sprintf("%d-Q%d", t.Year(), (int(t.Month())-1)/3+1)
}

// axisLabels names the buckets under a chart's x axis without crowding
// it: weeks at the first week of each month ("1 Jun"), months by name
// (every third one past 30 months), quarters as Q1..Q4 (only Q1 past 24
// quarters), with the year under the first label and wherever the year
// changes; years by number, every second, fifth or tenth one when there
// are more than 16.
func (s series) axisLabels() (main, sub []string) {
	main, sub = make([]string, len(s.starts)), make([]string, len(s.starts))
	every := 1 // label every this many months, or years
	switch {
	case s.unit == monthly && len(s.starts) > 30:
		every = 3
	case s.unit == quarterly && len(s.starts) > 24:
		every = 12
	case s.unit == quarterly:
		every = 3
	case s.unit == yearly:
		for _, k := range []int{2, 5, 10, 20, 50} {
			if len(s.starts) > 16*every {
				every = k
			}
		}
	}
	year := 0
	for i, t := range s.starts {
		switch s.unit {
		case weekly:
			if t.Day() <= 7 {
				main[i] = t.Format("2 Jan")
			}
		case monthly:
			if (int(t.Month())-1)%every == 0 {
				main[i] = t.Format("Jan")
			}
		case quarterly:
			if (int(t.Month())-1)%every == 0 {
				main[i] = fmt.Sprintf("Q%d", (int(t.Month())-1)/3+1)
			}
		default:
			if t.Year()%every == 0 {
				main[i] = t.Format("2006")
			}
			continue // the label is the year
		}
		if main[i] != "" && t.Year() != year {
			sub[i] = t.Format("2006")
			year = t.Year()
		}
	}
	return main, sub
}
