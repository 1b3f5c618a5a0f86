package rule

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/sev-dev/sev/internal/notify"
	"github.com/sev-dev/sev/internal/respond"
	"github.com/sev-dev/sev/internal/timeline"
)

// KindNotify sends Notify through a channel of sev.yaml.
const KindNotify Kind = "notify"

// Notification is a notify action: one message to one channel, about the
// incident, to a person (their contact on it) or to the channel itself.
type Notification struct {
	Channel  string         `json:"channel"`
	Person   string         `json:"person,omitzero"`
	Rotation string         `json:"rotation,omitzero"`
	Message  notify.Message `json:"message"`
}

// notifyStep notifies targets now: rotation:NAME (whoever is on call),
// person:HANDLE, role:ROLE (whoever holds it), channel:NAME; people through
// the via channels, else every channel that reaches them on its own.
type notifyStep struct {
	to   []string // kind:name
	via  []string
	text *tmpl
}

func (s *notifyStep) kind() string { return "notify" }

// notifyStep reads notify: TARGET, a list of targets, or {to, text, via}.
func (p *parser) notifyStep(n *yaml.Node, where string) step {
	s := &notifyStep{}
	toNode := n
	if n.Kind == yaml.MappingNode {
		f, ok := p.fields(n, where, StepFields["notify"])
		if !ok {
			return nil
		}
		v, has := f["to"]
		if !has {
			p.errorf(n, "%s needs to: the targets (rotation:NAME, person:HANDLE, role:ROLE, channel:NAME)", where)
			return nil
		}
		toNode = v.value
		if t, has := f["text"]; has {
			if s.text = p.template(t.value, where+".text"); s.text == nil {
				return nil
			}
		}
		if v, has := f["via"]; has {
			items, ok := p.texts(v.value, where+".via")
			if !ok {
				return nil
			}
			for _, it := range items {
				if p.env.Settings.Channel(it.value) == nil {
					p.errorf(it.node, "no channel %q in sev.yaml's notify.channels", it.value)
					return nil
				}
				s.via = append(s.via, it.value)
			}
		}
	}
	items, ok := p.texts(toNode, where)
	if !ok {
		return nil
	}
	for _, it := range items {
		kind, name, found := strings.Cut(it.value, ":")
		switch {
		case !found || name == "":
			p.errorf(it.node, "%q is not a target; write rotation:NAME, person:HANDLE, role:ROLE or channel:NAME", it.value)
			ok = false
		case kind == "rotation" && p.env.rotation(name) == nil:
			p.errorf(it.node, "no rotation %q (rotations/%s.yaml is missing or has errors)", name, name)
			ok = false
		case kind == "person":
			if _, known := p.env.Settings.Person(name); !known {
				p.errorf(it.node, "no person %q in sev.yaml's people (a notification needs their contacts)", name)
				ok = false
			}
		case kind == "role":
			p.vocabulary("role", item{name, it.node})
		case kind == "channel" && p.env.Settings.Channel(name) == nil:
			p.errorf(it.node, "no channel %q in sev.yaml's notify.channels", name)
			ok = false
		case kind != "rotation" && kind != "person" && kind != "role" && kind != "channel":
			p.errorf(it.node, "unknown target kind %q; use rotation, person, role or channel", kind)
			ok = false
		}
		s.to = append(s.to, it.value)
	}
	return stepIf(ok, s)
}

func (s *notifyStep) plan(c *planCtx) {
	type recipient struct{ person, rotation, channel string }
	var rs []recipient
	people := func(person, rot string) {
		chs := respond.ChannelsFor(c.env.Settings, person, s.via)
		if len(chs) == 0 {
			c.note("%s has no contact on any channel", person)
		}
		for _, ch := range chs {
			rs = append(rs, recipient{person, rot, ch})
		}
	}
	for _, t := range s.to {
		kind, name, _ := strings.Cut(t, ":")
		switch kind {
		case "rotation":
			p, ok := c.env.onCall(name, c.at)
			if !ok {
				c.note("nobody is on call in %s at %s", name, c.when())
				continue
			}
			people(p, name)
		case "person":
			p, _ := c.env.Settings.Person(name)
			people(p.Handle, "")
		case "role":
			if p := c.st.Record.Roles[name]; p != "" {
				people(p, "")
			} else {
				c.note("nobody holds the %s role", name)
			}
		case "channel":
			rs = append(rs, recipient{channel: name})
		}
	}
	text := ""
	if s.text != nil && !c.st.restricted() {
		var err error
		if text, err = s.text.render(c.view(), plain); err != nil {
			c.note("notify: %v", err)
			return
		}
	}
	rec := c.st.Record
	action := notify.Update
	for _, r := range rs {
		if r.person != "" {
			action = notify.Page
		}
	}
	seen := map[recipient]bool{}
	for _, r := range rs {
		if seen[r] {
			continue
		}
		seen[r] = true
		key := c.key(r.person + "/" + r.channel)
		if c.done(key) {
			continue
		}
		a := c.action(key, KindNotify)
		inc := notify.Incident{ID: rec.ID, Title: rec.Title, Severity: rec.Severity, SevName: c.env.Settings.SeverityName(rec.Severity),
			Status: rec.Status, Restricted: c.st.restricted()}
		if c.env.SiteURL != "" && !inc.Restricted {
			inc.URL = c.env.SiteURL + "incidents/" + rec.ID + "/"
		}
		why := text
		if why == "" {
			why = "rule " + c.rule.Name
		}
		a.Notify = &Notification{Channel: r.channel, Person: r.person, Rotation: r.rotation,
			Message: notify.Message{ID: EntryID(key), Action: action, Incident: inc, Text: why, At: c.at}}
		who := r.channel
		if r.person != "" {
			who = r.person + " via " + r.channel
		}
		c.external(a, "notified "+who)
		// the receipt is a notify entry, as sev watch writes
		last := &c.f.Actions[len(c.f.Actions)-1]
		last.Receipt.Type, last.Receipt.Value, last.Receipt.Field = timeline.Notify, r.channel, string(action)
		last.Receipt.Person, last.Receipt.Rotation = r.person, r.rotation
		last.Receipt.Text = fmt.Sprintf("rule %s", c.rule.Name)
	}
}
