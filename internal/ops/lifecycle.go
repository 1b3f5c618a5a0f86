package ops

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/rotation"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// changeOf is the change that appends entries to inc.
func changeOf(inc *Incident, entries ...timeline.Entry) *change.Change {
	return &change.Change{Incident: inc.Record.ID, Entries: entries}
}

// Note appends a note, optionally marking a milestone or correcting an
// earlier entry.
type Note struct {
	Text, Milestone, Corrects string
	Key, Public               bool
	At                        time.Time
}

// CheckNote refuses an unknown milestone or an empty note.
func CheckNote(n Note) error {
	if n.Milestone != "" && !incident.IsMilestone(n.Milestone) {
		return inputf("unknown milestone %q; use one of %s", n.Milestone, strings.Join(incident.Milestones, ", "))
	}
	if strings.TrimSpace(n.Text) == "" {
		return inputf("the note is empty")
	}
	return nil
}

func (e *Env) Note(inc *Incident, by string, n Note) (*change.Change, error) {
	if err := CheckNote(n); err != nil {
		return nil, err
	}
	if n.Corrects != "" && !timeline.Has(inc.Entries, n.Corrects) {
		return nil, fmt.Errorf("%s has no timeline entry %q to correct; \"sev show %s --json\" lists the ids", inc.Record.ID, n.Corrects, inc.Record.ID)
	}
	if n.Public && inc.Record.EffectiveVisibility() != "public" {
		e.warn("%s is %s: its public notes are on the status page only once its visibility is public (sev set %s visibility public)",
			inc.Record.ID, inc.Record.EffectiveVisibility(), inc.Record.ID)
	}
	en, err := e.Entry(by, timeline.Note, n.At)
	en.Text, en.Milestone, en.Key, en.Public, en.Corrects = n.Text, n.Milestone, n.Key || n.Milestone != "", n.Public, n.Corrects
	return changeOf(inc, en), err
}

// Ack acknowledges an incident: someone has it, so escalation stops. It
// records the acknowledged milestone with a note; an incident that has
// been acknowledged already is an error that says when.
type Ack struct {
	Note string
	At   time.Time
}

func (e *Env) Ack(inc *Incident, by string, a Ack) (*change.Change, error) {
	if t := inc.Record.Milestones.Acknowledged; !t.IsZero() {
		return nil, &AlreadyError{fmt.Sprintf("%s was acknowledged already, at %s", inc.Record.ID, t.UTC().Format(time.RFC3339))}
	}
	text := strings.TrimSpace(a.Note)
	if text == "" {
		text = "Acknowledged"
	}
	return e.Note(inc, by, Note{Text: text, Milestone: "acknowledged", At: a.At})
}

// Escalate starts an escalation policy (escalations/NAME.yaml) for the
// incident, from At; the caller checks that the policy exists and passes
// validation.
type Escalate struct {
	Policy string
	At     time.Time
}

func (e *Env) Escalate(inc *Incident, by string, x Escalate) (*change.Change, error) {
	if x.Policy == "" {
		return nil, inputf("name the escalation policy (a file in escalations/)")
	}
	if st, ok := e.Settings.Status(inc.Record.Status); ok && st.Phase != config.PhaseActive {
		return nil, fmt.Errorf("%s is %s: there is nobody to escalate to", inc.Record.ID, inc.Record.Status)
	}
	en, err := e.Entry(by, timeline.Escalate, x.At)
	en.Value = x.Policy
	return changeOf(inc, en), err
}

// AlreadyError is a change that was made already (or, for a removal,
// something that is not there): nothing to do, which callers such as an
// acknowledge link report as success and a bulk edit as skipped.
type AlreadyError struct{ msg string }

func (e *AlreadyError) Error() string { return e.msg }

// Status changes the status.
type Status struct {
	Status, Note string
	At           time.Time
}

func (e *Env) Status(inc *Incident, by string, s Status) (*change.Change, error) {
	if _, ok := e.Settings.Status(s.Status); !ok {
		return nil, inputf("unknown status %q; use one of %s", s.Status, strings.Join(e.Settings.StatusNames(), ", "))
	}
	if inc.Record.Status == s.Status {
		return nil, &AlreadyError{fmt.Sprintf("%s is already %s", inc.Record.ID, s.Status)}
	}
	en, err := e.Entry(by, timeline.Status, s.At)
	en.Status, en.Text, en.Key = s.Status, s.Note, true
	return changeOf(inc, en), err
}

// Severity changes the severity; Level is a level or its name (SEV1).
type Severity struct {
	Level, Note string
	At          time.Time
}

func (e *Env) Severity(inc *Incident, by string, s Severity) (*change.Change, error) {
	level, err := e.Settings.ParseSeverity(s.Level)
	if err != nil {
		return nil, inputf("%v", err)
	}
	if level == inc.Record.Severity {
		return nil, &AlreadyError{fmt.Sprintf("%s is already %s", inc.Record.ID, e.Settings.SeverityName(level))}
	}
	en, err := e.Entry(by, timeline.Severity, s.At)
	en.Severity, en.Text, en.Key = level, s.Note, true
	return changeOf(inc, en), err
}

