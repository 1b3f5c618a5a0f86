package report

import (
	"fmt"
	"strconv"
	"time"
)

// heatmapData is the JSON of the weekday × hour heatmap.
type heatmapData struct {
	Window windowData `json:"window"`
	// Days are the rows of Counts, Monday first; Counts[d][h] is the
	// number of incidents that started on day d in the hour from h:00.
	Days   []string   `json:"days"`
	Counts [7][24]int `json:"counts"`
	Total  int        `json:"total"`
	// NoStart is the number of incidents in the window with no started,
	// detected or declared time, left out.
	NoStart int `json:"no_start,omitempty"`
}

var dayNames = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// heatmapCell is where an instant falls: day of the week (Monday 0) and
// hour, in loc.
func heatmapCell(t time.Time, loc *time.Location) (day, hour int) {
	t = t.In(loc)
	return (int(t.Weekday()) + 6) % 7, t.Hour()
}

// heatmapReport shows when incidents start, by weekday and hour in the
// organisation's time zone: where the practice needs people awake.
func (e *env) heatmapReport() Report {
	s := e.buckets(monthly, 24, maxBars, e.earliest())
	data := heatmapData{Window: s.window(), Days: dayNames}
	for _, inc := range e.incs {
		if s.index(inc.Date) < 0 {
			continue
		}
		start := startOf(inc)
		if start.IsZero() {
			data.NoStart++
			continue
		}
		d, h := heatmapCell(start, e.loc)
		data.Counts[d][h]++
		data.Total++
	}
	tbl := Table{Columns: []string{"Day"}}
	var cols []string
	for h := range 24 {
		tbl.Columns = append(tbl.Columns, fmt.Sprintf("%02d", h))
		cols = append(cols, fmt.Sprintf("%02d", h))
	}
	tbl.Columns = append(tbl.Columns, "Total")
	cells := make([][]int, 7)
	for d := range 7 {
		row := []string{dayNames[d]}
		n := 0
		for h := range 24 {
			row = append(row, strconv.Itoa(data.Counts[d][h]))
			n += data.Counts[d][h]
		}
		tbl.Rows = append(tbl.Rows, append(row, strconv.Itoa(n)))
		cells[d] = data.Counts[d][:]
	}
	short := []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	g := gridChart{
		id: "start-heatmap", rows: short, cols: cols, cells: cells, labelW: 70, cellH: 26, maxW: 40,
		colTotals: true, colTotalsLabel: "all days", rowTotals: true,
		outline: &[4]int{0, 5, 9, 17}, outlineLabel: "Mon–Fri 09:00–17:00",
		emptyMsg: "No incidents in this period",
		tip: func(r, c int) string {
			return fmt.Sprintf("%s %02d:00–%02d:00: %s", dayNames[r], c, (c+1)%24, plural(cells[r][c], "incident"))
		},
	}
	title := "When incidents start"
	caption := fmt.Sprintf("When the impact of incidents declared over %s started, by day of the week and hour of the day "+
		"in the organisation's time zone (%s); %s. Darker cells mean more incidents; the numbers are counts. "+
		"The bars above the grid add up each hour over all days, the column on the right each day. "+
		"The start is the started milestone, else detected, else declared. "+
		"The dashed block is usual working hours: incidents outside it need someone on call. "+
		"Declined incidents, drills and maintenance are left out.",
		s.describe(), e.loc, plural(data.Total, "incident"))
	if data.NoStart > 0 {
		caption += fmt.Sprintf(" %s without a recorded time of day are not shown.", plural(data.NoStart, "incident"))
	}
	return Report{ID: "start-heatmap", Title: title, Caption: caption, SVG: g.svg(title, caption), Table: tbl, Data: data}
}
