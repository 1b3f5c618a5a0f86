package rule

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// Filtered are the triggers that take a filter (tag-added: security);
// the others are written as plain words.
var Filtered = []string{TagAdded, TagRemoved, RoleAssigned, StatusChanged, SeverityChanged, NoteAdded}

// trigger is one item of a rule's on list: an event type and, optionally,
// a filter on the event.
type trigger struct {
	event string
	match func(ev *Event) bool // nil: every event of the type
	timer *timer               // the wait of a timed trigger
}

// timer is one timed trigger: its kind, wait and, for no-update-for,
// whether only public updates count.
type timer struct {
	event  string
	wait   time.Duration
	public bool
}

func (t trigger) matches(ev *Event) bool {
	return ev.Type == t.event && (t.match == nil || t.match(ev))
}

// triggers reads on: a trigger, or a list of triggers, each a word or a
// mapping from the word to its filter.
func (p *parser) triggers(n *yaml.Node) []trigger {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		var ok bool
		if items, ok = p.sequence(n, "on"); !ok {
			return nil
		}
	}
	var out []trigger
	for i, it := range items {
		where := "on"
		if n.Kind == yaml.SequenceNode {
			where = fmt.Sprintf("on[%d]", i)
		}
		if t, ok := p.trigger(it, where); ok {
			out = append(out, t)
		}
	}
	return out
}

func (p *parser) trigger(n *yaml.Node, where string) (trigger, bool) {
	name, filter := n, (*yaml.Node)(nil)
	if n.Kind == yaml.MappingNode {
		f, ok := p.single(n, where, "trigger")
		if !ok {
			return trigger{}, false
		}
		name, filter = f.key, f.value
	}
	event, ok := p.text(name, where)
	if !ok {
		return trigger{}, false
	}
	if !slices.Contains(Triggers, event) {
		msg := fmt.Sprintf("unknown trigger %q", event)
		if s := yamlfile.Suggest(event, Triggers); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		} else {
			msg += "; use one of " + joinWords(Triggers)
		}
		p.errorf(name, "%s", msg)
		return trigger{}, false
	}
	t := trigger{event: event}
	if slices.Contains(Timed, event) {
		tm, ok := p.timer(event, filter, where+"."+event, name)
		if ok {
			t.timer = &tm
			t.match = func(ev *Event) bool { return ev.For == tm.wait && ev.Public == tm.public }
		}
		return t, ok
	}
	if filter == nil || filter.ShortTag() == "!!null" {
		return t, true
	}
	t.match, ok = p.filter(event, filter, where+"."+event)
	return t, ok
}

// maxWait bounds a timed trigger's wait.
const maxWait = 90 * 24 * time.Hour

