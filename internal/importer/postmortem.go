package importer

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/postmortem"
	"github.com/sev-dev/sev/internal/timeline"
)

// writePostmortem drafts the postmortem of an imported incident from its
// record and timeline (files holds them as the import writes them), then
// writes the source's sections into it and its follow-ups into the front
// matter. A postmortem that exists is left alone: after the first import
// the review is the team's. The result is checked as sev validate would;
// a section that cannot be written is reported and left out, a
// postmortem that does not check is reported and not written.
func writePostmortem(s *config.Settings, read change.ReadFunc, id string, files map[string][]byte, pm *Postmortem, where string) ([]byte, []Problem) {
	var probs []Problem
	bad := func(field, msg string) { probs = append(probs, Problem{Where: where, Field: field, Message: msg}) }
	path := layout.Postmortem(id)
	if _, ok, err := read(path); err != nil || ok {
		return nil, nil
	}
	rec, _, d := incident.Parse(layout.Record(id), files[layout.Record(id)])
	entries, _, d2 := timeline.Parse(layout.Timeline(id), files[layout.Timeline(id)])
	if d.Errors()+d2.Errors() > 0 {
		return nil, nil
	}
	meta := postmortem.Meta{Incident: id, Status: pm.Status}
	if !slices.Contains(config.PostmortemStatuses, meta.Status) {
		if meta.Status != "" {
			bad("postmortem", fmt.Sprintf("unknown review status %q; imported as published", meta.Status))
		}
		meta.Status = "published"
	}
	for _, a := range pm.Authors {
		if a = clean(oneLine(a)); a != "" {
			meta.Authors = append(meta.Authors, handleOf(s, a))
		}
	}
	meta.FollowUps = followUps(s, pm.FollowUps, bad)
	tmpl, _, err := read(postmortem.TemplateFile)
	if err != nil {
		return nil, append(probs, Problem{Where: where, Field: "postmortem", Message: err.Error()})
	}
	body, err := postmortem.Render(postmortem.Input{Settings: s, Record: rec, Entries: entries, Meta: meta}, postmortem.TemplateFile, tmpl)
	if err != nil {
		return nil, append(probs, Problem{Where: where, Field: "postmortem", Message: err.Error()})
	}
	data, err := postmortem.New(meta, body)
	if err != nil {
		return nil, append(probs, Problem{Where: where, Field: "postmortem", Message: err.Error()})
	}
	for _, sec := range pm.Sections {
		out, err := postmortem.SetSection(data, sec.Heading, cleanText(sec.Markdown), false)
		var se *postmortem.SectionError
		switch {
		case errors.As(err, &se) || err != nil:
			bad("postmortem", fmt.Sprintf("section %q left out: %v", oneLine(sec.Heading), err))
		default:
			data = out
		}
	}
	doc, diags := postmortem.Parse(path, data)
	if diags.Errors() == 0 {
		diags.Append(postmortem.Check(doc, s, id))
	}
	diags.Override(s.Levels())
	if diags.Errors() > 0 || int64(len(data)) > s.Limits.Postmortem {
		return nil, append(probs, Problem{Where: where, Field: "postmortem", Message: "not imported: it would not validate or is over limits.postmortem"})
	}
	return data, probs
}

// followUps fits a source's follow-ups to the format, numbering them.
func followUps(s *config.Settings, in []FollowUp, bad func(field, msg string)) []postmortem.FollowUp {
	var out []postmortem.FollowUp
	for _, f := range in {
		title := clean(oneLine(f.Title))
		if title == "" {
			continue
		}
		fu := postmortem.FollowUp{ID: fmt.Sprintf("FU-%d", len(out)+1), Title: cut(title, 300), Due: f.Due}
		if f.Owner = clean(oneLine(f.Owner)); f.Owner != "" {
			fu.Owner = handleOf(s, f.Owner)
		}
		if t := strings.ToLower(f.Type); slices.Contains(config.FollowUpTypes, t) {
			fu.Type = t
		} else if t != "" {
			bad("follow-ups", fmt.Sprintf("type %q of %q is not one of %s; left out", f.Type, title, strings.Join(config.FollowUpTypes, ", ")))
		}
		switch st := strings.ToLower(f.Status); {
		case slices.Contains(config.FollowUpStatuses, st):
			fu.Status = st
		default:
			if st != "" {
				bad("follow-ups", fmt.Sprintf("status %q of %q is not open, done or dropped; imported as open", f.Status, title))
			}
			fu.Status = "open"
		}
		if f.Link != "" {
			if err := incident.CheckURL(f.Link); err != nil || strings.HasPrefix(f.Link, "mailto:") {
				bad("follow-ups", fmt.Sprintf("link %q of %q is not an https or http address; left out", f.Link, title))
			} else {
				fu.Link = f.Link
			}
		}
		out = append(out, fu)
	}
	return out
}

// handleOf is the handle of the person sev.yaml knows by this name,
// email or GitHub login, or the name as the source gave it.
func handleOf(s *config.Settings, name string) string {
	for _, p := range s.People {
		if strings.EqualFold(p.Handle, name) || strings.EqualFold(p.Name, name) || strings.EqualFold(p.Email, name) || strings.EqualFold(p.GitHub, name) {
			return p.Handle
		}
	}
	return name
}
