// Package validate checks a whole incident repository, read through an
// fs.FS: settings, every incident record and timeline, the files around
// them, references between them and, against a base version, that
// timelines were only appended to. It reports every problem at once.
package validate

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/attachment"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/rotation"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/workers"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// Options tunes a run.
type Options struct {
	// Base reads an incident's timeline at the base version (for example
	// origin/main); nil skips the append-only check.
	Base func(id string) ([]byte, bool, error)
	// BaseIDs lists the incidents at the base version.
	BaseIDs []string
	// Cache, when set, keeps each incident folder's findings between runs.
	// It is not used together with Base.
	Cache FolderCache
	// Now is the clock for checks about the future and the past (overrides
	// that ended, gaps in on-call coverage); zero skips them.
	Now time.Time
	// CoverageWeeks is how far ahead gaps in on-call coverage are looked
	// for.
	CoverageWeeks int
}

// FolderCache remembers the findings of incident folders and of
// postmortem files. Lookup returns what was stored for a folder (or file)
// if it has not changed since; Store records it with the files the folder
// held. Both are called from several goroutines at once.
type FolderCache interface {
	Lookup(dir string) (Result, bool)
	Store(dir string, files []string, r Result)
}

// Result is what is cached for a folder or file: its findings, and the
// facts the checks across files need from it, in an encoding of the
// validate package's own.
type Result struct {
	Diags diag.List
	Facts string
}

// Run validates the repository in fsys and returns the settings it used and
// every finding, sorted, with sev.yaml's per-check levels applied.
func Run(fsys fs.FS, opts Options) (*config.Settings, diag.List) {
	var diags diag.List
	s := config.Default()
	if data, err := readCapped(fsys, config.File, config.MaxSize, &diags); err == nil {
		var d diag.List
		s, d = config.Parse(config.File, data)
		diags.Append(d)
	} else if !errors.Is(err, fs.ErrNotExist) {
		diags.Add(diag.Pos{Path: config.File}, "read", "%v", err)
	}
	dirs, d := scan(fsys, s)
	diags.Append(d)
	diags.Append(checkIncidents(fsys, s, dirs, opts))
	diags.Append(checkPostmortems(fsys, s, dirs, opts))
	diags.Append(checkRotations(fsys, s, opts))
	_, d = Escalations(fsys, s)
	diags.Append(d)
	diags.Override(Levels(s))
	diags.Sort()
	return s, diags
}

// incidentDir is one folder under incidents/<year>/.
type incidentDir struct {
	id, year    string
	files       []string        // paths of the regular files inside, sorted
	special     map[string]bool // paths of symlinks and other special files
	attachments map[string]bool
	facts       string // recordFacts, encoded; empty when the record did not decode
}

func (d *incidentDir) path() string { return path.Join(layout.Incidents, d.year, d.id) }

// scan lists the incident folders (incidents/<year>/<id>) and reports
// what does not belong at those two levels. The folders' contents are
// read by the workers that check them.
func scan(fsys fs.FS, s *config.Settings) ([]*incidentDir, diag.List) {
	var diags diag.List
	years, err := fs.ReadDir(fsys, layout.Incidents)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		diags.Add(diag.Pos{Path: layout.Incidents}, "read", "%v", err)
		return nil, diags
	}
	var dirs []*incidentDir
	byID := map[string]string{}
	for _, y := range years {
		p := path.Join(layout.Incidents, y.Name())
		switch {
		case !y.IsDir() && !y.Type().IsRegular():
			diags.Add(diag.Pos{Path: p}, "file-type", "this is a %s; only regular files and folders are allowed", kindOf(y.Type()))
			continue
		case !y.IsDir():
			if !ignorable(y.Name()) {
				diags.Warn(diag.Pos{Path: p}, "layout", "unexpected file; incidents live in incidents/<year>/<id>/")
			}
			continue
		case !isYear(y.Name()):
			diags.Add(diag.Pos{Path: p}, "layout", "folders under incidents/ are years (incidents/2026/<id>/)")
			continue
		}
		entries, err := fs.ReadDir(fsys, p)
		if err != nil {
			diags.Add(diag.Pos{Path: p}, "read", "%v", err)
			continue
		}
		for _, e := range entries {
			ep := path.Join(p, e.Name())
			switch {
			case !e.IsDir() && !e.Type().IsRegular():
				diags.Add(diag.Pos{Path: ep}, "file-type", "this is a %s; only regular files and folders are allowed", kindOf(e.Type()))
			case !e.IsDir():
				if !ignorable(e.Name()) {
					diags.Warn(diag.Pos{Path: ep}, "layout", "unexpected file; incidents live in incidents/<year>/<id>/")
				}
			default:
				if other, dup := byID[e.Name()]; dup {
					diags.Add(diag.Pos{Path: ep}, "id-unique", "incident %s also exists at %s; IDs are unique", e.Name(), other)
				}
				byID[e.Name()] = ep
				dirs = append(dirs, &incidentDir{id: e.Name(), year: y.Name(), attachments: map[string]bool{}, special: map[string]bool{}})
			}
		}
	}
	return dirs, diags
}

