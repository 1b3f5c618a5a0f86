package rule

import (
	"time"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/timeline"
)

// Input is one incident as automation reads it from the repository.
type Input struct {
	Record *incident.Incident
	// Timeline is the timeline's entries in the file's order, which is
	// the order they were applied in.
	Timeline []timeline.Entry
	// Postmortem is the postmortem's status, "" when there is none.
	Postmortem string
}

// Automate plans what automation does now about the entries whose ids
// are in fresh (the entries a push brought). Every entry of the timeline
// counts as done, so actions whose entry or receipt is there are not
// planned again. The postmortem-overdue event is checked at now.
func (s *Set) Automate(env *Env, in Input, fresh []string, now time.Time) (*Plan, diag.List) {
	set := make(map[string]bool, len(fresh))
	for _, id := range fresh {
		set[id] = true
	}
	isNew := func(e *timeline.Entry) bool { return set[e.ID] }
	return s.walk(env, in, isNew, now, now, true)
}

// Replay plans what the rules would have done over the incident's whole
// history up to until: every entry in the order it was written, with the
// record as it was then, on-call rotations and entry times at the moment
// it was written (its recorded time, for a back-dated entry), and
// postmortem-overdue at the policy's deadline when the postmortem is not
// published (when it was published is not recorded, so a postmortem
// published late does not count as overdue). What the rules plan is
// applied as the history goes on, as if the automation had run.
func (s *Set) Replay(env *Env, in Input, until time.Time) (*Plan, diag.List) {
	all := func(*timeline.Entry) bool { return true }
	return s.walk(env, in, all, time.Time{}, until, false)
}

// walk applies the timeline to the record its declaration implies and
// runs the rules on the events of the entries isEvent selects. now is the
// time of the actions (zero: each event's own); until is the end of the
// history; live marks every entry of the timeline as present from the
// start, as it is when automation runs.
func (s *Set) walk(env *Env, in Input, isEvent func(*timeline.Entry) bool, now, until time.Time, live bool) (*Plan, diag.List) {
	st := &State{Record: Rewind(in.Record, in.Timeline), Present: map[string]bool{}, Postmortem: in.Postmortem,
		Restricted: in.Record.Restricted(), timeline: map[string]*timeline.Entry{}, applied: map[string]bool{}}
	if live {
		for i, e := range in.Timeline {
			st.Present[e.ID] = true
			st.timeline[e.ID] = &in.Timeline[i]
		}
	}
	w := &walker{set: s, env: env, st: st, now: now,
		plan: &Plan{Incident: in.Record.ID, Restricted: in.Record.Restricted(), Firings: []Firing{}}}
	overdue, hasOverdue := overdueEvent(in.Record, in.Postmortem, env.Settings)
	timed := timedEvents(in, env.Settings, s.timers(), until, live)
	for i := range in.Timeline {
		e := &in.Timeline[i]
		if !live && WhenSeen(*e).After(until) {
			break
		}
		if hasOverdue && !live && overdue.At.Before(WhenSeen(*e)) {
			w.run([]Event{overdue})
			hasOverdue = false
		}
		for !live && len(timed) > 0 && timed[0].At.Before(WhenSeen(*e)) {
			w.run(timed[:1])
			timed = timed[1:]
		}
		w.apply(e, isEvent(e))
	}
	if hasOverdue && overdue.At.Before(until) {
		w.run([]Event{overdue})
	}
	for _, ev := range timed {
		w.run([]Event{ev})
	}
	return w.plan, w.diags
}

// walker is one incident's history being replayed. Entries applied to
// the record, read or planned, are in st.applied.
type walker struct {
	set   *Set
	env   *Env
	st    *State
	now   time.Time
	plan  *Plan
	diags diag.List
}

// apply applies one entry of the timeline and, if it is an event, runs
// the rules on it. An entry a rule wrote was planned (and applied) by the
// replay already when the rule still plans it.
func (w *walker) apply(e *timeline.Entry, event bool) {
	w.st.Present[e.ID] = true
	if w.st.applied[e.ID] {
		return
	}
	w.st.applied[e.ID] = true
	before := clone(w.st.Record)
	if err := incident.Apply(w.st.Record, *e, w.env.Settings); err != nil {
		w.diags.Warn(diag.Pos{Path: layout.Timeline(w.plan.Incident)}, Check, "entry %s was left out of the replay: %v", e.ID, err)
		return
	}
	if event && !Written(*e) {
		w.run(eventsOf(e, before, w.st.Record, w.env.Settings))
	}
}

func (w *walker) run(events []Event) {
	firings, diags := w.set.Cascade(w.env, w.st, events, w.now)
	w.diags.Append(diags)
	w.plan.Firings = append(w.plan.Firings, firings...)
}
