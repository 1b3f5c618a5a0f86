package searchtext

import (
	"testing"
	"time"
)

func TestMatch(t *testing.T) {
	checkout := &Doc{ID: "2023-05-01-checkout", Severity: 1, Status: "open", Kind: "normal",
		Tags: []string{"payments", "Legacy"}, Services: []string{"checkout-api"}, Orgs: []string{"engineering"},
		People: []string{"alice", "bob"}, Date: time.Date(2023, 5, 1, 9, 0, 0, 0, time.UTC)}
	drill := &Doc{ID: "2024-02-01-drill", Severity: 3, Status: "closed", Kind: "drill",
		Services: []string{"dns"}, People: []string{"carol"}, Date: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)}
	undated := &Doc{ID: "2024-03-01-undated", Severity: 2, Status: "open", Kind: "normal"}
	for _, c := range []struct {
		q    string
		want []bool // checkout, drill, undated
	}{
		{"", []bool{true, true, true}},
		{"service:checkout-api", []bool{true, false, false}},
		{"service:CHECKOUT-API,dns", []bool{true, true, false}},
		{"-service:dns", []bool{true, false, true}},
		{"tag:legacy status:open", []bool{true, false, false}},
		{"sev:1,3", []bool{true, true, false}},
		{"kind:drill", []bool{false, true, false}},
		{"person:carol", []bool{false, true, false}},
		{"org:engineering -person:bob", []bool{false, false, false}},
		{"before:2024-01-01", []bool{true, false, false}},
		{"after:2024-02-01", []bool{false, true, false}},  // on the day counts
		{"before:2024-02-01", []bool{true, false, false}}, // before is exclusive
		{"after:2023-01 before:2024-12-31 status:open", []bool{true, false, false}},
	} {
		q, err := ParseQuery(c.q, testVocab)
		if err != nil {
			t.Fatalf("%q: %v", c.q, err)
		}
		for i, d := range []*Doc{checkout, drill, undated} {
			if got := q.Match(d); got != c.want[i] {
				t.Errorf("%q on %s: %v, want %v", c.q, d.ID, got, c.want[i])
			}
		}
	}
}

func TestHasTextAndFilter(t *testing.T) {
	q, err := ParseQuery(`tag:x person:alice`, testVocab)
	if err != nil {
		t.Fatal(err)
	}
	if q.HasText() || !q.HasFilter(FieldPerson) || q.HasFilter(FieldService) {
		t.Errorf("filters only: HasText %v, person %v, service %v", q.HasText(), q.HasFilter(FieldPerson), q.HasFilter(FieldService))
	}
	q, _ = ParseQuery(`tag:x timeout`, testVocab)
	if !q.HasText() {
		t.Error("a word is text")
	}
}
