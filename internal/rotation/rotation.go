// Package rotation is the on-call model: who is on call in a rotation at
// any instant, and the schedule over a window. A rotation has an org, a
// time zone and layers; each layer rotates its members every shift, with
// handoffs at a wall-clock time in the rotation's zone, optional
// restrictions (weekdays 09:00-17:00, say) and effective-dated changes to
// its members; later layers win where they have someone; overrides replace
// whoever is on, the last one defined winning where they overlap.
//
// All shift arithmetic is done on civil (wall-clock) time and converted to
// instants at the end, so a daily 09:00 handoff stays at 09:00 across
// daylight-saving changes, including Australia/Lord_Howe's 30-minute ones.
// Who is on call at an instant is computed directly from the shift number,
// never by stepping through past shifts.
package rotation

import (
	"time"
)

// Rotation is one file under rotations/.
type Rotation struct {
	Name        string `yaml:"name" json:"name"`
	Org         string `yaml:"org,required" json:"org"`
	Timezone    string `yaml:"timezone,required" json:"timezone"`
	Description string `yaml:"description" json:"description,omitzero"`
	// Coverage is "full" (the default: nobody on call is a gap to report)
	// or "partial" (the rotation covers only some hours on purpose, such
	// as business hours).
	Coverage  string     `yaml:"coverage" json:"coverage,omitzero"`
	Layers    []Layer    `yaml:"layers,required" json:"layers"`
	Overrides []Override `yaml:"overrides" json:"overrides,omitzero"`

	loc *time.Location
}

// Layer is one rotating list of members.
type Layer struct {
	Name         string        `yaml:"name" json:"name,omitzero"`
	Members      []string      `yaml:"members,required" json:"members"`
	Shift        string        `yaml:"shift,required" json:"shift"`
	Start        time.Time     `yaml:"start,required" json:"start"`
	Handoff      string        `yaml:"handoff" json:"handoff,omitzero"`
	Restrictions []Restriction `yaml:"restrictions" json:"restrictions,omitzero"`
	Changes      []Change      `yaml:"changes" json:"changes,omitzero"`

	eras []era
}

// Restriction limits a layer to a weekly window in the rotation's zone.
// A window whose end is not after its start runs past midnight.
type Restriction struct {
	Days []string `yaml:"days" json:"days,omitzero"`
	From string   `yaml:"from,required" json:"from"`
	To   string   `yaml:"to,required" json:"to"`

	days     [7]bool
	from, to int // minutes after midnight
}

// Change replaces a layer's members (and optionally its shift and handoff)
// from an instant on; the rotation restarts then with the first of the new
// members. What came before is never rewritten.
type Change struct {
	From    time.Time `yaml:"from,required" json:"from"`
	Members []string  `yaml:"members" json:"members,omitzero"`
	Shift   string    `yaml:"shift" json:"shift,omitzero"`
	Handoff string    `yaml:"handoff" json:"handoff,omitzero"`
}

// Override puts a person on call from one instant to another, replacing
// whoever the layers give.
type Override struct {
	Person string    `yaml:"person,required" json:"person"`
	From   time.Time `yaml:"from,required" json:"from"`
	To     time.Time `yaml:"to,required" json:"to"`
	Note   string    `yaml:"note" json:"note,omitzero"`
}

// era is a stretch of a layer with one member list, shift and handoff.
type era struct {
	start   time.Time // the instant the era begins
	until   time.Time // zero: open-ended
	members []string
	shift   civilDuration
	anchor  time.Time // civil time (in UTC) of the first handoff at or after start
	handoff int       // minutes after midnight
	skew    int       // 1 when start is before the first handoff (a partial first shift)
}

// Location is the rotation's time zone (valid after Parse).
func (r *Rotation) Location() *time.Location { return r.loc }
