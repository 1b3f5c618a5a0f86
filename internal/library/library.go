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
	"fmt"
	"hash/fnv"
	"io/fs"
	"sort"
	"strings"
	"time"
	"unique"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/postmortem"
	"github.com/sev-dev/sev/internal/rotation"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/validate"
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
	// Activity is who wrote to the timeline and when, oldest first;
	// imported entries are not in it (their authors are not responders).
	Activity []Activity
	// Public are the entries marked public, for the status page.
	Public []timeline.Entry
	// WindowSet is when a maintenance's window was last set or moved
	// (a "set" entry), zero when it never was after the declaration.
	WindowSet time.Time
	// Notified are the people paged by a notification addressed to them
	// (escalation policies, rules' notify steps), once per notification;
	// those paged from a rotation are in Record.Paged already.
	Notified []string
	// Postmortem is the postmortem's front matter, nil when there is none.
	Postmortem *postmortem.Meta
	// Attachments are the file names under the incident's attachments/.
	Attachments []string
	// Sum fingerprints the incident's files, so a rebuild can tell what
	// changed.
	Sum uint64
}

// Activity is one timeline entry's author and time: 24 bytes, since a
// library keeps one per entry (2.3 million at 100,000 incidents).
type Activity struct {
	By string
	at int64 // Unix nanoseconds
}

// NewActivity is an entry by by at at.
func NewActivity(by string, at time.Time) Activity {
	return Activity{By: unique.Make(by).Value(), at: at.UnixNano()}
}

// At is when the entry happened, in UTC.
func (a Activity) At() time.Time { return time.Unix(0, a.at).UTC() }

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
//
// Incidents are read through the validation gate (validate.LoadDir): an
// incident with any error sev validate would report is left out, and its
// findings are in Problems.
func LoadWith(fsys fs.FS, s *config.Settings, visit Visit) (*Library, error) {
	dirs, problems := validate.Dirs(fsys, s)
	l := &Library{Settings: s, fsys: fsys, byID: map[string]*Incident{}, Problems: problems}
	incs := make([]*Incident, len(dirs))
	probs := make([]diag.List, len(dirs))
	workers.Each(len(dirs), func(i int) {
		incs[i], probs[i] = loadOne(fsys, s, dirs[i], visit)
	})
	for i := range dirs {
		l.Problems.Append(probs[i])
		if incs[i] != nil {
			l.Incidents = append(l.Incidents, incs[i])
		}
	}
	l.sort()
	rs, d := validate.Rotations(fsys, s)
	l.Rotations = rs
	l.Problems.Append(d)
	l.Problems.Override(validate.Levels(s))
	l.Problems.Sort()
	return l, nil
}

// loadOne reads one incident folder through the gate; a nil Incident
// means it was left out.
func loadOne(fsys fs.FS, s *config.Settings, dir string, visit Visit) (*Incident, diag.List) {
	g, diags := validate.LoadDir(fsys, s, dir)
	if g == nil {
		return nil, diags
	}
	return summary(g, visit), diags
}

