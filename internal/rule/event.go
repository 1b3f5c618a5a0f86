package rule

import (
	"slices"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/postmortem"
	"github.com/sev-dev/sev/internal/timeline"
)

// Event is something that happened to an incident that rules can run on.
type Event struct {
	// Type is a trigger: declared, status-changed, ...
	Type string `json:"type"`
	// Key is stable: the id of the entry the event comes from, or
	// "postmortem-overdue". One entry may make several events (a note
	// that marks a milestone also changes the status); they share the key,
	// and a rule runs at most once per key.
	Key string `json:"key"`
	// At is when automation sees the event: when its entry was written
	// (recorded, for a back-dated entry), or the postmortem's deadline.
	At time.Time `json:"at"`
	// By is the entry's author.
	By string `json:"by,omitzero"`
	// For is the wait of a timed trigger (unacknowledged-for: 5m), Public
	// whether no-update-for counts only public updates.
	For    time.Duration `json:"for,omitzero"`
	Public bool          `json:"public,omitzero"`
	// Tag is the tag of tag-added and tag-removed.
	Tag string `json:"tag,omitzero"`
	// Role and Person are the role and its new holder of role-assigned.
	Role   string `json:"role,omitzero"`
	Person string `json:"person,omitzero"`
	// From and To are the status, or the severity's name, before and after
	// status-changed and severity-changed.
	From string `json:"from,omitzero"`
	To   string `json:"to,omitzero"`
	// Round is 0 for an event from the timeline and n for one caused by a
	// rule's action n rounds of chaining later.
	Round int `json:"round,omitzero"`
	// Cause is the rule whose action made the entry of a chained event.
	Cause string `json:"cause,omitzero"`

	entry              *timeline.Entry
	fromLevel, toLevel int
}

// Written reports whether an entry was written by a rule (its id starts
// with "rule-"). Such entries never start events when they are read back:
// Cascade made their events when it planned them.
func Written(e timeline.Entry) bool { return strings.HasPrefix(e.ID, idPrefix) }

// WhenSeen is when automation sees an entry: when it was written down.
func WhenSeen(e timeline.Entry) time.Time {
	if !e.Recorded.IsZero() {
		return e.Recorded
	}
	return e.At
}

// eventsOf lists the events an entry makes, given the record before and
// after it was applied. Changes count, not entries: a tag entry for a tag
// that is already there makes no event, and any entry that moves the status
// (a note marking the mitigated milestone, say) makes status-changed.
func eventsOf(e *timeline.Entry, before, after *incident.Incident, s *config.Settings) []Event {
	ev := func(typ string) Event {
		return Event{Type: typ, Key: e.ID, At: WhenSeen(*e), By: e.By, entry: e}
	}
	if e.Type == timeline.Declared {
		return []Event{ev(Declared)}
	}
	// The changes of status and severity come first: a rule that runs on
	// both a note and a status change sees the status change.
	var out []Event
	if before.Status != after.Status {
		x := ev(StatusChanged)
		x.From, x.To = before.Status, after.Status
		out = append(out, x)
	}
	if before.Severity != after.Severity {
		x := ev(SeverityChanged)
		x.fromLevel, x.toLevel = before.Severity, after.Severity
		x.From, x.To = s.SeverityName(before.Severity), s.SeverityName(after.Severity)
		out = append(out, x)
	}
	switch e.Type {
	case timeline.Note:
		out = append(out, ev(NoteAdded))
	case timeline.Tag, timeline.Untag:
		if was, is := slices.Contains(before.Tags, e.Tag), slices.Contains(after.Tags, e.Tag); was != is {
			x := ev(TagAdded)
			if was {
				x.Type = TagRemoved
			}
			x.Tag = e.Tag
			out = append(out, x)
		}
	case timeline.Assign:
		if before.Roles[e.Role] != after.Roles[e.Role] {
			x := ev(RoleAssigned)
			x.Role, x.Person = e.Role, e.Person
			out = append(out, x)
		}
	}
	return out
}

// overdueEvent is the postmortem-overdue event of an incident at its
// deadline, if the policy sets one and the postmortem was not published
// by then.
func overdueEvent(rec *incident.Incident, pmStatus string, s *config.Settings) (Event, bool) {
	phase := ""
	if st, ok := s.Status(rec.Status); ok {
		phase = st.Phase
	}
	due, ok := postmortem.Deadline(s, rec.Severity, rec.PolicyKind(), phase, rec.Milestones.Resolved)
	if !ok || pmStatus == "published" {
		return Event{}, false
	}
	return Event{Type: PostmortemOverdue, Key: PostmortemOverdue, At: due}, true
}
