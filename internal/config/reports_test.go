package config

import (
	"strings"
	"testing"
	"time"
)

// TestReports checks sev.yaml's reports period: dates in the
// organisation's zone, each problem reported at its line and column,
// and what is broken left out of the settings.
func TestReports(t *testing.T) {
	s, diags := Parse(File, []byte("timezone: America/New_York\nreports:\n  since: 2019-03-15\n  until: 2025-12-31\n"))
	if len(diags) != 0 {
		t.Fatalf("good reports: %v", diags)
	}
	since, until := s.Reports.Dates(s.Location())
	if want := time.Date(2019, 3, 15, 0, 0, 0, 0, s.Location()); !since.Equal(want) || since.Location() != s.Location() {
		t.Errorf("since = %v, want %v", since, want)
	}
	if want := time.Date(2025, 12, 31, 0, 0, 0, 0, s.Location()); !until.Equal(want) {
		t.Errorf("until = %v, want %v", until, want)
	}
	s, diags = Parse(File, []byte("name: x\n"))
	if since, until := s.Reports.Dates(s.Location()); len(diags) != 0 || !since.IsZero() || !until.IsZero() {
		t.Errorf("no reports block: %v to %v, %v", since, until, diags)
	}

	for _, c := range []struct {
		yaml  string
		want  []string
		since string // what is left of the period
		until string
	}{
		{"reports:\n  since: 2024-13-01\n  until: 2025-01-31\n",
			[]string{`sev.yaml:2:10: reports.since: "2024-13-01" is not a date such as 2024-01-31 [config]`}, "", "2025-01-31"},
		{"reports:\n  since: 2024-01-01\n  until: 2024-02-30\n",
			[]string{`sev.yaml:3:10: reports.until: "2024-02-30" is not a date such as 2024-01-31 [config]`}, "2024-01-01", ""},
		{"reports:\n  since: 24-1-1\n  until: 1969-12-31\n",
			[]string{`sev.yaml:2:10: reports.since: "24-1-1" is not a date such as 2024-01-31 [config]`,
				`sev.yaml:3:10: reports.until: 1969-12-31 is before 1970 [config]`}, "", ""},
		{"reports:\n  since: 2025-01-01\n  until: 2024-12-31\n",
			[]string{`sev.yaml:3:10: reports.until 2024-12-31 is before reports.since 2025-01-01 [config]`}, "", ""},
		{"reports:\n  since: 2025-01-01T00:00:00Z\n",
			[]string{`sev.yaml:2:10: reports.since: "2025-01-01T00:00:00Z" is not a date such as 2024-01-31 [config]`}, "", ""},
		{"reports:\n  from: 2025-01-01\n",
			[]string{`sev.yaml:2:3: unknown field "from" in reports`}, "", ""},
	} {
		s, diags := Parse(File, []byte(c.yaml))
		var b strings.Builder
		diags.WriteText(&b)
		got := b.String()
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%q: missing %q in:\n%s", c.yaml, w, got)
			}
		}
		if len(diags) != len(c.want) {
			t.Errorf("%q: %d findings, want %d:\n%s", c.yaml, len(diags), len(c.want), got)
		}
		if s.Reports.Since != c.since || s.Reports.Until != c.until {
			t.Errorf("%q: left %q to %q, want %q to %q", c.yaml, s.Reports.Since, s.Reports.Until, c.since, c.until)
		}
		if strings.Contains(c.yaml, "from:") {
			continue // the decoder's finding, not one of the period's own
		}
		if len(s.Reports.Problems) != len(c.want) {
			t.Errorf("%q: the settings keep %d problems, want %d", c.yaml, len(s.Reports.Problems), len(c.want))
		}
	}
}
