package rule

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// step is one compiled step of a rule.
type step interface {
	kind() string
	plan(c *planCtx)
}

// Steps are the step kinds, each written as a one-key mapping in steps.
var Steps = []string{"note", "tag", "untag", "set", "assign", "page", "escalate", "notify", "comment", "mention", "request-reviewers", "label", "issue", "webhook"}

// StepFields are the keys of the steps whose value is a mapping.
var StepFields = map[string][]string{
	"note":              {"text", "key", "public"},
	"set":               {"field", "value"},
	"assign":            {"role", "rotation", "person", "replace"},
	"request-reviewers": {"users", "teams"},
	"issue":             {"title", "body", "labels", "assignees", "repo"},
	"notify":            {"to", "text", "via"},
	"webhook":           webhookFields,
}

func (p *parser) steps(n *yaml.Node) []step {
	items, ok := p.sequence(n, "steps")
	if !ok {
		return nil
	}
	var out []step
	for i, it := range items {
		where := fmt.Sprintf("steps[%d]", i)
		f, ok := p.single(it, where, "step")
		if !ok {
			continue
		}
		kind, ok := p.text(f.key, where)
		if !ok {
			continue
		}
		if !slices.Contains(Steps, kind) {
			msg := fmt.Sprintf("unknown step %q", kind)
			if s := yamlfile.Suggest(kind, Steps); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			} else {
				msg += "; use one of " + joinWords(Steps)
			}
			p.errorf(f.key, "%s", msg)
			continue
		}
		if s := p.step(kind, f.value, where+"."+kind); s != nil {
			out = append(out, s)
		}
	}
	return out
}

func (p *parser) step(kind string, n *yaml.Node, where string) step {
	switch kind {
	case "tag", "untag":
		return p.tagStep(n, where, kind == "untag")
	case "set":
		return p.setStep(n, where)
	case "assign":
		return p.assignStep(n, where)
	case "page":
		rot, ok := p.rotationName(n, where)
		return stepIf(ok, &pageStep{rotation: rot})
	case "notify":
		return p.notifyStep(n, where)
	case "escalate":
		name, ok := p.policyName(n, where)
		return stepIf(ok, &escalateStep{policy: name})
	case "note":
		return p.noteStep(n, where)
	case "comment":
		t := p.template(n, where)
		return stepIf(t != nil, &commentStep{body: t})
	case "mention":
		ws, ok := p.whoList(n, where, true)
		return stepIf(ok, &mentionStep{who: ws})
	case "request-reviewers":
		return p.reviewersStep(n, where)
	case "label":
		labels, ok := p.labels(n, where)
		return stepIf(ok, &labelStep{labels: labels})
	case "issue":
		return p.issueStep(n, where)
	}
	return p.webhookStep(n, where)
}

// stepIf returns s when it was read without errors.
func stepIf(ok bool, s step) step {
	if !ok {
		return nil
	}
	return s
}

// tagStep adds or removes tags, one entry per tag that needs it.
type tagStep struct {
	untag bool
	tags  []string
}

func (s *tagStep) kind() string {
	if s.untag {
		return "untag"
	}
	return "tag"
}

func (p *parser) tagStep(n *yaml.Node, where string, untag bool) step {
	items, ok := p.texts(n, where)
	s := &tagStep{untag: untag}
	for _, it := range items {
		if !config.LabelRE.MatchString(it.value) {
			p.errorf(it.node, "%q is not a tag name: use lower-case letters and digits, with dots, dashes or underscores inside", it.value)
			ok = false
			continue
		}
		p.vocabulary("tag", it)
		s.tags = append(s.tags, it.value)
	}
	return stepIf(ok, s)
}

func (s *tagStep) plan(c *planCtx) {
	typ := timeline.Tag
	if s.untag {
		typ = timeline.Untag
	}
	for _, tag := range s.tags {
		key := c.key(tag)
		if c.done(key) {
			continue
		}
		if slices.Contains(c.st.Record.Tags, tag) != s.untag {
			c.note("%s: already %sged", tag, typ)
			continue
		}
		e := c.entry(key, typ)
		e.Tag = tag
		c.change(key, e)
	}
}

// setStep sets one of the fields sev set changes.
type setStep struct {
	field string
	value *tmpl
}

func (s *setStep) kind() string { return "set" }

