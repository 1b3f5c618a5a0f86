package report

import (
	"time"
)

// Range is the period the reports cover (sev.yaml reports, sev build
// --since and --until): Since is the first day and Until the last, both
// included, as days in the organisation's time zone; only the calendar
// date of each (its year, month and day) counts.
//
// A zero bound is the default. Without Since each report keeps its usual
// length back from the end (26 weeks, 24 months, 8 quarters, 12 months of
// responders, 90 days on call), starting later when the library is
// younger; without Until the reports end at the reference time. An
// incident is in the range when its date (declared, else started, else
// detected, else the date in its ID) is. Nothing after the reference time
// is counted, so an Until after it ends the reports there; only the
// follow-ups, which fall due in the future, run on towards it.
//
// ExcludeImported leaves out the incidents sev import brought in, for a
// team that wants its charts to show only what it handled with sev.
type Range struct {
	Since, Until    time.Time
	ExcludeImported bool
}

// IsZero reports whether the range leaves both bounds to the default.
func (r Range) IsZero() bool { return r.Since.IsZero() && r.Until.IsZero() }

// Or is r with each bound it leaves zero taken from d, the way flags
// override sev.yaml one bound at a time.
func (r Range) Or(d Range) Range {
	if r.Since.IsZero() {
		r.Since = d.Since
	}
	if r.Until.IsZero() {
		r.Until = d.Until
	}
	return r
}

// bounds are the range as instants in loc: lo the midnight that starts
// Since's day, hi the midnight that ends Until's day; zero where the range
// has no bound.
func (r Range) bounds(loc *time.Location) (lo, hi time.Time) {
	if !r.Since.IsZero() {
		lo = time.Date(r.Since.Year(), r.Since.Month(), r.Since.Day(), 0, 0, 0, 0, loc)
	}
	if !r.Until.IsZero() {
		hi = time.Date(r.Until.Year(), r.Until.Month(), r.Until.Day()+1, 0, 0, 0, 0, loc)
	}
	return lo, hi
}

// How many buckets a chart draws at most. At 48 a column is still 15
// units wide on the 800-unit canvas, room for its count above it, so a
// range that would need more months is drawn in quarters, and one that
// would need more quarters in years (the JSON and the table follow the
// chart). Weeks do not turn into months, which the monthly report already
// shows: the weekly report keeps the last 53 weeks of a longer range, as
// many as a calendar year touches. The tags grid keeps its cells wide
// enough for their numbers up to 24 columns.
const (
	maxBars       = 48
	maxWeeks      = 53
	maxTagColumns = 24
)

// buckets is a report's series. Without a range it is the n buckets of
// unit u up to the one containing the reference time, starting later when
// the data does (earliest, the oldest data point, if not zero). An Until
// before the reference time ends the series at the end of that day
// instead; a Since starts it on that day, in a coarser unit when u would
// need more than most buckets (span).
func (e *env) buckets(u unit, n, most int, earliest time.Time) series {
	lo, hi := e.rng.bounds(e.loc)
	closed := !hi.IsZero() && !hi.After(e.now)
	at := e.now // the last instant the series covers
	if closed {
		at = hi.Add(-time.Nanosecond)
	}
	var s series
	if lo.IsZero() {
		s = lastBuckets(u, n, at, e.loc, earliest)
	} else {
		s = e.span(u, most, lo, at)
	}
	if closed {
		s.end, s.upTo = hi, time.Time{}
	}
	return s
}

// span is the buckets from the one containing lo to the one containing
// at, covering them from lo on. Past most buckets it moves to the next
// coarser unit (months, quarters, years) until they fit, or it is in
// years; weeks do not, a longer span keeps its last most weeks. A lo
// after at (which the commands refuse) gives one bucket that nothing
// falls in.
func (e *env) span(u unit, most int, lo, at time.Time) series {
	empty := lo.After(at)
	if empty {
		lo = at
	}
	s := spanBuckets(u, u.start(lo, e.loc), u.start(at, e.loc))
	for len(s.starts) > most && u != weekly && u != yearly {
		u++
		s = spanBuckets(u, u.start(lo, e.loc), u.start(at, e.loc))
	}
	if u == weekly && len(s.starts) > most {
		s.starts = s.starts[len(s.starts)-most:]
		lo = s.starts[0]
	}
	if !lo.Equal(s.starts[0]) {
		s.from = lo
	}
	s.upTo = at
	if empty {
		s.end = lo
	}
	return s
}

// followUpsWindow is the buckets follow-ups are counted in by their due
// day; first and last are the earliest and the latest due day (zero:
// none). Without a range it is the 24 months up to the reference time,
// and on to the last due day up to 12 months ahead. A range bounds it as
// it bounds every report, except that it runs on past the reference time
// to the last due day, up to 12 months ahead or to an Until in the future.
func (e *env) followUpsWindow(first, last time.Time) series {
	nowMonth := monthly.start(e.now, e.loc)
	if first.After(e.now) {
		first = e.now // everything is due in the future: start the window now
	}
	if e.rng.IsZero() {
		s := lastBuckets(monthly, 24, e.now, e.loc, first)
		if end := monthly.start(last, e.loc); !last.IsZero() && end.After(nowMonth) {
			s = spanBuckets(monthly, s.starts[0], minTime(end, monthly.add(nowMonth, 12)))
		}
		return s
	}
	lo, hi := e.rng.bounds(e.loc)
	if (!hi.IsZero() && !hi.After(e.now)) || !last.After(e.now) {
		return e.buckets(monthly, 24, maxBars, first) // ends in the past, or nothing falls due after now
	}
	end := monthly.add(nowMonth, 13).Add(-time.Nanosecond) // the end of the twelfth month after this one
	if !hi.IsZero() {
		end = hi.Add(-time.Nanosecond)
	}
	if lo.IsZero() {
		lo = lastBuckets(monthly, 24, e.now, e.loc, first).starts[0]
	}
	s := e.span(monthly, maxBars, lo, minTime(last, end))
	s.upTo = time.Time{}
	if !hi.IsZero() && !last.Before(hi) {
		s.end = hi
	}
	return s
}

// LoadWindow is the one definition of "on call over the last 90 days"
// that the reports and the people pages share: the 90 whole days, in
// loc, before the day of now.
func LoadWindow(now time.Time, loc *time.Location) (from, to time.Time) {
	to = dayStart(now, loc)
	return time.Date(to.Year(), to.Month(), to.Day()-LoadDays, 0, 0, 0, 0, loc), to
}

// oncallWindow is the whole days the on-call report adds up: the
// LoadWindow, or the days of the range up to the reference day.
func (e *env) oncallWindow() (from, to time.Time) {
	from, to = LoadWindow(e.now, e.loc)
	lo, hi := e.rng.bounds(e.loc)
	if !hi.IsZero() && hi.Before(to) {
		to = hi
		from = time.Date(to.Year(), to.Month(), to.Day()-LoadDays, 0, 0, 0, 0, e.loc)
	}
	if !lo.IsZero() {
		from = minTime(lo, to)
	}
	return from, to
}

// dayStart is the midnight that starts t's day in loc.
func dayStart(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// byUnit puts a value under the JSON key of its unit (the others are
// left zero, and out), so a long range drawn in quarters or years does
// not call its buckets months.
func byUnit[T any](u unit, x T) (months, quarters, years T) {
	switch u {
	case quarterly:
		quarters = x
	case yearly:
		years = x
	default:
		months = x
	}
	return months, quarters, years
}
