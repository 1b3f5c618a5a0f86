// Package respond decides which notifications an incident owes now: the
// steps of its escalation policy that are due, to whom (whoever is on
// call in a rotation at the step's time, a person, whoever holds a role,
// a channel) and through which channel, and the follow-ups a provider
// needs (acknowledge or resolve the alert it was paged with). It writes
// nothing and sends nothing: each Send carries the receipt to commit
// first and the delivery to make after, and a receipt's ID is derived
// from what caused it, so whoever runs the clock — the scheduled
// workflow, sev watch, or two of them — can tell a notification that was
// already claimed.
package respond

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/escalate"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/notify"
	"github.com/sev-dev/sev/internal/rotation"
	"github.com/sev-dev/sev/internal/timeline"
)

// Env is what planning reads besides the incident.
type Env struct {
	Settings  *config.Settings
	Policies  []*escalate.Policy
	Rotations []*rotation.Rotation
	// SiteURL is where the incident library is served, for links; "" for none.
	SiteURL string
	// By is who receipts are written by.
	By string
	// AckURL, when set, makes a signed link that acknowledges an
	// incident as a person; notifications to a person carry it.
	AckURL func(incident, person string) string
}

// Send is one notification that is due.
type Send struct {
	// Receipt is the notify entry to commit before delivering; its ID
	// identifies the notification.
	Receipt timeline.Entry
	// Delivery is what to send once the receipt is committed.
	Delivery notify.Delivery
}

// Problem is something that keeps a due notification from being planned
// (a policy that does not pass validation, a rotation with nobody on
// call): reported, never silently dropped.
type Problem struct {
	Incident string
	Msg      string
}

// directTypes are the channel types that reach a person on their own
// (by default); chat channels reach people only when a level names them
// in via, by mentioning them.
var directTypes = []string{config.ChannelNtfy, config.ChannelEmail, config.ChannelOpsgenie}

// Plan lists the notifications inc owes at now and when it next owes one
// (zero: none is scheduled).
func (env *Env) Plan(rec *incident.Incident, entries []timeline.Entry, now time.Time) (sends []Send, next time.Time, problems []Problem) {
	entries = timeline.Sorted(entries)
	have := map[string]bool{}
	for _, e := range entries {
		have[e.ID] = true
	}
	var start *timeline.Entry
	for i := range entries {
		if entries[i].Type == timeline.Escalate {
			start = &entries[i]
		}
	}
	add := func(s Send) {
		if !have[s.Receipt.ID] {
			have[s.Receipt.ID] = true
			sends = append(sends, s)
		}
	}
	if start != nil {
		pol := env.policy(start.Value)
		if pol == nil {
			problems = append(problems, Problem{rec.ID, fmt.Sprintf("escalation policy %q does not exist or does not pass validation; nobody is being notified", start.Value)})
		} else {
			stop := env.stopped(rec, entries, start.At)
			due, nx := pol.Due(escalate.State{Incident: rec.ID, Start: start.At, Stop: stop}, now)
			next = nx
			for _, step := range due {
				ss, ps := env.step(rec, pol, step)
				problems = append(problems, ps...)
				for _, s := range ss {
					add(s)
				}
			}
		}
	}
	for _, s := range env.followUps(rec, entries) {
		add(s)
	}
	return sends, next, problems
}

