package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/term"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/validate"
	"github.com/sev-dev/sev/internal/workers"
)

// Existing is what the repository holds already: every incident ID, and
// the imported ones by source.
type Existing struct {
	IDs      map[string]bool
	BySource map[string]string // sourceKey → incident ID
	// Claimed lists, by source, the incidents beyond the first that claim
	// the same source: a person must decide which one it is.
	Claimed map[string][]string
	// Imported are the imported incidents' records as they are now, by ID.
	Imported map[string]*Current
}

// Current is an imported incident as the repository holds it.
type Current struct {
	Record *incident.Incident
	// Entries counts the timeline's entries; Local says some were made
	// in sev, not imported, so its fields are the team's now.
	Entries int
	Local   bool
	// IDs are the timeline's entry ids.
	IDs map[string]bool
	// Postmortem says the incident has a postmortem file already.
	Postmortem bool
}

func sourceKey(system, id string) string { return system + "\x00" + id }

// Scan reads the incidents of a repository for matching: their IDs and
// sources. Records are parsed leniently, so an imported incident that has
// problems is still found (and then reported) instead of imported twice.
func Scan(fsys fs.FS, s *config.Settings) Existing {
	dirs, _ := validate.Dirs(fsys, s)
	ex := Existing{IDs: make(map[string]bool, len(dirs)), BySource: map[string]string{}, Claimed: map[string][]string{},
		Imported: map[string]*Current{}}
	curs := make([]*Current, len(dirs))
	empty := make([]bool, len(dirs))
	workers.Each(len(dirs), func(i int) {
		p := path.Join(dirs[i], layout.RecordFile)
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			// an empty folder (a killed write made it) takes no ID
			ents, derr := fs.ReadDir(fsys, dirs[i])
			empty[i] = derr == nil && len(ents) == 0
			return
		}
		if !strings.Contains(string(data), "\nsource:") {
			return
		}
		inc, _, _ := incident.Parse(p, data)
		cur := &Current{Record: inc}
		// counted in the text: parsing every timeline would double the
		// time a re-import takes
		tl, _ := fs.ReadFile(fsys, path.Join(dirs[i], layout.TimelineFile))
		cur.IDs = entryIDs(tl)
		cur.Entries = len(cur.IDs)
		cur.Local = bytes.Count(tl, []byte("\n  imported: true\n")) < cur.Entries
		_, err = fs.Stat(fsys, layout.Postmortem(path.Base(dirs[i])))
		cur.Postmortem = err == nil
		curs[i] = cur
	})
	for i, d := range dirs {
		id := path.Base(d)
		if empty[i] {
			continue
		}
		ex.IDs[id] = true
		if curs[i] == nil {
			continue
		}
		if src := curs[i].Record.Source; src != nil && src.System != "" && src.ID != "" {
			ex.Imported[id] = curs[i]
			k := sourceKey(src.System, src.ID)
			if first, dup := ex.BySource[k]; dup {
				ex.Claimed[k] = append(ex.Claimed[k], first)
			}
			ex.BySource[k] = id
		}
	}
	return ex
}

// Plan is what an import will do: one change per record that is new or
// has something new.
type Plan struct {
	Changes  []*change.Change
	Problems []Problem
	// Unchanged are the imported incidents that have every entry already.
	Unchanged []string
	wheres    []string      // per change, for problems
	pms       []*Postmortem // per change: the review that came with it
}

// Build turns records into changes against what exists. now is the
// import's time, recorded in each new record's source.
func Build(s *config.Settings, ex Existing, recs []Record, now time.Time) *Plan {
	p := &Plan{}
	taken := func(id string) bool { return ex.IDs[id] }
	planned := map[string]bool{}
	seen := map[string]string{}
	for i := range recs {
		r := &recs[i]
		key := sourceKey(r.Source.System, r.Source.ID)
		if first, dup := seen[key]; dup {
			p.problem(r.Where, "id", fmt.Sprintf("the source id %q is also used by %s; only the first is imported", r.Source.ID, first), true)
			continue
		}
		seen[key] = r.Where
		if !p.normalise(s, r) {
			continue
		}
		first := s.InitialStatus()
		done := finalStatus(s, r)
		entries := r.entries(first, done)
		if others := ex.Claimed[key]; len(others) > 0 {
			p.problem(r.Where, "id", fmt.Sprintf("incidents %s and %s both say they are %s %q; remove the source from the one that is not",
				strings.Join(others, ", "), ex.BySource[key], r.Source.System, r.Source.ID), true)
			continue
		}
		if id, ok := ex.BySource[key]; ok {
			if cur := ex.Imported[id]; cur != nil {
				entries = append(entries, updates(r, cur, now)...)
				if !slices.ContainsFunc(entries, func(e timeline.Entry) bool { return !cur.IDs[e.ID] }) {
					if r.Postmortem != nil && !cur.Postmortem {
						// the review arrived in the source after the
						// incident was imported: a change of no entries
						// that writes only the postmortem
						p.add(&change.Change{Incident: id}, r)
						continue
					}
					p.Unchanged = append(p.Unchanged, id)
					continue
				}
			}
			p.add(&change.Change{Incident: id, Entries: entries}, r)
			continue
		}
		id := newID(r, func(id string) bool { return taken(id) || planned[id] })
		planned[id] = true
		rec := initial(s, r, id, now)
		p.add(&change.Change{Incident: id, Create: rec, Entries: entries}, r)
	}
	return p
}

