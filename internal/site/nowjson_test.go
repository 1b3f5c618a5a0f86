package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/golden"
)

// nowRepo has one incident in each part of the Now page (open, mitigated,
// resolved lately, resolved long ago) and the restricted canary, open.
func nowRepo() map[string]string {
	rec := func(id, title, status, milestones string) map[string]string {
		return incidentFiles(id, "id: "+id+"\ntitle: "+title+"\nseverity: 2\nstatus: "+status+"\nvisibility: internal\nservices: [search]\ntags: [index]\nmilestones:\n"+milestones,
			"- id: 01cccccccccccccc\n  at: 2026-02-10T08:00:00Z\n  by: dave\n  type: declared\n")
	}
	return merge(map[string]string{"sev.yaml": testSettings},
		incidentFiles("2026-03-01-checkout-errors", plainRecord, plainTimeline),
		rec("2026-02-27-slow-search", "Slow search", "mitigated", "  declared: 2026-02-27T08:00:00Z\n  mitigated: 2026-02-27T09:00:00Z\n"),
		rec("2026-02-25-stale-index", "Stale index", "resolved", "  declared: 2026-02-25T08:00:00Z\n  mitigated: 2026-02-25T09:00:00Z\n  resolved: 2026-02-25T10:00:00Z\n"),
		rec("2026-01-05-old-outage", "Old outage", "resolved", "  declared: 2026-01-05T08:00:00Z\n  mitigated: 2026-01-05T09:00:00Z\n  resolved: 2026-01-05T10:00:00Z\n"),
		// planned: open, but its window has not begun
		incidentFiles("2026-02-28-index-upgrade", "id: 2026-02-28-index-upgrade\ntitle: Index upgrade\nseverity: 3\nstatus: open\nkind: maintenance\n"+
			"milestones:\n  declared: 2026-02-28T08:00:00Z\nwindow:\n  start: 2026-03-10T02:00:00Z\n  end: 2026-03-10T04:00:00Z\n",
			"- id: 01dddddddddddddd\n  at: 2026-02-28T08:00:00Z\n  by: dave\n  type: declared\n"),
		restrictedFiles())
}

// now.json holds what the Now page shows (a golden file), never a
// restricted incident, the same bytes from every build of one
// repository; the page carries its fingerprint.
func TestNowJSON(t *testing.T) {
	dir := repo(t, nowRepo())
	out, _ := build(t, dir, Options{})
	files := tree(t, out)
	data := files["now.json"]
	if data == nil {
		t.Fatal("no now.json")
	}
	golden.Check(t, "now.json", data)
	if bytes.Contains(data, []byte(leak)) {
		t.Errorf("now.json names the restricted incident:\n%s", data)
	}
	var doc nowDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Open) != 1 || len(doc.Mitigated) != 1 || len(doc.Recent) != 1 || doc.Recent[0].Title != "Stale index" {
		t.Errorf("open %d, mitigated %d, recent %d:\n%s", len(doc.Open), len(doc.Mitigated), len(doc.Recent), data)
	}
	page := string(files["index.html"])
	if want := fmt.Sprintf(`data-sev-now="%08x"`, fnv32(string(data))); !strings.Contains(page, want) {
		t.Errorf("the Now page does not carry %s", want)
	}
	again, _ := build(t, dir, Options{})
	if !bytes.Equal(tree(t, again)["now.json"], data) {
		t.Error("two builds of one repository wrote different now.json")
	}
	// with --include-restricted the canary is there: the check above could fail
	inside, _ := build(t, dir, Options{IncludeRestricted: true})
	if got := tree(t, inside)["now.json"]; !bytes.Contains(got, []byte(leak)) {
		t.Errorf("with --include-restricted now.json leaves the restricted incident out:\n%s", got)
	}
}
