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
	data, err := os.ReadFile(filepath.Join(out, "status", "status.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc statusDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != "sev.status/1" || doc.Status.Indicator != "major_outage" || len(doc.Active) != 2 || doc.Page.URL != "" {
		t.Errorf("status.json:\n%s", data)
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