func (p *Plan) add(ch *change.Change, r *Record) {
	p.Changes = append(p.Changes, ch)
	p.wheres = append(p.wheres, r.Where)
	p.pms = append(p.pms, r.Postmortem)
}

func (p *Plan) problem(where, field, msg string, skipped bool) {
	p.Problems = append(p.Problems, Problem{Where: where, Field: field, Message: msg, Skipped: skipped})
}

// entryIDs reads the ids of a timeline's entries from its text, as sev
// writes it ("- id: " starting each entry); a hand-written timeline that
// writes it otherwise only costs a full comparison in change.Apply.
func entryIDs(tl []byte) map[string]bool {
	ids := map[string]bool{}
	for len(tl) > 0 {
		line := tl
		if i := bytes.IndexByte(tl, '\n'); i >= 0 {
			line, tl = tl[:i], tl[i+1:]
		} else {
			tl = nil
		}
		if id, ok := bytes.CutPrefix(line, []byte("- id: ")); ok {
			ids[string(bytes.TrimSpace(id))] = true
		}
	}
	return ids
}

// updates are the entries that bring an imported record's fields up to
// what the source says now: the title, summary, impact, kind, severity,
// services, tags and orgs it changed since. They are written only while
// the incident has no entries made in sev: once the team works on it,
// its fields are theirs. A source that makes an incident restricted is
// followed whatever the team did, since failing to is a leak. Each
// entry's key holds the value and the timeline's length, so the same
// change is not made twice and a change back is made again.
func updates(r *Record, cur *Current, now time.Time) []timeline.Entry {
	rec := cur.Record
	var out []timeline.Entry
	add := func(field, value string, e timeline.Entry) {
		e.ID = EntryID(r.Source, fmt.Sprintf("field:%s:%d:%s", field, cur.Entries, value))
		e.At, e.By, e.Imported = now.UTC().Truncate(time.Second), r.Source.System, true
		out = append(out, e)
	}
	if r.Visibility == "restricted" && !rec.Restricted() {
		add("visibility", "restricted", timeline.Entry{Type: timeline.Set, Field: "visibility", Value: "restricted"})
	}
	if cur.Local {
		return out
	}
	for _, f := range []struct{ name, have, want string }{
		{"title", rec.Title, r.Title}, {"summary", rec.Summary, r.Summary}, {"impact", rec.Impact, r.Impact},
		{"kind", rec.Kind, r.Kind},
	} {
		if f.have != f.want {
			add(f.name, f.want, timeline.Entry{Type: timeline.Set, Field: f.name, Value: f.want})
		}
	}
	if w := r.Window; w != nil && !w.Same(rec.Window) {
		// rescheduled in the source
		add("window", w.String(), timeline.Entry{Type: timeline.Set, Field: "window", Value: w.String()})
	}
	if r.Severity != rec.Severity && r.Severity > 0 {
		add("severity", strconv.Itoa(r.Severity), timeline.Entry{Type: timeline.Severity, Severity: r.Severity})
	}
	for _, l := range []struct {
		field      string
		have, want []string
	}{{"services", rec.Services, r.Services}, {"orgs", rec.Orgs, r.Orgs}} {
		for _, v := range l.want {
			if !slices.Contains(l.have, v) {
				add("add:"+l.field, v, timeline.Entry{Type: timeline.Add, Field: l.field, Value: v})
			}
		}
		for _, v := range l.have {
			if !slices.Contains(l.want, v) {
				add("remove:"+l.field, v, timeline.Entry{Type: timeline.Remove, Field: l.field, Value: v})
			}
		}
	}
	for _, v := range r.Tags {
		if !slices.Contains(rec.Tags, v) {
			add("tag", v, timeline.Entry{Type: timeline.Tag, Tag: v})
		}
	}
	for _, v := range rec.Tags {
		if !slices.Contains(r.Tags, v) {
			add("untag", v, timeline.Entry{Type: timeline.Untag, Tag: v})
		}
	}
	return out
}

