package rule

import (
	"slices"
	"time"

	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/timeline"
)

// Rewind returns the record as the declaration left it, from the record
// now and every entry of its timeline (in the order applied). It undoes
// what entries did where that can be known: a tag first added by an entry
// was not there and one first removed was (the same for orgs, services
// and responders, whom every author becomes); roles, links and milestones
// that entries set were not set; a kind or visibility that a set entry
// changed was the default; pages come from page entries. Severity and
// status come from the declared entry. What no entry recorded (a title
// before a set, who held a role before an unassign) stays as the record
// has it now. Applying every entry to the result gives the record back.
func Rewind(rec *incident.Incident, entries []timeline.Entry) *incident.Incident {
	out := clone(rec)
	t := touchesOf(entries)
	out.Tags = t.list(rec.Tags, "tag")
	out.Orgs = t.list(rec.Orgs, "orgs")
	out.Services = t.list(rec.Services, "services")
	out.Responders = t.list(rec.Responders, "responders")
	for role := range out.Roles {
		if t.touched("role", role) {
			delete(out.Roles, role)
		}
	}
	out.Links = slices.DeleteFunc(out.Links, func(l incident.Link) bool { return t.touched("link", l.URL) })
	if t.touched("set", "kind") {
		out.Kind = ""
	}
	if t.touched("set", "visibility") {
		out.Visibility = ""
	}
	for _, m := range incident.Milestones {
		if t.touched("milestone", m) {
			out.Milestones.Set(m, time.Time{})
		}
	}
	out.Paged = slices.DeleteFunc(out.Paged, func(p incident.Page) bool {
		return slices.ContainsFunc(entries, func(e timeline.Entry) bool {
			return e.Type == timeline.Page && e.Rotation == p.Rotation && e.Person == p.Person && e.At.Equal(p.At)
		})
	})
	if i := slices.IndexFunc(entries, func(e timeline.Entry) bool { return e.Type == timeline.Declared }); i >= 0 {
		if d := entries[i]; d.Severity > 0 {
			out.Severity = d.Severity
		}
		if d := entries[i]; d.Status != "" {
			out.Status = d.Status
		}
	}
	return out
}

// touches records, for each thing entries change, what the first entry
// that changed it did.
type touches struct {
	first map[string]string // kind \x00 value → entry type
	order []string          // keys in the order first touched
}

func (t *touches) add(kind, value, typ string) {
	k := kind + "\x00" + value
	if _, ok := t.first[k]; !ok {
		t.first[k] = typ
		t.order = append(t.order, k)
	}
}

func (t *touches) touched(kind, value string) bool {
	_, ok := t.first[kind+"\x00"+value]
	return ok
}

func touchesOf(entries []timeline.Entry) *touches {
	t := &touches{first: map[string]string{}}
	for _, e := range entries {
		switch e.Type {
		case timeline.Tag, timeline.Untag:
			t.add("tag", e.Tag, e.Type)
		case timeline.Add, timeline.Remove:
			t.add(e.Field, e.Value, e.Type)
		case timeline.Assign, timeline.Unassign:
			t.add("role", e.Role, e.Type)
		case timeline.Link, timeline.Unlink:
			t.add("link", e.URL, e.Type)
		case timeline.Set:
			t.add("set", e.Field, e.Type)
		case timeline.Status:
			if incident.IsMilestone(e.Status) {
				t.add("milestone", e.Status, e.Type)
			}
		}
		if e.Milestone != "" {
			t.add("milestone", e.Milestone, e.Type)
		}
		if e.By != "" && e.Type != timeline.Declared {
			t.add("responders", e.By, timeline.Add)
		}
	}
	return t
}

// list rewinds a list: values no entry touched keep their place, values
// an entry first removed come back after them.
func (t *touches) list(now []string, kind string) []string {
	var out []string
	for _, v := range now {
		if !t.touched(kind, v) {
			out = append(out, v)
		}
	}
	for _, k := range t.order {
		if typ := t.first[k]; (typ == timeline.Untag || typ == timeline.Remove) && len(k) > len(kind) && k[:len(kind)+1] == kind+"\x00" {
			out = append(out, k[len(kind)+1:])
		}
	}
	return out
}
