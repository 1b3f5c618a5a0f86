package site

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// status.json and the badge say what the status page says: the public
// incidents only, the worst active impact overall.
func TestStatusJSONAndBadge(t *testing.T) {
	rec := func(id, title, vis string, sev int, status string) map[string]string {
		return incidentFiles(id, "id: "+id+"\ntitle: "+title+"\nseverity: "+string(rune('0'+sev))+"\nstatus: "+status+
			"\nvisibility: "+vis+"\nservices: [api]\nmilestones:\n  declared: 2026-03-02T13:00:00Z\n",
			"- id: 01aaaaaaaaaaaaaa\n  at: 2026-03-02T13:00:00Z\n  by: alice\n  type: declared\n- id: 01bbbbbbbbbbbbbb\n  at: 2026-03-02T13:10:00Z\n  by: alice\n  type: note\n  text: We are looking into it\n  public: true\n")
	}
	dir := repo(t, merge(map[string]string{"sev.yaml": testSettings},
		rec("2026-03-02-api-down", "API down", "public", 1, "open"),
		rec("2026-03-02-slow-search", "Slow search", "public", 3, "open"),
		rec("2026-03-02-canary", "Canary zqxw internal", "internal", 1, "open"),
	))
	out, _ := build(t, dir, Options{})
	doc := readStatus(t, out)
	if doc.Schema != "sev.status/1" || doc.Status.Indicator != "major_outage" || len(doc.Active) != 2 || doc.Page.URL != "" {
		t.Errorf("status.json: %+v", doc)
	}
	if a := doc.Active[0]; len(a.Updates) != 1 || a.Updates[0].Text != "We are looking into it" || a.Services[0] != "api" {
		t.Errorf("the first notice: %+v", a)
	}
	svg, err := os.ReadFile(filepath.Join(out, "status", "badge.svg"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(svg), ">major outage</text>") {
		t.Errorf("badge:\n%s", svg)
	}
	for _, f := range []string{"status.json", "badge.svg"} {
		b, _ := os.ReadFile(filepath.Join(out, "status", f))
		if strings.Contains(string(b), "zqxw") {
			t.Errorf("status/%s names an internal incident", f)
		}
	}
	if got := string(badge(overall(nil))); !strings.Contains(got, ">operational</text>") {
		t.Errorf("an all-clear badge:\n%s", got)
	}
}

// Planned work on the status page is maintenance, never an outage: its
// own section and words, and the state "under_maintenance" when nothing
// worse is going on.
func TestStatusMaintenance(t *testing.T) {
	dir := repo(t, merge(map[string]string{"sev.yaml": testSettings},
		incidentFiles("2026-03-02-db-upgrade", "id: 2026-03-02-db-upgrade\ntitle: Database upgrade\nseverity: 1\nstatus: open\nkind: maintenance\nvisibility: public\nmilestones:\n  declared: 2026-03-02T13:00:00Z\n",
			"- id: 01aaaaaaaaaaaaaa\n  at: 2026-03-02T13:00:00Z\n  by: alice\n  type: declared\n"),
	))
	out, _ := build(t, dir, Options{})
	page, err := os.ReadFile(filepath.Join(out, "status", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	if !strings.Contains(html, "<h1>Maintenance in progress</h1>") || !strings.Contains(html, "In progress</span> · Maintenance") ||
		strings.Contains(html, "Major outage") || strings.Contains(html, "ongoing incident") {
		t.Errorf("the status page words maintenance as an outage:\n%s", html)
	}
	data, _ := os.ReadFile(filepath.Join(out, "status", "status.json"))
	var doc statusDoc
	if err := json.Unmarshal(data, &doc); err != nil || doc.Status.Indicator != "under_maintenance" {
		t.Errorf("status.json: %s (%v)", data, err)
	}
	svg, _ := os.ReadFile(filepath.Join(out, "status", "badge.svg"))
	if !strings.Contains(string(svg), ">maintenance</text>") {
		t.Errorf("badge:\n%s", svg)
	}
}
