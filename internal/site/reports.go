package site

import (
	"encoding/json"
	"html/template"

	"github.com/sev-dev/sev/internal/report"
)

// ReportsView is the reports page: every chart inline (it is SVG drawn at
// build time, so it works without JavaScript and prints), its caption,
// its numbers as a table, and links to the chart and the JSON.
type ReportsView struct {
	Reports []ReportView
}

// ReportView is one report on the page.
type ReportView struct {
	ID, Title, Caption string
	SVG                template.HTML
	Table              report.Table
	SVGFile, JSONFile  string // relative to the root
}

func (g *gen) reports() error {
	v := &ReportsView{}
	for _, r := range report.Build(g.lib, g.now) {
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