// Result is the outcome of applying a plan: the files to commit, and
// which incidents were created, updated or already up to date.
type Result struct {
	Files                       map[string][]byte
	Created, Updated, Unchanged []string
	Problems                    []Problem
}

// Apply computes the files of every change on top of the version read
// gives, on all cores. A change that fails (the incident has problems, or
// the result would not validate) is reported and left out; the others
// are kept.
func (p *Plan) Apply(s *config.Settings, read change.ReadFunc) *Result {
	outs := make([]map[string][]byte, len(p.Changes))
	errs := make([]error, len(p.Changes))
	pmProbs := make([][]Problem, len(p.Changes))
	workers.Each(len(p.Changes), func(i int) {
		id := p.Changes[i].Incident
		pmOnly := len(p.Changes[i].Entries) == 0 && p.Changes[i].Create == nil
		if pmOnly {
			outs[i], errs[i] = current(read, id)
		} else {
			outs[i], errs[i] = p.Changes[i].Apply(s, read)
		}
		if errs[i] != nil || p.pms[i] == nil {
			return
		}
		var data []byte
		data, pmProbs[i] = writePostmortem(s, read, id, outs[i], p.pms[i], p.wheres[i])
		switch {
		case pmOnly && data == nil:
			errs[i] = change.ErrNothing // it has one after all
		case pmOnly:
			outs[i] = map[string][]byte{layout.Postmortem(id): data}
		case data != nil:
			outs[i][layout.Postmortem(id)] = data
		}
	})
	res := &Result{Files: map[string][]byte{}, Problems: slices.Clone(p.Problems), Unchanged: slices.Clone(p.Unchanged)}
	for i, ch := range p.Changes {
		switch {
		case errors.Is(errs[i], change.ErrNothing):
			res.Unchanged = append(res.Unchanged, ch.Incident)
		case errs[i] != nil:
			res.Problems = append(res.Problems, Problem{Where: p.wheres[i], Message: "not imported: " + firstLines(errs[i].Error()), Skipped: true})
		default:
			res.Problems = append(res.Problems, pmProbs[i]...)
			for f, b := range outs[i] {
				res.Files[f] = b
			}
			if ch.Create != nil {
				res.Created = append(res.Created, ch.Incident)
			} else {
				res.Updated = append(res.Updated, ch.Incident)
			}
		}
	}
	return res
}

// current are an incident's record and timeline as they are, for a
// change that adds only a postmortem; nothing when either is missing.
func current(read change.ReadFunc, id string) (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, f := range []string{layout.Record(id), layout.Timeline(id)} {
		data, ok, err := read(f)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, change.ErrNothing
		}
		files[f] = data
	}
	return files, nil
}

// firstLines keeps an error's first lines: a ProblemError lists every
// finding of a file, which the report only needs the start of.
func firstLines(s string) string {
	lines := strings.Split(s, "\n")
	if len(lines) > 4 {
		lines = append(lines[:4], fmt.Sprintf("... and %d more lines", len(lines)-4))
	}
	return strings.Join(lines, "\n  ")
}

// finalStatus is the status a record ends in: its own when the source
// names one; for a finished record, closed when it has a closed time and
// sev.yaml has a closed status of phase done, else the first status of
// phase done; empty for one still open.
func finalStatus(s *config.Settings, r *Record) string {
	if r.Status != "" {
		return r.Status
	}
	if !r.Done {
		return ""
	}
	if !r.Milestones["closed"].IsZero() {
		if st, ok := s.Status("closed"); ok && st.Phase == config.PhaseDone {
			return "closed"
		}
	}
	for _, st := range s.Statuses {
		if st.Phase == config.PhaseDone {
			return st.Name
		}
	}
	return ""
}

