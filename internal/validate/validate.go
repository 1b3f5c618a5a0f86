// Package validate checks a whole incident repository, read through an
// fs.FS: settings, every incident record and timeline, the files around
// them, references between them and, against a base version, that
// timelines were only appended to. It reports every problem at once.
package validate

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/timeline"
)

// Options tunes a run.
type Options struct {
	// Base reads an incident's timeline at the base version (for example
	// origin/main); nil skips the append-only check.
	Base func(id string) ([]byte, bool, error)
	// BaseIDs lists the incidents at the base version.
	BaseIDs []string
}

// Run validates the repository in fsys and returns the settings it used and
// every finding, sorted, with sev.yaml's per-check levels applied.
func Run(fsys fs.FS, opts Options) (*config.Settings, diag.List) {
	var diags diag.List
	s := config.Default()
	if data, err := readCapped(fsys, config.File, 1<<20, &diags); err == nil {
		var d diag.List
		s, d = config.Parse(config.File, data)
		diags.Append(d)
	} else if !errors.Is(err, fs.ErrNotExist) {
		diags.Add(diag.Pos{Path: config.File}, "read", "%v", err)
	}
	dirs, d := scan(fsys, s)
	diags.Append(d)
	diags.Append(checkIncidents(fsys, s, dirs, opts))
	diags.Override(s.Levels())
	diags.Sort()
	return s, diags
}

// incidentDir is one folder under incidents/<year>/.
type incidentDir struct {
	id, year    string
	files       []string // paths of the regular files inside, sorted
	attachments map[string]bool
}

// scan walks the repository's incident tree, checking file kinds and
// sizes, and returns the incident folders.
func scan(fsys fs.FS, s *config.Settings) ([]*incidentDir, diag.List) {
	var diags diag.List
	var dirs []*incidentDir
	byID := map[string]string{}
	var cur *incidentDir
	err := fs.WalkDir(fsys, layout.Incidents, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == layout.Incidents && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipDir
			}
			diags.Add(diag.Pos{Path: p}, "read", "%v", err)
			return nil
		}
		parts := strings.Split(p, "/")
		if !d.IsDir() && !d.Type().IsRegular() {
			diags.Add(diag.Pos{Path: p}, "file-type", "%s is a %s; only regular files are allowed (no symlinks)", p, kindOf(d.Type()))
			return nil
		}
		switch len(parts) {
		case 1:
			return nil
		case 2: // incidents/<year>
			if d.IsDir() && !isYear(parts[1]) {
				diags.Add(diag.Pos{Path: p}, "layout", "%s: folders under incidents/ are years (incidents/2026/<id>/)", p)
				return fs.SkipDir
			}
			if !d.IsDir() && !ignorable(parts[1]) {
				diags.Warn(diag.Pos{Path: p}, "layout", "unexpected file; incidents live in incidents/<year>/<id>/")
			}
			return nil
		case 3: // incidents/<year>/<id>
			if !d.IsDir() {
				if !ignorable(parts[2]) {
					diags.Warn(diag.Pos{Path: p}, "layout", "unexpected file; incidents live in incidents/<year>/<id>/")
				}
				return nil
			}
			cur = &incidentDir{id: parts[2], year: parts[1], attachments: map[string]bool{}}
			if other, dup := byID[cur.id]; dup {
				diags.Add(diag.Pos{Path: p}, "id-unique", "incident %s also exists at %s; IDs are unique", cur.id, other)
			}
			byID[cur.id] = p
			dirs = append(dirs, cur)
			return nil
		}
		if d.IsDir() {
			if len(parts) == 4 && parts[3] != layout.Attachments {
				diags.Warn(diag.Pos{Path: p}, "layout", "unexpected folder; files of an incident go in its attachments/ folder")
			}
			return nil
		}
		cur.files = append(cur.files, p)
		if len(parts) >= 5 && parts[3] == layout.Attachments {
			cur.attachments[strings.Join(parts[4:], "/")] = true
			checkSize(fsys, p, d, s.Limits.Attachment, &diags)
		} else if len(parts) == 4 && parts[3] != layout.RecordFile && parts[3] != layout.TimelineFile && !ignorable(parts[3]) {
			diags.Warn(diag.Pos{Path: p}, "layout", "unexpected file; attachments go in the incident's attachments/ folder")
		}
		return nil
	})
	if err != nil {
		diags.Add(diag.Pos{Path: layout.Incidents}, "read", "%v", err)
	}
	return dirs, diags
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

// readCapped reads a file unless it is over limit, which is a finding.
func readCapped(fsys fs.FS, p string, limit int64, diags *diag.List) ([]byte, error) {
	fi, err := fs.Stat(fsys, p)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		diags.Add(diag.Pos{Path: p}, "file-type", "%s is not a regular file", p)
		return nil, fmt.Errorf("not a regular file")
	}
	if fi.Size() > limit {
		diags.Add(diag.Pos{Path: p}, "file-size", "file is %d bytes; the limit is %d (limits in sev.yaml)", fi.Size(), limit)
		return nil, fmt.Errorf("too large")
	}
	return fs.ReadFile(fsys, p)
}

// checkIncidents checks every incident folder on all cores.
func checkIncidents(fsys fs.FS, s *config.Settings, dirs []*incidentDir, opts Options) diag.List {
	results := make([]diag.List, len(dirs))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = checkIncident(fsys, s, dirs[i], opts)
			}
		}()
	}
	for i := range dirs {
		next <- i
	}
	close(next)
	wg.Wait()
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

// CheckIncident checks one incident folder's record and timeline.
func checkIncident(fsys fs.FS, s *config.Settings, dir *incidentDir, opts Options) diag.List {
	var diags diag.List
	base := path.Join(layout.Incidents, dir.year, dir.id)
	recPath, tlPath := path.Join(base, layout.RecordFile), path.Join(base, layout.TimelineFile)
	recData, err := readCapped(fsys, recPath, s.Limits.Incident, &diags)
	if errors.Is(err, fs.ErrNotExist) {
		diags.Add(diag.Pos{Path: base}, "record-missing", "incident folder has no %s", layout.RecordFile)
		return diags
	}
	if err != nil {
		return diags
	}
	inc, dec, d := incident.Parse(recPath, recData)
	diags.Append(d)
	if len(dec.Pos) > 0 {
		diags.Append(withoutEchoes(incident.Check(inc, dec, s, dir.id), d))
	}
	if incident.ValidID(inc.ID) && inc.ID == dir.id && incident.Year(inc.ID) != dir.year {
		diags.Add(dec.At("id"), "id-folder", "%s belongs in incidents/%s/, not incidents/%s/", inc.ID, incident.Year(inc.ID), dir.year)
	}
	tlData, err := readCapped(fsys, tlPath, s.Limits.Timeline, &diags)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return diags
	}
	entries, tdec, d := timeline.Parse(tlPath, tlData)
	diags.Append(d)
	diags.Append(incident.CheckTimeline(entries, tdec, s))
	for i, e := range entries {
		if e.Type == timeline.Attach && e.File != "" && !dir.attachments[e.File] {
			diags.Warn(tdec.At(fmt.Sprintf("[%d].file", i)), "attachment-missing", "attachment %q is not in %s/%s/", e.File, base, layout.Attachments)
		}
	}
	if opts.Base != nil {
		diags.Append(appendOnly(tlPath, dir.id, entries, tdec.At, opts.Base))
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