// Assign gives a role to a person, or to whoever is on call in OnCall now,
// or takes it away (Remove).
type Assign struct {
	Role, Person, OnCall string
	Remove               bool
	At                   time.Time
}

func (e *Env) Assign(inc *Incident, by string, a Assign) (*change.Change, error) {
	if a.Remove {
		if _, ok := inc.Record.Roles[a.Role]; !ok {
			return nil, &AlreadyError{fmt.Sprintf("%s has no %s", inc.Record.ID, a.Role)}
		}
		en, err := e.Entry(by, timeline.Unassign, a.At)
		en.Role = a.Role
		return changeOf(inc, en), err
	}
	if roles := e.Settings.Vocabulary("role"); len(roles) > 0 && !slices.Contains(roles, a.Role) {
		msg := fmt.Sprintf("unknown role %q", a.Role)
		if sug := yamlfile.Suggest(a.Role, roles); sug != "" {
			return nil, inputf("%s; did you mean %q?", msg, sug)
		}
		return nil, inputf("%s; use one of %s, or add it to roles in sev.yaml", msg, strings.Join(roles, ", "))
	}
	person, from := strings.TrimPrefix(a.Person, "@"), ""
	if a.OnCall != "" {
		var err error
		if person, from, err = e.onCallNow(a.OnCall); err != nil {
			return nil, err
		}
	}
	if inc.Record.Roles[a.Role] == person {
		return nil, &AlreadyError{fmt.Sprintf("%s is already %s of %s", person, a.Role, inc.Record.ID)}
	}
	en, err := e.Entry(by, timeline.Assign, a.At)
	en.Role, en.Person, en.Rotation = a.Role, person, from
	return changeOf(inc, en), err
}

// onCallNow is who is on call in one rotation now.
func (e *Env) onCallNow(query string) (person, rot string, err error) {
	all, err := e.Rotations()
	if err != nil {
		return "", "", err
	}
	picked, err := rotation.Pick(all, query)
	if err != nil {
		return "", "", inputf("--oncall: %v", err)
	}
	if len(picked) != 1 {
		return "", "", inputf("--oncall %s names %d rotations; name one", query, len(picked))
	}
	p, _, _, ok := picked[0].At(e.Now)
	if !ok {
		return "", "", fmt.Errorf("nobody is on call in %s now", picked[0].Name)
	}
	return p, picked[0].Name, nil
}

// Tags tags an incident, or untags it (Remove); tags it already has (or
// lacks) are skipped.
type Tags struct {
	Tags   []string
	Remove bool
	At     time.Time
}

func (e *Env) Tag(inc *Incident, by string, t Tags) (*change.Change, error) {
	var out []timeline.Entry
	for _, tag := range t.Tags {
		if err := CheckLabel("tag", tag); err != nil {
			return nil, err
		}
		if slices.Contains(inc.Record.Tags, tag) != t.Remove {
			continue
		}
		typ := timeline.Tag
		if t.Remove {
			typ = timeline.Untag
		}
		en, err := e.Entry(by, typ, t.At)
		if err != nil {
			return nil, err
		}
		en.Tag = tag
		out = append(out, en)
	}
	if len(out) == 0 {
		if t.Remove {
			return nil, &AlreadyError{fmt.Sprintf("%s has none of those tags", inc.Record.ID)}
		}
		return nil, &AlreadyError{fmt.Sprintf("%s already has those tags", inc.Record.ID)}
	}
	return changeOf(inc, out...), nil
}

// CheckLabel rejects a tag, org or service name sev.yaml could not list
// (config.LabelRE).
func CheckLabel(kind, s string) error {
	if !config.LabelRE.MatchString(s) {
		return inputf("%q is not a valid %s: use lower-case letters and digits, with dots, dashes or underscores inside (ci.jenkins.io)", s, kind)
	}
	return nil
}

// CheckName rejects names that could not be written to sev.yaml's
// vocabulary later.
func CheckName(kind, s string) error {
	if s == "" || strings.Trim(s, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" || s[0] == '-' {
		return inputf("%q is not a valid %s: use lower-case letters, digits and dashes", s, kind)
	}
	return nil
}

// Set sets a field of the record: title, summary, impact, kind or
// visibility.
type Set struct {
	Field, Value string
	At           time.Time
}

