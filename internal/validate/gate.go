package validate

import (
	"errors"
	"io/fs"
	"path"
	"sort"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/postmortem"
	"github.com/sev-dev/sev/internal/rotation"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/workers"
)

// Incident is one incident that passed the gate: every check sev validate
// makes of its folder found no error. Every command that reads incidents
// to show, publish, index or send them gets them through Load, so what
// validate rejects is never used (DESIGN.md, "One loading gate").
type Incident struct {
	Record *incident.Incident
	// Entries are the timeline's entries in file order.
	Entries []timeline.Entry
	// RecordData and TimelineData are the files as read, for fingerprints.
	RecordData, TimelineData []byte
	// Postmortem is the postmortem file when there is one and its own
	// checks found no error; nil otherwise (the incident is still used).
	Postmortem []byte
	// Attachments are the regular files under attachments/, as paths
	// relative to that folder, sorted.
	Attachments []string
}

// ID is the incident's ID.
func (i *Incident) ID() string { return i.Record.ID }

// Load reads the incident id through the gate. It returns the incident
// only when no finding is an error (with sev.yaml's levels applied, except
// for the checks that keep a record readable at all, which cannot be
// lowered); the findings are returned either way, so the caller can say
// what was left out and why. A postmortem with errors is left out on its
// own, with its findings.
func Load(fsys fs.FS, s *config.Settings, id string) (*Incident, diag.List) {
	if !incident.ValidID(id) {
		var diags diag.List
		diags.Add(diag.Pos{Path: path.Join(layout.Incidents, incident.Year(id), id)}, "id-format",
			"%q is not an incident ID (YYYY-MM-DD-slug with only a-z, 0-9 and dashes); the incident is left out", id)
		return nil, diags
	}
	return loadDir(fsys, s, &incidentDir{id: id, year: incident.Year(id), attachments: map[string]bool{}, special: map[string]bool{}})
}

// LoadAll reads every incident folder through the gate, on all cores, and
// returns those that passed, sorted by ID, with every finding (sorted):
// also those of folders that are not incidents at all.
func LoadAll(fsys fs.FS, s *config.Settings) ([]*Incident, diag.List) {
	dirs, diags := scan(fsys, s)
	// a folder whose ID another folder has too is not read: which one is
	// the incident is for a person to decide
	dup := map[string]bool{}
	for _, d := range diags {
		if d.Check == "id-unique" {
			dup[d.Path] = true
		}
	}
	out := make([]*Incident, len(dirs))
	found := make([]diag.List, len(dirs))
	workers.Each(len(dirs), func(i int) {
		if !dup[dirs[i].path()] {
			out[i], found[i] = loadDir(fsys, s, dirs[i])
		}
	})
	kept := out[:0]
	for i := range dirs {
		diags.Append(found[i])
		if out[i] != nil {
			kept = append(kept, out[i])
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].ID() < kept[j].ID() })
	diags.Override(Levels(s))
	diags.Sort()
	return kept, diags
}

// Dirs lists the incident folders (incidents/<year>/<name>) as validate
// sees them, and what is wrong at those two levels.
func Dirs(fsys fs.FS, s *config.Settings) ([]string, diag.List) {
	dirs, diags := scan(fsys, s)
	out := make([]string, len(dirs))
	for i, d := range dirs {
		out[i] = d.path()
	}
	return out, diags
}

// LoadDir is Load for a folder as Dirs names it.
func LoadDir(fsys fs.FS, s *config.Settings, dir string) (*Incident, diag.List) {
	year, id := path.Base(path.Dir(dir)), path.Base(dir)
	if path.Join(layout.Incidents, year, id) != dir {
		var diags diag.List
		diags.Add(diag.Pos{Path: dir}, "layout", "incidents live in incidents/<year>/<id>/")
		return nil, diags
	}
	return loadDir(fsys, s, &incidentDir{id: id, year: year, attachments: map[string]bool{}, special: map[string]bool{}})
}

func loadDir(fsys fs.FS, s *config.Settings, dir *incidentDir) (*Incident, diag.List) {
	f := readIncident(fsys, s, dir, Options{})
	diags := f.diags
	if !incident.ValidID(dir.id) && diags.Errors() == 0 {
		diags.Add(diag.Pos{Path: dir.path()}, "id-format", "folder name %q is not an incident ID", dir.id)
	}
	diags.Override(Levels(s))
	if f.inc == nil || diags.Errors() > 0 {
		return nil, diags
	}
	inc := &Incident{Record: f.inc, Entries: f.entries, RecordData: f.recData, TimelineData: f.tlData}
	for a := range dir.attachments {
		inc.Attachments = append(inc.Attachments, a)
	}
	sort.Strings(inc.Attachments)
	pm, d := loadPostmortem(fsys, s, dir.id)
	d.Override(Levels(s))
	if d.Errors() == 0 {
		inc.Postmortem = pm
	}
	diags.Append(d)
	return inc, diags
}

// loadPostmortem reads an incident's postmortem, if it has one, with the
// checks of the file on its own.
func loadPostmortem(fsys fs.FS, s *config.Settings, id string) ([]byte, diag.List) {
	p := layout.Postmortem(id)
	var diags diag.List
	data, err := readCapped(fsys, p, s.Limits.Postmortem, &diags)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		if len(diags) == 0 {
			diags.Add(diag.Pos{Path: p}, "read", "%v", err)
		}
		return nil, diags
	}
	doc, d := postmortem.Parse(p, data)
	diags.Append(d)
	diags.Append(postmortem.Check(doc, s, id))
	return data, diags
}

// Levels are sev.yaml's levels for the checks, without the checks that a
// record must pass to be read at all: those stay errors whatever sev.yaml
// says, so a settings file cannot turn a broken or ambiguous record into a
// published one.
func Levels(s *config.Settings) map[string]diag.Severity {
	levels := s.Levels()
	for k := range levels {
		if config.FixedCheck(k) {
			delete(levels, k)
		}
	}
	return levels
}

// Rotations reads every rotation in rotations/ through the gate: a file
// with an error is left out and named in the findings.
func Rotations(fsys fs.FS, s *config.Settings) ([]*rotation.Rotation, diag.List) {
	files, diags := readRotations(fsys, s)
	diags.Override(Levels(s))
	out := make([]*rotation.Rotation, 0, len(files))
	for _, f := range files {
		out = append(out, f.r)
	}
	return out, diags
}

// ReadAttachment reads an incident's attachment, at the path p, the way
// the gate does: only a regular file within limits.attachment.
func ReadAttachment(fsys fs.FS, s *config.Settings, p string) ([]byte, error) {
	var diags diag.List
	data, err := readCapped(fsys, p, s.Limits.Attachment, &diags)
	if err != nil && len(diags) > 0 {
		return nil, diags
	}
	return data, err
}

// ReadRegular reads a file of an incident the way the gate does: only a
// regular file (never following a link or opening a pipe) within the size
// limit for its kind; nil without error when there is none.
func ReadRegular(fsys fs.FS, p string, s *config.Settings) ([]byte, error) {
	limit := s.Limits.Other
	switch path.Base(p) {
	case layout.RecordFile:
		limit = s.Limits.Incident
	case layout.TimelineFile:
		limit = s.Limits.Timeline
	}
	if path.Dir(p) == layout.Postmortems {
		limit = s.Limits.Postmortem
	}
	var diags diag.List
	data, err := readCapped(fsys, p, limit, &diags)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		if len(diags) > 0 {
			return nil, diags
		}
		return nil, err
	}
	return data, nil
}
