package validate_test

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/validate"
)

// TestGateAgreesWithValidate: over every case of the check tests, the
// gate lets through exactly the incident folders in which sev validate
// finds no error (their own files: findings about sev.yaml, rotations or
// postmortems do not keep an incident out), and never one with an error.
func TestGateAgreesWithValidate(t *testing.T) {
	cases, _ := filepath.Glob("testdata/checks/*.txtar")
	for _, path := range cases {
		ar, err := txtar.ParseFile(path)
		if err != nil {
			t.Fatal(err)
		}
		fsys, _ := caseFS(ar)
		s, diags := validate.Run(fsys, validate.Options{})
		if s == nil {
			s = config.Default()
		}
		dirs, _ := validate.Dirs(fsys, s)
		bad := map[string]bool{}
		for _, d := range diags {
			if d.Severity == diag.Error {
				for _, dir := range dirs {
					if d.Path == dir || strings.HasPrefix(d.Path, dir+"/") {
						bad[dir] = true
					}
				}
			}
		}
		var want []string
		for _, dir := range dirs {
			if !bad[dir] {
				want = append(want, filepath.Base(dir))
			}
		}
		incs, _ := validate.LoadAll(fsys, s)
		var got []string
		for _, inc := range incs {
			got = append(got, inc.ID())
		}
		sort.Strings(want)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: the gate passes [%s], validate finds no error in [%s]", path, strings.Join(got, " "), strings.Join(want, " "))
		}
	}
}
