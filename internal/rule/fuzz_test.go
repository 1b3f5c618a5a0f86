package rule_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/rule"
)

// FuzzParse: any bytes give a rule or diagnostics, never a panic; a rule
// that parses has no errors, and planning it on the fixture's incidents
// does not panic either. Seeds are the demo's rules and the parse cases'.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("../../rules/*.yaml")
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	cases, _ := filepath.Glob("testdata/parse/*.txtar")
	for _, p := range cases {
		for name, b := range loadFixture(f, p).files {
			if strings.HasPrefix(name, "rules/") {
				f.Add(b)
			}
		}
	}
	hostile := loadFixture(f, "testdata/plan/hostile.txtar")
	inputs := hostile.inputs(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, diags := rule.Parse("rules/fuzz.yaml", data, hostile.env)
		if r == nil {
			if diags.Errors() == 0 {
				t.Fatal("no rule and no error")
			}
			return
		}
		if diags.Errors() > 0 {
			t.Fatalf("a rule with errors: %v", diags)
		}
		set := &rule.Set{Rules: []*rule.Rule{r}}
		for _, in := range inputs {
			set.Replay(hostile.env, in, time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC))
		}
	})
}
