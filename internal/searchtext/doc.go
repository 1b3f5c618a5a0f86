package searchtext

import (
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/timeline"
)

// Doc is one incident as the index sees it: the record's text and fields,
// the text of its timeline entries, its postmortem and its attachments.
type Doc struct {
	ID, Title, Summary, Impact string
	Severity                   int
	Status, Kind, Visibility   string
	Tags, Orgs, Services       []string
	People                     []string // roles, responders, paged, entry authors, postmortem authors
	Date                       time.Time
	Timeline                   []Entry // entries with text, in file order
	Postmortem                 *Postmortem
	// Attachments are the attached files with text (internal/attachtext),
	// by name. NewDoc leaves them empty: reading them is the caller's.
	Attachments []Attachment
}

// Attachment is an attached file's name and searchable text.
type Attachment struct {
	Name, Text string
}

// Entry is a timeline entry's text and time.
type Entry struct {
	At   time.Time
	Text string
}

// Restricted reports whether the incident is restricted.
// Like incident.Incident.Restricted, it fails closed.
func (d *Doc) Restricted() bool { return d.Visibility != "public" && d.Visibility != "internal" }

// NewDoc builds the document of an incident. entries and pm may be nil.
func NewDoc(inc *incident.Incident, entries []timeline.Entry, pm *Postmortem) *Doc {
	d := &Doc{ID: inc.ID, Title: inc.Title, Summary: inc.Summary, Impact: inc.Impact, Severity: inc.Severity,
		Status: inc.Status, Kind: inc.EffectiveKind(), Visibility: inc.EffectiveVisibility(),
		Tags: inc.Tags, Orgs: inc.Orgs, Services: inc.Services, Date: incident.DateOf(inc), Postmortem: pm}
	people := map[string]bool{}
	add := func(p string) {
		if p = strings.ToLower(strings.TrimSpace(p)); p != "" && !people[p] {
			people[p] = true
			d.People = append(d.People, p)
		}
	}
	for _, p := range inc.Roles {
		add(p)
	}
	for _, p := range inc.Responders {
		add(p)
	}
	for _, p := range inc.Paged {
		add(p.Person)
	}
	for _, e := range entries {
		add(e.By)
		if t := entryText(e); t != "" {
			d.Timeline = append(d.Timeline, Entry{At: e.At, Text: t})
		}
	}
	if pm != nil {
		for _, p := range pm.People {
			add(p)
		}
	}
	return d
}

// entryText is what a reader of the timeline would search for: the note
// or comment, and the new value of a field.
func entryText(e timeline.Entry) string {
	switch {
	case e.Value != "" && e.Text != "":
		return e.Text + "\n" + e.Value
	case e.Value != "":
		return e.Value
	}
	return e.Text
}

// How much a word says about an incident, by where it is: a word in the
// title or a postmortem heading says more than one in a long timeline.
// sev search boosts its fields by these and the site's index weighs its
// sections by them, so both rank alike.
const (
	WeightTitle   = 3
	WeightHeading = 2   // a postmortem section's heading
	WeightSummary = 1.5 // the summary
	WeightLabels  = 1.5 // tags, services and orgs
	WeightImpact  = 1.2 // the impact
	WeightText    = 1   // a timeline entry or a postmortem section's text
	// WeightAttachment is for the text of an attached file: raw material
	// (a log, an export), whose words say less about what happened than
	// the ones responders wrote.
	WeightAttachment = 0.5
)
