// Package library is the whole incident repository as the site and the
// reports read it: every incident's record with what its timeline and
// postmortem say about it in summary, the rotations and the settings.
//
// It is loaded in one pass on all cores and kept small: a timeline's
// entries are reduced to counts, who wrote when, the newest entry and the
// public entries, so 100,000 incidents fit in memory; Detail reads one
// incident's full timeline and postmortem again when its page is written.
//
// Restricted incidents are removed in one place, Visible, before anything
// else sees the library: pages, counts, reports, search and feeds are all
// built from what it returns.
package library

import (
	"errors"
	"hash/fnv"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/postmortem"
	"github.com/sev-dev/sev/internal/rotation"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/workers"
)

// Library is the repository's content.
type Library struct {
	Settings *config.Settings
	// Incidents, newest first (by declaration, then ID).
	Incidents []*Incident
	Rotations []*rotation.Rotation
	// Problems are the files left out because they do not parse; sev
	// validate explains them in full.
	Problems diag.List

	fsys  fs.FS
	byID  map[string]*Incident
	clean bool // restricted incidents removed
}

// Incident is one incident in summary.
type Incident struct {
	Record    *incident.Incident
	Durations incident.Durations
	// Date is when the incident happened: declared, else started or
	// detected, else the ID's date.
	Date time.Time
	// Entries is the number of timeline entries; Last the newest one.
	Entries int
	Last    *timeline.Entry
	// Activity is who wrote to the timeline and when, oldest first.
	Activity []Activity
	// Public are the entries marked public, for the status page.
	Public []timeline.Entry
	// Postmortem is the postmortem's front matter, nil when there is none.
	Postmortem *postmortem.Meta
	// Attachments are the file names under the incident's attachments/.
	Attachments []string
	// Sum fingerprints the incident's files, so a rebuild can tell what
	// changed.
	Sum uint64
}

// Activity is one timeline entry's author, time and type.
type Activity struct {
	By   string
	At   time.Time
	Type string
}

// Detail is one incident in full.
type Detail struct {
	Timeline   []timeline.Entry // in time order
	Postmortem *postmortem.Doc  // nil when there is none
}

// ID is the incident's ID.
func (i *Incident) ID() string { return i.Record.ID }

// Restricted reports whether the incident is restricted.
func (i *Incident) Restricted() bool { return i.Record.EffectiveVisibility() == "restricted" }

// Visit sees each incident in full while Load reads it, from several
// goroutines at once: the site's search index is built from it without
// a second pass over the files. pm is the postmortem file, or nil.
type Visit func(inc *Incident, entries []timeline.Entry, pm []byte)

// Load reads the repository in fsys. Incidents whose record or timeline
// does not parse are left out and named in Problems.
func Load(fsys fs.FS, s *config.Settings) (*Library, error) { return LoadWith(fsys, s, nil) }

// LoadWith is Load that shows every incident it reads to visit.
func LoadWith(fsys fs.FS, s *config.Settings, visit Visit) (*Library, error) {
	ids, err := layout.IDs(fsys)
	if err != nil {
		return nil, err
	}
	l := &Library{Settings: s, fsys: fsys, byID: map[string]*Incident{}}
	incs := make([]*Incident, len(ids))
	probs := make([]diag.List, len(ids))
	errs := make([]error, len(ids))
	workers.Each(len(ids), func(i int) {
		incs[i], probs[i], errs[i] = loadOne(fsys, ids[i], visit)
	})
	for i := range ids {
		if errs[i] != nil {
			return nil, errs[i]
		}
		l.Problems.Append(probs[i])
		if incs[i] != nil {
			l.Incidents = append(l.Incidents, incs[i])
		}
	}
	l.sort()
	rs, d, err := loadRotations(fsys)
	if err != nil {
		return nil, err
	}
	l.Rotations = rs
	l.Problems.Append(d)
	return l, nil
}

// loadOne reads one incident; a nil Incident means it was left out.
func loadOne(fsys fs.FS, id string, visit Visit) (*Incident, diag.List, error) {
	h := fnv.New64a()
	read := func(p string) ([]byte, error) {
		b, err := fs.ReadFile(fsys, p)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		h.Write([]byte(p))
		h.Write(b)
		return b, err
	}
	rec, err := read(layout.Record(id))
	if err != nil || rec == nil {
		return nil, nil, err
	}
	inc, _, diags := incident.Parse(layout.Record(id), rec)
	if diags.Errors() > 0 {
		return nil, diags, nil
	}
	tl, err := read(layout.Timeline(id))
	if err != nil {
		return nil, nil, err
	}
	entries, d := timeline.Read(layout.Timeline(id), tl)
	if d.Errors() > 0 {
		return nil, d, nil
	}
	out := &Incident{Record: inc, Durations: incident.DurationsOf(inc), Date: incident.DateOf(inc)}
	entries = timeline.Sorted(entries)
	out.summarise(entries)
	pm, err := read(layout.Postmortem(id))
	if err != nil {
		return nil, nil, err
	}
	if pm != nil {
		doc, d := postmortem.Parse(layout.Postmortem(id), pm)
		if doc != nil && d.Errors() == 0 {
			meta := doc.Meta // not &doc.Meta, which would keep the whole file in memory
			out.Postmortem = &meta
		}
		diags.Append(d)
	}
	if ents, err := fs.ReadDir(fsys, path.Join(layout.Dir(id), layout.Attachments)); err == nil {
		for _, e := range ents {
			if e.Type().IsRegular() {
				out.Attachments = append(out.Attachments, e.Name())
			}
		}
	}
	out.Sum = h.Sum64()
	if visit != nil {
		visit(out, entries, pm)
	}
	return out, diags, nil
}

