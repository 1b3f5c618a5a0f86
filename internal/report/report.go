// Package report computes the trend reports of the incident library and
// draws each as an SVG chart at build time, so the Reports page works
// without JavaScript and prints well.
//
// Build takes a library that has already had its restricted incidents
// removed (library.Library.Visible) and the build's reference time, and
// returns every report: a chart, a caption saying what it shows, from
// which data and how to read it, and the same numbers as a table and as
// JSON. It is deterministic: the same library and time give byte-identical
// output (map keys are sorted, floats have a fixed format, and nothing
// reads the clock).
//
// Everything is computed in the organisation's time zone (sev.yaml
// timezone): weeks start on Monday at local midnight, months and quarters
// on their first local day, so a bucket is the same across daylight-saving
// changes. By default weekly series cover the last 26 weeks, monthly ones
// the last 24 months, or less when the library is younger; the bucket
// containing the reference time is still running and is drawn lighter. A
// Range (sev.yaml reports, sev build --since/--until) sets the period
// instead; a long one is drawn in quarters or years rather than in more
// than 48 columns (period.go).
//
// Metrics leave out incidents whose status is in the declined phase (they
// were not incidents after all) and drills and maintenance (practice and
// planned work); backfilled incidents count. The responder and on-call
// load reports count everyone's work, drills included.
//
// The SVG is written by hand through one small canvas type (svg.go) that
// escapes every attribute and text, so names from users' files cannot
// become markup. Charts use presentation attributes (fill, stroke) that
// read well on white, and class names (sev sev-1, axis, grid, label, heat
// heat-3, ...) that the site's stylesheet can restyle, for dark mode say;
// there are no inline styles, scripts or external references, which the
// site's Content-Security-Policy would refuse. Tooltips are <title>
// elements, which need no script either.
package report

import (
	"sort"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/library"
)

// Report is one trend report.
type Report struct {
	// ID is a stable slug, used for file names reports/<ID>.svg and
	// reports/<ID>.json.
	ID    string
	Title string
	// Caption is plain text: what the chart shows, from which data, and
	// how to read it.
	Caption string
	// SVG is a standalone <svg> document (xmlns, viewBox, no fixed size),
	// which may also be embedded inline in HTML.
	SVG   []byte
	Table Table
	// Data is the exact numbers, for encoding/json.
	Data any
}

// Table is the report's numbers for people: a header and rows of cells.
type Table struct {
	Columns []string
	Rows    [][]string
}

// Build computes every report from a library whose restricted incidents
// have been removed. now is the build's reference time and r the period
// the reports cover (the zero Range for the default).
func Build(l *library.Library, now time.Time, r Range) []Report {
	e := newEnv(l, now, r)
	return []Report{
		e.countsReport(weekly),
		e.countsReport(monthly),
		e.sev1Report(),
		e.durationsReport(),
		e.heatmapReport(),
		e.respondersReport(),
		e.oncallReport(),
		e.tagsReport(),
		e.postmortemsReport(),
		e.followUpsReport(),
	}
}

// env is what every report is computed from.
type env struct {
	lib  *library.Library
	s    *config.Settings
	loc  *time.Location
	now  time.Time
	rng  Range
	incs []*library.Incident // the incidents metrics count, oldest first
}

func newEnv(l *library.Library, now time.Time, r Range) *env {
	s := l.Settings
	if s == nil {
		s = config.Default()
	}
	e := &env{lib: l, s: s, loc: s.Location(), now: now, rng: r}
	for _, inc := range l.Incidents {
		if e.counted(inc) {
			e.incs = append(e.incs, inc)
		}
	}
	sort.SliceStable(e.incs, func(i, j int) bool {
		a, b := e.incs[i], e.incs[j]
		if !a.Date.Equal(b.Date) {
			return a.Date.Before(b.Date)
		}
		return a.ID() < b.ID()
	})
	return e
}

// counted reports whether an incident counts in metrics: not declined,
// not a drill or maintenance, with a date, and not imported when the range
// leaves imported incidents out.
func (e *env) counted(inc *library.Incident) bool {
	if e.rng.ExcludeImported && inc.Record.Imported() {
		return false
	}
	if st, ok := e.s.Status(inc.Record.Status); ok && st.Phase == config.PhaseDeclined {
		return false
	}
	switch inc.Record.Kind {
	case "", "normal", "backfill":
	default:
		return false
	}
	return !inc.Date.IsZero()
}

// sevInfo is a severity level as the JSON gives it.
type sevInfo struct {
	Level int    `json:"level"`
	Name  string `json:"name"`
}

// severities are the configured levels plus any other level that
// incidents use, most severe first.
func (e *env) severities() []sevInfo {
	seen := map[int]bool{}
	var out []sevInfo
	add := func(level int) {
		if !seen[level] {
			seen[level] = true
			out = append(out, sevInfo{level, e.s.SeverityName(level)})
		}
	}
	for _, sv := range e.s.Severities {
		add(sv.Level)
	}
	for _, inc := range e.incs {
		add(inc.Record.Severity)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Level < out[j].Level })
	return out
}

// phase is the lifecycle phase of an incident's status.
func (e *env) phase(inc *library.Incident) string {
	st, _ := e.s.Status(inc.Record.Status)
	return st.Phase
}

// startOf is when an incident's impact started: the started milestone,
// else detected, else declared; zero when none is known to the minute
// (a source that gave only the date says nothing about the hour).
func startOf(inc *library.Incident) time.Time {
	for _, m := range []string{"started", "detected", "declared"} {
		if t := inc.Record.Milestones.Get(m); !t.IsZero() {
			if !inc.Record.Exact(m) {
				return time.Time{}
			}
			return t
		}
	}
	return time.Time{}
}

// day formats a date for captions and tables: 2 Jun 2026.
func day(t time.Time) string { return t.Format("2 Jan 2006") }

// isoDay formats a date for JSON.
func isoDay(t time.Time) string { return t.Format("2006-01-02") }