func (p *parser) setStep(n *yaml.Node, where string) step {
	f, ok := p.fields(n, where, StepFields["set"])
	if !ok || !p.require(n, where, f, "field", "value") {
		return nil
	}
	field, ok := p.text(f["field"].value, where+".field")
	if ok && !slices.Contains(incident.SettableFields, field) {
		p.errorf(f["field"].value, "%s cannot be set; settable fields are %s (as with sev set)", field, joinWords(incident.SettableFields))
		return nil
	}
	v := f["value"].value
	if field == "kind" || field == "visibility" || field == "window" {
		if strings.Contains(v.Value, "{{") {
			p.errorf(v, "%s.value: %s takes a plain value, not a template", where, field)
			return nil
		}
		if err := checkSetValue(field, v.Value); err != nil {
			p.errorf(v, "%s.value: %v", where, err)
			return nil
		}
	}
	t := p.template(v, where+".value")
	return stepIf(ok && t != nil, &setStep{field: field, value: t})
}

func (s *setStep) plan(c *planCtx) {
	key := c.key("")
	if c.done(key) {
		return
	}
	value, err := s.value.render(c.view(), plain)
	if err == nil {
		err = checkSetValue(s.field, value)
	}
	if err != nil {
		c.skip(c.action(key, KindEntry), fmt.Sprintf("%s: %v", s.field, err))
		return
	}
	if s.field == "window" && value != "" {
		// the same times written otherwise ("Z" or "+01:00", spaces
		// around the "/") are the same window
		w, _ := incident.ParseWindow(value) // checkSetValue read it
		if w.Same(c.st.Record.Window) {
			c.note("window is already %s", c.st.Record.Window)
			return
		}
		value = w.String()
	} else if fieldValue(c.st.Record, s.field) == value {
		c.note("%s is already %q", s.field, value)
		return
	}
	e := c.entry(key, timeline.Set)
	e.Field, e.Value = s.field, value
	c.change(key, e)
}

// assignStep gives a role to a person, or to whoever is on call in a
// rotation at the time.
type assignStep struct {
	role, rotation, person string
	replace                bool
}

func (s *assignStep) kind() string { return "assign" }

func (p *parser) assignStep(n *yaml.Node, where string) step {
	f, ok := p.fields(n, where, StepFields["assign"])
	if !ok || !p.require(n, where, f, "role") {
		return nil
	}
	s := &assignStep{}
	role, ok := p.text(f["role"].value, where+".role")
	s.role = role
	p.vocabulary("role", item{role, f["role"].value})
	_, hasRot := f["rotation"]
	_, hasPerson := f["person"]
	if hasRot == hasPerson {
		p.errorf(n, "%s needs either rotation (whoever is on call) or person", where)
		return nil
	}
	if hasRot {
		var good bool
		s.rotation, good = p.rotationName(f["rotation"].value, where+".rotation")
		ok = ok && good
	} else {
		person, good := p.text(f["person"].value, where+".person")
		s.person = strings.TrimPrefix(person, "@")
		p.vocabulary("person", item{s.person, f["person"].value})
		ok = ok && good
	}
	if v, has := f["replace"]; has {
		var good bool
		s.replace, good = p.boolean(v.value, where+".replace")
		ok = ok && good
	}
	return stepIf(ok, s)
}

func (s *assignStep) plan(c *planCtx) {
	key := c.key("")
	if c.done(key) {
		return
	}
	person := s.person
	if s.rotation != "" {
		var ok bool
		if person, ok = c.env.onCall(s.rotation, c.at); !ok {
			c.skip(c.action(key, KindEntry), fmt.Sprintf("nobody is on call in %s at %s", s.rotation, c.when()))
			return
		}
	}
	switch holder := c.st.Record.Roles[s.role]; {
	case holder == person:
		c.note("%s is already %s", person, s.role)
		return
	case holder != "" && !s.replace:
		c.note("%s is already held by %s (replace: true gives it to %s)", s.role, holder, person)
		return
	}
	e := c.entry(key, timeline.Assign)
	e.Role, e.Person, e.Rotation = s.role, person, s.rotation
	c.change(key, e)
}

// escalateStep starts an escalation policy, as sev escalate: sev watch
// notifies its levels. An escalation of the same policy that is already
// running is not started again.
type escalateStep struct {
	policy string
}

func (s *escalateStep) kind() string { return "escalate" }

