// Package gen writes large, realistic incident repositories for benchmarks
// and tests: `sev dev gen --incidents 100000 DIR`.
//
// The output is a function of the options alone. A plan is drawn first, in
// order, from one random stream: the declaration times (sorted, so IDs are
// made in the order sev would have made them), the scenario, title, ID,
// severity and status of every incident, and which incidents mention the
// planted phrases. Each incident then gets its own random stream, seeded
// from the seed and its index, for its timeline and postmortem, so the
// incidents are built and written on all cores in any order with the same
// bytes. Records and timelines go through change.Apply, the code path of
// every sev command, so they are exactly what sev would have written.
//
// With Commit, the files are streamed to `git fast-import` as they are
// written and committed at once as one commit; see git.go.
package gen

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
)

// Version changes whenever the same options start to give other bytes,
// so that a repository generated earlier and kept (a test's cache) is
// not taken for the current generator's.
const Version = 2

// Options say what to generate.
type Options struct {
	Incidents int
	Seed      int64
	// Start and End bound the declaration times; End is also the time of
	// the commit, and nothing in the repository happens after it.
	Start, End time.Time
	// Commit makes dir a git repository with everything in one commit.
	Commit bool
	// Shape is the corpus's shape; the zero value is Shapes["default"].
	Shape Shape
}

// Period reads a generated repository's period, from and to as dates
// (YYYY-MM-DD), and checks it: to must be after from.
func Period(from, to string) (time.Time, time.Time, error) {
	f, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return f, f, fmt.Errorf("--from %q: write a date as YYYY-MM-DD", from)
	}
	t, err := time.Parse(time.DateOnly, to)
	if err != nil {
		return f, t, fmt.Errorf("--to %q: write a date as YYYY-MM-DD", to)
	}
	if !t.After(f) {
		return f, t, fmt.Errorf("--to %s must be after --from %s", to, from)
	}
	return f, t, nil
}

// Stats describe what was generated.
type Stats struct {
	Incidents   int    `json:"incidents"`
	Postmortems int    `json:"postmortems"`
	Attachments int    `json:"attachments"`
	Entries     int    `json:"entries"`
	Files       int    `json:"files"`
	Bytes       int64  `json:"bytes"`
	Commit      string `json:"commit,omitempty"`
	Shape       Shape  `json:"shape"`
	// Planted maps each planted phrase to the IDs of the incidents that
	// mention it, sorted: the known answers for search tests. Each of
	// these incidents has the phrase once, in one timeline note; no other
	// file has it, in any letter case.
	Planted map[string][]string `json:"planted"`
}

// Generate writes a repository of opts.Incidents incidents into dir, which
// must be empty or not exist.
func Generate(dir string, opts Options) (Stats, error) {
	if opts.Incidents < 1 {
		return Stats{}, fmt.Errorf("gen: the number of incidents must be at least 1")
	}
	if !opts.End.After(opts.Start) {
		return Stats{}, fmt.Errorf("gen: the end %s is not after the start %s", opts.End.Format(time.DateOnly), opts.Start.Format(time.DateOnly))
	}
	if opts.Shape.Name == "" && opts.Shape.Entries == 0 {
		opts.Shape = Shapes["default"]
	}
	if err := opts.Shape.Check(); err != nil {
		return Stats{}, fmt.Errorf("gen: shape: %w", err)
	}
	if err := emptyDir(dir); err != nil {
		return Stats{}, err
	}
	master := stream(opts.Seed, -1)
	ros := newRoster(master)
	settings, err := settingsFile(ros)
	if err != nil {
		return Stats{}, err
	}
	set, diags := config.Parse(config.File, settings)
	if err := diags.Err(); err != nil {
		return Stats{}, fmt.Errorf("gen: the generated %s has problems: %w", config.File, err)
	}
	specs := plan(master, ros, set.Location(), opts)
	vocab := terms(opts.Seed, opts.Shape.Vocabulary)
	for _, s := range specs {
		s.shape, s.terms = &opts.Shape, vocab
	}
	w := &writer{dir: dir}
	if opts.Commit {
		if w.git, err = startFastImport(dir); err != nil {
			return Stats{}, err
		}
		defer w.git.abort()
	}
	st, err := w.writeAll(specs, settings, set, ros, opts.End.UTC())
	st.Shape = opts.Shape
	if err != nil {
		return st, err
	}
	if opts.Commit {
		msg := fmt.Sprintf("sev dev gen: %d incidents, seed %d\n", opts.Incidents, opts.Seed)
		if st.Commit, err = w.git.commit(msg, opts.End); err != nil {
			return st, err
		}
	}
	return st, nil
}