// readFolder lists an incident folder's files, reporting symlinks, stray
// files and oversized attachments.
func readFolder(fsys fs.FS, s *config.Settings, dir *incidentDir) diag.List {
	var diags diag.List
	root := dir.path()
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			diags.Add(diag.Pos{Path: p}, "read", "%v", err)
			return nil
		}
		if p == root {
			return nil
		}
		rel := strings.TrimPrefix(p, root+"/")
		parts := strings.Split(rel, "/")
		if !d.IsDir() && !d.Type().IsRegular() {
			diags.Add(diag.Pos{Path: p}, "file-type", "this is a %s; only regular files are allowed (no symlinks)", kindOf(d.Type()))
			dir.special[p] = true
			return nil
		}
		if d.IsDir() {
			if len(parts) == 1 && parts[0] != layout.Attachments {
				diags.Warn(diag.Pos{Path: p}, "layout", "unexpected folder; files of an incident go in its attachments/ folder")
				return fs.SkipDir
			}
			return nil
		}
		dir.files = append(dir.files, p)
		switch {
		case parts[0] == layout.Attachments && len(parts) > 1:
			name := strings.Join(parts[1:], "/")
			dir.attachments[name] = true
			checkSize(fsys, p, d, s.Limits.Attachment, &diags)
			if attachment.Active(name) {
				diags.Warn(diag.Pos{Path: p}, "attachment-type", "a browser would run script from this type, so the site shows it only as text or a download (%s); only %s are shown as they are",
					attachment.Published(path.Base(name)), attachment.Kinds)
			}
		case len(parts) == 1 && (rel == layout.RecordFile || rel == layout.TimelineFile || ignorable(rel)):
		default:
			diags.Warn(diag.Pos{Path: p}, "layout", "unexpected file; attachments go in the incident's attachments/ folder")
		}
		return nil
	})
	if err != nil {
		diags.Add(diag.Pos{Path: root}, "read", "%v", err)
	}
	return diags
}

func ignorable(name string) bool { return name == ".gitkeep" || name == "README.md" }

func isYear(s string) bool {
	if len(s) != 4 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func kindOf(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "folder"
	case m&fs.ModeSymlink != 0:
		return "symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
}

func checkSize(fsys fs.FS, p string, d fs.DirEntry, limit int64, diags *diag.List) bool {
	fi, err := d.Info()
	if err != nil {
		diags.Add(diag.Pos{Path: p}, "read", "%v", err)
		return false
	}
	if fi.Size() > limit {
		diags.Add(diag.Pos{Path: p}, "file-size", "file is %d bytes; the limit is %d (limits in sev.yaml)", fi.Size(), limit)
		return false
	}
	return true
}

// readCapped reads a regular file unless it is over limit, which is a
// finding. It opens the file once: stat and read go through the handle.
func readCapped(fsys fs.FS, p string, limit int64, diags *diag.List) ([]byte, error) {
	// Lstat before opening: opening a named pipe would wait for a writer,
	// and a symbolic link must not be followed.
	if fi, err := fs.Lstat(fsys, p); err != nil {
		return nil, err
	} else if !fi.Mode().IsRegular() {
		diags.Add(diag.Pos{Path: p}, "file-type", "this is a %s; only regular files are allowed", kindOf(fi.Mode()))
		return nil, fmt.Errorf("not a regular file")
	}
	f, err := fsys.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		diags.Add(diag.Pos{Path: p}, "file-type", "this is not a regular file")
		return nil, fmt.Errorf("not a regular file")
	}
	if fi.Size() > limit {
		diags.Add(diag.Pos{Path: p}, "file-size", "file is %d bytes; the limit is %d (limits in sev.yaml)", fi.Size(), limit)
		return nil, fmt.Errorf("too large")
	}
	data := make([]byte, 0, fi.Size()+1)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
		if len(data) == cap(data) {
			if int64(len(data)) > limit {
				diags.Add(diag.Pos{Path: p}, "file-size", "file is over the limit of %d bytes (limits in sev.yaml)", limit)
				return nil, fmt.Errorf("too large")
			}
			data = append(data, 0)[:len(data)]
		}
	}
}

