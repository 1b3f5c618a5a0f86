package config

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sev-dev/sev/internal/term"
)

// Any sev.yaml parses without a panic; every finding has a position in
// the file; and a component that survives the checks has a clean name, a
// feed name of its own and known services.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"name: x\n",
		"services:\n  - {name: api}\nstatus-page:\n  components:\n    - {name: API, group: G, services: [api]}\n",
		"status-page:\n  components:\n    - {name: \"A\\u200bB\", services: [x]}\n    - {name: a-b, services: [y]}\n",
		"status-page: {components: [{name: 支付, services: [pay]}, {name: '', services: []}]}\n",
		"status-page:\n  components: 3\n",
		"reports: {since: 2026-13-01}\nchecks: {window: off}\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		s, diags := Parse(File, []byte(data))
		for _, d := range diags {
			if d.Pos.Path != File {
				t.Fatalf("a finding without the file: %v", d)
			}
		}
		if s == nil {
			return
		}
		slugs := map[string]bool{}
		known := names(s.Services, func(x Named) string { return x.Name })
		for _, c := range s.StatusPage.Components {
			if strings.TrimSpace(c.Name) == "" || utf8.RuneCountInString(c.Name) > maxComponentName ||
				strings.ContainsAny(c.Name, "<>") || strings.ContainsFunc(c.Name, term.Unsafe) || strings.ContainsFunc(c.Name, invisible) {
				t.Fatalf("component %q kept", c.Name)
			}
			if slugs[c.Slug()] || c.Slug() == "" {
				t.Fatalf("feed name %q twice or empty", c.Slug())
			}
			slugs[c.Slug()] = true
			for _, svc := range c.Services {
				if !LabelRE.MatchString(svc) || len(known) > 0 && !strings.Contains(","+strings.Join(known, ",")+",", ","+svc+",") {
					t.Fatalf("component %q keeps service %q", c.Name, svc)
				}
			}
			if !s.StatusPage.Private {
				t.Fatal("components but not private")
			}
		}
	})
}
