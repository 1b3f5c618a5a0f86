package layout_test

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/sev-dev/sev/internal/layout"
)

func TestResolve(t *testing.T) {
	ids := []string{
		"2025-11-02-checkout-errors-in-eu",
		"2026-03-02-checkout-latency-in-us",
		"2026-03-02-dns-outage",
		"2026-03-02-dns-outage-2",
	}
	for _, c := range []struct {
		query, want string
		ambiguous   int
	}{
		{query: "2026-03-02-dns-outage", want: "2026-03-02-dns-outage"}, // exact wins over prefix
		{query: "2025", want: "2025-11-02-checkout-errors-in-eu"},       // unique prefix
		{query: "latency", want: "2026-03-02-checkout-latency-in-us"},   // slug fragment
		{query: "CHECKOUT-ERRORS", want: "2025-11-02-checkout-errors-in-eu"},
		{query: "checkout", ambiguous: 2},
		{query: "2026-03-02", ambiguous: 3},
		{query: "outage", ambiguous: 2},
		{query: "03-02"}, // the date is not a slug fragment
		{query: ""},
	} {
		got, err := layout.Resolve(ids, c.query)
		var amb *layout.AmbiguousError
		var nf *layout.NotFoundError
		switch {
		case c.want != "":
			if got != c.want || err != nil {
				t.Errorf("Resolve(%q) = %q, %v; want %q", c.query, got, err, c.want)
			}
		case c.ambiguous > 0:
			if !errors.As(err, &amb) || len(amb.Candidates) != c.ambiguous {
				t.Errorf("Resolve(%q) = %q, %v; want %d candidates", c.query, got, err, c.ambiguous)
			}
		default:
			if !errors.As(err, &nf) {
				t.Errorf("Resolve(%q) = %q, %v; want not found", c.query, got, err)
			}
		}
	}
}

func TestIDsAndPaths(t *testing.T) {
	fsys := fstest.MapFS{
		"incidents/2026/2026-03-02-b/incident.yaml": {},
		"incidents/2025/2025-01-01-a/incident.yaml": {},
		"incidents/.gitkeep":                        {},
	}
	ids, err := layout.IDs(fsys)
	if err != nil || len(ids) != 2 || ids[0] != "2025-01-01-a" {
		t.Errorf("IDs = %v, %v", ids, err)
	}
	if got := layout.Timeline("2026-03-02-b"); got != "incidents/2026/2026-03-02-b/timeline.yaml" {
		t.Errorf("Timeline = %q", got)
	}
	if got := layout.SchemaRef(layout.Record("2026-03-02-b"), "incident.schema.json"); got != "../../../schema/incident.schema.json" {
		t.Errorf("SchemaRef = %q", got)
	}
	if got := layout.SchemaRef("sev.yaml", "sev.schema.json"); got != "schema/sev.schema.json" {
		t.Errorf("SchemaRef for a top-level file = %q", got)
	}
}

func TestIncidentOf(t *testing.T) {
	for p, want := range map[string]string{
		"incidents/2026/2026-03-02-checkout/timeline.yaml":         "2026-03-02-checkout",
		"incidents/2026/2026-03-02-checkout":                       "2026-03-02-checkout",
		"incidents/2026/2026-03-02-checkout/attachments/a/b/c.png": "2026-03-02-checkout",
		"postmortems/2026-03-02-checkout.md":                       "2026-03-02-checkout",
		"postmortems/TEMPLATE.md":                                  "TEMPLATE",
		"incidents/2026":                                           "",
		"incidents//x/y":                                           "",
		"postmortems/.md":                                          "",
		"postmortems/a/b.md":                                       "",
		"rotations/sre.yaml":                                       "",
		"sev.yaml":                                                 "",
	} {
		id, ok := layout.IncidentOf(p)
		if id != want || ok != (want != "") {
			t.Errorf("IncidentOf(%q) = %q, %v; want %q", p, id, ok, want)
		}
	}
}
