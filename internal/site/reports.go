package site

import (
	"encoding/json"
	"html/template"
	"strings"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/report"
)

// ReportsView is the reports page: every chart inline (it is SVG drawn at
// build time, so it works without JavaScript and prints), its caption,
// its numbers as a table, and links to the chart and the JSON.
type ReportsView struct {
	// Period says which incidents the reports cover when a range is set
	// (sev.yaml reports, --since, --until); "" for the default lengths.
	Period  string
	Reports []ReportView
}

// ReportView is one report on the page.
type ReportView struct {
	ID, Title, Caption string
	SVG                template.HTML
	Table              report.Table
	SVGFile, JSONFile  string // relative to the root
}

// ReportRange is the period a build's reports cover: each bound as the
// command line gave it (flags), else as sev.yaml's reports sets it.
func ReportRange(flags report.Range, s *config.Settings) report.Range {
	since, until := s.Reports.Dates(s.Location())
	r := flags.Or(report.Range{Since: since, Until: until})
	r.ExcludeImported = flags.ExcludeImported || !s.Reports.IncludeImported()
	return r
}

// period is the reports page's sentence about a range.
func period(r report.Range) string {
	const day = "2 Jan 2006"
	var from string
	imported := ""
	if r.ExcludeImported {
		imported = " Imported incidents are left out."
	}
	switch {
	case r.IsZero():
		return strings.TrimSpace(imported)
	case r.Until.IsZero():
		from = "from " + r.Since.Format(day) + " on"
	case r.Since.IsZero():
		from = "up to " + r.Until.Format(day)
	default:
		from = "from " + r.Since.Format(day) + " to " + r.Until.Format(day)
	}
	return "These reports cover the incidents declared " + from + "." + imported + " The library, the incident pages and search hold every incident."
}

func (g *gen) reports() error {
	rng := ReportRange(g.site.opts.Reports, g.s)
	v := &ReportsView{Period: period(rng)}
	for _, r := range report.Build(g.lib, g.now, rng) {
		data, err := json.MarshalIndent(r.Data, "", "  ")
		if err != nil {
			return err
		}
		rv := ReportView{ID: r.ID, Title: r.Title, Caption: r.Caption, Table: r.Table,
			// report.Build escapes every user string it draws and writes
			// no script, event attribute or inline style: the SVG is
			// markup sev made, safe to embed.
			SVG:     template.HTML(r.SVG),
			SVGFile: "reports/" + r.ID + ".svg", JSONFile: "reports/" + r.ID + ".json"}
		if err := g.out.write(rv.SVGFile, r.SVG); err != nil {
			return err
		}
		if err := g.out.write(rv.JSONFile, append(data, '\n')); err != nil {
			return err
		}
		v.Reports = append(v.Reports, rv)
	}
	return g.page("reports", "reports/index.html", "Reports", "reports", v)
}
