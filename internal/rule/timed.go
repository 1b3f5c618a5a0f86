package rule

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/timeline"
)

// timedEvents are the events of the set's timed triggers for one
// incident that fall due by until, in time order:
//
//   - unacknowledged-for W: W after the declaration, unless acknowledged by then;
//   - open-for W: W after the declaration;
//   - mitigated-for W: W after the mitigated milestone, unless resolved by then;
//   - no-update-for W: W after an update (an entry a person wrote; with
//     public, a public one) with no update since. Replaying the history,
//     every quiet stretch counts; live, only the current one, so a run
//     after a long pause does not fire for stretches long gone.
//
// None fires once the incident has left the active phase, and live (when
// automation runs) none fires for an incident that is not active now: a
// rule added today must not act on every incident that was once open for
// four hours. Each event's key
// names the trigger, the wait and what it counts from, so a rule runs once
// per stretch.
func timedEvents(in Input, s *config.Settings, timers []timer, until time.Time, live bool) []Event {
	if len(timers) == 0 {
		return nil
	}
	rec := in.Record
	ended := endOf(rec, in.Timeline, s)
	if live && !ended.IsZero() {
		return nil // automation acts on incidents that are active now, not on their past
	}
	active := func(t time.Time) bool { return ended.IsZero() || t.Before(ended) }
	start := rec.Milestones.Declared
	for _, e := range in.Timeline {
		if e.Type == timeline.Declared {
			start = e.At
			break
		}
	}
	if start.IsZero() {
		start = incident.DateOf(rec)
	}
	var out []Event
	add := func(tm timer, due time.Time, key string) {
		if !due.After(until) && active(due) {
			out = append(out, Event{Type: tm.event, Key: key, At: due, For: tm.wait, Public: tm.public})
		}
	}
	for _, tm := range timers {
		w := tm.wait.String()
		switch tm.event {
		case UnacknowledgedFor:
			due := start.Add(tm.wait)
			if ack := rec.Milestones.Acknowledged; ack.IsZero() || ack.After(due) {
				add(tm, due, UnacknowledgedFor+"-"+w)
			}
		case OpenFor:
			add(tm, start.Add(tm.wait), OpenFor+"-"+w)
		case MitigatedFor:
			m := rec.Milestones.Mitigated
			if m.IsZero() {
				continue
			}
			due := m.Add(tm.wait)
			if r := rec.Milestones.Resolved; r.IsZero() || r.After(due) {
				add(tm, due, MitigatedFor+"-"+w+"-"+strconv.FormatInt(m.Unix(), 10))
			}
		case NoUpdateFor:
			var updates []timeline.Entry
			for _, e := range in.Timeline {
				if byPerson(e) && (!tm.public || e.Public || e.Type == timeline.Declared) {
					updates = append(updates, e)
				}
			}
			sort.SliceStable(updates, func(i, j int) bool { return updates[i].At.Before(updates[j].At) })
			from := 0
			if live && len(updates) > 0 {
				from = len(updates) - 1
			}
			for i := from; i < len(updates); i++ {
				due := updates[i].At.Add(tm.wait)
				if i+1 < len(updates) && !updates[i+1].At.After(due) {
					continue // updated in time
				}
				key := NoUpdateFor + "-" + w
				if tm.public {
					key += "-public"
				}
				add(tm, due, key+"-"+updates[i].ID)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// byPerson reports whether a person wrote the entry: not a rule, sev
// watch, an alert or a notification's receipt.
func byPerson(e timeline.Entry) bool {
	switch {
	case e.Type == timeline.Notify || e.Type == timeline.Escalate:
		return false
	case e.By == incident.Automation:
		return false
	}
	for _, p := range []string{"rule-", "n-", "f-", "a-"} {
		if strings.HasPrefix(e.ID, p) {
			return false
		}
	}
	return true
}

// endOf is when the incident left the active phase: resolved or closed,
// or the last status entry into a status that is not active; zero while
// it is active.
func endOf(rec *incident.Incident, entries []timeline.Entry, s *config.Settings) time.Time {
	if st, ok := s.Status(rec.Status); !ok || st.Phase == config.PhaseActive {
		return time.Time{}
	}
	var end time.Time
	for _, t := range []time.Time{rec.Milestones.Resolved, rec.Milestones.Closed} {
		if !t.IsZero() && (end.IsZero() || t.Before(end)) {
			end = t
		}
	}
	if end.IsZero() {
		for _, e := range entries {
			if e.Type == timeline.Status && e.Status == rec.Status {
				end = e.At
			}
		}
	}
	return end
}