// newID is the incident ID of a new record: the date the source gave and
// a slug of the title (a neutral one, derived from the source, for a
// restricted record), with -2, -3, ... when taken.
func newID(r *Record, taken func(string) bool) string {
	slug := incident.Slug(r.Title)
	if r.Visibility == "restricted" {
		slug = "restricted-" + EntryID(r.Source, "slug")[1:5]
	}
	base := r.Declared.Date() + "-" + slug
	id := base
	for n := 2; taken(id); n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	return id
}

// initial is the first version of a new record, as sev declare would
// write it: the fields and the milestones before declaration; the
// entries do the rest.
func initial(s *config.Settings, r *Record, id string, now time.Time) *incident.Incident {
	src := r.Source
	src.Imported = now.UTC().Truncate(time.Second)
	rec := &incident.Incident{
		ID: id, Title: r.Title, Severity: r.Severity, Status: s.InitialStatus(),
		Kind: r.Kind, Visibility: r.Visibility, Summary: r.Summary, Impact: r.Impact,
		Orgs: r.Orgs, Services: r.Services, Tags: r.Tags, Links: r.Links, Source: &src, Window: r.Window,
	}
	set := func(m string, t Time) {
		rec.Milestones.Set(m, t.At)
		if t.Precision != "" {
			if rec.Precision == nil {
				rec.Precision = map[string]string{}
			}
			rec.Precision[m] = t.Precision
		}
	}
	for _, m := range []string{"started", "detected"} {
		if t, ok := r.Milestones[m]; ok && !t.IsZero() {
			set(m, t)
		}
	}
	set("declared", r.Declared)
	return rec
}

// normalise makes a record fit the format, reporting what it changes or
// drops; false means the record cannot be imported.
func (p *Plan) normalise(s *config.Settings, r *Record) bool {
	if r.Source.System == "" || strings.TrimSpace(r.Source.ID) == "" {
		p.problem(r.Where, "id", "the record has no id in its source, so a second import could not find it", true)
		return false
	}
	r.Title = clean(oneLine(r.Title))
	if r.Title == "" {
		p.problem(r.Where, "title", "the record has no title", true)
		return false
	}
	if len(r.Title) > 200 {
		r.Title = cut(r.Title, 200)
		p.problem(r.Where, "title", "longer than 200 bytes; cut", false)
	}
	switch {
	case r.Severity == 0:
		r.Severity = len(s.Severities)
	case r.Severity < 0:
		// a level that is right when it exists (a high urgency is the
		// second level of three), else the least severe
		r.Severity = min(-r.Severity, len(s.Severities))
	case r.Severity > len(s.Severities):
		p.problem(r.Where, "severity", fmt.Sprintf("level %d is not configured; imported as the least severe (%d)", r.Severity, len(s.Severities)), false)
		r.Severity = len(s.Severities)
	}
	if r.Status != "" {
		if _, ok := s.Status(r.Status); !ok {
			p.problem(r.Where, "status", fmt.Sprintf("unknown status %q; use one of %s", r.Status, strings.Join(s.StatusNames(), ", ")), false)
			r.Status = ""
		}
	}
	if r.Kind != "" && !slices.Contains(incident.Kinds, r.Kind) {
		p.problem(r.Where, "kind", fmt.Sprintf("unknown kind %q; imported as normal", r.Kind), false)
		r.Kind = ""
	}
	if r.Visibility != "" && !slices.Contains(incident.Visibilities, r.Visibility) {
		p.problem(r.Where, "visibility", fmt.Sprintf("unknown visibility %q; imported as restricted", r.Visibility), false)
		r.Visibility = "restricted"
	}
	r.Summary, r.Impact = cleanText(r.Summary), cleanText(r.Impact)
	r.Orgs = p.labels(r.Where, "orgs", r.Orgs)
	r.Services = p.labels(r.Where, "services", r.Services)
	r.Tags = p.labels(r.Where, "tags", r.Tags)
	r.Links = p.links(r.Where, r.Links)
	if r.Source.URL != "" && incident.CheckURL(r.Source.URL) != nil {
		p.problem(r.Where, "url", fmt.Sprintf("%q is not an https or http link; left out", r.Source.URL), false)
		r.Source.URL = ""
	}
	r.Author = clean(oneLine(r.Author))
	for i := range r.Entries {
		e := &r.Entries[i]
		e.Text, e.By = cleanText(e.Text), clean(oneLine(e.By))
		if e.Type != "" && !slices.Contains(entryTypes, e.Type) {
			p.problem(r.Where, "entries", fmt.Sprintf("entry type %q cannot be imported; kept as a note", e.Type), false)
			e.Type = timeline.Note
		}
	}
	if r.Declared.IsZero() {
		p.problem(r.Where, "date", "the record has no date; it is needed for the incident's ID", true)
		return false
	}
	p.order(r)
	return true
}

