package webhook

import (
	"time"
)

// fixedNow is the clock of every test that signs or stamps a body.
var fixedNow = time.Date(2026, 3, 2, 14, 5, 0, 0, time.UTC)

const testSecret = "s3cr3t-signing-key-0123456789abcdef"

// fixture is a SEV1 security incident's event as a rule would send it.
func fixture() Event {
	const inc = "2026-03-02-checkout-errors-in-eu"
	return Event{
		ID:   NewID("sev1-security", "chat", inc, "e-01"),
		Rule: "sev1-security",
		Incident: Incident{
			ID: inc, Title: "Checkout errors in EU", Severity: 1, SeverityName: "SEV1", Status: "open",
			URL:   "https://incidents.example.com/incidents/" + inc + "/",
			Tags:  []string{"security", "payments"},
			Orgs:  []string{"payments"},
			Roles: map[string]string{"security": "sam", "commander": "alice"},
		},
		Text: "Security on call paged. Follow the security process.",
	}
}