// stream is the random stream for incident i, or for the plan when i is -1.
func stream(seed int64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(mix(uint64(seed)), mix(uint64(i)^0x9e3779b97f4a7c15)))
}

// mix is splitmix64's finaliser: neighbouring indexes get unrelated seeds.
func mix(x uint64) uint64 {
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return os.MkdirAll(dir, 0o755)
	case err != nil:
		return fmt.Errorf("gen: %w", err)
	case len(entries) > 0:
		return fmt.Errorf("gen: %s is not empty; generate into a new folder", dir)
	}
	return nil
}

// plan decides every incident's date, ID and shape, in order.
func plan(master *rand.Rand, ros *roster, loc *time.Location, opts Options) []*spec {
	n := opts.Incidents
	times := make([]time.Time, n)
	for i := range times {
		times[i] = declaredTime(master, opts.Start.UTC(), opts.End.UTC())
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	taken := make(map[string]bool, n)
	specs := make([]*spec, n)
	var eligible []int
	for i, t := range times {
		s := newSpec(stream(opts.Seed, i), t, ros)
		s.id = uniqueID(taken, t.In(loc).Format(time.DateOnly)+"-"+s.slug())
		if s.visibility != "restricted" {
			eligible = append(eligible, i)
		}
		specs[i] = s
	}
	for i, ps := range choosePlants(master, n, eligible) {
		specs[i].plants = ps
	}
	return specs
}

// uniqueID appends -2, -3, ... to an ID that is taken, as `sev declare` does.
func uniqueID(taken map[string]bool, id string) string {
	c := id
	for n := 2; taken[c]; n++ {
		c = fmt.Sprintf("%s-%d", id, n)
	}
	taken[c] = true
	return c
}

// hourWeights is how likely an incident is declared in each UTC hour:
// mostly in European and American working hours, when changes ship.
var hourWeights = []int{3, 2, 2, 1, 1, 2, 3, 5, 7, 10, 11, 11, 10, 10, 11, 12, 12, 11, 9, 7, 6, 5, 4, 3}

// declaredTime draws a declaration time in [start, end). Incidents grow
// with the company (three times as many at the end as at the start), and
// fewer are declared at weekends.
func declaredTime(r *rand.Rand, start, end time.Time) time.Time {
	total := 0
	for _, w := range hourWeights {
		total += w
	}
	days := int(end.Sub(start).Hours()/24) + 1
	for {
		x := (math.Sqrt(1+8*r.Float64()) - 1) / 2 // density ∝ 1+2x on [0, 1)
		day := start.Truncate(24*time.Hour).AddDate(0, 0, int(x*float64(days)))
		if wd := day.Weekday(); (wd == time.Saturday || wd == time.Sunday) && r.IntN(100) >= 45 {
			continue
		}
		h, u := 0, r.IntN(total)
		for u >= hourWeights[h] {
			u -= hourWeights[h]
			h++
		}
		t := day.Add(time.Duration(h)*time.Hour + time.Duration(r.IntN(3600))*time.Second)
		if !t.Before(start) && t.Before(end) {
			return t
		}
	}
}

func newSpec(r *rand.Rand, declared time.Time, ros *roster) *spec {
	sc := pickScenario(r)
	s := &spec{r: r, declared: declared, sc: sc, f: drawFacts(r), kind: sc.kind}
	s.f.people = ros.team(r, sc)
	s.severity = []int{1, 2, 2, 2, 3, 3, 3, 3, 3, 3}[r.IntN(10)]
	s.f.severity = s.severity
	switch u := r.IntN(1000); {
	case u < 10:
		s.status = "open"
	case u < 20:
		s.status = "mitigated"
	case u < 40 && s.kind == "":
		s.status = "declined"
	case u < 400:
		s.status = "resolved"
	default:
		s.status = "closed"
	}
	if s.kind == "" && r.IntN(50) == 0 {
		s.kind = "backfill"
	}
	switch {
	case r.IntN(100) < sc.restricted || r.IntN(200) == 0:
		s.visibility = "restricted"
	case s.kind == "" && r.IntN(10) == 0:
		s.visibility = "public"
	}
	s.title = expander{r: r, f: &s.f}.fill(pick(r, sc.titles))
	return s
}

// slug is the ID's slug as `sev declare` makes it: from the title, or
// for a restricted incident, neutral ("restricted-k7qz"), because the ID
// appears in paths and commit messages.
func (s *spec) slug() string {
	if s.visibility == "restricted" {
		return "restricted-" + entryID(s.declared, s.r)[12:]
	}
	return incident.Slug(s.title)
}

func pickScenario(r *rand.Rand) *scenario {
	total := 0
	for _, sc := range scenarios {
		total += sc.weight
	}
	u := r.IntN(total)
	for i := range scenarios {
		if u < scenarios[i].weight {
			return &scenarios[i]
		}
		u -= scenarios[i].weight
	}
	panic("unreachable")
}

// writer writes files into the repository folder and, with Commit, into
// git fast-import.
type writer struct {
	dir string
	git *fastImport
}

func (w *writer) write(f file) error {
	if err := os.WriteFile(filepath.Join(w.dir, filepath.FromSlash(f.path)), f.data, 0o644); err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	if w.git != nil {
		w.git.blob(f)
	}
	return nil
}

// writeAll writes the skeleton and then builds and writes the incidents on
// every core.
func (w *writer) writeAll(specs []*spec, settings []byte, set *config.Settings, ros *roster, end time.Time) (Stats, error) {
	st := Stats{Incidents: len(specs), Planted: planted(specs)}
	if err := w.skeleton(settings, &st); err != nil {
		return st, err
	}
	for _, s := range specs {
		if err := os.MkdirAll(filepath.Join(w.dir, layout.Incidents, incident.Year(s.id)), 0o755); err != nil {
			return st, fmt.Errorf("gen: %w", err)
		}
	}
	parts, err := w.incidents(specs, set, ros, end)
	for _, p := range parts {
		st.Files += p.Files
		st.Bytes += p.Bytes
		st.Entries += p.Entries
		st.Postmortems += p.Postmortems
		st.Attachments += p.Attachments
	}
	return st, err
}

// planted lists the incidents that mention each planted phrase.
func planted(specs []*spec) map[string][]string {
	out := map[string][]string{}
	for _, s := range specs {
		for _, pi := range s.plants {
			out[plants[pi].phrase] = append(out[plants[pi].phrase], s.id)
		}
	}
	for _, ids := range out {
		slices.Sort(ids)
	}
	return out
}

// skeleton writes sev.yaml, the schemas and the top-level folders.
func (w *writer) skeleton(settings []byte, st *Stats) error {
	files, err := skeleton()
	if err != nil {
		return err
	}
	for _, f := range append(files, file{config.File, settings}) {
		if err := os.MkdirAll(filepath.Join(w.dir, filepath.FromSlash(path.Dir(f.path))), 0o755); err != nil {
			return fmt.Errorf("gen: %w", err)
		}
		if err := w.write(f); err != nil {
			return err
		}
		st.Files++
		st.Bytes += int64(len(f.data))
	}
	return nil
}

// incidents builds and writes the incidents on GOMAXPROCS goroutines,
// each taking the next incident, and returns each goroutine's counts.
func (w *writer) incidents(specs []*spec, set *config.Settings, ros *roster, end time.Time) ([]Stats, error) {
	workers := runtime.GOMAXPROCS(0)
	parts := make([]Stats, workers)
	errs := make([]error, workers)
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	for k := range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(specs) && !failed.Load(); i = int(next.Add(1) - 1) {
				if err := w.incident(specs[i], set, ros, end, &parts[k]); err != nil {
					errs[k] = err
					failed.Store(true)
				}
				specs[i].r = nil // the stream is used up; let it go
			}
		})
	}
	wg.Wait()
	return parts, errors.Join(errs...)
}

func (w *writer) incident(s *spec, set *config.Settings, ros *roster, end time.Time, st *Stats) error {
	out, err := s.build(set, ros, end)
	if err != nil {
		return err
	}
	dirs := []string{layout.Dir(s.id)}
	if out.attachments > 0 {
		dirs = append(dirs, path.Join(layout.Dir(s.id), layout.Attachments))
	}
	for _, d := range dirs {
		if err := os.Mkdir(filepath.Join(w.dir, filepath.FromSlash(d)), 0o755); err != nil {
			return fmt.Errorf("gen: %w", err)
		}
	}
	for _, f := range out.files {
		if err := w.write(f); err != nil {
			return err
		}
		st.Files++
		st.Bytes += int64(len(f.data))
	}
	st.Entries += out.entries
	st.Attachments += out.attachments
	if out.postmortem {
		st.Postmortems++
	}
	return nil
}