// order drops the milestones that are out of order, reporting each:
// started and detected after the declaration, and later ones before an
// earlier milestone.
func (p *Plan) order(r *Record) {
	last := r.Declared.At
	for _, m := range []string{"started", "detected"} {
		if t, ok := r.Milestones[m]; ok && t.At.After(r.Declared.At) && !sameDay(t, r.Declared) {
			p.problem(r.Where, m, fmt.Sprintf("%s is after the incident was declared (%s); left out", t.At.Format(time.RFC3339), r.Declared.At.Format(time.RFC3339)), false)
			delete(r.Milestones, m)
		}
	}
	for _, m := range []string{"acknowledged", "mitigated", "resolved", "closed"} {
		t, ok := r.Milestones[m]
		if !ok || t.IsZero() {
			continue
		}
		if t.At.Before(last) {
			p.problem(r.Where, m, fmt.Sprintf("%s is before an earlier milestone (%s); left out", t.At.Format(time.RFC3339), last.Format(time.RFC3339)), false)
			delete(r.Milestones, m)
			continue
		}
		last = t.At
	}
}

// sameDay tolerates a day-precision started on the declaration's day:
// midnight UTC may be after a declaration in an earlier offset.
func sameDay(t, declared Time) bool {
	return t.Precision == incident.PrecisionDay && t.Date() == declared.Date()
}

// labels fits names to the label rule (lower case; spaces and other
// characters become dashes) and drops, reporting, what still does not fit.
func (p *Plan) labels(where, field string, names []string) []string {
	var out []string
	for _, n := range names {
		l := Label(n)
		if l == "" {
			if strings.TrimSpace(n) != "" {
				p.problem(where, field, fmt.Sprintf("%q is not a usable name; left out", n), false)
			}
			continue
		}
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// Label makes a name fit config.LabelRE: lower case, runs of other
// characters as one dash, no punctuation at the ends; empty when nothing
// usable is left.
func Label(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(strings.ToLower(strings.TrimSpace(s))) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// the accent of a decomposed letter: ü is u
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	l := strings.Trim(b.String(), "._-")
	if len(l) > 100 {
		l = strings.Trim(l[:100], "._-")
	}
	if !config.LabelRE.MatchString(l) {
		return ""
	}
	return l
}

func (p *Plan) links(where string, links []incident.Link) []incident.Link {
	var out []incident.Link
	for _, l := range links {
		if err := incident.CheckURL(l.URL); err != nil {
			p.problem(where, "links", fmt.Sprintf("%v; left out", err), false)
			continue
		}
		if !slices.Contains(incident.LinkKinds, l.Kind) {
			l.Kind = "other"
		}
		l.Title = clean(oneLine(l.Title))
		if !slices.ContainsFunc(out, func(o incident.Link) bool { return o.URL == l.URL }) {
			out = append(out, l)
		}
	}
	return out
}

// clean removes the control and bidirectional characters sev refuses in
// one-line text.
func clean(s string) string {
	if term.Clean(s, false) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if term.Unsafe(r) {
			return -1
		}
		return r
	}, s)
}

// cleanText is clean for multi-line text: lines and tabs are kept, Windows
// line ends become plain ones, and the text is trimmed.
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if !term.Clean(s, true) {
		s = strings.Map(func(r rune) rune {
			if term.Unsafe(r) && r != '\n' && r != '\t' {
				return -1
			}
			return r
		}, s)
	}
	return strings.TrimSpace(s)
}

// cut shortens s to at most n bytes at a rune boundary.
func cut(s string, n int) string {
	for len(s) > n {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

// Summary is the import's outcome in one line for the commit message,
// which names no title: a restricted record may be among them.
func (r *Result) Summary(system string) string {
	parts := []string{fmt.Sprintf("%d new", len(r.Created))}
	if len(r.Updated) > 0 {
		parts = append(parts, fmt.Sprintf("%d updated", len(r.Updated)))
	}
	return fmt.Sprintf("import: %s incidents from %s", strings.Join(parts, ", "), system)
}

// entryTypes is the set of types a source may give its entries; the rest
// are the importer's own (declared) or need fields sources do not have.
var entryTypes = []string{timeline.Note, timeline.Status}
