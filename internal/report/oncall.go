package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/sev-dev/sev/internal/rotation"
)

// LoadDays is the length of the on-call load window (LoadWindow).
const LoadDays = 90

// oncallData is the JSON of the on-call load, in hours.
type oncallData struct {
	Window windowData     `json:"window"`
	People []oncallPerson `json:"people"`
	Error  string         `json:"error,omitempty"`
}

type oncallPerson struct {
	Person        string   `json:"person"`
	TimeZone      string   `json:"time_zone"`
	Hours         float64  `json:"hours"`
	OffHours      float64  `json:"off_hours"`
	NightHours    float64  `json:"night_hours"`
	OffHoursNight float64  `json:"off_hours_night"`
	Shifts        int      `json:"shifts"`
	Rotations     []string `json:"rotations"`
}

// oncallReport adds up everyone's hours on call over the last 90 whole
// days (or the range's days), from the rotations, and how many fell
// outside their working hours or at night (rotation.Load, the numbers of
// sev oncall load).
func (e *env) oncallReport() Report {
	from, to := e.oncallWindow()
	days := int(math.Round(to.Sub(from).Hours() / 24))
	last := to.AddDate(0, 0, -1)
	data := oncallData{Window: windowData{From: isoDay(from), To: isoDay(last), TimeZone: e.loc.String()}, People: []oncallPerson{}}
	loads, err := rotation.Load(e.lib.Rotations, e.s, from, to)
	if err != nil {
		data.Error = err.Error()
	}
	round := func(h float64) float64 { return math.Round(h*100) / 100 }
	for _, l := range loads {
		data.People = append(data.People, oncallPerson{Person: l.Person, TimeZone: l.Timezone, Hours: round(l.Hours.Total),
			OffHours: round(l.Hours.Off), NightHours: round(l.Hours.Night), OffHoursNight: round(l.Hours.OffNight),
			Shifts: l.Shifts, Rotations: l.Rotations})
	}
	title := "On-call load"
	caption := fmt.Sprintf("Hours each person was on call in any rotation over the %s from %s to %s, from the rotations in rotations/ "+
		"(overlapping shifts in two rotations count once), split into working hours, off-hours and night (22:00–07:00) "+
		"in the person's own time zone and working hours (sev.yaml people, by default %s and Monday to Friday 09:00–17:00). "+
		"The note after each bar gives the share outside working hours. "+
		"These are the numbers of sev oncall load for the same window; it counts time on call, not time paged.",
		plural(days, "day"), day(from), day(last), e.loc)
	if err != nil {
		caption += " The load could not be computed: " + err.Error() + "."
	}
	ch := hbarChart{id: "oncall", series: loadSeries, unit: "hours on call", emptyMsg: "Nobody was on call in this period"}
	if len(e.lib.Rotations) == 0 {
		ch.emptyMsg = "No rotations in rotations/"
	}
	tbl := Table{Columns: []string{"Person", "Time zone", "Hours on call", "Off-hours", "Night", "Off-hours share", "Shifts", "Rotations"}}
	for i, p := range data.People {
		share := 0
		if p.Hours > 0 {
			share = int(math.Round(100 * p.OffHours / p.Hours))
		}
		tbl.Rows = append(tbl.Rows, []string{p.Person, p.TimeZone, hours(p.Hours), hours(p.OffHours), hours(p.NightHours),
			strconv.Itoa(share) + "%", strconv.Itoa(p.Shifts), strings.Join(p.Rotations, ", ")})
		if i >= maxRows {
			ch.more++
			continue
		}
		vals := []float64{p.Hours - p.OffHours, p.OffHours - p.OffHoursNight, p.OffHoursNight}
		tips := make([]string, len(vals))
		for k, v := range vals {
			tips[k] = fmt.Sprintf("%s: %s h on call, %s", p.Person, hours(v), loadSeries[k].name)
		}
		ch.rows = append(ch.rows, hrow{label: p.Person, values: vals, tips: tips,
			note: fmt.Sprintf("%s h, %d%% off-hours", num(p.Hours), share)})
	}
	return Report{ID: "oncall", Title: title, Caption: caption, SVG: ch.svg(title, caption), Table: tbl, Data: data}
}

// hours formats hours with one decimal, as sev oncall load does.
func hours(h float64) string { return strconv.FormatFloat(h, 'f', 1, 64) }
