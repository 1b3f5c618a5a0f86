package site

import (
	"testing"

	"github.com/sev-dev/sev/internal/golden"
)

// TestIncidentPageGolden keeps one incident page, with its postmortem, as
// a golden file: a change to the templates or the view shows as a diff to
// review (go test ./internal/site -update).
func TestIncidentPageGolden(t *testing.T) {
	pm := "---\nincident: 2026-03-01-checkout-errors\nstatus: in-review\nauthors: [alice]\n---\n" +
		"# Postmortem: Checkout errors in EU\n\n## Summary\n\nA deploy broke card payments; we rolled it back.\n\n" +
		"## Root cause\n\nA connection pool limit of `10` on dev-cluster-105. See [[2026-03-01-checkout-errors]].\n"
	dir := repo(t, merge(map[string]string{"sev.yaml": testSettings, "postmortems/2026-03-01-checkout-errors.md": pm},
		incidentFiles("2026-03-01-checkout-errors", plainRecord, plainTimeline)))
	out, _ := build(t, dir, Options{BaseURL: "https://example.github.io/incidents/"})
	files := tree(t, out)
	page := files["incidents/2026-03-01-checkout-errors/index.html"]
	if page == nil {
		t.Fatal("no incident page")
	}
	golden.Check(t, "incident-page.html", gunzipped(t, page))
}
