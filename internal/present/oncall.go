package present

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/sev-dev/sev/internal/rotation"
)

type nowView struct {
	Rotation string    `json:"rotation"`
	Org      string    `json:"org"`
	Person   string    `json:"person"`
	Layer    string    `json:"layer,omitzero"`
	Override bool      `json:"override,omitzero"`
	Until    time.Time `json:"until,omitzero"`
	Next     string    `json:"next,omitzero"`
}

// horizon bounds how far ahead "until" and "next" look.
const horizon = 400 * 24 * time.Hour

func current(r *rotation.Rotation, at time.Time) nowView {
	v := nowView{Rotation: r.Name, Org: r.Org}
	segs := r.Schedule(at, at.Add(horizon))
	if len(segs) == 0 {
		return v
	}
	v.Person, v.Layer, v.Override = segs[0].Person, segs[0].Layer, segs[0].Override
	if len(segs) > 1 {
		v.Until, v.Next = segs[0].End, segs[1].Person
	}
	return v
}

// OnCallNow prints who is on call at in each rotation, until when, and
// who is next.
func OnCallNow(w io.Writer, rs []*rotation.Rotation, at time.Time, asJSON bool) error {
	views := make([]nowView, 0, len(rs))
	for _, r := range rs {
		views = append(views, current(r, at))
	}
	if asJSON {
		return JSON(w, views)
	}
	if len(views) == 0 {
		fmt.Fprintln(w, "no rotations yet; add files under rotations/ (see docs/format.md)")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ROTATION\tORG\tON CALL\tUNTIL\tNEXT")
	for i, v := range views {
		until := "-"
		if !v.Until.IsZero() {
			until = v.Until.In(rs[i].Location()).Format("Mon 2006-01-02 15:04 MST")
		}
		person := Dash(v.Person)
		if v.Person == "" {
			person = "nobody"
		} else if v.Override {
			person += " (override)"
		}
		next := Dash(v.Next)
		if v.Next == "" && !v.Until.IsZero() {
			next = "nobody"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", v.Rotation, v.Org, person, until, next)
	}
	return tw.Flush()
}

type windowView struct {
	Rotation string             `json:"rotation"`
	Org      string             `json:"org"`
	Timezone string             `json:"timezone"`
	Segments []rotation.Segment `json:"segments"`
}

// OnCallWindow prints the handoffs of each rotation between from and to.
func OnCallWindow(w io.Writer, rs []*rotation.Rotation, from, to time.Time, asJSON bool) error {
	var views []windowView
	for _, r := range rs {
		views = append(views, windowView{Rotation: r.Name, Org: r.Org, Timezone: r.Timezone, Segments: r.Schedule(from, to)})
	}
	if asJSON {
		if views == nil {
			views = []windowView{}
		}
		return JSON(w, views)
	}
	for i, v := range views {
		if i > 0 {
			fmt.Fprintln(w)
		}
		loc := rs[i].Location()
		fmt.Fprintf(w, "%s (%s, times in %s)\n", v.Rotation, v.Org, loc)
		for _, s := range v.Segments {
			who := s.Person
			switch {
			case who == "":
				who = "nobody"
			case s.Override:
				who += " (override)"
			}
			fmt.Fprintf(w, "  %s → %s  %s\n", s.Start.In(loc).Format("Mon 2006-01-02 15:04"), s.End.In(loc).Format("Mon 2006-01-02 15:04"), who)
		}
	}
	return nil
}
