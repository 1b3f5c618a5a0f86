package config

import (
	"fmt"
	"time"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// Reports is the period the trend reports cover (sev.yaml reports; sev
// build --since and --until override each bound): the first and the last
// day, both included, written YYYY-MM-DD and read in the organisation's
// time zone. Either may be left out: without since the reports keep their
// usual lengths (24 months, 26 weeks) back from the end, without until
// they end at the build's reference time.
type Reports struct {
	Since string `yaml:"since"`
	Until string `yaml:"until"`
	// Imported says whether imported incidents (sev import) count in the
	// reports; nil means they do.
	Imported *bool `yaml:"imported"`
	// Problems are what Parse found wrong with the two dates, with their
	// positions, so that sev build can refuse to publish reports over a
	// period nobody asked for; the dates in question are left empty.
	Problems diag.List `yaml:"-"`
}

// IncludeImported reports whether imported incidents count in the
// reports (the default).
func (r Reports) IncludeImported() bool { return r.Imported == nil || *r.Imported }

// DateLayout is how a day is written in sev.yaml and on the command line.
const DateLayout = "2006-01-02"

// ParseDate reads a day written YYYY-MM-DD (DateLayout) as the midnight
// that starts it in loc; days before 1970 are refused as typos.
func ParseDate(v string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation(DateLayout, v, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date such as 2024-01-31", v)
	}
	if t.Year() < 1970 {
		return time.Time{}, fmt.Errorf("%s is before 1970", v)
	}
	return t, nil
}

// Dates are since and until as the midnights that start those days in
// loc; zero for a bound that is not set. Settings from Parse hold only
// dates that parse.
func (r Reports) Dates(loc *time.Location) (since, until time.Time) {
	since, _ = ParseDate(r.Since, loc)
	until, _ = ParseDate(r.Until, loc)
	return since, until
}

// checkReports checks the reports period: each bound a date, until not
// before since. A bad bound is reported and left out, and so are both
// when they are the wrong way round.
func (s *Settings) checkReports(d *yamlfile.Decoder) diag.List {
	var diags diag.List
	r := &s.Reports
	var dates [2]time.Time
	for i, f := range []struct {
		key string
		v   *string
	}{{"since", &r.Since}, {"until", &r.Until}} {
		if *f.v == "" {
			continue
		}
		t, err := ParseDate(*f.v, s.loc)
		if err != nil {
			diags.Add(d.At("reports."+f.key), "config", "reports.%s: %v", f.key, err)
			*f.v = ""
			continue
		}
		dates[i] = t
	}
	if !dates[0].IsZero() && !dates[1].IsZero() && dates[1].Before(dates[0]) {
		diags.Add(d.At("reports.until"), "config", "reports.until %s is before reports.since %s", r.Until, r.Since)
		r.Since, r.Until = "", ""
	}
	r.Problems = diags
	return diags
}
