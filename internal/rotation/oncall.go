package rotation

import (
	"sort"
	"strconv"
	"time"
)

// Segment is a stretch of time with one person on call (or nobody).
type Segment struct {
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
	Person string    `json:"person"` // "" when nobody is on call
	Layer  string    `json:"layer,omitzero"`
	// Override is true when an override put the person on.
	Override bool `json:"override,omitzero"`
}

// At returns who is on call at t, the layer that put them on ("" for an
// override), and false when nobody is.
func (r *Rotation) At(t time.Time) (person, layer string, override, ok bool) {
	for i := len(r.Overrides) - 1; i >= 0; i-- { // the last defined wins
		o := r.Overrides[i]
		if !t.Before(o.From) && t.Before(o.To) {
			return o.Person, "", true, true
		}
	}
	for i := len(r.Layers) - 1; i >= 0; i-- { // later layers win
		l := &r.Layers[i]
		if p, ok := l.at(t, r.loc); ok {
			return p, l.label(i), false, true
		}
	}
	return "", "", false, false
}

func (l *Layer) label(i int) string {
	if l.Name != "" {
		return l.Name
	}
	return "layer " + strconv.Itoa(i+1)
}

// at is the layer's person at t, in constant time: the era by binary
// search, the shift by division on civil time.
func (l *Layer) at(t time.Time, loc *time.Location) (string, bool) {
	i := sort.Search(len(l.eras), func(i int) bool { return l.eras[i].start.After(t) }) - 1
	if i < 0 {
		return "", false
	}
	e := &l.eras[i]
	if !l.allowed(t, loc) {
		return "", false
	}
	k := e.shiftAt(t, loc)
	n := len(e.members)
	return e.members[((k+e.skew)%n+n)%n], true
}

// shiftAt is the number of the shift containing t: shift k starts at the
// civil time anchor + k·shift. Shift -1 is the partial shift before the
// first handoff.
func (e *era) shiftAt(t time.Time, loc *time.Location) int {
	// whole seconds on the civil clock: no overflow whatever the distance
	secs := civil(t, loc).Unix() - e.anchor.Unix()
	k := max(int(floorDivInt(secs, e.shift.seconds())), -1)
	// civil time folds when clocks go back; settle on the instants
	for k > -1 && e.boundary(k, loc).After(t) {
		k--
	}
	for !e.boundary(k+1, loc).After(t) {
		k++
	}
	return k
}

func floorDivInt(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// boundary is the instant shift k begins.
func (e *era) boundary(k int, loc *time.Location) time.Time {
	if k < 0 {
		return e.start
	}
	secs := e.shift.seconds() * int64(k)
	c := e.anchor.AddDate(0, 0, int(secs/86400)).Add(time.Duration(secs%86400) * time.Second)
	return instant(c, loc)
}

// allowed applies the layer's restrictions (none: always on).
func (l *Layer) allowed(t time.Time, loc *time.Location) bool {
	if len(l.Restrictions) == 0 {
		return true
	}
	lt := t.In(loc)
	day := int(lt.Weekday())
	m := lt.Hour()*60 + lt.Minute()
	for _, r := range l.Restrictions {
		if r.from < r.to {
			if r.days[day] && m >= r.from && m < r.to {
				return true
			}
			continue
		}
		if (r.days[day] && m >= r.from) || (r.days[(day+6)%7] && m < r.to) {
			return true
		}
	}
	return false
}

// Schedule is who is on call from from to to, as consecutive segments
// (including those with nobody), merged where the person does not change.
func (r *Rotation) Schedule(from, to time.Time) []Segment {
	return r.schedule(from, to, func(t time.Time) Segment {
		p, layer, over, _ := r.At(t)
		return Segment{Person: p, Layer: layer, Override: over}
	})
}

// LayerSchedule is the schedule of one layer alone, without overrides.
func (r *Rotation) LayerSchedule(i int, from, to time.Time) []Segment {
	l := &r.Layers[i]
	return r.schedule(from, to, func(t time.Time) Segment {
		p, _ := l.at(t, r.loc)
		return Segment{Person: p, Layer: l.label(i)}
	})
}

func (r *Rotation) schedule(from, to time.Time, at func(time.Time) Segment) []Segment {
	if !from.Before(to) {
		return nil
	}
	points := r.changePoints(from, to)
	var out []Segment
	for i, p := range points {
		end := to
		if i+1 < len(points) {
			end = points[i+1]
		}
		s := at(p)
		s.Start, s.End = p, end
		if n := len(out); n > 0 && out[n-1].Person == s.Person && out[n-1].Layer == s.Layer && out[n-1].Override == s.Override {
			out[n-1].End = end
			continue
		}
		out = append(out, s)
	}
	return out
}

// changePoints lists, sorted and unique, every instant in [from, to) where
// the answer may change: from itself, era starts, handoffs, restriction
// edges and override bounds.
func (r *Rotation) changePoints(from, to time.Time) []time.Time {
	set := map[int64]time.Time{from.UnixNano(): from}
	add := func(t time.Time) {
		if t.After(from) && t.Before(to) {
			set[t.UnixNano()] = t
		}
	}
	for _, o := range r.Overrides {
		add(o.From)
		add(o.To)
	}
	for li := range r.Layers {
		l := &r.Layers[li]
		for ei := range l.eras {
			e := &l.eras[ei]
			add(e.start)
			if !e.until.IsZero() && !e.until.After(from) || e.start.After(to) {
				continue
			}
			lo := from
			if e.start.After(lo) {
				lo = e.start
			}
			for k := e.shiftAt(lo, r.loc); ; k++ {
				b := e.boundary(k, r.loc)
				if !b.Before(to) || (!e.until.IsZero() && !b.Before(e.until)) {
					break
				}
				add(b)
			}
		}
		for _, rs := range l.Restrictions {
			day := civil(from, r.loc).AddDate(0, 0, -1)
			day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
			last := civil(to, r.loc).AddDate(0, 0, 1)
			for ; !day.After(last); day = day.AddDate(0, 0, 1) {
				add(instant(day.Add(time.Duration(rs.from)*time.Minute), r.loc))
				add(instant(day.Add(time.Duration(rs.to)*time.Minute), r.loc))
			}
		}
	}
	out := make([]time.Time, 0, len(set))
	for _, t := range set {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// Shifts are the segments that end after from and start before to, of
// one person when person is set. The first starts at a real handoff (up
// to 60 days before from), so a calendar made from them keeps the first
// event's UID whatever day it is made.
func (r *Rotation) Shifts(from, to time.Time, person string) []Segment {
	var out []Segment
	for _, s := range r.Schedule(from.AddDate(0, 0, -60), to) {
		if s.End.After(from) && (person == "" || s.Person == person) {
			out = append(out, s)
		}
	}
	return out
}
