package rotation

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/yamlfile"
)

var weekdays = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// Parse reads a rotation file and prepares it for lookups. A rotation with
// errors is returned as nil: no answer is better than a wrong one.
func Parse(file string, data []byte) (*Rotation, diag.List) {
	root, diags := yamlfile.Parse(file, data)
	d := yamlfile.NewDecoder(file)
	r := &Rotation{}
	if root == nil {
		if len(diags) == 0 {
			diags.Add(diag.Pos{Path: file, Line: 1}, yamlfile.CheckReq, "the rotation is empty; it needs org, timezone and layers")
		}
		return nil, diags
	}
	d.Decode(root, r)
	diags.Append(d.Diags)
	// The rules are checked even after decoding problems, so that every
	// problem is reported at once.
	diags.Append(r.prepare(file, d))
	if diags.Errors() > 0 {
		return nil, diags
	}
	return r, diags
}

// Name of the rotation in file: its name field, else the file's base name.
func NameOf(file string) string { return strings.TrimSuffix(path.Base(file), path.Ext(file)) }

func (r *Rotation) prepare(file string, d *yamlfile.Decoder) diag.List {
	var diags diag.List
	base := NameOf(file)
	if r.Name == "" {
		r.Name = base
	} else if r.Name != base {
		diags.Add(d.At("name"), "rotation", "name %q does not match the file name %q; rename one of them", r.Name, base)
	}
	loc, err := config.LoadLocation(r.Timezone)
	if err != nil || r.Timezone == "" || r.Timezone == "Local" {
		diags.Add(d.At("timezone"), "rotation", "unknown time zone %q; use an IANA name such as Europe/Berlin", r.Timezone)
		return diags
	}
	r.loc = loc
	if len(r.Layers) == 0 {
		diags.Add(d.At("layers"), "rotation", "a rotation needs at least one layer")
	}
	if r.Coverage != "" && r.Coverage != "full" && r.Coverage != "partial" {
		diags.Add(d.At("coverage"), "rotation", "coverage must be full or partial, not %q", r.Coverage)
	}
	for i := range r.Layers {
		diags.Append(r.Layers[i].prepare(fmt.Sprintf("layers[%d]", i), d, loc))
	}
	for i, o := range r.Overrides {
		if !o.To.After(o.From) {
			diags.Add(d.At(fmt.Sprintf("overrides[%d].to", i)), "rotation", "the override ends (%s) before it starts (%s)",
				o.To.Format(time.RFC3339), o.From.Format(time.RFC3339))
		}
	}
	return diags
}

func (l *Layer) prepare(field string, d *yamlfile.Decoder, loc *time.Location) diag.List {
	var diags diag.List
	if len(l.Members) == 0 {
		diags.Add(d.At(field+".members"), "rotation", "the layer has no members; list at least one person")
	}
	for i, m := range l.Members {
		if strings.TrimSpace(m) == "" {
			diags.Add(d.At(fmt.Sprintf("%s.members[%d]", field, i)), "rotation", "a member's name is empty")
		}
	}
	for i, c := range l.Changes {
		for j, m := range c.Members {
			if strings.TrimSpace(m) == "" {
				diags.Add(d.At(fmt.Sprintf("%s.changes[%d].members[%d]", field, i, j)), "rotation", "a member's name is empty")
			}
		}
	}
	checkYear(&diags, d.At(field+".start"), l.Start)
	for i, c := range l.Changes {
		checkYear(&diags, d.At(fmt.Sprintf("%s.changes[%d].from", field, i)), c.From)
	}
	shift, err := parseShift(l.Shift)
	if err != nil {
		diags.Add(d.At(field+".shift"), "rotation", "%v", err)
	}
	handoff, herr := handoffOf(l.Handoff, l.Start, loc)
	if herr != nil {
		diags.Add(d.At(field+".handoff"), "rotation", "%v", herr)
	}
	for i := range l.Restrictions {
		diags.Append(l.Restrictions[i].prepare(fmt.Sprintf("%s.restrictions[%d]", field, i), d))
	}
	last := l.Start
	for i, c := range l.Changes {
		if !c.From.After(last) {
			diags.Add(d.At(fmt.Sprintf("%s.changes[%d].from", field, i)), "rotation", "effective dates must be in order and after the layer's start: %s is not after %s",
				c.From.Format(time.RFC3339), last.Format(time.RFC3339))
		}
		if c.From.After(last) {
			last = c.From
		}
	}
	if diags.Errors() > 0 {
		return diags
	}
	l.eras = []era{newEra(l.Start, l.Members, shift, handoff, loc)}
	for i, c := range l.Changes {
		cf := fmt.Sprintf("%s.changes[%d]", field, i)
		prev := &l.eras[len(l.eras)-1]
		members, s, h := prev.members, prev.shift, handoff
		if c.Members != nil {
			members = c.Members
			if len(members) == 0 {
				diags.Add(d.At(cf+".members"), "rotation", "the change leaves the layer with no members")
				continue
			}
		}
		if c.Shift != "" {
			if s, err = parseShift(c.Shift); err != nil {
				diags.Add(d.At(cf+".shift"), "rotation", "%v", err)
				continue
			}
		}
		h = prev.handoff
		if c.Handoff != "" {
			if h, err = parseClock(c.Handoff); err != nil {
				diags.Add(d.At(cf+".handoff"), "rotation", "%v", err)
				continue
			}
		}
		prev.until = c.From
		l.eras = append(l.eras, newEra(c.From, members, s, h, loc))
	}
	return diags
}

