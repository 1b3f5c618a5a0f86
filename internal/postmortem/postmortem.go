// Package postmortem is the review written after an incident:
// postmortems/<id>.md, YAML front matter (the incident, the review's
// status, its authors and reviewers, the follow-up actions) followed by
// Markdown. It reads and checks postmortems, writes the draft that
// `sev postmortem` pre-fills from the incident's record and timeline, and
// refreshes the generated parts of an existing one without touching what a
// person wrote.
package postmortem

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// Check ids reported by this package.
const (
	CheckPostmortem = "postmortem"
	CheckLink       = "postmortem-link"
	CheckFollowUp   = "followup"
)

// Meta is the front matter.
type Meta struct {
	Incident  string     `yaml:"incident,required" json:"incident"`
	Status    string     `yaml:"status,required" json:"status"`
	Authors   []string   `yaml:"authors" json:"authors,omitzero"`
	Reviewers []string   `yaml:"reviewers" json:"reviewers,omitzero"`
	FollowUps []FollowUp `yaml:"follow-ups" json:"follow-ups,omitzero"`
}

// FollowUp is an action decided in the review.
type FollowUp struct {
	ID    string `yaml:"id,required" json:"id"`
	Title string `yaml:"title,required" json:"title"`
	Owner string `yaml:"owner" json:"owner,omitzero"`
	// Due is a date, YYYY-MM-DD.
	Due    string `yaml:"due" json:"due,omitzero"`
	Type   string `yaml:"type" json:"type,omitzero"`
	Status string `yaml:"status" json:"status,omitzero"`
	// Link points at the tracker issue for the work.
	Link string `yaml:"link" json:"link,omitzero"`
}

// Open reports whether the follow-up still needs doing.
func (f FollowUp) Open() bool { return f.Status == "" || f.Status == "open" }

// DueDate is the follow-up's due date as a day in loc, if it has one.
func (f FollowUp) DueDate(loc *time.Location) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01-02", f.Due, loc)
	return t, err == nil
}

// Doc is a parsed postmortem.
type Doc struct {
	Path string
	Meta Meta
	// Source is the whole file with LF line endings.
	Source []byte
	// Body is the offset in Source where the Markdown starts.
	Body int
	// Front is the front matter's node tree (without the --- lines), kept
	// so an edit can change one field and leave the rest, comments
	// included, as the person wrote it.
	Front *yaml.Node
	dec   *yamlfile.Decoder
	// costly is set when the body would cost a Markdown parser more than
	// linear time (see cost.go): it is then never parsed.
	costly bool
}

// At returns the position of a front matter field ("follow-ups[1].due").
func (d *Doc) At(field string) diag.Pos { return d.dec.At(field) }

// FollowUpIDPattern is the shape of a follow-up id: FU-1, FU-2, ...
var FollowUpIDPattern = regexp.MustCompile(`^FU-[1-9][0-9]{0,5}$`)

// Parse reads a postmortem. The Markdown body is kept as it is; the front
// matter is read strictly, like every YAML file of the repository.
func Parse(path string, data []byte) (*Doc, diag.List) {
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	doc := &Doc{Path: path, Source: data, dec: yamlfile.NewDecoder(path)}
	var diags diag.List
	if !bytes.HasPrefix(data, []byte("---\n")) {
		diags.Add(diag.Pos{Path: path, Line: 1, Col: 1}, CheckPostmortem,
			"a postmortem starts with front matter: a line ---, then at least incident: ID and status: draft, then a line ---")
		return doc, diags
	}
	end := bytes.Index(data[3:], []byte("\n---\n"))
	if end < 0 {
		if bytes.HasSuffix(data, []byte("\n---")) {
			end = len(data) - 4 - 3
		} else {
			diags.Add(diag.Pos{Path: path, Line: 1, Col: 1}, CheckPostmortem,
				"the front matter is not closed: add a line --- after its last field")
			return doc, diags
		}
	}
	front := data[:3+end+1] // from the opening --- (a YAML document start) to the last field's newline
	doc.Body = min(len(data), 3+end+5)
	root, d := yamlfile.Parse(path, front)
	diags.Append(d)
	if root != nil && root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		root = nil
	}
	if root == nil {
		if len(d) == 0 {
			diags.Add(diag.Pos{Path: path, Line: 2, Col: 1}, yamlfile.CheckReq, "the front matter is empty; it needs at least incident: ID and status: draft")
		}
		return doc, diags
	}
	doc.Front = root
	doc.dec.Decode(root, &doc.Meta)
	diags.Append(doc.dec.Diags)
	if pos, msg, bad := costly(path, data[doc.Body:], bytes.Count(data[:doc.Body], []byte("\n"))+1); bad {
		doc.costly = true
		diags.Add(pos, CheckPostmortem, "%s", msg)
	}
	return doc, diags
}

