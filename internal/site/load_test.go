package site

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The people pages and the on-call report count the same 90 days: a
// rotation that began this morning has put nobody on call in the window
// yet, on either page (the people pages once counted up to the build's
// instant, the report whole days).
func TestLoadWindowShared(t *testing.T) {
	dir := repo(t, map[string]string{
		"sev.yaml": testSettings + "orgs:\n  - {name: eng}\npeople:\n  - {handle: ana}\n",
		"rotations/primary.yaml": "org: eng\ntimezone: UTC\nlayers:\n  - members: [ana]\n    shift: 1w\n    start: " +
			testNow.Format("2006-01-02") + "T00:00:00Z\n",
	})
	out, _ := build(t, dir, Options{})
	page, err := os.ReadFile(filepath.Join(out, "people", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		People []struct {
			Person string  `json:"person"`
			Hours  float64 `json:"hours"`
		} `json:"people"`
	}
	data, err := os.ReadFile(filepath.Join(out, "reports", "oncall.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.People {
		if p.Person == "ana" && p.Hours != 0 {
			t.Errorf("the report counts %v h for ana", p.Hours)
		}
	}
	row := string(page)[strings.Index(string(page), `people/ana/`):]
	row = row[:strings.Index(row, "</tr>")]
	if !strings.HasSuffix(row, "<td>—</td>") && !strings.HasSuffix(row, "<td>0 h</td>") {
		t.Errorf("the people page does not count the report's window:\n%s", page)
	}
}

// A member of rotations gets one calendar of their shifts in all of them,
// linked from their page; nobody else's shifts are in it.
func TestPersonCalendar(t *testing.T) {
	rot := func(members string) string {
		return "org: eng\ntimezone: UTC\nlayers:\n  - members: [" + members + "]\n    shift: 1d\n    start: 2026-01-05T00:00:00Z\n"
	}
	dir := repo(t, map[string]string{
		"sev.yaml":                 testSettings + "orgs:\n  - {name: eng}\npeople:\n  - {handle: ana, timezone: Europe/Lisbon}\n  - {handle: ben}\n",
		"rotations/primary.yaml":   rot("ana, ben"),
		"rotations/secondary.yaml": rot("ben, ana"),
	})
	out, _ := build(t, dir, Options{})
	cal, err := os.ReadFile(filepath.Join(out, "people", "ana", "oncall.ics"))
	if err != nil {
		t.Fatal(err)
	}
	ics := string(cal)
	if !strings.Contains(ics, "X-WR-CALNAME:ana on call") || !strings.Contains(ics, "X-WR-TIMEZONE:Europe/Lisbon") ||
		!strings.Contains(ics, "SUMMARY:ana on call: primary") || !strings.Contains(ics, "SUMMARY:ana on call: secondary") ||
		strings.Contains(ics, "SUMMARY:ben") {
		t.Errorf("ana's calendar:\n%s", ics)
	}
	page, err := os.ReadFile(filepath.Join(out, "people", "ana", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `href="../../people/ana/oncall.ics"`) {
		t.Errorf("ana's page does not link the calendar")
	}
}

// On the on-call page who is on call comes before a rotation's (often
// long) description.
func TestOnCallNowBeforeDescription(t *testing.T) {
	dir := repo(t, map[string]string{
		"sev.yaml": testSettings + "orgs:\n  - {name: eng}\n",
		"rotations/primary.yaml": "org: eng\ntimezone: UTC\ndescription: Handles checkout and payments zqdesc\n" +
			"layers:\n  - members: [ana]\n    shift: 1w\n    start: 2026-01-05T00:00:00Z\n",
	})
	out, _ := build(t, dir, Options{})
	page, err := os.ReadFile(filepath.Join(out, "oncall", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	now, desc := strings.Index(string(page), "<dt>Now</dt>"), strings.Index(string(page), "zqdesc")
	if now < 0 || desc < 0 || desc < now {
		t.Errorf("the description comes before who is on call (%d, %d)", now, desc)
	}
}
