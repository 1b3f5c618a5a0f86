package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/rotation"
)

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// loadView is one person's on-call load over a window.
type loadView struct {
	Person     string   `json:"person"`
	Timezone   string   `json:"timezone"`
	Hours      float64  `json:"hours"`
	OffHours   float64  `json:"off_hours"`
	NightHours float64  `json:"night_hours"`
	Shifts     int      `json:"shifts"`
	Rotations  []string `json:"rotations"`
}

func (a *app) oncallLoadCmd() *cobra.Command {
	var from, to string
	var asJSON bool
	c := &cobra.Command{
		Use:   "load --from DATE --to DATE",
		Short: "Hours on call per person, and how many fell outside working hours or at night",
		Long: `load adds up, for every person, the hours they were on call in any rotation
(overlapping shifts in two rotations count once), how many of those hours
fell outside their working hours (sev.yaml people[].working-hours, default
Monday to Friday 09:00-17:00) and how many at night (22:00-07:00), both in
the person's own time zone (people[].timezone, default the organisation's).`,
		Example: "  sev oncall load --from 2026-10-01 --to 2026-11-01\n  sev oncall load --from 2026-10-01 --to 2026-11-01 --json",
		Args:    exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			if from == "" || to == "" {
				return usagef("load needs --from and --to")
			}
			ws, err := a.open()
			if err != nil {
				return err
			}
			f, t, err := parseWindow(from, to, ws.settings.Location())
			if err != nil {
				return err
			}
			rs, _, err := ws.rotations()
			if err != nil {
				return err
			}
			views, err := computeLoad(rs, ws.settings, f, t)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.stdout, views)
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(tw, "PERSON\tHOURS\tOFF-HOURS\tNIGHT\tSHIFTS\tROTATIONS\t")
			for _, v := range views {
				fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%.1f\t%d\t%s\t\n", v.Person, v.Hours, v.OffHours, v.NightHours, v.Shifts, strings.Join(v.Rotations, ","))
			}
			return tw.Flush()
		},
	}
	c.Flags().StringVar(&from, "from", "", "start of the window (a date or an RFC 3339 time)")
	c.Flags().StringVar(&to, "to", "", "end of the window")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

type interval struct{ start, end time.Time }

// computeLoad merges each person's shifts across rotations and splits
// them at local midnight, 07:00, 22:00 and the edges of working hours to
// classify every minute exactly.
func computeLoad(rs []*rotation.Rotation, s *config.Settings, from, to time.Time) ([]loadView, error) {
	spans := map[string][]interval{}
	shifts := map[string]int{}
	rotsOf := map[string][]string{}
	for _, r := range rs {
		for _, seg := range r.Schedule(from, to) {
			if seg.Person == "" {
				continue
			}
			spans[seg.Person] = append(spans[seg.Person], interval{seg.Start, seg.End})
			shifts[seg.Person]++
			if !slices.Contains(rotsOf[seg.Person], r.Name) {
				rotsOf[seg.Person] = append(rotsOf[seg.Person], r.Name)
			}
		}
	}
	views := []loadView{}
	for _, person := range sortedNames(spans) {
		loc, hours, err := personHours(s, person)
		if err != nil {
			return nil, err
		}
		v := loadView{Person: person, Timezone: loc.String(), Shifts: shifts[person], Rotations: rotsOf[person]}
		for _, iv := range merge(spans[person]) {
			total, off, night := classify(iv, loc, hours)
			v.Hours += total
			v.OffHours += off
			v.NightHours += night
		}
		views = append(views, v)
	}
	sort.SliceStable(views, func(i, j int) bool { return views[i].Hours > views[j].Hours })
	return views, nil
}

func merge(ivs []interval) []interval {
	sort.Slice(ivs, func(i, j int) bool { return ivs[i].start.Before(ivs[j].start) })
	var out []interval
	for _, iv := range ivs {
		if n := len(out); n > 0 && !iv.start.After(out[n-1].end) {
			if iv.end.After(out[n-1].end) {
				out[n-1].end = iv.end
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}

// workWeek is a person's working hours: per weekday, minutes from..to.
type workWeek struct {
	days     [7]bool
	from, to int
}

func personHours(s *config.Settings, handle string) (*time.Location, workWeek, error) {
	loc := s.Location()
	w := workWeek{days: [7]bool{false, true, true, true, true, true, false}, from: 9 * 60, to: 17 * 60}
	p, ok := s.Person(handle)
	if !ok {
		return loc, w, nil
	}
	if p.Timezone != "" {
		if l, err := time.LoadLocation(p.Timezone); err == nil {
			loc = l
		}
	}
	if h := p.WorkingHours; h != nil {
		f, err1 := time.Parse("15:04", h.From)
		t, err2 := time.Parse("15:04", h.To)
		if err1 != nil || err2 != nil {
			return loc, w, fmt.Errorf("sev.yaml: %s's working-hours must be HH:MM times", handle)
		}
		w.from, w.to = f.Hour()*60+f.Minute(), t.Hour()*60+t.Minute()
		if len(h.Days) > 0 {
			w.days = [7]bool{}
			for _, d := range h.Days {
				i := slices.Index([]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}, strings.ToLower(d))
				if i < 0 {
					return loc, w, fmt.Errorf("sev.yaml: %s's working-hours has an unknown day %q", handle, d)
				}
				w.days[i] = true
			}
		}
	}
	return loc, w, nil
}

func (w workWeek) working(t time.Time) bool {
	m := t.Hour()*60 + t.Minute()
	if w.from < w.to {
		return w.days[t.Weekday()] && m >= w.from && m < w.to
	}
	return (w.days[t.Weekday()] && m >= w.from) || (w.days[(t.Weekday()+6)%7] && m < w.to)
}

// classify returns total, off-hours and night hours of an interval.
func classify(iv interval, loc *time.Location, w workWeek) (total, off, night float64) {
	cuts := []time.Time{iv.start}
	l := iv.start.In(loc)
	day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	for ; day.Before(iv.end); day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc) {
		for _, m := range []int{0, 7 * 60, 22 * 60, w.from, w.to} {
			c := time.Date(day.Year(), day.Month(), day.Day(), m/60, m%60, 0, 0, loc)
			if c.After(iv.start) && c.Before(iv.end) {
				cuts = append(cuts, c)
			}
		}
	}
	sort.Slice(cuts, func(i, j int) bool { return cuts[i].Before(cuts[j]) })
	cuts = append(cuts, iv.end)
	for i := 0; i+1 < len(cuts); i++ {
		a, b := cuts[i], cuts[i+1]
		if !b.After(a) {
			continue
		}
		h := b.Sub(a).Hours()
		mid := a.Add(b.Sub(a) / 2).In(loc)
		total += h
		if !w.working(mid) {
			off += h
		}
		if m := mid.Hour()*60 + mid.Minute(); m < 7*60 || m >= 22*60 {
			night += h
		}
	}
	return total, off, night
}
