package search

import (
	"testing"

	"github.com/sev-dev/sev/internal/searchtext"
)

// FuzzCompileQuery: whatever parses compiles to a bleve query without
// panicking, whichever terms the index knows.
func FuzzCompileQuery(f *testing.F) {
	for _, s := range []string{`database timeout sev:1 tag:payments status:open after:2025-06-01`, `"dev cluster" -x`,
		`a:b`, `tag:"x y`, `\"`, `"\\"`, `-`, `--a`, `-"`, `sev:,`, "é\"", `10.0.0.1:80`, `"" ""`} {
		f.Add(s)
	}
	vocab := searchtext.Vocabulary{Statuses: []string{"open", "resolved"}}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := searchtext.ParseQuery(s, vocab)
		if err != nil {
			return
		}
		compile(q, func(string) bool { return false })
		compile(q, func(string) bool { return true })
	})
}
