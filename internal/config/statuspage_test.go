package config

import (
	"strings"
	"testing"
)

// Components with a problem are reported with their position and left
// off the status page; the good ones stay, in order.
func TestStatusPageComponents(t *testing.T) {
	const head = "services:\n  - {name: api}\n  - {name: web}\nstatus-page:\n  components:\n"
	for _, c := range []struct {
		name, yaml, want string
	}{
		{"fine", "    - {name: API, group: Platform, services: [api]}\n", ""},
		{"no services", "    - {name: API}\n", "sev.yaml:6:7: status-page.components[0] is missing the required field \"services\" [required-field]"},
		{"empty services", "    - {name: API, services: []}\n", "sev.yaml:6:29: component \"API\" lists no services"},
		{"unknown service", "    - {name: API, services: [api, apy]}\n", "sev.yaml:6:35: unknown service \"apy\"; add it to services or use one of api, web"},
		{"bad service name", "    - {name: API, services: [API]}\n", "sev.yaml:6:30: \"API\" is not a valid service name"},
		{"twice", "    - {name: API, services: [api]}\n    - {name: API, services: [web]}\n", "sev.yaml:7:14: component \"API\" is listed twice"},
		{"same slug", "    - {name: Web app, services: [web]}\n    - {name: web-app, services: [web]}\n", "sev.yaml:7:14: components \"Web app\" and \"web-app\" have the same feed name \"web-app\"; rename one"},
		{"markup", "    - {name: '<b>API</b>', services: [api]}\n", "sev.yaml:6:14: name must not contain <, >, control or bidirectional characters"},
		{"zero-width space", "    - {name: \"A\u200bPI\", services: [api]}\n", "name must not contain invisible characters"},
		{"bidi", "    - {name: \"API\u202e\", services: [api]}\n", "name must not contain <, >, control or bidirectional characters"},
		{"escape in description", "    - {name: API, description: \"\\e[31mred\", services: [api]}\n", "sev.yaml:6:32: description must not contain control or bidirectional characters"},
		{"long group", "    - {name: API, group: " + strings.Repeat("g", 61) + ", services: [api]}\n", "group \"ggg"},
		{"empty name", "    - {name: ' ', services: [api]}\n", "a component needs a name"},
	} {
		s, diags := Parse(File, []byte(head+c.yaml))
		got := diags.Error()
		if c.want == "" {
			if len(diags) > 0 || len(s.StatusPage.Components) != 1 || s.StatusPage.Components[0].Slug() != "api" {
				t.Errorf("%s: %v, %+v", c.name, diags, s.StatusPage.Components)
			}
			continue
		}
		if !strings.Contains(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
		if !s.StatusPage.Private {
			t.Errorf("%s: with a status-page block the services are not private", c.name)
		}
		for _, comp := range s.StatusPage.Components {
			if comp.Name != "API" && comp.Name != "Web app" {
				t.Errorf("%s: the bad component %q was kept", c.name, comp.Name)
			}
		}
	}
	if s, _ := Parse(File, []byte("name: x\n")); s.StatusPage.Private {
		t.Error("without a status-page block the services are private")
	}
	// a name in another script gets a feed name all the same
	s, diags := Parse(File, []byte("status-page:\n  components:\n    - {name: 支付, services: [pay]}\n    - {name: 配送, services: [ship]}\n"))
	if len(diags) > 0 || len(s.StatusPage.Components) != 2 || !strings.HasPrefix(s.StatusPage.Components[0].Slug(), "component-") ||
		s.StatusPage.Components[0].Slug() == s.StatusPage.Components[1].Slug() {
		t.Errorf("names without a-z: %v %+v", diags, s.StatusPage.Components)
	}
	// without a services list any valid service name will do
	s, diags = Parse(File, []byte("status-page:\n  components:\n    - {name: Mobile apps, services: [ios, android]}\n"))
	if len(diags) > 0 || len(s.StatusPage.Components) != 1 || s.StatusPage.Components[0].Slug() != "mobile-apps" ||
		!s.StatusPage.Components[0].Affects([]string{"web", "android"}) || s.StatusPage.Components[0].Affects([]string{"web"}) {
		t.Errorf("services not configured: %v %+v", diags, s.StatusPage.Components)
	}
}
