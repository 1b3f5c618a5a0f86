package validate_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/sev-dev/sev/internal/golden"
	"github.com/sev-dev/sev/internal/validate"
)

// TestChecks runs one case per file in testdata/checks: the archive's files
// are a repository, its "want" file the diagnostics validate must print.
func TestChecks(t *testing.T) {
	cases, err := filepath.Glob("testdata/checks/*.txtar")
	if err != nil || len(cases) == 0 {
		t.Fatal("no cases", err)
	}
	for _, path := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			fsys, wantIdx := caseFS(ar)
			var opts validate.Options
			// A line "now: <RFC 3339 time>" in the comment sets the clock
			// for the checks that need one.
			for _, line := range strings.Split(string(ar.Comment), "\n") {
				if v, ok := strings.CutPrefix(line, "now: "); ok {
					if opts.Now, err = time.Parse(time.RFC3339, v); err != nil {
						t.Fatal(err)
					}
				}
			}
			_, diags := validate.Run(fsys, opts)
			var got bytes.Buffer
			diags.WriteText(&got)
			if golden.Update() {
				if wantIdx < 0 {
					ar.Files = append(ar.Files, txtar.File{Name: "want"})
					wantIdx = len(ar.Files) - 1
				}
				ar.Files[wantIdx].Data = got.Bytes()
				if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if wantIdx < 0 {
				t.Fatal("case has no want file; run go test -update")
			}
			if want := string(ar.Files[wantIdx].Data); got.String() != want {
				t.Errorf("diagnostics differ\n--- got\n%s--- want\n%s", got.String(), want)
			}
		})
	}
}

// caseFS is a check case's files as a file system (NAME.symlink is a
// symbolic link named NAME), and the index of its "want" file, -1 if none.
func caseFS(ar *txtar.Archive) (fstest.MapFS, int) {
	fsys := fstest.MapFS{}
	want := -1
	for i, f := range ar.Files {
		switch {
		case f.Name == "want":
			want = i
		case strings.HasSuffix(f.Name, ".symlink"):
			fsys[strings.TrimSuffix(f.Name, ".symlink")] = &fstest.MapFile{Data: f.Data, Mode: fs.ModeSymlink}
		default:
			fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
		}
	}
	return fsys, want
}
