package rule

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/timeline"
)

// State is one incident while rules are evaluated: its record, which is
// changed as rules plan entries, the ids of the entries its timeline has
// (and of those planned), and its postmortem's status.
type State struct {
	Record *incident.Incident
	// Present holds the ids of the timeline's entries; planned entries
	// and receipts are added as they are planned.
	Present map[string]bool
	// Postmortem is the postmortem's status, "" when there is none.
	Postmortem string
	// Restricted is whether the incident is restricted now. What is sent
	// out now follows it, whatever the record said when an earlier event
	// happened.
	Restricted bool

	// timeline holds the timeline's entries by id and applied the ids of
	// those applied to Record, so that an action found done already can
	// apply its entry where the first run did (see done).
	timeline map[string]*timeline.Entry
	applied  map[string]bool
}

func (st *State) restricted() bool { return st.Restricted || st.Record.Restricted() }

// NewState is the state of an incident with the record and the timeline's
// entries. The record is copied: evaluation changes its own.
func NewState(rec *incident.Incident, entries []timeline.Entry, postmortem string) *State {
	st := &State{Record: clone(rec), Present: make(map[string]bool, len(entries)), Postmortem: postmortem, Restricted: rec.Restricted()}
	for _, e := range entries {
		st.Present[e.ID] = true
	}
	return st
}

// Cascade runs the rules on events, in order, to a fixed point. Each rule
// runs at most once per event key; its entry actions are applied to the
// state at once (so later steps and rules see them) and become the events
// of the next round. After MaxRounds rounds that still plan something,
// the rest is not planned and the rules involved are reported.
//
// now is when the actions happen (entries' times, who is on call); zero
// means at each event's own time, as when replaying history.
func (s *Set) Cascade(env *Env, st *State, events []Event, now time.Time) ([]Firing, diag.List) {
	fired := map[string]bool{}
	looping := map[string]bool{} // rules that ran on events other rules caused
	var out []Firing
	for round := 0; len(events) > 0; round++ {
		if round == MaxRounds {
			return out, s.loop(st.Record.ID, looping)
		}
		var next []Event
		for i := range events {
			ev := &events[i]
			for _, r := range s.Rules {
				k := r.Name + "\x00" + r.eventKey(ev)
				if fired[k] || !r.runsOn(ev, st.Record) {
					continue
				}
				fired[k] = true
				f, chained, ok := r.fire(env, st, ev, now)
				if ok {
					out = append(out, f)
				}
				if round > 0 {
					looping[r.Name] = true
				}
				next = append(next, chained...)
			}
		}
		events = next
	}
	return out, nil
}

// loop reports the rules that ran on events other rules caused, when the
// rounds ran out with events still to run on.
func (s *Set) loop(id string, looping map[string]bool) diag.List {
	names := slices.Sorted(maps.Keys(looping))
	var diags diag.List
	for _, name := range names {
		r := s.Rule(name)
		if r == nil {
			continue
		}
		diags.Add(diag.Pos{Path: r.Path, Line: 1, Col: 1}, Check,
			"on %s, rules kept triggering each other for %d rounds (%s); the rest was not planned: change their triggers or conditions so that their actions do not start them again",
			id, MaxRounds, joinWords(names))
	}
	return diags
}

// runsOn reports whether the rule runs on the event with the record as it
// is now.
func (r *Rule) runsOn(ev *Event, rec *incident.Incident) bool {
	if !slices.ContainsFunc(r.triggers, func(t trigger) bool { return t.matches(ev) }) {
		return false
	}
	return r.cond == nil || r.cond(rec)
}

// eventKey is what the rule's action keys are made from: the event's key,
// or "once" for a rule that runs once per incident.
func (r *Rule) eventKey(ev *Event) string {
	if r.once {
		return "once"
	}
	return ev.Key
}

// fire plans the rule's steps for one event. A firing whose every step
// was done already (by an earlier run, or for an earlier event of a rule
// that runs once) is not reported: it would say the same thing on every
// run, as the hourly postmortem-overdue check would.
func (r *Rule) fire(env *Env, st *State, ev *Event, now time.Time) (Firing, []Event, bool) {
	at := now
	if at.IsZero() {
		at = ev.At
	}
	c := &planCtx{env: env, rule: r, ev: ev, st: st, at: at, f: &Firing{Rule: r.Name, Event: *ev, Actions: []Action{}}}
	for i, s := range r.steps {
		c.index, c.kind = i, s.kind()
		s.plan(c)
	}
	if len(c.f.Actions) == 0 && c.doneSteps > 0 && c.doneSteps == len(c.f.Notes) {
		return Firing{}, nil, false
	}
	return *c.f, c.chained, true
}