// checkIncidents checks every incident folder on all cores.
func checkIncidents(fsys fs.FS, s *config.Settings, dirs []*incidentDir, opts Options) diag.List {
	results := make([]diag.List, len(dirs))
	workers.Each(len(dirs), func(i int) {
		results[i], dirs[i].facts = checkFolder(fsys, s, dirs[i], opts)
	})
	var out diag.List
	for _, r := range results {
		out.Append(r)
	}
	present := map[string]bool{}
	for _, d := range dirs {
		present[d.id] = true
	}
	for _, id := range opts.BaseIDs {
		if !present[id] {
			out.Add(diag.Pos{Path: layout.Dir(id)}, "append-only", "incident %s exists on the base but was removed; incidents are never deleted (set its status to declined instead)", id)
		}
	}
	return out
}

// checkFolder checks one incident folder, or takes its findings from the
// cache when the folder has not changed since they were computed.
func checkFolder(fsys fs.FS, s *config.Settings, dir *incidentDir, opts Options) (diag.List, string) {
	if opts.Cache != nil && opts.Base == nil {
		if r, ok := opts.Cache.Lookup(dir.path()); ok {
			return r.Diags, r.Facts
		}
	}
	f := readIncident(fsys, s, dir, opts)
	if opts.Cache != nil && opts.Base == nil {
		opts.Cache.Store(dir.path(), dir.files, Result{Diags: f.diags, Facts: f.facts})
	}
	return f.diags, f.facts
}

// folder is what checking an incident folder read and found.
type folder struct {
	inc     *incident.Incident // nil when the record did not decode
	entries []timeline.Entry
	recData []byte
	tlData  []byte
	diags   diag.List
	facts   string // recordFacts, encoded
}

// readIncident reads and checks one incident folder: its files (kinds,
// sizes, layout), its record and its timeline.
func readIncident(fsys fs.FS, s *config.Settings, dir *incidentDir, opts Options) *folder {
	f := &folder{diags: readFolder(fsys, s, dir)}
	base := dir.path()
	recPath, tlPath := path.Join(base, layout.RecordFile), path.Join(base, layout.TimelineFile)
	regular := map[string]bool{}
	for _, p := range dir.files {
		regular[p] = true
	}
	if dir.special[recPath] {
		return f // a symlink or special file, reported by readFolder and never followed
	}
	if !regular[recPath] {
		f.diags.Add(diag.Pos{Path: base}, "record-missing", "incident folder has no %s", layout.RecordFile)
		return f
	}
	var err error
	f.recData, err = readCapped(fsys, recPath, s.Limits.Incident, &f.diags)
	if err != nil {
		return f
	}
	inc, dec, d := incident.Parse(recPath, f.recData)
	f.diags.Append(d)
	if dec.Decoded() {
		f.inc = inc
		f.diags.Append(withoutEchoes(incident.Check(inc, dec, s, dir.id), d))
		f.facts = recordFacts{severity: inc.Severity, status: inc.Status, kind: inc.PolicyKind(), resolved: inc.Milestones.Resolved}.encode()
	}
	if incident.ValidID(inc.ID) && inc.ID == dir.id && incident.Year(inc.ID) != dir.year {
		f.diags.Add(dec.At("id"), "id-folder", "%s belongs in incidents/%s/, not incidents/%s/", inc.ID, incident.Year(inc.ID), dir.year)
	}
	if dir.special[tlPath] {
		return f
	}
	if regular[tlPath] {
		f.tlData, err = readCapped(fsys, tlPath, s.Limits.Timeline, &f.diags)
		if err != nil {
			return f
		}
	}
	entries, d := checkTimeline(tlPath, f.tlData, s, dir, opts)
	f.entries = entries
	f.diags.Append(d)
	return f
}

// checkTimeline reads a timeline and checks it. The fast reader and
// checks without positions come first; only a timeline with findings (or
// one compared with a base) is parsed again for the positions that name
// them, so a clean timeline costs what displaying it costs.
func checkTimeline(tlPath string, data []byte, s *config.Settings, dir *incidentDir, opts Options) ([]timeline.Entry, diag.List) {
	if opts.Base == nil {
		entries, d := timeline.Read(tlPath, data)
		if len(d) == 0 && len(timelineFindings(entries, yamlfile.NewDecoder(tlPath), s, dir)) == 0 {
			return entries, nil
		}
	}
	entries, tdec, diags := timeline.Parse(tlPath, data)
	diags.Append(timelineFindings(entries, tdec, s, dir))
	if opts.Base != nil {
		diags.Append(appendOnly(tlPath, dir.id, entries, tdec.At, opts.Base))
	}
	return entries, diags
}

