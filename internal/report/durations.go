package report

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/sev-dev/sev/internal/incident"
)

// durationsData is the JSON of the time-to-X distributions; durations are
// in whole seconds.
type durationsData struct {
	Window      windowData   `json:"window"`
	Percentiles string       `json:"percentiles"`
	Measures    []durMeasure `json:"measures"`
}

type durMeasure struct {
	Measure    string     `json:"measure"` // detect, mitigate or resolve
	Severities []durGroup `json:"severities"`
}

type durGroup struct {
	Level  int    `json:"level"`
	Name   string `json:"name"`
	N      int    `json:"incidents"`
	Min    int64  `json:"min_seconds,omitempty"`
	P25    int64  `json:"p25_seconds,omitempty"`
	Median int64  `json:"median_seconds,omitempty"`
	P75    int64  `json:"p75_seconds,omitempty"`
	P90    int64  `json:"p90_seconds,omitempty"`
	Max    int64  `json:"max_seconds,omitempty"`
}

// measure is one of the durations of an incident.
type measure struct {
	key, title string
	of         func(incident.Durations) time.Duration
}

var measures = []measure{
	{"detect", "Time to detect", func(d incident.Durations) time.Duration { return d.Detect }},
	{"mitigate", "Time to mitigate", func(d incident.Durations) time.Duration { return d.Mitigate }},
	{"resolve", "Time to resolve", func(d incident.Durations) time.Duration { return d.Resolve }},
}

// durRow is one strip of the chart: a measure for one severity, values
// in minutes, sorted.
type durRow struct {
	sev    sevInfo
	values []float64
	ids    []string
	sum    summary
}

// durationsReport shows how long incidents took to be detected,
// mitigated and resolved: distributions per severity on a log axis, with
// the median and the 90th percentile, because a mean is dragged far from
// the typical case by the few long incidents that every team has.
func (e *env) durationsReport() Report {
	s := e.buckets(monthly, 24, maxBars, e.earliest())
	sevs := e.severities()
	data := durationsData{Window: s.window(), Percentiles: "linear interpolation between closest ranks (Hyndman-Fan type 7)"}
	tbl := Table{Columns: []string{"Measure", "Severity", "Incidents", "Median", "p90", "Fastest", "Slowest"}}
	rows := make([][]durRow, len(measures))
	for m, ms := range measures {
		dm := durMeasure{Measure: ms.key}
		for _, sv := range sevs {
			vals, ids := e.durationValues(s, sv.Level, ms)
			r := durRow{sev: sv, values: vals, ids: ids, sum: summarise(vals)}
			rows[m] = append(rows[m], r)
			dm.Severities = append(dm.Severities, r.group())
			if r.sum.n > 0 {
				tbl.Rows = append(tbl.Rows, []string{ms.title, sv.Name, strconv.Itoa(r.sum.n), minutes(r.sum.median),
					minutes(r.sum.p90), minutes(r.sum.min), minutes(r.sum.max)})
			}
		}
		data.Measures = append(data.Measures, dm)
	}
	title := "Time to detect, mitigate and resolve"
	caption := fmt.Sprintf("How long incidents declared over %s (%s) took from the start of their impact to being detected, "+
		"mitigated and resolved, one row per severity on a logarithmic time axis (each grid step is a multiple, not a fixed amount). "+
		"Each dot is one incident; the solid mark is the median (half took less) and the dashed mark the 90th percentile "+
		"(nine in ten took less), interpolated between the closest ranks. "+
		"Medians and percentiles are shown rather than means because a few very long incidents pull a mean far from the typical case. "+
		"Incidents without the milestone are left out; when the start of impact is not recorded, detection stands in for it "+
		"and the time to detect is unknown. Declined incidents, drills and maintenance are left out.", s.describe(), e.loc)
	return Report{ID: "durations", Title: title, Caption: caption, SVG: durationsSVG(rows, title, caption), Table: tbl, Data: data}
}