// Check reports what is wrong with a parsed postmortem on its own: the
// front matter's values, and the follow-ups. id is the incident the file
// name says it belongs to. Links to other incidents are checked by
// CheckLinks, which needs the list of incidents.
func Check(doc *Doc, s *config.Settings, id string) diag.List {
	var diags diag.List
	if !doc.dec.Decoded() {
		return diags
	}
	m := &doc.Meta
	if m.Incident != "" && m.Incident != id {
		diags.Add(doc.At("incident"), CheckPostmortem, "this postmortem is %s.md but says incident: %s; a postmortem is named after its incident", id, m.Incident)
	}
	if m.Status != "" && !slices.Contains(config.PostmortemStatuses, m.Status) {
		diags.Add(doc.At("status"), CheckPostmortem, "unknown status %q; use %s", m.Status, strings.Join(config.PostmortemStatuses, ", "))
	}
	// the same rule as an incident's names: nothing is reported while
	// sev.yaml lists no people (people: [], as sev init writes it)
	person := func(field, handle string) { incident.CheckRef(&diags, doc.At(field), s, "person", handle) }
	for i, a := range m.Authors {
		person(fmt.Sprintf("authors[%d]", i), a)
		incident.CheckControl(&diags, func() diag.Pos { return doc.At(fmt.Sprintf("authors[%d]", i)) }, a, false)
	}
	for i, r := range m.Reviewers {
		person(fmt.Sprintf("reviewers[%d]", i), r)
		incident.CheckControl(&diags, func() diag.Pos { return doc.At(fmt.Sprintf("reviewers[%d]", i)) }, r, false)
	}
	seen := map[string]bool{}
	for i, f := range m.FollowUps {
		at := func(field string) diag.Pos { return doc.At(fmt.Sprintf("follow-ups[%d].%s", i, field)) }
		switch {
		case !FollowUpIDPattern.MatchString(f.ID):
			diags.Add(at("id"), CheckFollowUp, "follow-up id %q is not FU-<number> (FU-1, FU-2, ...)", f.ID)
		case seen[f.ID]:
			diags.Add(at("id"), CheckFollowUp, "follow-up %s is listed twice", f.ID)
		}
		seen[f.ID] = true
		if strings.Contains(f.Title, "\n") {
			diags.Add(at("title"), CheckFollowUp, "a follow-up's title is one line")
		} else {
			incident.CheckControl(&diags, func() diag.Pos { return at("title") }, f.Title, false)
		}
		incident.CheckControl(&diags, func() diag.Pos { return at("owner") }, f.Owner, false)
		if f.Owner != "" {
			person(fmt.Sprintf("follow-ups[%d].owner", i), f.Owner)
		}
		if f.Due != "" {
			if _, err := time.Parse("2006-01-02", f.Due); err != nil {
				diags.Add(at("due"), CheckFollowUp, "due must be a date such as 2026-04-01, not %q", f.Due)
			}
		}
		if f.Type != "" && !slices.Contains(config.FollowUpTypes, f.Type) {
			diags.Add(at("type"), CheckFollowUp, "unknown follow-up type %q; use %s", f.Type, strings.Join(config.FollowUpTypes, ", "))
		}
		if f.Status != "" && !slices.Contains(config.FollowUpStatuses, f.Status) {
			diags.Add(at("status"), CheckFollowUp, "unknown follow-up status %q; use %s", f.Status, strings.Join(config.FollowUpStatuses, ", "))
		}
		if f.Link != "" {
			if u, err := url.Parse(f.Link); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				diags.Add(at("link"), CheckFollowUp, "link must be an https:// or http:// address of the tracker issue, not %q", f.Link)
			}
		}
	}
	return diags
}

// Deadline is when an incident's postmortem must be published under the
// policy, given the incident's severity, kind (incident.PolicyKind: an
// imported incident needs none), status phase and resolved time; false
// when it needs none.
func Deadline(s *config.Settings, severity int, kind, phase string, resolved time.Time) (time.Time, bool) {
	if phase != config.PhaseDone || resolved.IsZero() || (kind != "" && kind != "normal" && kind != "backfill") {
		return time.Time{}, false
	}
	days, ok := s.Postmortems.PostmortemDays(severity)
	if !ok || !s.Postmortems.Applies(resolved, s.Location()) {
		return time.Time{}, false
	}
	return resolved.AddDate(0, 0, days), true
}

// FollowUpDue is the day a follow-up is due (midnight at its start, in
// the organisation's time zone): its own due date, or else the day the
// policy's weeks for its type run out after the incident was resolved. It
// is overdue from the next day on.
func FollowUpDue(s *config.Settings, f FollowUp, resolved time.Time) (time.Time, bool) {
	loc := s.Location()
	if t, ok := f.DueDate(loc); ok {
		return t, true
	}
	weeks, ok := s.Postmortems.FollowUpWeeks(f.Type)
	if !ok || resolved.IsZero() || !s.Postmortems.Applies(resolved, loc) {
		return time.Time{}, false
	}
	end := resolved.In(loc).AddDate(0, 0, 7*weeks)
	return time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, loc), true
}

// Overdue reports whether a follow-up due on day is overdue at now, and
// by how many whole days.
func Overdue(day, now time.Time) (bool, int) {
	late := day.AddDate(0, 0, 1)
	if now.Before(late) {
		return false, 0
	}
	return true, int(now.Sub(late)/(24*time.Hour)) + 1
}