// handoffOf is the handoff time of day in minutes: the given one, or the
// start's own wall-clock time.
func handoffOf(h string, start time.Time, loc *time.Location) (int, error) {
	if h == "" {
		c := civil(start, loc)
		return c.Hour()*60 + c.Minute(), nil
	}
	return parseClock(h)
}

// newEra places the first handoff at the first civil time at or after start
// that reads the handoff time.
func newEra(start time.Time, members []string, shift civilDuration, handoff int, loc *time.Location) era {
	c := civil(start, loc)
	day := time.Date(c.Year(), c.Month(), c.Day(), 0, 0, 0, 0, time.UTC)
	anchor := day.Add(time.Duration(handoff) * time.Minute)
	if anchor.Before(c) {
		anchor = anchor.AddDate(0, 0, 1)
	}
	e := era{start: start, members: members, shift: shift, anchor: anchor, handoff: handoff}
	if instant(anchor, loc).After(start) {
		e.skew = 1
	}
	return e
}

func (r *Restriction) prepare(field string, d *yamlfile.Decoder) diag.List {
	var diags diag.List
	var err error
	if r.from, err = parseClock(r.From); err != nil {
		diags.Add(d.At(field+".from"), "rotation", "%v", err)
	}
	if r.to, err = parseClock(r.To); err != nil {
		diags.Add(d.At(field+".to"), "rotation", "%v", err)
	}
	if r.From == r.To && diags.Errors() == 0 {
		diags.Add(d.At(field+".to"), "rotation", "the window starts and ends at %s; leave the restriction out for all day", r.From)
	}
	if len(r.Days) == 0 {
		r.days = [7]bool{true, true, true, true, true, true, true}
	}
	for i, day := range r.Days {
		w := slices.Index(weekdays, strings.ToLower(day))
		if w < 0 {
			diags.Add(d.At(fmt.Sprintf("%s.days[%d]", field, i)), "rotation", "unknown day %q; use %s", day, strings.Join(weekdays, ", "))
			continue
		}
		r.days[w] = true
	}
	return diags
}