func timelineFindings(entries []timeline.Entry, tdec *yamlfile.Decoder, s *config.Settings, dir *incidentDir) diag.List {
	diags := incident.CheckTimeline(entries, tdec, s)
	for i, e := range entries {
		if e.Type == timeline.Attach && e.File != "" && !dir.attachments[e.File] {
			diags.Warn(tdec.At(fmt.Sprintf("[%d].file", i)), "attachment-missing", "attachment %q is not in %s/%s/", e.File, dir.path(), layout.Attachments)
		}
	}
	return diags
}

// appendOnly reports base entries that were edited or removed.
func appendOnly(tlPath, id string, entries []timeline.Entry, at func(string) diag.Pos, base func(string) ([]byte, bool, error)) diag.List {
	var diags diag.List
	data, ok, err := base(id)
	if err != nil {
		diags.Add(diag.Pos{Path: tlPath}, "read", "read the base timeline: %v", err)
		return diags
	}
	if !ok {
		return nil
	}
	old, _, d := timeline.Parse(tlPath, data)
	if d.Errors() > 0 {
		return nil // the base was already broken; nothing to compare
	}
	now := map[string]int{}
	for i, e := range entries {
		now[e.ID] = i
	}
	var removed []string
	for _, e := range old {
		i, ok := now[e.ID]
		if !ok {
			removed = append(removed, e.ID)
			continue
		}
		if !reflect.DeepEqual(normal(e), normal(entries[i])) {
			diags.Add(at(fmt.Sprintf("[%d]", i)), "append-only", "entry %s was edited; timeline entries are never changed, append a correction (sev note ... ) instead", e.ID)
		}
	}
	if len(removed) > 0 {
		sort.Strings(removed)
		diags.Add(diag.Pos{Path: tlPath, Line: 1, Col: 1}, "append-only", "entries removed since the base: %s; timeline entries are never deleted", strings.Join(removed, ", "))
	}
	return diags
}

// normal makes times comparable regardless of how the offset was written.
func normal(e timeline.Entry) timeline.Entry {
	e.At = e.At.UTC()
	e.Recorded = e.Recorded.UTC()
	return e
}

// withoutEchoes drops semantic findings at a position that already has a
// decoding finding: "severity 0 is not configured" adds nothing to
// "severity must be a whole number".
func withoutEchoes(semantic, decoding diag.List) diag.List {
	bad := map[diag.Pos]bool{}
	for _, d := range decoding {
		bad[d.Pos] = true
	}
	var out diag.List
	for _, d := range semantic {
		if !bad[d.Pos] {
			out = append(out, d)
		}
	}
	return out
}

// checkRotations checks every file in rotations/: its own rules, then, with
// a clock, the warnings about people, past overrides, daylight-saving
// handoffs and gaps in coverage.
func checkRotations(fsys fs.FS, s *config.Settings, opts Options) diag.List {
	rs, diags := readRotations(fsys, s)
	if opts.Now.IsZero() {
		return diags
	}
	for _, r := range rs {
		diags.Append(r.r.Check(r.path, r.data, s, opts.Now, opts.CoverageWeeks))
	}
	return diags
}

type rotationFile struct {
	path string
	data []byte
	r    *rotation.Rotation
}

// readRotations reads every file in rotations/ with its own checks and
// returns those that have no error.
func readRotations(fsys fs.FS, s *config.Settings) ([]rotationFile, diag.List) {
	var diags diag.List
	entries, err := fs.ReadDir(fsys, layout.Rotations)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			diags.Add(diag.Pos{Path: layout.Rotations}, "read", "%v", err)
		}
		return nil, diags
	}
	var out []rotationFile
	for _, e := range entries {
		p := path.Join(layout.Rotations, e.Name())
		switch {
		case ignorable(e.Name()):
			continue
		case !e.Type().IsRegular():
			diags.Add(diag.Pos{Path: p}, "file-type", "this is not a regular file; rotations are YAML files")
			continue
		case path.Ext(e.Name()) != ".yaml":
			diags.Warn(diag.Pos{Path: p}, "layout", "unexpected file; rotations are rotations/NAME.yaml")
			continue
		}
		data, err := readCapped(fsys, p, s.Limits.Other, &diags)
		if err != nil {
			continue
		}
		r, d := rotation.Parse(p, data)
		diags.Append(d)
		if r != nil && d.Errors() == 0 {
			out = append(out, rotationFile{path: p, data: data, r: r})
		}
	}
	return out, diags
}
