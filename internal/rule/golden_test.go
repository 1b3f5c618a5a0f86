package rule_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestParseCases runs one case per file in testdata/parse: the archive is
// a repository with rules, its want file the diagnostics the rules get.
func TestParseCases(t *testing.T) {
	cases, err := filepath.Glob("testdata/parse/*.txtar")
	if err != nil || len(cases) == 0 {
		t.Fatal("no cases", err)
	}
	for _, p := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(p), ".txtar"), func(t *testing.T) {
			f := loadFixture(t, p)
			var got bytes.Buffer
			f.diags.WriteText(&got)
			for _, r := range f.set.Rules {
				got.WriteString("ok " + r.Name + "\n")
			}
			f.check(t, got.Bytes())
		})
	}
}

// TestPlanCases runs one case per file in testdata/plan: the archive is a
// repository with incidents and rules; its want file is the plan of every
// incident as sev rules test replays it at the comment's "now:" (or, with
// a line "fresh: ID ID ...", as automation plans it for those entries).
func TestPlanCases(t *testing.T) {
	cases, err := filepath.Glob("testdata/plan/*.txtar")
	if err != nil || len(cases) == 0 {
		t.Fatal("no cases", err)
	}
	for _, p := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(p), ".txtar"), func(t *testing.T) {
			f := loadFixture(t, p)
			if f.now.IsZero() {
				t.Fatal("the case needs a line \"now: <RFC 3339 time>\" in its comment")
			}
			var fresh []string
			for _, line := range strings.Split(string(f.ar.Comment), "\n") {
				if v, ok := strings.CutPrefix(line, "fresh: "); ok {
					fresh = strings.Fields(v)
				}
			}
			var got bytes.Buffer
			f.diags.WriteText(&got)
			for _, in := range f.inputs(t) {
				plan, diags := f.set.Replay(f.env, in, f.now)
				if fresh != nil {
					plan, diags = f.set.Automate(f.env, in, fresh, f.now)
				}
				diags.WriteText(&got)
				b, err := json.MarshalIndent(plan, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				got.Write(b)
				got.WriteByte('\n')
			}
			f.check(t, got.Bytes())
		})
	}
}