// planCtx is one firing while its steps are planned.
type planCtx struct {
	env     *Env
	rule    *Rule
	ev      *Event
	st      *State
	at      time.Time
	index   int
	kind    string
	f       *Firing
	chained []Event
	// doneSteps counts the notes that say an action was done already.
	doneSteps int
}

func (c *planCtx) key(item string) string {
	return actionKey(c.rule.Name, c.st.Record.ID, c.rule.eventKey(c.ev), c.index, item)
}

func (c *planCtx) note(format string, args ...any) {
	c.f.Notes = append(c.f.Notes, Note{Step: c.index, Kind: c.kind, Text: fmt.Sprintf(format, args...)})
}

// done reports whether the action with the key was done already (its
// entry or receipt is in the timeline), and notes it. An entry that the
// timeline has further on is applied here, where the run that wrote it
// applied it, so the steps and rules after it see the same record.
func (c *planCtx) done(key string) bool {
	id := EntryID(key)
	if !c.st.Present[id] {
		return false
	}
	c.note("already done (%s)", id)
	c.doneSteps++
	if e := c.st.timeline[id]; e != nil && !c.st.applied[id] && e.Type != timeline.Note {
		before := clone(c.st.Record)
		if incident.Apply(c.st.Record, *e, c.env.Settings) == nil {
			c.st.applied[id] = true
			c.chain(e, before)
		} else {
			c.st.Record = before
		}
	}
	return true
}

// chain makes the events of an entry just applied the next round's.
func (c *planCtx) chain(e *timeline.Entry, before *incident.Incident) {
	for _, ev := range eventsOf(e, before, c.st.Record, c.env.Settings) {
		ev.Round, ev.Cause = c.ev.Round+1, c.rule.Name
		c.chained = append(c.chained, ev)
	}
}

func (c *planCtx) entry(key, typ string) timeline.Entry {
	return timeline.Entry{ID: EntryID(key), At: c.at, By: c.env.author(), Type: typ}
}

func (c *planCtx) action(key string, kind Kind) Action {
	return Action{Key: key, Kind: kind, Step: c.index, StepKind: c.kind}
}

// change plans an entry and applies it to the state; the changes it makes
// are the events of the next round.
func (c *planCtx) change(key string, e timeline.Entry) {
	a := c.action(key, KindEntry)
	a.Entry = &e
	before := clone(c.st.Record)
	if err := incident.Apply(c.st.Record, e, c.env.Settings); err != nil {
		c.st.Record = before
		a.Skip = err.Error()
	} else {
		c.st.Present[e.ID] = true
		if c.st.applied != nil {
			c.st.applied[e.ID] = true
		}
		c.chain(&e, before)
	}
	c.f.Actions = append(c.f.Actions, a)
}

// skip plans an action that cannot be done, visibly.
func (c *planCtx) skip(a Action, why string) {
	a.Skip = why
	c.f.Actions = append(c.f.Actions, a)
}

// external plans an action outside the repository with its receipt.
func (c *planCtx) external(a Action, receipt string) {
	r := c.entry(a.Key, timeline.Note)
	r.Text = fmt.Sprintf("Automation rule %s: %s", c.rule.Name, receipt)
	a.Receipt = &r
	c.st.Present[r.ID] = true
	c.f.Actions = append(c.f.Actions, a)
}

// clone copies a record deeply enough that applying entries to the copy
// leaves the original alone.
func clone(in *incident.Incident) *incident.Incident {
	out := *in
	out.Orgs = slices.Clone(in.Orgs)
	out.Services = slices.Clone(in.Services)
	out.Tags = slices.Clone(in.Tags)
	out.Responders = slices.Clone(in.Responders)
	out.Links = slices.Clone(in.Links)
	out.Paged = slices.Clone(in.Paged)
	out.Roles = maps.Clone(in.Roles)
	return &out
}