func (s *escalateStep) plan(c *planCtx) {
	key := c.key("")
	if c.done(key) {
		return
	}
	if st, ok := c.env.Settings.Status(c.st.Record.Status); ok && st.Phase != config.PhaseActive {
		c.note("%s is %s: no escalation", c.st.Record.ID, c.st.Record.Status)
		return
	}
	if !c.st.Record.Milestones.Acknowledged.IsZero() {
		c.note("%s is acknowledged already: no escalation", c.st.Record.ID)
		return
	}
	e := c.entry(key, timeline.Escalate)
	e.Value = s.policy
	c.change(key, e)
}

// pageStep pages whoever is on call in a rotation, as sev declare --page.
type pageStep struct {
	rotation string
}

func (s *pageStep) kind() string { return "page" }

func (s *pageStep) plan(c *planCtx) {
	key := c.key("")
	if c.done(key) {
		return
	}
	person, ok := c.env.onCall(s.rotation, c.at)
	if !ok {
		c.skip(c.action(key, KindEntry), fmt.Sprintf("nobody is on call in %s at %s", s.rotation, c.when()))
		return
	}
	if slices.ContainsFunc(c.st.Record.Paged, func(pg incident.Page) bool { return pg.Rotation == s.rotation && pg.Person == person }) {
		c.note("%s was already paged from %s", person, s.rotation)
		return
	}
	e := c.entry(key, timeline.Page)
	e.Rotation, e.Person = s.rotation, person
	c.change(key, e)
}

// noteStep appends a note to the timeline.
type noteStep struct {
	text        *tmpl
	key, public bool
}

func (s *noteStep) kind() string { return "note" }

func (p *parser) noteStep(n *yaml.Node, where string) step {
	if n.Kind != yaml.MappingNode {
		t := p.template(n, where)
		return stepIf(t != nil, &noteStep{text: t})
	}
	f, ok := p.fields(n, where, StepFields["note"])
	if !ok || !p.require(n, where, f, "text") {
		return nil
	}
	s := &noteStep{text: p.template(f["text"].value, where+".text")}
	ok = s.text != nil
	for name, dst := range map[string]*bool{"key": &s.key, "public": &s.public} {
		if v, has := f[name]; has {
			b, good := p.boolean(v.value, where+"."+name)
			*dst, ok = b, ok && good
		}
	}
	return stepIf(ok, s)
}

func (s *noteStep) plan(c *planCtx) {
	key := c.key("")
	if c.done(key) {
		return
	}
	text, err := s.text.render(c.view(), plain)
	if err == nil && strings.TrimSpace(text) == "" {
		err = fmt.Errorf("the text is empty")
	}
	if err != nil {
		c.skip(c.action(key, KindEntry), fmt.Sprintf("note: %v", err))
		return
	}
	e := c.entry(key, timeline.Note)
	e.Text, e.Key, e.Public = text, s.key, s.public
	c.change(key, e)
}

// rotationName reads the name of a rotation that exists.
// policyName reads an escalation policy's name and checks that it passes
// validation (Env.Escalations).
func (p *parser) policyName(n *yaml.Node, where string) (string, bool) {
	name, ok := p.text(n, where)
	if !ok {
		return "", false
	}
	if !slices.Contains(p.env.Escalations, name) {
		msg := fmt.Sprintf("no escalation policy %q (escalations/%s.yaml is missing or has errors; sev validate says which)", name, name)
		if s := yamlfile.Suggest(name, p.env.Escalations); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		p.errorf(n, "%s", msg)
		return "", false
	}
	return name, true
}

func (p *parser) rotationName(n *yaml.Node, where string) (string, bool) {
	name, ok := p.text(n, where)
	if !ok {
		return "", false
	}
	if p.env.rotation(name) == nil {
		names := make([]string, len(p.env.Rotations))
		for i, r := range p.env.Rotations {
			names[i] = r.Name
		}
		msg := fmt.Sprintf("no rotation %q (rotations/%s.yaml is missing or has errors; sev validate says which)", name, name)
		if s := yamlfile.Suggest(name, names); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		p.errorf(n, "%s", msg)
		return "", false
	}
	return name, true
}

// view is the template view of the incident as it is now.
func (c *planCtx) view() *view {
	return newView(c.env, c.st.Record, c.st.restricted(), c.ev, c.rule.Name)
}

// when is the time of the actions in the organisation's time zone, for
// messages.
func (c *planCtx) when() string {
	return c.at.In(c.env.Settings.Location()).Format("2006-01-02 15:04 MST")
}