// fingerprint is what Sum holds: the incident's files and attachment
// names as the gate passed them.
func fingerprint(id string, rec, tl, pm []byte, attachments []string) uint64 {
	h := fnv.New64a()
	for _, f := range []struct {
		p string
		b []byte
	}{{layout.Record(id), rec}, {layout.Timeline(id), tl}, {layout.Postmortem(id), pm}} {
		if f.b != nil {
			h.Write([]byte(f.p))
			h.Write(f.b)
		}
	}
	for _, a := range attachments {
		h.Write([]byte(a))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

func summary(g *validate.Incident, visit Visit) *Incident {
	id := g.ID()
	inc := g.Record
	out := &Incident{Record: inc, Durations: incident.DurationsOf(inc), Date: incident.DateOf(inc), Attachments: g.Attachments}
	entries := timeline.Sorted(g.Entries)
	out.summarise(entries)
	if g.Postmortem != nil {
		if doc, d := postmortem.Parse(layout.Postmortem(id), g.Postmortem); doc != nil && d.Errors() == 0 {
			meta := doc.Meta // not &doc.Meta, which would keep the whole file in memory
			out.Postmortem = &meta
		}
	}
	out.Sum = fingerprint(id, g.RecordData, g.TimelineData, g.Postmortem, g.Attachments)
	if visit != nil {
		visit(out, entries, g.Postmortem)
	}
	return out
}

// summarise keeps what the listings need of the timeline. Every string
// it keeps is copied out of the entries, whose fields share the bytes of
// the whole file as the scanner read it: one kept substring would keep
// the file (at 10,000 incidents of 22 entries, 51 MB of timelines stayed
// in memory through a build). Authors repeat, so they are interned.
func (i *Incident) summarise(entries []timeline.Entry) {
	i.Entries = len(entries)
	i.Activity = make([]Activity, 0, len(entries))
	for k := range entries {
		e := &entries[k]
		if !e.Imported {
			// imported authors worked elsewhere: not responder load
			i.Activity = append(i.Activity, NewActivity(e.By, e.At))
		}
		if e.Type == timeline.Notify && e.Field == "page" && e.Person != "" && e.Rotation == "" {
			i.Notified = append(i.Notified, unique.Make(e.Person).Value())
		}
		if e.Public {
			i.Public = append(i.Public, detached(*e))
		}
		if e.Type == timeline.Set && e.Field == "window" && e.At.After(i.WindowSet) {
			i.WindowSet = e.At
		}
	}
	if len(entries) > 0 {
		last := detached(entries[len(entries)-1])
		i.Last = &last
	}
}

// detached is e with its own copy of every string.
func detached(e timeline.Entry) timeline.Entry {
	for _, p := range []*string{&e.ID, &e.By, &e.Type, &e.Text, &e.Milestone, &e.Status, &e.Role, &e.Rotation,
		&e.Person, &e.Tag, &e.Field, &e.Value, &e.URL, &e.File, &e.Corrects, &e.Precision} {
		*p = strings.Clone(*p)
	}
	return e
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

// Detail reads an incident's full timeline and postmortem. Files that
// still have the fingerprint Load saw passed the gate then; files that
// changed since go through the gate again, and are not shown when they no
// longer pass.
func (l *Library) Detail(inc *Incident) (*Detail, error) {
	if l.clean && inc.Restricted() {
		return nil, errors.New("restricted incident")
	}
	id := inc.ID()
	// The files as Load saw them (same fingerprint) passed the gate then:
	// only the timeline needs reading. Anything else goes through the gate
	// again.
	var files [3][]byte
	var err error
	for i, p := range []string{layout.Record(id), layout.Timeline(id), layout.Postmortem(id)} {
		if files[i], err = validate.ReadRegular(l.fsys, p, l.Settings); err != nil {
			return nil, err
		}
	}
	if fingerprint(id, files[0], files[1], files[2], inc.Attachments) == inc.Sum {
		entries, _ := timeline.Read(layout.Timeline(id), files[1])
		return detail(id, entries, files[2]), nil
	}
	g, diags := validate.Load(l.fsys, l.Settings, id)
	if g == nil {
		return nil, fmt.Errorf("incident %s no longer passes validation: %w", id, diags.Err())
	}
	if l.clean && g.Record.Restricted() {
		return nil, errors.New("restricted incident")
	}
	return detail(id, g.Entries, g.Postmortem), nil
}

func detail(id string, entries []timeline.Entry, pm []byte) *Detail {
	d := &Detail{Timeline: timeline.Sorted(entries)}
	if pm != nil {
		if doc, diags := postmortem.Parse(layout.Postmortem(id), pm); doc != nil && diags.Errors() == 0 {
			d.Postmortem = doc
		}
	}
	return d
}

// Update reloads the incidents with the given IDs (a change seen by sev
// serve), showing each to visit (when not nil), and reports whether
// anything differs. An ID whose files are gone, or no longer pass the
// gate, is removed; Problems then says why.
func (l *Library) Update(ids []string, visit Visit) (bool, error) {
	changed := false
	for _, id := range ids {
		var inc *Incident
		g, diags := validate.Load(l.fsys, l.Settings, id)
		l.Problems = append(l.Problems.Without(layout.Dir(id), layout.Postmortem(id)), diags...)
		if g != nil {
			inc = summary(g, visit)
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
	l.Problems.Sort()
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