func (i *Incident) summarise(entries []timeline.Entry) {
	i.Entries = len(entries)
	i.Activity = make([]Activity, 0, len(entries))
	for k := range entries {
		e := entries[k]
		i.Activity = append(i.Activity, Activity{By: e.By, At: e.At, Type: e.Type})
		if e.Public {
			i.Public = append(i.Public, e)
		}
	}
	if len(entries) > 0 {
		last := entries[len(entries)-1]
		i.Last = &last
	}
}

func (l *Library) sort() {
	sort.SliceStable(l.Incidents, func(a, b int) bool {
		x, y := l.Incidents[a], l.Incidents[b]
		if !x.Date.Equal(y.Date) {
			return x.Date.After(y.Date)
		}
		return x.ID() > y.ID()
	})
	l.byID = make(map[string]*Incident, len(l.Incidents))
	for _, inc := range l.Incidents {
		l.byID[inc.ID()] = inc
	}
}

// Get returns the incident with the ID, or nil.
func (l *Library) Get(id string) *Incident { return l.byID[id] }

// Visible returns the library without restricted incidents (unless
// includeRestricted): the only view the site and the reports are given.
func (l *Library) Visible(includeRestricted bool) *Library {
	if includeRestricted {
		return l
	}
	v := *l
	v.Incidents = nil
	for _, inc := range l.Incidents {
		if !inc.Restricted() {
			v.Incidents = append(v.Incidents, inc)
		}
	}
	v.clean = true
	v.sort()
	return &v
}

// Detail reads an incident's full timeline and postmortem.
func (l *Library) Detail(inc *Incident) (*Detail, error) {
	if l.clean && inc.Restricted() {
		return nil, errors.New("restricted incident")
	}
	id := inc.ID()
	d := &Detail{}
	tl, err := fs.ReadFile(l.fsys, layout.Timeline(id))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	entries, _ := timeline.Read(layout.Timeline(id), tl)
	d.Timeline = timeline.Sorted(entries)
	pm, err := fs.ReadFile(l.fsys, layout.Postmortem(id))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if pm != nil {
		if doc, diags := postmortem.Parse(layout.Postmortem(id), pm); doc != nil && diags.Errors() == 0 {
			d.Postmortem = doc
		}
	}
	return d, nil
}

// Update reloads the incidents with the given IDs (a change seen by sev
// serve), showing each to visit (when not nil), and reports whether
// anything differs. An ID whose files are gone is removed.
func (l *Library) Update(ids []string, visit Visit) (bool, error) {
	changed := false
	for _, id := range ids {
		inc, _, err := loadOne(l.fsys, id, visit)
		if err != nil {
			return false, err
		}
		old := l.byID[id]
		switch {
		case inc == nil && old == nil:
		case inc == nil:
			changed = true
			l.remove(id)
		case old == nil || old.Sum != inc.Sum:
			changed = true
			l.remove(id)
			l.Incidents = append(l.Incidents, inc)
		}
	}
	if changed {
		l.sort()
	}
	return changed, nil
}

func (l *Library) remove(id string) {
	for k, inc := range l.Incidents {
		if inc.ID() == id {
			l.Incidents = append(l.Incidents[:k], l.Incidents[k+1:]...)
			return
		}
	}
}

func loadRotations(fsys fs.FS) ([]*rotation.Rotation, diag.List, error) {
	entries, err := fs.ReadDir(fsys, layout.Rotations)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	var out []*rotation.Rotation
	var diags diag.List
	for _, e := range entries {
		if !e.Type().IsRegular() || path.Ext(e.Name()) != ".yaml" {
			continue
		}
		p := path.Join(layout.Rotations, e.Name())
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, nil, err
		}
		r, d := rotation.Parse(p, data)
		diags.Append(d)
		if r != nil {
			out = append(out, r)
		}
	}
	return out, diags, nil
}

// People lists every handle that appears in the library: roles,
// responders, pages, timeline authors, postmortem authors and reviewers
// and follow-up owners, and rotation members, sorted.
func (l *Library) People() []string {
	seen := map[string]bool{}
	add := func(h string) {
		if h = strings.TrimSpace(h); h != "" {
			seen[h] = true
		}
	}
	for _, inc := range l.Incidents {
		for _, p := range inc.Record.Roles {
			add(p)
		}
		for _, p := range inc.Record.Responders {
			add(p)
		}
		for _, p := range inc.Record.Paged {
			add(p.Person)
		}
		for _, a := range inc.Activity {
			add(a.By)
		}
		if pm := inc.Postmortem; pm != nil {
			for _, p := range append(append([]string{}, pm.Authors...), pm.Reviewers...) {
				add(p)
			}
			for _, f := range pm.FollowUps {
				add(f.Owner)
			}
		}
	}
	for _, r := range l.Rotations {
		for _, ly := range r.Layers {
			for _, m := range ly.Members {
				add(m)
			}
			for _, c := range ly.Changes {
				for _, m := range c.Members {
					add(m)
				}
			}
		}
		for _, o := range r.Overrides {
			add(o.Person)
		}
	}
	out := make([]string, 0, len(seen))
	for h := range seen {
		out = append(out, h)
	}
	sort.Strings(out)
	return out
}