// durationValues are the known durations, in minutes and sorted, of the
// incidents of a severity declared in the window, with their IDs.
func (e *env) durationValues(s series, level int, ms measure) ([]float64, []string) {
	type point struct {
		v  float64
		id string
	}
	var pts []point
	for _, inc := range e.incs {
		if inc.Record.Severity != level || s.index(inc.Date) < 0 {
			continue
		}
		if d := ms.of(inc.Durations); d > 0 {
			pts = append(pts, point{d.Minutes(), inc.ID()})
		}
	}
	sort.Slice(pts, func(i, j int) bool {
		if pts[i].v != pts[j].v {
			return pts[i].v < pts[j].v
		}
		return pts[i].id < pts[j].id
	})
	vals, ids := make([]float64, len(pts)), make([]string, len(pts))
	for i, p := range pts {
		vals[i], ids[i] = p.v, p.id
	}
	return vals, ids
}

func (r durRow) group() durGroup {
	g := durGroup{Level: r.sev.Level, Name: r.sev.Name, N: r.sum.n}
	if r.sum.n == 0 {
		return g
	}
	sec := func(m float64) int64 { return int64(math.Round(m * 60)) }
	g.Min, g.P25, g.Median, g.P75, g.P90, g.Max = sec(r.sum.min), sec(r.sum.p25), sec(r.sum.median), sec(r.sum.p75), sec(r.sum.p90), sec(r.sum.max)
	return g
}

// minutes writes a duration given in minutes the way people say it.
func minutes(m float64) string {
	return incident.FormatDuration(time.Duration(math.Round(m*60)) * time.Second)
}

// logTick is a mark on the log time axis, in minutes; rank 0 marks are
// labelled first (1 min, 1 h, 1 d, 1 w, 30 d), then rank 1, then rank 2
// where there is room.
type logTick struct {
	at    float64
	label string
	rank  int
}

var logTicks = []logTick{
	{1, "1 min", 0}, {2, "2 min", 2}, {5, "5 min", 1}, {10, "10 min", 2}, {15, "15 min", 1}, {30, "30 min", 2},
	{60, "1 h", 0}, {120, "2 h", 2}, {240, "4 h", 1}, {480, "8 h", 2}, {720, "12 h", 1}, {1440, "1 d", 0},
	{2880, "2 d", 2}, {4320, "3 d", 1}, {10080, "1 w", 0}, {20160, "2 w", 2}, {43200, "30 d", 0},
	{86400, "60 d", 2}, {129600, "90 d", 1}, {262800, "6 mo", 2}, {525600, "1 y", 0},
}

// logAxis maps minutes to x on a logarithmic scale between two ticks.
type logAxis struct {
	x0, x1, lo, hi float64
	ticks          []logTick // in order
}

// minTickGap is the least room between two labelled ticks.
const minTickGap = 40

func newLogAxis(x0, x1, minV, maxV float64) logAxis {
	lo, hi := 0, len(logTicks)-1
	for i, t := range logTicks {
		if t.at <= minV {
			lo = i
		}
	}
	for i := len(logTicks) - 1; i >= 0; i-- {
		if logTicks[i].at >= maxV {
			hi = i
		}
	}
	if hi <= lo {
		hi = min(lo+1, len(logTicks)-1)
		lo = hi - 1
	}
	a := logAxis{x0: x0, x1: x1, lo: logTicks[lo].at, hi: logTicks[hi].at}
	for rank := 0; rank <= 2; rank++ {
		for _, t := range logTicks[lo : hi+1] {
			if t.rank == rank && a.room(a.x(t.at)) {
				a.ticks = append(a.ticks, t)
			}
		}
	}
	sort.Slice(a.ticks, func(i, j int) bool { return a.ticks[i].at < a.ticks[j].at })
	return a
}

// room reports whether a tick at x would be far enough from the others.
func (a logAxis) room(x float64) bool {
	for _, t := range a.ticks {
		if math.Abs(a.x(t.at)-x) < minTickGap {
			return false
		}
	}
	return true
}

func (a logAxis) x(m float64) float64 {
	m = math.Min(math.Max(m, a.lo), a.hi)
	return a.x0 + (a.x1-a.x0)*math.Log(m/a.lo)/math.Log(a.hi/a.lo)
}
