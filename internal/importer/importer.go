// Package importer brings incidents from other systems into a sev
// repository. A source (cState, Atlassian Statuspage, PagerDuty,
// incident.io, GitHub issues, a CSV or JSON file with a mapping) is read
// into Records, a neutral form; Plan turns records into the changes to
// commit, through the same change.Apply as every command, so what an import
// writes is exactly what sev would have written and is checked the same way.
//
// An import is idempotent. Each record keeps its source system and id
// (incident.Source), and each entry an id derived from the source, the
// record's id there and the entry's key: a second import finds the
// incident by its source and appends only the entries it does not have.
// Problems in the data (a bad date, an unknown severity, a name that breaks
// the label rule) are reported by file and field; the record is imported
// without the bad value, or left out when nothing sensible remains.
package importer

import (
	"cmp"
	"crypto/sha256"
	"slices"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/timeline"
)

// Time is a time as a source gave it, with its precision: "" (to the
// second or minute), incident.PrecisionDay or incident.PrecisionUnknown.
type Time struct {
	At        time.Time
	Precision string
}

// IsZero reports whether the time is missing.
func (t Time) IsZero() bool { return t.At.IsZero() }

// Day is a time known only to the day: midnight UTC of the date as given.
func Day(year int, month time.Month, day int) Time {
	return Time{At: time.Date(year, month, day, 0, 0, 0, 0, time.UTC), Precision: incident.PrecisionDay}
}

// Date is the date the time was given for: in its own offset, or the UTC
// date of a day-precision time. An incident's ID starts with this date.
func (t Time) Date() string {
	if t.Precision == incident.PrecisionDay {
		return t.At.UTC().Format("2006-01-02")
	}
	return t.At.Format("2006-01-02")
}

// Entry is one timeline entry from a source. Key identifies it within
// its record for the life of the source (an update's id, or its time and
// position), so a second import recognises it.
type Entry struct {
	Key       string
	At        Time
	By        string // as the source names the author; empty: the system
	Type      string // a timeline entry type; note when empty
	Text      string
	Status    string // for status entries: a configured status
	Milestone string
	Public    bool
}

// Record is one incident as read from a source.
type Record struct {
	// Where names the record in the input, for problems: a file, or a
	// file and the record's index.
	Where  string
	Source incident.Source

	Title string
	// Severity is a configured level; 0 means the least severe, and -n
	// level n when it is configured, else the least severe.
	Severity int
	// Status is a configured status; empty means the first active one,
	// or, when Done, the first status of phase done.
	Status     string
	Done       bool
	Kind       string
	Visibility string
	Summary    string
	Impact     string
	Orgs       []string
	Services   []string
	Tags       []string
	Links      []incident.Link
	// Window is a maintenance's planned window, when the source has one.
	Window *incident.Window

	// Declared is when the incident was opened in the source; the ID
	// takes its date. Author is who opened it.
	Declared Time
	Author   string
	// Milestones other than declared, by name.
	Milestones map[string]Time
	Entries    []Entry

	Postmortem *Postmortem
}

// Postmortem is a review that came with a record.
type Postmortem struct {
	Status    string // draft, in-review or published; published when empty
	Authors   []string
	Sections  []Section
	FollowUps []FollowUp
}

// Section is one part of a postmortem: a heading and its Markdown.
type Section struct {
	Heading, Markdown string
}

// FollowUp is one action decided in a review.
type FollowUp struct {
	Title  string
	Owner  string
	Due    string // YYYY-MM-DD
	Type   string
	Status string // open, done or dropped
	Link   string
}

// Problem is something wrong in the input, by where and field.
type Problem struct {
	Where, Field, Message string
	// Skipped is true when the record was left out because of it.
	Skipped bool
}

func (p Problem) String() string {
	s := p.Where
	if p.Field != "" {
		s += ": " + p.Field
	}
	s += ": " + p.Message
	if p.Skipped {
		s += " (record left out)"
	}
	return s
}

// SortProblems orders problems by where they are, keeping the order of
// those in the same place.
func SortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int { return strings.Compare(a.Where, b.Where) })
}

// EntryID is the timeline id of a source's entry: "i" and 15 characters
// of a hash of the system, the record's id there and the entry's key, so
// that importing the same entry again gives the same id.
func EntryID(src incident.Source, key string) string {
	const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
	sum := sha256.Sum256([]byte(src.System + "\x00" + src.ID + "\x00" + key))
	b := []byte{'i'}
	for i := range 15 {
		b = append(b, alphabet[sum[i]&31])
	}
	return string(b)
}

// entries lists the timeline entries a record stands for, in time order:
// declared, the milestones, the source's own entries, and the final
// status.
func (r *Record) entries(first, done string) []timeline.Entry {
	by := func(s string) string { return cmp.Or(oneLine(s), r.Source.System) }
	mk := func(key string, at Time, author string) timeline.Entry {
		return timeline.Entry{ID: EntryID(r.Source, key), At: at.At, Precision: at.Precision, By: by(author), Imported: true}
	}
	decl := mk("declared", r.Declared, r.Author)
	decl.Type, decl.Severity, decl.Status, decl.Key = timeline.Declared, r.Severity, first, true
	out := []timeline.Entry{decl}
	for _, m := range []string{"acknowledged", "mitigated", "resolved", "closed"} {
		if t, ok := r.Milestones[m]; ok && !t.IsZero() && (m != done || done == first) {
			e := mk("milestone:"+m, t, "")
			e.Type, e.Milestone, e.Key = timeline.Note, m, true
			out = append(out, e)
		}
	}
	for _, s := range r.Entries {
		e := mk("entry:"+s.Key, s.At, s.By)
		e.Type, e.Text, e.Status, e.Milestone, e.Public = cmp.Or(s.Type, timeline.Note), s.Text, s.Status, s.Milestone, s.Public
		e.Key = e.Type == timeline.Status || e.Milestone != ""
		out = append(out, e)
	}
	if done != "" && done != first && !slices.ContainsFunc(out, func(e timeline.Entry) bool { return e.Status == done }) {
		// the final status, at its milestone (resolved at resolved,
		// closed at closed), else at the resolution
		at, ok := r.Milestones[done]
		if !ok {
			at = r.Milestones["resolved"]
		}
		if at.IsZero() {
			// over, but the source does not say when: after the last
			// thing it says, with that precision lost
			at = Time{At: latest(out), Precision: incident.PrecisionUnknown}
		}
		e := mk("status:"+done, at, "")
		e.Type, e.Status, e.Key = timeline.Status, done, true
		out = append(out, e)
	}
	slices.SortStableFunc(out[1:], func(a, b timeline.Entry) int { return a.At.Compare(b.At) })
	return out
}

func latest(es []timeline.Entry) time.Time {
	var t time.Time
	for _, e := range es {
		if e.At.After(t) {
			t = e.At
		}
	}
	return t
}

// oneLine joins a text's lines and runs of spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