// timer reads a timed trigger's wait: a duration (unacknowledged-for:
// 5m), or for no-update-for also {after: 30m, public: true}.
func (p *parser) timer(event string, n *yaml.Node, where string, name *yaml.Node) (timer, bool) {
	t := timer{event: event}
	if n == nil || n.ShortTag() == "!!null" {
		p.errorf(name, "%s needs a wait, e.g. %s: 15m", event, event)
		return t, false
	}
	waitNode := n
	if n.Kind == yaml.MappingNode {
		if event != NoUpdateFor {
			p.errorf(n, "%s takes a wait such as 15m", event)
			return t, false
		}
		f, ok := p.fields(n, where, []string{"after", "public"})
		if !ok {
			return t, false
		}
		a, has := f["after"]
		if !has {
			p.errorf(n, "%s needs after, the wait", where)
			return t, false
		}
		waitNode = a.value
		if v, has := f["public"]; has {
			if t.public, ok = p.boolean(v.value, where+".public"); !ok {
				return t, false
			}
		}
	}
	s, ok := p.text(waitNode, where)
	if !ok {
		return t, false
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Minute || d > maxWait {
		p.errorf(waitNode, "%q is not a wait from 1m to 2160h, such as 15m or 4h", s)
		return t, false
	}
	t.wait = d
	return t, true
}

func (p *parser) filter(event string, n *yaml.Node, where string) (func(*Event) bool, bool) {
	if !slices.Contains(Filtered, event) {
		p.errorf(n, "%s takes no filter; write it as a plain word", event)
		return nil, false
	}
	switch event {
	case TagAdded, TagRemoved:
		tags, ok := p.names(n, where, "tag")
		return func(ev *Event) bool { return slices.Contains(tags, ev.Tag) }, ok
	case RoleAssigned:
		roles, ok := p.names(n, where, "role")
		return func(ev *Event) bool { return slices.Contains(roles, ev.Role) }, ok
	case StatusChanged:
		return p.change(n, where, p.statuses)
	case SeverityChanged:
		return p.change(n, where, p.severities)
	}
	return p.noteFilter(n, where)
}

// names reads a word or list of names of a vocabulary, warning about
// names sev.yaml does not know.
func (p *parser) names(n *yaml.Node, where, kind string) ([]string, bool) {
	items, ok := p.texts(n, where)
	out := make([]string, 0, len(items))
	for _, it := range items {
		p.vocabulary(kind, it)
		out = append(out, it.value)
	}
	return out, ok
}

// change reads the filter of status-changed and severity-changed: the new
// value(s), or a mapping with from and to. read turns the words into the
// values compared with the event's.
func (p *parser) change(n *yaml.Node, where string, read func(*yaml.Node, string) ([]string, bool)) (func(*Event) bool, bool) {
	var from, to []string
	ok := true
	if n.Kind == yaml.MappingNode {
		f, good := p.fields(n, where, []string{"from", "to"})
		if !good {
			return nil, false
		}
		if len(n.Content) == 0 {
			p.errorf(n, "%s needs from, to or both", where)
			return nil, false
		}
		if v, has := f["from"]; has {
			from, good = read(v.value, where+".from")
			ok = ok && good
		}
		if v, has := f["to"]; has {
			to, good = read(v.value, where+".to")
			ok = ok && good
		}
	} else {
		to, ok = read(n, where)
	}
	return func(ev *Event) bool {
		f, t := ev.From, ev.To
		if ev.Type == SeverityChanged {
			f, t = strconv.Itoa(ev.fromLevel), strconv.Itoa(ev.toLevel)
		}
		return (from == nil || slices.Contains(from, f)) && (to == nil || slices.Contains(to, t))
	}, ok
}

// statuses reads configured status names.
func (p *parser) statuses(n *yaml.Node, where string) ([]string, bool) {
	items, ok := p.texts(n, where)
	var out []string
	for _, it := range items {
		if _, known := p.env.Settings.Status(it.value); !known {
			p.diags.Add(p.pos(it.node), "status", "unknown status %q; use one of %s", it.value, joinWords(p.env.Settings.StatusNames()))
			ok = false
		}
		out = append(out, it.value)
	}
	return out, ok
}

// severities reads severity names or levels, as levels in decimal.
func (p *parser) severities(n *yaml.Node, where string) ([]string, bool) {
	items, ok := p.texts(n, where)
	var out []string
	for _, it := range items {
		level, err := p.env.Settings.ParseSeverity(it.value)
		if err != nil {
			p.diags.Add(p.pos(it.node), "severity", "%v", err)
			ok = false
		}
		out = append(out, strconv.Itoa(level))
	}
	return out, ok
}

// noteFilter reads note-added's filter: key, public and milestone.
func (p *parser) noteFilter(n *yaml.Node, where string) (func(*Event) bool, bool) {
	f, ok := p.fields(n, where, []string{"key", "public", "milestone"})
	if !ok {
		return nil, false
	}
	var key, public *bool
	milestone := ""
	for name, v := range f {
		switch name {
		case "key", "public":
			b, good := p.boolean(v.value, where+"."+name)
			ok = ok && good
			if name == "key" {
				key = &b
			} else {
				public = &b
			}
		case "milestone":
			m, good := p.text(v.value, where+".milestone")
			if good && !incident.IsMilestone(m) {
				p.errorf(v.value, "unknown milestone %q; use one of %s", m, joinWords(incident.Milestones))
				good = false
			}
			ok, milestone = ok && good, m
		}
	}
	return func(ev *Event) bool {
		e := ev.entry
		return e != nil && (key == nil || e.Key == *key) && (public == nil || e.Public == *public) &&
			(milestone == "" || e.Milestone == milestone)
	}, ok
}
