package site

import (
	"time"

	"github.com/sev-dev/sev/internal/rotation"
)

// OnCallView is the on-call page.
type OnCallView struct {
	Rotations []RotationView
	Weeks     int
}

// RotationView is one rotation: who is on now and who is next.
type RotationView struct {
	Name, Org, Description, Timezone string
	Now                              string // "" when nobody is
	Until                            time.Time
	Next                             string
	NextFrom                         time.Time
	ICS                              string // relative to the root
}

// icsWeeks is how far ahead the calendar files reach; they start a week
// back so a calendar shows the shift under way.
const icsWeeks = 12

func (g *gen) oncall() error {
	v := &OnCallView{Weeks: icsWeeks}
	for _, r := range g.lib.Rotations {
		rv := RotationView{Name: r.Name, Org: r.Org, Description: r.Description, Timezone: r.Timezone,
			ICS: "oncall/" + slug(r.Name) + ".ics"}
		segs := r.Schedule(g.now, g.now.Add(28*24*time.Hour))
		if len(segs) > 0 {
			rv.Now, rv.Until = segs[0].Person, segs[0].End
			for _, s := range segs[1:] {
				if s.Person != "" && s.Person != rv.Now {
					rv.Next, rv.NextFrom = s.Person, s.Start
					break
				}
			}
		}
		ics := rotation.ICS(r, r.Schedule(g.now.Add(-7*24*time.Hour), g.now.Add(icsWeeks*7*24*time.Hour)), g.now)
		if err := g.out.write(rv.ICS, ics); err != nil {
			return err
		}
		v.Rotations = append(v.Rotations, rv)
	}
	return g.page("oncall", "oncall/index.html", "On call", "oncall", v)
}
