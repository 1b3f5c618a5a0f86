package incident

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/timeline"
)

// Apply changes the record as the entry says. It is the only way the CLI
// changes a record, which is what makes a change re-applicable on a newer
// record after a concurrent push.
//
// Statuses and milestones of the same name move together: setting the
// status to "resolved" records the resolved milestone if it is not yet set,
// and recording the mitigated milestone moves an open incident to
// "mitigated". A status never moves backwards because of a milestone.
func Apply(inc *Incident, e timeline.Entry, s *config.Settings) error {
	switch e.Type {
	case timeline.Declared:
		if e.Severity > 0 {
			inc.Severity = e.Severity
		}
		if e.Status != "" {
			inc.Status = e.Status
		}
	case timeline.Note:
	case timeline.Status:
		if next := s.StatusRank(e.Status); next >= 0 && next < s.StatusRank(inc.Status) {
			// Reopened: the milestones of the later statuses no longer
			// hold. The timeline keeps when they were first reached.
			for _, st := range s.Statuses[next+1:] {
				inc.setMilestone(st.Name, timeline.Entry{})
			}
		}
		inc.Status = e.Status
		if IsMilestone(e.Status) && inc.Milestones.Get(e.Status).IsZero() {
			inc.setMilestone(e.Status, e)
		}
	case timeline.Severity:
		inc.Severity = e.Severity
	case timeline.Assign:
		if inc.Roles == nil {
			inc.Roles = map[string]string{}
		}
		inc.Roles[e.Role] = e.Person
	case timeline.Unassign:
		delete(inc.Roles, e.Role)
	case timeline.Tag:
		inc.Tags = addUnique(inc.Tags, e.Tag)
	case timeline.Untag:
		inc.Tags = remove(inc.Tags, e.Tag)
	case timeline.Set:
		if err := inc.setField(e.Field, e.Value); err != nil {
			return err
		}
	case timeline.Add, timeline.Remove:
		list := inc.list(e.Field)
		if list == nil {
			return fmt.Errorf("cannot add to or remove from %q; use one of orgs, services, responders", e.Field)
		}
		if e.Type == timeline.Add {
			*list = addUnique(*list, e.Value)
		} else {
			*list = remove(*list, e.Value)
		}
	case timeline.Link:
		inc.Links = slices.DeleteFunc(inc.Links, func(l Link) bool { return l.URL == e.URL })
		inc.Links = append(inc.Links, Link{Kind: e.Field, URL: e.URL, Title: e.Text})
	case timeline.Unlink:
		inc.Links = slices.DeleteFunc(inc.Links, func(l Link) bool { return l.URL == e.URL })
	case timeline.Attach:
	case timeline.Page:
		inc.Paged = append(inc.Paged, Page{Rotation: e.Rotation, Person: e.Person, At: e.At})
	case timeline.Escalate:
	case timeline.Notify:
		if e.Field == "page" && e.Person != "" && e.Rotation != "" {
			inc.Paged = append(inc.Paged, Page{Rotation: e.Rotation, Person: e.Person, At: e.At})
		}
	default:
		return fmt.Errorf("unknown timeline entry type %q", e.Type)
	}
	if e.Milestone != "" {
		applyMilestone(inc, e, s)
	}
	// Automation (entries "rule-…", written by internal/rule's executor;
	// "f-…", sev watch's notes on failed deliveries) is not a responder,
	// and neither is the author of an imported entry: they worked in
	// another system, often years ago, and may not be a person here.
	if e.By != "" && e.Type != timeline.Declared && e.Type != timeline.Notify && e.Type != timeline.Escalate && !automated(e.ID) && !e.Imported {
		if !slices.Contains(inc.Responders, e.By) && !hasRole(inc, e.By) {
			inc.Responders = append(inc.Responders, e.By)
		}
	}
	return nil
}

func applyMilestone(inc *Incident, e timeline.Entry, s *config.Settings) {
	inc.setMilestone(e.Milestone, e)
	if e.Type == timeline.Status {
		return
	}
	if _, ok := s.Status(e.Milestone); !ok {
		return
	}
	cur, next := s.StatusRank(inc.Status), s.StatusRank(e.Milestone)
	st, _ := s.Status(e.Milestone)
	if next > cur && st.Phase != config.PhaseDeclined {
		inc.Status = e.Milestone
	}
}

// setMilestone records milestone m at e's time, with e's precision.
func (inc *Incident) setMilestone(m string, e timeline.Entry) {
	inc.Milestones.Set(m, e.At)
	switch {
	case e.Precision != "":
		if inc.Precision == nil {
			inc.Precision = map[string]string{}
		}
		inc.Precision[m] = e.Precision
	case inc.Precision != nil:
		delete(inc.Precision, m)
		if len(inc.Precision) == 0 {
			inc.Precision = nil
		}
	}
}

func hasRole(inc *Incident, person string) bool {
	for _, p := range inc.Roles {
		if p == person {
			return true
		}
	}
	return false
}

// SettableFields are the scalar fields a "set" entry may change.
var SettableFields = []string{"title", "summary", "impact", "kind", "visibility", "window"}

func (inc *Incident) setField(field, value string) error {
	switch field {
	case "title":
		inc.Title = value
	case "summary":
		inc.Summary = value
	case "impact":
		inc.Impact = value
	case "kind":
		inc.Kind = value
	case "visibility":
		inc.Visibility = value
	case "window":
		if value == "" {
			inc.Window = nil
			return nil
		}
		w, err := ParseWindow(value)
		if err != nil {
			return err
		}
		inc.Window = w
	default:
		return fmt.Errorf("cannot set %q; settable fields are %v", field, SettableFields)
	}
	return nil
}

func (inc *Incident) list(field string) *[]string {
	switch field {
	case "orgs":
		return &inc.Orgs
	case "services":
		return &inc.Services
	case "responders":
		return &inc.Responders
	}
	return nil
}

func addUnique(xs []string, x string) []string {
	if slices.Contains(xs, x) {
		return xs
	}
	return append(xs, x)
}

func remove(xs []string, x string) []string {
	out := slices.DeleteFunc(slices.Clone(xs), func(y string) bool { return y == x })
	if len(out) == 0 {
		return nil
	}
	return out
}

// EffectiveVisibility is the record's visibility with the default applied,
// read fail-closed: anything but exactly "public" or "internal" (a typo, a
// different case, trailing space, "private") is "restricted", before and
// whether or not validation reports it.
func (inc *Incident) EffectiveVisibility() string {
	switch inc.Visibility {
	case "":
		return "internal"
	case "public", "internal":
		return inc.Visibility
	}
	return "restricted"
}

// EffectiveKind is the record's kind with the default applied.
func (inc *Incident) EffectiveKind() string {
	if inc.Kind == "" {
		return "normal"
	}
	return inc.Kind
}

// Restricted reports whether the incident must be kept out of every output
// that was not explicitly asked to include it.
// Like EffectiveVisibility, it fails closed.
func (inc *Incident) Restricted() bool { return inc.EffectiveVisibility() == "restricted" }

// automated reports whether an entry ID is one automation derives.
func automated(id string) bool { return strings.HasPrefix(id, "rule-") || strings.HasPrefix(id, "f-") }
