package rule_test

import (
	"bytes"
	"os"
	"path"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/golden"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/postmortem"
	"github.com/sev-dev/sev/internal/rotation"
	"github.com/sev-dev/sev/internal/rule"
	"github.com/sev-dev/sev/internal/timeline"
)

// fixture is a repository written as a txtar archive: sev.yaml,
// rotations/, rules/, incidents/ and postmortems/, and a want file.
type fixture struct {
	path  string
	ar    *txtar.Archive
	files map[string][]byte
	now   time.Time
	env   *rule.Env
	set   *rule.Set
	diags diag.List
}

func loadFixture(t testing.TB, p string) *fixture {
	t.Helper()
	ar, err := txtar.ParseFile(p)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{path: p, ar: ar, files: map[string][]byte{}}
	for _, file := range ar.Files {
		f.files[file.Name] = file.Data
	}
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		if v, ok := strings.CutPrefix(line, "now: "); ok {
			if f.now, err = time.Parse(time.RFC3339, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	s := config.Default()
	if data, ok := f.files[config.File]; ok {
		var d diag.List
		s, d = config.Parse(config.File, data)
		if d.Errors() > 0 {
			t.Fatalf("the fixture's sev.yaml: %v", d)
		}
	}
	f.env = &rule.Env{Settings: s, SiteURL: "https://incidents.northwind.example/"}
	var rules []rule.File
	for _, name := range f.names() {
		switch {
		case strings.HasPrefix(name, "rotations/"):
			r, d := rotation.Parse(name, f.files[name])
			if d.Errors() > 0 {
				t.Fatalf("the fixture's %s: %v", name, d)
			}
			f.env.Rotations = append(f.env.Rotations, r)
		case strings.HasPrefix(name, "rules/"):
			rules = append(rules, rule.File{Path: name, Data: f.files[name]})
		}
	}
	f.set, f.diags = rule.ParseSet(rules, f.env)
	return f
}

func (f *fixture) names() []string {
	var out []string
	for name := range f.files {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// inputs are the fixture's incidents, by ID.
func (f *fixture) inputs(t testing.TB) []rule.Input {
	t.Helper()
	var out []rule.Input
	for _, name := range f.names() {
		if path.Base(name) != "incident.yaml" {
			continue
		}
		rec, _, d := incident.Parse(name, f.files[name])
		if d.Errors() > 0 {
			t.Fatalf("%s: %v", name, d)
		}
		tl := path.Join(path.Dir(name), "timeline.yaml")
		entries, _, d := timeline.Parse(tl, f.files[tl])
		if d.Errors() > 0 {
			t.Fatalf("%s: %v", tl, d)
		}
		in := rule.Input{Record: rec, Timeline: entries}
		if pm, ok := f.files["postmortems/"+rec.ID+".md"]; ok {
			doc, d := postmortem.Parse("postmortems/"+rec.ID+".md", pm)
			if d.Errors() > 0 {
				t.Fatalf("postmortem of %s: %v", rec.ID, d)
			}
			in.Postmortem = doc.Meta.Status
		}
		out = append(out, in)
	}
	return out
}

// check compares got with the want file, or rewrites it with -update.
func (f *fixture) check(t *testing.T, got []byte) {
	t.Helper()
	idx := -1
	for i, file := range f.ar.Files {
		if file.Name == "want" {
			idx = i
		}
	}
	if golden.Update() {
		if idx < 0 {
			f.ar.Files = append(f.ar.Files, txtar.File{Name: "want"})
			idx = len(f.ar.Files) - 1
		}
		f.ar.Files[idx].Data = got
		if err := os.WriteFile(f.path, txtar.Format(f.ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if idx < 0 {
		t.Fatal("the case has no want file; run go test -update")
	}
	if want := f.ar.Files[idx].Data; !bytes.Equal(got, want) {
		t.Errorf("output differs from the want file (go test -update rewrites it)\n--- got\n%s--- want\n%s", got, want)
	}
}
