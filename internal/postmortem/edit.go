package postmortem

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/sev-dev/sev/internal/yamlfile"
)

// New is a postmortem file: the front matter for meta, then body.
func New(meta Meta, body []byte) ([]byte, error) {
	front, err := yamlfile.Encode(meta)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("---\n")
	b.Write(front)
	b.WriteString("---\n\n")
	b.Write(bytes.TrimLeft(body, "\n"))
	return b.Bytes(), nil
}

// Bytes writes the document back: the front matter from its (possibly
// edited) node tree, comments and field order kept, then body.
func (d *Doc) Bytes(body []byte) ([]byte, error) {
	if d.Front == nil {
		return nil, fmt.Errorf("%s has no front matter to write", d.Path)
	}
	var front bytes.Buffer
	enc := yaml.NewEncoder(&front)
	enc.SetIndent(2)
	if err := enc.Encode(d.Front); err != nil {
		return nil, fmt.Errorf("encode the front matter of %s: %w", d.Path, err)
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("---\n")
	b.Write(front.Bytes())
	b.WriteString("---\n")
	b.Write(body)
	return b.Bytes(), nil
}

// BodyBytes is the Markdown after the front matter.
func (d *Doc) BodyBytes() []byte { return d.Source[d.Body:] }

// SetStatus sets the review's status.
func (d *Doc) SetStatus(status string) {
	d.set(d.Front, "status", yamlfile.Node(status))
	d.Meta.Status = status
}

// AddPeople adds handles to authors or reviewers, once each.
func (d *Doc) AddPeople(field string, handles []string) {
	list := &d.Meta.Authors
	if field == "reviewers" {
		list = &d.Meta.Reviewers
	}
	for _, h := range handles {
		if slices.Contains(*list, h) {
			continue
		}
		*list = append(*list, h)
		seq := d.sequence(field, yaml.FlowStyle)
		seq.Content = append(seq.Content, yamlfile.Node(h))
	}
}

// NextFollowUpID is the id a new follow-up gets: one more than the
// highest so far.
func (d *Doc) NextFollowUpID() string {
	n := 0
	for _, f := range d.Meta.FollowUps {
		if FollowUpIDPattern.MatchString(f.ID) {
			v, _ := strconv.Atoi(strings.TrimPrefix(f.ID, "FU-"))
			n = max(n, v)
		}
	}
	return fmt.Sprintf("FU-%d", n+1)
}

// AddFollowUp appends a follow-up.
func (d *Doc) AddFollowUp(f FollowUp) {
	d.Meta.FollowUps = append(d.Meta.FollowUps, f)
	seq := d.sequence("follow-ups", 0)
	seq.Style = 0 // a list of mappings reads best in block style
	seq.Content = append(seq.Content, yamlfile.Node(f))
}

// SetFollowUpStatus changes one follow-up's status.
func (d *Doc) SetFollowUpStatus(id, status string) error {
	i := slices.IndexFunc(d.Meta.FollowUps, func(f FollowUp) bool { return strings.EqualFold(f.ID, id) })
	if i < 0 {
		var ids []string
		for _, f := range d.Meta.FollowUps {
			ids = append(ids, f.ID)
		}
		if len(ids) == 0 {
			return fmt.Errorf("%s has no follow-ups", d.Path)
		}
		return fmt.Errorf("%s has no follow-up %s; it has %s", d.Path, id, strings.Join(ids, ", "))
	}
	d.Meta.FollowUps[i].Status = status
	seq := d.value(d.Front, "follow-ups")
	if seq == nil || seq.Kind != yaml.SequenceNode || i >= len(seq.Content) || seq.Content[i].Kind != yaml.MappingNode {
		return fmt.Errorf("%s: follow-ups is not a list of mappings", d.Path)
	}
	d.set(seq.Content[i], "status", yamlfile.Node(status))
	return nil
}

// value is the node under key in a mapping, or nil.
func (d *Doc) value(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// set replaces (or adds) key's value in a mapping, keeping the comment
// written after the old value.
func (d *Doc) set(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			old := m.Content[i+1]
			v.LineComment, v.HeadComment, v.FootComment = old.LineComment, old.HeadComment, old.FootComment
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, yamlfile.Node(key), v)
}

// sequence returns the list under key, creating it (or replacing an
// empty value) in the given style as needed.
func (d *Doc) sequence(key string, style yaml.Style) *yaml.Node {
	if v := d.value(d.Front, key); v != nil && v.Kind == yaml.SequenceNode {
		return v
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: style}
	d.set(d.Front, key, seq)
	return seq
}