func (env *Env) policy(name string) *escalate.Policy {
	for _, p := range env.Policies {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// stopped is when the escalation that started at start stopped: the
// incident acknowledged, no longer active, or a commander assigned, at
// or after start; zero while none of these happened. An incident
// acknowledged before the escalation started stops it at once.
func (env *Env) stopped(rec *incident.Incident, entries []timeline.Entry, start time.Time) time.Time {
	var stop time.Time
	earliest := func(t time.Time) {
		if t.Before(start) {
			t = start
		}
		if stop.IsZero() || t.Before(stop) {
			stop = t
		}
	}
	if t := rec.Milestones.Acknowledged; !t.IsZero() {
		earliest(t)
	}
	if st, ok := env.Settings.Status(rec.Status); ok && st.Phase != config.PhaseActive {
		at := start
		for _, e := range entries {
			if e.Type == timeline.Status && e.Status == rec.Status {
				at = e.At
			}
		}
		earliest(at)
	}
	for _, e := range entries {
		if e.Type == timeline.Assign && e.Role == "commander" && !e.At.Before(start) {
			earliest(e.At)
			break
		}
	}
	return stop
}

// recipient is one person or channel a step reaches.
type recipient struct {
	person, rotation string // person "" for the channel itself
	channel          string
}

// step turns a due step into sends.
func (env *Env) step(rec *incident.Incident, pol *escalate.Policy, step escalate.Step) ([]Send, []Problem) {
	l := &pol.Levels[step.Level]
	var rs []recipient
	var problems []Problem
	people := func(person, rot string) {
		chs := ChannelsFor(env.Settings, person, l.Via)
		for _, ch := range chs {
			rs = append(rs, recipient{person: person, rotation: rot, channel: ch})
		}
		if len(chs) == 0 {
			problems = append(problems, Problem{rec.ID, fmt.Sprintf("%s (level %d of %s) has no contact on any channel; add people[].contacts in sev.yaml", person, step.Level+1, pol.Name)})
		}
	}
	for _, t := range l.Targets() {
		switch t.Kind {
		case "rotation":
			r := env.rotation(t.Name)
			if r == nil {
				problems = append(problems, Problem{rec.ID, fmt.Sprintf("rotation %q (level %d of %s) does not pass validation; nobody from it is notified", t.Name, step.Level+1, pol.Name)})
				continue
			}
			p, _, _, ok := r.At(step.At)
			if !ok {
				problems = append(problems, Problem{rec.ID, fmt.Sprintf("nobody is on call in %s at %s (level %d of %s)", t.Name, step.At.UTC().Format(time.RFC3339), step.Level+1, pol.Name)})
				continue
			}
			people(p, t.Name)
		case "person":
			people(t.Name, "")
		case "role":
			if p := rec.Roles[t.Name]; p != "" {
				people(p, "")
			} else {
				problems = append(problems, Problem{rec.ID, fmt.Sprintf("nobody holds the %s role (level %d of %s)", t.Name, step.Level+1, pol.Name)})
			}
		case "channel":
			rs = append(rs, recipient{channel: t.Name})
		}
	}
	text := fmt.Sprintf("level %d of %s", step.Level+1, pol.Name)
	if step.Pass > 0 {
		text += fmt.Sprintf(", repeat %d", step.Pass)
	}
	var out []Send
	seen := map[recipient]bool{}
	for _, r := range rs {
		if seen[r] {
			continue
		}
		seen[r] = true
		id := receiptID(step.ID, r)
		e := timeline.Entry{ID: id, At: step.At, By: env.By, Type: timeline.Notify, Value: r.channel, Field: "page",
			Person: r.person, Rotation: r.rotation, Text: text}
		m := env.message(rec, id, notify.Page, text, step.At)
		if r.person != "" && env.AckURL != nil {
			m.AckURL = env.AckURL(rec.ID, r.person)
		}
		out = append(out, Send{Receipt: e, Delivery: notify.Delivery{Channel: r.channel, Person: r.person, Message: m}})
	}
	return out, problems
}

// ChannelsFor is the channels that reach a person: via when given (those
// on which they have a contact, mentioned in chat), else every direct
// channel type they have a contact for, the first channel of each type.
func ChannelsFor(s *config.Settings, handle string, via []string) []string {
	p, ok := s.Person(handle)
	if !ok {
		return nil
	}
	c := p.Contacts
	has := map[string]bool{
		config.ChannelNtfy: c.Ntfy != "", config.ChannelEmail: c.Email != "" || p.Email != "", config.ChannelOpsgenie: c.Opsgenie != "",
		config.ChannelSlack: c.Slack != "", config.ChannelTeams: c.Teams != "", config.ChannelDiscord: c.Discord != "",
		config.ChannelGoogleChat: c.GoogleChat != "", config.ChannelPagerDuty: true, config.ChannelWebhook: true,
	}
	var out []string
	if len(via) > 0 {
		for _, name := range via {
			if ch := s.Channel(name); ch != nil && has[ch.Type] {
				out = append(out, name)
			}
		}
		return out
	}
	taken := map[string]bool{}
	for _, ch := range s.Notify.Channels {
		if slices.Contains(directTypes, ch.Type) && has[ch.Type] && !taken[ch.Type] {
			taken[ch.Type] = true
			out = append(out, ch.Name)
		}
	}
	return out
}

func (env *Env) rotation(name string) *rotation.Rotation {
	for _, r := range env.Rotations {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// followUps are the acknowledge and resolve notifications owed to the
// providers that keep an alert (PagerDuty, Opsgenie) for an incident they
// were paged about: once acknowledged in sev, acknowledge there; once no
// longer active, resolve there.
func (env *Env) followUps(rec *incident.Incident, entries []timeline.Entry) []Send {
	paged := map[string]bool{}
	for _, e := range entries {
		if e.Type == timeline.Notify && e.Field == "page" {
			if ch := env.Settings.Channel(e.Value); ch != nil && (ch.Type == config.ChannelPagerDuty || ch.Type == config.ChannelOpsgenie) {
				paged[e.Value] = true
			}
		}
	}
	if len(paged) == 0 {
		return nil
	}
	channels := make([]string, 0, len(paged))
	for c := range paged {
		channels = append(channels, c)
	}
	sort.Strings(channels)
	var out []Send
	follow := func(action notify.Action, at time.Time) {
		for _, ch := range channels {
			id := receiptID(rec.ID+"/"+string(action), recipient{channel: ch})
			e := timeline.Entry{ID: id, At: at, By: env.By, Type: timeline.Notify, Value: ch, Field: string(action)}
			out = append(out, Send{Receipt: e, Delivery: notify.Delivery{Channel: ch, Message: env.message(rec, id, action, "", at)}})
		}
	}
	if t := rec.Milestones.Acknowledged; !t.IsZero() {
		follow(notify.Acknowledge, t)
	}
	if st, ok := env.Settings.Status(rec.Status); ok && st.Phase != config.PhaseActive {
		at := rec.Milestones.Resolved
		if at.IsZero() {
			at = rec.Milestones.Closed
		}
		if at.IsZero() {
			at = entries[len(entries)-1].At
		}
		follow(notify.Resolve, at)
	}
	return out
}

// message is the notification about rec.
func (env *Env) message(rec *incident.Incident, id string, action notify.Action, text string, at time.Time) notify.Message {
	inc := notify.Incident{ID: rec.ID, Title: rec.Title, Severity: rec.Severity, SevName: env.Settings.SeverityName(rec.Severity),
		Status: rec.Status, Restricted: rec.EffectiveVisibility() == "restricted"}
	if env.SiteURL != "" && !inc.Restricted {
		inc.URL = env.SiteURL + "incidents/" + rec.ID + "/"
	}
	return notify.Message{ID: id, Action: action, Incident: inc, Text: text, Detail: rec.Summary, At: at}
}

// receiptID names the receipt of one notification: "n-" and 16 hex
// digits of a hash of the step and the recipient.
func receiptID(step string, r recipient) string {
	h := sha256.Sum256([]byte(step + "\x00" + r.person + "\x00" + r.rotation + "\x00" + r.channel))
	return "n-" + hex.EncodeToString(h[:8])
}
