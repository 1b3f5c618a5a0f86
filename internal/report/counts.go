package report

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// countsData is the JSON of the incident counts.
type countsData struct {
	Window     windowData    `json:"window"`
	Severities []sevInfo     `json:"severities"`
	Buckets    []countBucket `json:"buckets"`
	Total      int           `json:"total"`
}

// countBucket is one week or month; Counts go with Severities, in order.
type countBucket struct {
	Start   string `json:"start"`
	Counts  []int  `json:"counts"`
	Total   int    `json:"total"`
	Running bool   `json:"running,omitempty"`
}

// earliest is the date of the oldest counted incident, or zero.
func (e *env) earliest() time.Time {
	if len(e.incs) == 0 {
		return time.Time{}
	}
	return e.incs[0].Date
}

// countsReport counts incidents per week (the last 26) or month (the
// last 24), stacked by severity; over a range, per quarter or year when
// months would be too many.
func (e *env) countsReport(u unit) Report {
	n, most, id := 26, maxWeeks, "incidents-weekly"
	if u == monthly {
		n, most, id = 24, maxBars, "incidents-monthly"
	}
	s := e.buckets(u, n, most, e.earliest())
	u = s.unit
	title := "Incidents per " + u.String()
	sevs := e.severities()
	level := map[int]int{}
	for k, sv := range sevs {
		level[sv.Level] = k
	}
	data := countsData{Window: s.window(), Severities: sevs}
	for i := range s.starts {
		data.Buckets = append(data.Buckets, countBucket{Start: s.key(i), Counts: make([]int, len(sevs)), Running: s.running(i, e.now)})
	}
	for _, inc := range e.incs {
		if i := s.index(inc.Date); i >= 0 && inc.Date.Before(e.now) {
			data.Buckets[i].Counts[level[inc.Record.Severity]]++
			data.Buckets[i].Total++
			data.Total++
		}
	}
	tbl := Table{Columns: []string{capitalise(u.String())}}
	var defs []seriesDef
	for _, sv := range sevs {
		tbl.Columns = append(tbl.Columns, sv.Name)
		defs = append(defs, seriesDef{name: sv.Name, class: severityClass(sv.Level), fill: severityFill(sv.Level)})
	}
	tbl.Columns = append(tbl.Columns, "Total")
	main, sub := s.axisLabels()
	ch := barChart{id: id, series: defs, now: -1, emptyMsg: "No incidents in this period"}
	for i, b := range data.Buckets {
		row := []string{s.label(i)}
		for _, v := range b.Counts {
			row = append(row, strconv.Itoa(v))
		}
		tbl.Rows = append(tbl.Rows, append(row, strconv.Itoa(b.Total)))
		ch.bars = append(ch.bars, bar{label: main[i], sub: sub[i], name: s.label(i), values: b.Counts, running: b.Running})
	}
	caption := fmt.Sprintf("Incidents declared per %s over %s (%s), stacked by severity; %s in total. "+
		"Each incident counts in the %s it was declared. Declined incidents, drills and maintenance are left out%s. "+
		"The count going up is healthy: more incidents declared means a lower threshold for declaring, "+
		"so problems get attention early.",
		u, s.describe(), e.loc, plural(data.Total, "incident"), u, s.runningNote(e.now))
	return Report{ID: id, Title: title, Caption: caption, SVG: ch.svg(title, caption), Table: tbl, Data: data}
}

// sev1Data is the JSON of the most severe incidents per month.
type sev1Data struct {
	Window   windowData   `json:"window"`
	Severity sevInfo      `json:"severity"`
	Buckets  []sev1Bucket `json:"buckets"`
	Total    int          `json:"total"`
}

// sev1Bucket is one month (or quarter or year, window.unit); the trailing
// mean is the mean of this bucket and the two before it, from the third
// bucket of the window on, named by the unit.
type sev1Bucket struct {
	Start            string   `json:"start"`
	Count            int      `json:"count"`
	Trailing         *float64 `json:"trailing_3_month_mean,omitempty"`
	TrailingQuarters *float64 `json:"trailing_3_quarter_mean,omitempty"`
	TrailingYears    *float64 `json:"trailing_3_year_mean,omitempty"`
	Running          bool     `json:"running,omitempty"`
}

// sev1Report counts level-1 incidents per month over the last 24 months,
// with the trailing three-month mean, which steadies a noisy count.
func (e *env) sev1Report() Report {
	s := e.buckets(monthly, 24, maxBars, e.earliest())
	u := s.unit
	sv := sevInfo{1, e.s.SeverityName(1)}
	data := sev1Data{Window: s.window(), Severity: sv}
	counts := make([]int, len(s.starts))
	for _, inc := range e.incs {
		if i := s.index(inc.Date); i >= 0 && inc.Record.Severity == 1 && inc.Date.Before(e.now) {
			counts[i]++
			data.Total++
		}
	}
	title := sv.Name + "s over time"
	main, sub := s.axisLabels()
	meanName := "3-" + u.String() + " mean"
	ch := barChart{id: "sev1", series: []seriesDef{{sv.Name, severityClass(1), severityFill(1)}},
		overlayName: meanName, now: -1, emptyMsg: "No " + sv.Name + " incidents in this period"}
	tbl := Table{Columns: []string{capitalise(u.String()), sv.Name + "s", meanName}}
	for i, n := range counts {
		b := sev1Bucket{Start: s.key(i), Count: n, Running: s.running(i, e.now)}
		mean := math.NaN()
		if i >= 2 && !b.Running { // a month still running would drag the mean down
			m := math.Round(float64(counts[i]+counts[i-1]+counts[i-2])/3*100) / 100
			mean = m
			b.Trailing, b.TrailingQuarters, b.TrailingYears = byUnit(u, &m)
		}
		data.Buckets = append(data.Buckets, b)
		ch.overlay = append(ch.overlay, mean)
		ch.bars = append(ch.bars, bar{label: main[i], sub: sub[i], name: s.label(i), values: []int{n}, running: b.Running})
		cell := ""
		if !math.IsNaN(mean) {
			cell = strconv.FormatFloat(mean, 'f', 1, 64)
		}
		tbl.Rows = append(tbl.Rows, []string{s.label(i), strconv.Itoa(n), cell})
	}
	if len(counts) < 3 {
		ch.overlay = nil
	}
	caption := fmt.Sprintf("%s incidents (severity level 1, the most severe) declared per %s over %s (%s); %s in total. "+
		"The line is the mean of each %s and the two before it, which evens out single bad %ss. "+
		"Declined incidents, drills and maintenance are left out%s. "+
		"Going down is the goal: fewer %ss means the lessons of earlier incidents are holding.",
		sv.Name, u, s.describe(), e.loc, plural(data.Total, sv.Name), u, u, s.runningNote(e.now), sv.Name)
	return Report{ID: "sev1", Title: title, Caption: caption, SVG: ch.svg(title, caption), Table: tbl, Data: data}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// capitalise upper-cases an ASCII first letter.
func capitalise(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