// Check reports what is suspicious about a valid rotation against the
// settings and the clock: unknown people and orgs, overrides wholly in
// the past, handoffs that fall into a daylight-saving gap and gaps in
// coverage within the next weeks.
func (r *Rotation) Check(file string, data []byte, s *config.Settings, now time.Time, weeks int) diag.List {
	root, _ := yamlfile.Parse(file, data)
	d := yamlfile.NewDecoder(file)
	d.Decode(root, &Rotation{})
	var diags diag.List
	if known := s.Vocabulary("org"); len(known) > 0 && !slices.Contains(known, r.Org) {
		diags.Warn(d.At("org"), "unknown-org", "unknown org %q; add it to orgs in sev.yaml", r.Org)
	}
	warned := map[string]bool{}
	person := func(pos diag.Pos, p string) {
		switch who, ok := s.Person(p); {
		case !ok:
			diags.Warn(pos, "unknown-person", "unknown person %q; people on call must be listed in sev.yaml's people, with their time zone", p)
		case who.Timezone == "" && !warned[p]:
			warned[p] = true
			diags.Warn(pos, "unknown-person", "%s has no timezone in sev.yaml's people; on-call load counts night and off-hours in it", p)
		}
	}
	for i, l := range r.Layers {
		for j, m := range l.Members {
			person(d.At(fmt.Sprintf("layers[%d].members[%d]", i, j)), m)
		}
		for j, c := range l.Changes {
			for k, m := range c.Members {
				person(d.At(fmt.Sprintf("layers[%d].changes[%d].members[%d]", i, j, k)), m)
			}
		}
		diags.Append(l.gapHandoffs(d.At(fmt.Sprintf("layers[%d].handoff", i)), r.loc, now))
	}
	for i, o := range r.Overrides {
		person(d.At(fmt.Sprintf("overrides[%d].person", i)), o.Person)
		if !o.To.After(now) {
			diags.Warn(d.At(fmt.Sprintf("overrides[%d]", i)), "rotation-past", "this override ended on %s; remove it to keep the file short (the timeline of incidents keeps who was paged)",
				o.To.In(r.loc).Format("2006-01-02 15:04"))
		}
	}
	if weeks > 0 && r.Coverage != "partial" {
		var gaps []Segment
		var hours float64
		for _, seg := range r.Schedule(now, now.AddDate(0, 0, 7*weeks)) {
			if seg.Person == "" {
				gaps = append(gaps, seg)
				hours += seg.End.Sub(seg.Start).Hours()
			}
		}
		if len(gaps) > 0 {
			diags.Warn(diag.Pos{Path: file, Line: 1, Col: 1}, "rotation-gap",
				"nobody is on call for %.0f hours in %d gap(s) in the next %d weeks, first from %s to %s (write coverage: partial in a rotation meant to cover only some hours)",
				hours, len(gaps), weeks, gaps[0].Start.In(r.loc).Format("2006-01-02 15:04 MST"), gaps[0].End.In(r.loc).Format("2006-01-02 15:04 MST"))
		}
	}
	return diags
}

// gapHandoffs warns about handoffs in the coming year that fall into a
// daylight-saving gap, and says when they happen instead.
func (l *Layer) gapHandoffs(pos diag.Pos, loc *time.Location, now time.Time) diag.List {
	var diags diag.List
	seen := map[string]bool{}
	for _, e := range l.eras {
		if !e.until.IsZero() && e.until.Before(now) {
			continue
		}
		first := max(e.shiftAt(now, loc), 0)
		for k := first; k < first+400; k++ {
			secs := e.shift.seconds() * int64(k)
			c := e.anchor.AddDate(0, 0, int(secs/86400)).Add(time.Duration(secs%86400) * time.Second)
			if c.After(civil(now, loc).AddDate(1, 0, 0)) {
				break
			}
			if inGap(c, loc) && !seen[c.Format("15:04")] {
				seen[c.Format("15:04")] = true
				diags.Warn(pos, "rotation-dst", "the handoff at %s on %s does not exist in %s (the clocks jump); it happens at %s that day",
					c.Format("15:04"), c.Format("2006-01-02"), loc, instant(c, loc).In(loc).Format("15:04 MST"))
			}
		}
	}
	return diags
}

// checkYear keeps times to the years a rotation can mean.
func checkYear(diags *diag.List, pos diag.Pos, t time.Time) {
	if y := t.Year(); y < 1970 || y > 2200 {
		diags.Add(pos, "rotation", "%s is not a plausible time for a rotation", t.Format(time.RFC3339))
	}
}