// CheckSet refuses a field that cannot be set or a value it cannot take.
func CheckSet(field, value string) error {
	switch field {
	case "kind":
		if !slices.Contains(incident.Kinds, value) {
			return inputf("unknown kind %q; use one of %s", value, strings.Join(incident.Kinds, ", "))
		}
	case "visibility":
		if !slices.Contains(incident.Visibilities, value) {
			return inputf("unknown visibility %q; use one of %s", value, strings.Join(incident.Visibilities, ", "))
		}
	case "title":
		if strings.TrimSpace(value) == "" {
			return inputf("the title cannot be empty")
		}
	case "window":
		if value == "" {
			return nil // clears it
		}
		if _, err := incident.ParseWindow(value); err != nil {
			return inputf("%v", err)
		}
	case "summary", "impact":
	default:
		return inputf("cannot set %q; use one of %s (tags, roles and severity have their own commands)", field, strings.Join(incident.SettableFields, ", "))
	}
	return nil
}

func (e *Env) Set(inc *Incident, by string, s Set) (*change.Change, error) {
	if err := CheckSet(s.Field, s.Value); err != nil {
		return nil, err
	}
	en, err := e.Entry(by, timeline.Set, s.At)
	en.Field, en.Value = s.Field, s.Value
	return changeOf(inc, en), err
}

// Add adds values to orgs, services or responders, or removes them.
type Add struct {
	Field  string
	Values []string
	Remove bool
	At     time.Time
}

// CheckAdd refuses a field that is not a list.
func CheckAdd(field string) error {
	if field != "orgs" && field != "services" && field != "responders" {
		return inputf("cannot add to %q; use orgs, services or responders", field)
	}
	return nil
}

func (e *Env) Add(inc *Incident, by string, a Add) (*change.Change, error) {
	if err := CheckAdd(a.Field); err != nil {
		return nil, err
	}
	var out []timeline.Entry
	for _, v := range a.Values {
		if a.Field != "responders" && !a.Remove {
			if err := CheckLabel(strings.TrimSuffix(a.Field, "s"), v); err != nil {
				return nil, err
			}
		}
		typ := timeline.Add
		if a.Remove {
			typ = timeline.Remove
		}
		en, err := e.Entry(by, typ, a.At)
		if err != nil {
			return nil, err
		}
		en.Field, en.Value = a.Field, strings.TrimPrefix(v, "@")
		out = append(out, en)
	}
	return changeOf(inc, out...), nil
}

// Link links where the work happens, or removes a link.
type Link struct {
	Kind, URL, Title string
	Remove           bool
	At               time.Time
}

// CheckLink refuses an unknown kind or a URL that is not http(s) or mailto.
func CheckLink(kind, url string) error {
	if !slices.Contains(incident.LinkKinds, kind) {
		return inputf("unknown link kind %q; use one of %s", kind, strings.Join(incident.LinkKinds, ", "))
	}
	if err := incident.CheckURL(url); err != nil {
		return inputf("%v", err)
	}
	return nil
}

func (e *Env) Link(inc *Incident, by string, l Link) (*change.Change, error) {
	if err := CheckLink(l.Kind, l.URL); err != nil {
		return nil, err
	}
	typ := timeline.Link
	if l.Remove {
		typ = timeline.Unlink
		if !slices.ContainsFunc(inc.Record.Links, func(x incident.Link) bool { return x.URL == l.URL }) {
			return nil, &AlreadyError{fmt.Sprintf("%s has no link %s", inc.Record.ID, l.URL)}
		}
	}
	en, err := e.Entry(by, typ, l.At)
	en.Field, en.URL, en.Text = l.Kind, l.URL, l.Title
	return changeOf(inc, en), err
}

// Page records who is on call now in each named rotation (or every
// rotation of a named org).
type Page struct {
	Rotations []string
	At        time.Time
}

func (e *Env) Page(inc *Incident, by string, p Page) (*change.Change, error) {
	when, err := e.Entry(by, timeline.Page, p.At)
	if err != nil {
		return nil, err
	}
	entries, err := e.pages(by, "", p.Rotations, when.At)
	if err != nil {
		return nil, err
	}
	for i := range entries {
		entries[i].Recorded = when.Recorded
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("nobody is on call in %s; nobody was paged", strings.Join(p.Rotations, ", "))
	}
	return changeOf(inc, entries...), nil
}

// pages finds who is on call at t in each named rotation (or every
// rotation of a named org) and makes the page entries. A rotation with
// nobody on call is reported and skipped.
func (e *Env) pages(by, flag string, queries []string, at time.Time) ([]timeline.Entry, error) {
	if len(queries) == 0 {
		return nil, nil
	}
	all, err := e.Rotations()
	if err != nil {
		return nil, err
	}
	var out []timeline.Entry
	for _, q := range queries {
		picked, err := rotation.Pick(all, q)
		if err != nil {
			return nil, inputf("%s%v", flag, err)
		}
		for _, r := range picked {
			person, _, _, ok := r.At(at)
			if !ok {
				e.warn("nobody is on call in %s now; page someone by hand", r.Name)
				continue
			}
			en, err := e.Entry(by, timeline.Page, time.Time{})
			if err != nil {
				return nil, err
			}
			en.At, en.Recorded = at, time.Time{}
			en.Rotation, en.Person = r.Name, person
			out = append(out, en)
		}
	}
	return out, nil
}
