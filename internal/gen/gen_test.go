package gen

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/validate"
)

const testN = 200

func testOptions(seed int64) Options {
	return Options{
		Incidents: testN, Seed: seed,
		Start: time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC),
		End:   time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
	}
}

func generate(t *testing.T, opts Options) (string, Stats) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "repo")
	st, err := Generate(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return dir, st
}

// readAll returns every file under dir (outside .git) by slash path.
func readAll(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return fs.SkipDir
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func digest(files map[string][]byte) string {
	h := sha256.New()
	for _, p := range slices.Sorted(maps.Keys(files)) {
		h.Write([]byte(p))
		h.Write([]byte{0})
		h.Write(files[p])
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestSameSeedSameBytes(t *testing.T) {
	dirA, stA := generate(t, testOptions(1))
	dirB, stB := generate(t, testOptions(1))
	dirC, stC := generate(t, testOptions(2))
	a, b, c := readAll(t, dirA), readAll(t, dirB), readAll(t, dirC)
	if digest(a) != digest(b) {
		t.Errorf("seed 1 gave different files on two runs")
	}
	if !reflect.DeepEqual(stA, stB) {
		t.Errorf("seed 1 gave different stats: %+v and %+v", stA, stB)
	}
	if digest(a) == digest(c) || reflect.DeepEqual(stA.Planted, stC.Planted) {
		t.Errorf("seeds 1 and 2 gave the same repository")
	}
	if len(a) != stA.Files {
		t.Errorf("stats say %d files, found %d", stA.Files, len(a))
	}
	var size int64
	for _, data := range a {
		size += int64(len(data))
	}
	if size != stA.Bytes {
		t.Errorf("stats say %d bytes, found %d", stA.Bytes, size)
	}
}

func TestEverythingValidates(t *testing.T) {
	dir, st := generate(t, testOptions(1))
	fsys := os.DirFS(dir)
	data, err := fs.ReadFile(fsys, config.File)
	if err != nil {
		t.Fatal(err)
	}
	set, diags := config.Parse(config.File, data)
	if len(diags) > 0 {
		t.Fatalf("sev.yaml:\n%v", diags)
	}
	// The same checks as `sev validate`, warnings included: every name an
	// incident uses is in sev.yaml's vocabulary.
	if _, diags := validate.Run(fsys, validate.Options{}); len(diags) > 0 {
		t.Fatalf("validate found %d problem(s):\n%v", len(diags), diags)
	}
	ids, err := layout.IDs(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != st.Incidents {
		t.Fatalf("%d incident folders, want %d", len(ids), st.Incidents)
	}
	entries, attached := 0, 0
	for _, id := range ids {
		n, a := checkIncident(t, fsys, set, id)
		if n < 5 || n > 40 {
			t.Errorf("%s has %d timeline entries, want 5 to 40", id, n)
		}
		entries += n
		attached += a
	}
	if entries != st.Entries {
		t.Errorf("stats say %d entries, found %d", st.Entries, entries)
	}
	// validate warns about attach entries without their file; count the
	// other way round too.
	files, _ := fs.Glob(fsys, "incidents/*/*/attachments/*")
	if len(files) != st.Attachments || attached != st.Attachments {
		t.Errorf("stats say %d attachments; found %d files and %d attach entries", st.Attachments, len(files), attached)
	}
	if per := float64(st.Attachments) / testN; per < 0.4 || per > 0.8 {
		t.Errorf("%.2f attachments per incident, want about 0.6", per)
	}
}

// checkIncident parses one incident with the checks `sev validate` runs
// and returns its number of timeline entries and of attach entries.
func checkIncident(t *testing.T, fsys fs.FS, set *config.Settings, id string) (n, attached int) {
	t.Helper()
	rec, _ := fs.ReadFile(fsys, layout.Record(id))
	inc, dec, diags := incident.Parse(layout.Record(id), rec)
	diags.Append(incident.Check(inc, dec, set, id))
	tl, _ := fs.ReadFile(fsys, layout.Timeline(id))
	entries, tdec, d := timeline.Parse(layout.Timeline(id), tl)
	diags.Append(d)
	diags.Append(incident.CheckTimeline(entries, tdec, set))
	if len(diags) > 0 {
		t.Errorf("%s:\n%v", id, diags)
	}
	if len(entries) == 0 || entries[0].Type != timeline.Declared {
		t.Errorf("%s: the first entry is not the declaration", id)
	}
	for _, e := range entries {
		if e.Type == timeline.Attach {
			attached++
		}
	}
	return len(entries), attached
}

var pmFront = regexp.MustCompile(`\A---\nincident: ([a-z0-9-]+)\nstatus: (published|draft)\n---\n`)

func TestPostmortems(t *testing.T) {
	dir, st := generate(t, testOptions(1))
	files := readAll(t, dir)
	sections := []string{"Summary", "Impact", "Timeline", "Root cause", "What went well", "What went badly", "Where we got lucky", "Follow-ups"}
	n := 0
	for p, data := range files {
		if !strings.HasPrefix(p, layout.Postmortems+"/") || strings.HasSuffix(p, ".gitkeep") {
			continue
		}
		n++
		text := string(data)
		m := pmFront.FindStringSubmatch(text)
		if m == nil || layout.Postmortem(m[1]) != p {
			t.Errorf("%s: front matter does not name its incident:\n%.120s", p, text)
			continue
		}
		if _, ok := files[layout.Record(m[1])]; !ok {
			t.Errorf("%s: incident %s does not exist", p, m[1])
		}
		last := 0
		for _, s := range sections {
			i := strings.Index(text, "\n## "+s+"\n")
			if i < last {
				t.Errorf("%s: section %q is missing or out of order", p, s)
			}
			last = i
		}
		if w := len(strings.Fields(text)); w < 200 || w > 2600 {
			t.Errorf("%s has %d words, want a few hundred to a couple of thousand", p, w)
		}
	}
	if n != st.Postmortems {
		t.Errorf("stats say %d postmortems, found %d", st.Postmortems, n)
	}
	if share := float64(n) / testN; share < 0.3 || share > 0.5 {
		t.Errorf("%.0f%% of incidents have a postmortem, want about 40%%", share*100)
	}
}

// incidentOf returns the incident a file belongs to, or "".
func incidentOf(p string) string {
	parts := strings.Split(p, "/")
	switch {
	case len(parts) >= 4 && parts[0] == layout.Incidents:
		return parts[2]
	case len(parts) == 2 && parts[0] == layout.Postmortems:
		return strings.TrimSuffix(parts[1], ".md")
	}
	return ""
}

func TestPlantedPhrasesHaveExactAnswers(t *testing.T) {
	dir, st := generate(t, testOptions(1))
	files := readAll(t, dir)
	for _, pl := range plants {
		want := st.Planted[pl.phrase]
		if len(want) != pl.count(testN) {
			t.Errorf("%q is planted in %d incidents, want %d", pl.phrase, len(want), pl.count(testN))
		}
		found := map[string]int{}
		for p, data := range files {
			n := strings.Count(strings.ToLower(string(data)), strings.ToLower(pl.phrase))
			if n == 0 {
				continue
			}
			id := incidentOf(p)
			if id == "" || !strings.HasSuffix(p, layout.TimelineFile) {
				t.Errorf("%q appears in %s", pl.phrase, p)
			}
			found[id] += n
		}
		got := slices.Sorted(maps.Keys(found))
		if !slices.Equal(got, want) {
			t.Errorf("%q: files mention it in %v, stats say %v", pl.phrase, got, want)
		}
		for id, n := range found {
			if n != 1 {
				t.Errorf("%q appears %d times in %s, want once", pl.phrase, n, id)
			}
			if rec := string(files[layout.Record(id)]); strings.Contains(rec, "visibility: restricted") {
				t.Errorf("%q is planted in restricted incident %s", pl.phrase, id)
			}
		}
	}
	if got := len(st.Planted["quantum flux capacitor"]); got != 3 {
		t.Errorf("quantum flux capacitor is in %d incidents, want 3", got)
	}
}

// TestTemplatesAvoidPlanted expands every template many times: no slot
// is unknown, and nothing but a plant's own notes produces a planted
// phrase.
func TestTemplatesAvoidPlanted(t *testing.T) {
	r := stream(7, 0)
	f := drawFacts(r)
	f.people = []string{"alice-martin", "bob-kim"}
	f.declared = time.Date(2024, 3, 2, 14, 0, 0, 0, time.UTC)
	f.mitigated, f.resolved, f.severity = f.declared.Add(time.Hour), f.declared.Add(3*time.Hour), 2
	x := expander{r: r, f: &f}
	tables := [][]string{investigateNotes, mitigatingNotes, followupNotes, ackNotes, declineNotes, severityNotes, backdateNotes,
		impactTexts, summaryTexts, pmOpening, pmSummary, pmImpact, pmCause, pmWell, pmBad, pmLucky, pmFollowups,
		pmOpeners, pmSubjects, pmPredicates, pmConsequences}
	for _, sc := range scenarios {
		tables = append(tables, sc.titles, sc.investigate, sc.fixes, sc.causes)
	}
	for _, table := range tables {
		for _, tpl := range table {
			for range 300 {
				f.svc, f.region, f.svc2 = pick(r, services), pick(r, regions), pick(r, services)
				if s := x.fill(tpl); mentionsPlanted(s) != "" {
					t.Errorf("template %q produced %q, which contains %q", tpl, s, mentionsPlanted(s))
				}
			}
		}
	}
	for _, pl := range plants {
		for _, tpl := range pl.notes {
			if s := x.fill(tpl); !strings.Contains(s, pl.phrase) {
				t.Errorf("note %q of %q does not contain the phrase", s, pl.phrase)
			}
		}
	}
}

func mentionsPlanted(text string) string {
	lower := strings.ToLower(text)
	for _, p := range plants {
		if strings.Contains(lower, strings.ToLower(p.phrase)) {
			return p.phrase
		}
	}
	return ""
}

// TestDistributions checks the plan of a large repository against the
// shape promised in the docs, without writing it.
func TestDistributions(t *testing.T) {
	opts := testOptions(3)
	opts.Incidents = 20000
	master := stream(opts.Seed, -1)
	specs := plan(master, newRoster(master), time.UTC, opts)
	count := func(f func(*spec) bool) float64 {
		n := 0
		for _, s := range specs {
			if f(s) {
				n++
			}
		}
		return float64(n) / float64(len(specs))
	}
	within := func(name string, got, want, tol float64) {
		if got < want-tol || got > want+tol {
			t.Errorf("%s: %.3f, want %.3f ± %.3f", name, got, want, tol)
		}
	}
	within("SEV1", count(func(s *spec) bool { return s.severity == 1 }), 0.10, 0.01)
	within("SEV2", count(func(s *spec) bool { return s.severity == 2 }), 0.30, 0.015)
	within("SEV3", count(func(s *spec) bool { return s.severity == 3 }), 0.60, 0.015)
	within("open", count(func(s *spec) bool { return s.status == "open" }), 0.01, 0.004)
	within("done", count(func(s *spec) bool { return s.status == "resolved" || s.status == "closed" }), 0.96, 0.01)
	within("drill", count(func(s *spec) bool { return s.kind == "drill" }), 0.03, 0.01)
	within("restricted", count(func(s *spec) bool { return s.visibility == "restricted" }), 0.03, 0.015)
	ids := map[string]bool{}
	neutral := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}-restricted-[0-9a-z]{4}(-\d+)?$`)
	for i, s := range specs {
		if ids[s.id] || !incident.ValidID(s.id) {
			t.Fatalf("ID %q is repeated or invalid", s.id)
		}
		if (s.visibility == "restricted") != neutral.MatchString(s.id) {
			t.Errorf("%s incident has ID %s; restricted incidents, and only they, get neutral IDs", s.visibility, s.id)
		}
		ids[s.id] = true
		if i > 0 && s.declared.Before(specs[i-1].declared) {
			t.Fatalf("incidents are not in declaration order at %s", s.id)
		}
		if s.declared.Before(opts.Start) || !s.declared.Before(opts.End) {
			t.Fatalf("%s is declared at %s, outside the period", s.id, s.declared)
		}
	}
	firstYear := count(func(s *spec) bool { return s.declared.Year() == 2019 })
	lastYear := count(func(s *spec) bool { return s.declared.Year() == 2025 })
	if lastYear < 2*firstYear {
		t.Errorf("2025 has %.3f of incidents and 2019 %.3f; the company should grow", lastYear, firstYear)
	}
}

func TestRefusesNonEmptyDir(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("mine"), 0o644)
	if _, err := Generate(dir, testOptions(1)); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("Generate into a non-empty folder: %v, want a not-empty error", err)
	}
}

func TestCommit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	opts := testOptions(1)
	opts.Commit = true
	dir, st := generate(t, opts)
	if st.Commit == "" {
		t.Fatal("no commit id in the stats")
	}
	git := func(args ...string) string {
		t.Helper()
		out, err := runGit(dir, args...)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if out := git("status", "--porcelain", "--untracked-files=all"); out != "" {
		t.Errorf("git status is not clean:\n%s", out)
	}
	git("fsck", "--strict", "--no-progress")
	if n := len(strings.Fields(git("ls-files"))); n != st.Files {
		t.Errorf("the commit has %d files, want %d", n, st.Files)
	}
	if got := git("rev-parse", "HEAD"); got != st.Commit {
		t.Errorf("HEAD is %s, stats say %s", got, st.Commit)
	}
	if got := git("log", "--format=%an <%ae> %aI", "-1"); got != "sev dev gen <gen@example.com> 2026-11-01T00:00:00+00:00" {
		t.Errorf("commit author and date: %s", got)
	}
	_, again := generate(t, opts)
	if again.Commit != st.Commit {
		t.Errorf("the same options made commits %s and %s", st.Commit, again.Commit)
	}
}
