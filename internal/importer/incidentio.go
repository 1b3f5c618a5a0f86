package importer

import (
	"cmp"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
)

// IncidentIO reads incident.io's API v2 responses: GET /v2/incidents
// ({"incidents": [...]}), GET /v2/incident_updates ({"incident_updates":
// [...]}) and GET /v2/follow_ups ({"follow_ups": [...]}). PATH is a folder
// with incidents*.json, incident_updates*.json and follow_ups*.json (the
// pages of each list), or one file holding the three arrays.
type IncidentIO struct {
	// Declined is the status a declined, canceled or merged incident gets:
	// the first configured status of phase declined.
	Declined string
}

type ioIncident struct {
	ID             string       `json:"id"`
	Reference      string       `json:"reference"`
	Name           string       `json:"name"`
	Summary        string       `json:"summary"`
	Permalink      string       `json:"permalink"`
	CreatedAt      string       `json:"created_at"`
	Mode           string       `json:"mode"`
	Visibility     string       `json:"visibility"`
	Status         *ioStatus    `json:"incident_status"`
	Severity       *ioSeverity  `json:"severity"`
	IncidentType   *named       `json:"incident_type"`
	Creator        *ioActor     `json:"creator"`
	Roles          []ioRole     `json:"incident_role_assignments"`
	Timestamps     []ioStampVal `json:"incident_timestamp_values"`
	PostmortemURL  string       `json:"postmortem_document_url"`
	SlackChannelID string       `json:"slack_channel_id"`
}

type ioStatus struct {
	Name     string `json:"name"`
	Category string `json:"category"`
}

type ioSeverity struct {
	Name string `json:"name"`
	Rank int    `json:"rank"`
}

type ioActor struct {
	User *named `json:"user"`
}

func (a *ioActor) label() string {
	if a == nil {
		return ""
	}
	return a.User.label()
}

type ioRole struct {
	Role     *named `json:"role"`
	Assignee *named `json:"assignee"`
}

type ioStampVal struct {
	Timestamp *named `json:"incident_timestamp"`
	Value     *struct {
		Value string `json:"value"`
	} `json:"value"`
}

type ioUpdate struct {
	ID          string      `json:"id"`
	IncidentID  string      `json:"incident_id"`
	Message     string      `json:"message"`
	NewStatus   *ioStatus   `json:"new_incident_status"`
	NewSeverity *ioSeverity `json:"new_severity"`
	Updater     *ioActor    `json:"updater"`
	CreatedAt   string      `json:"created_at"`
}

type ioFollowUp struct {
	ID          string `json:"id"`
	IncidentID  string `json:"incident_id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Status      string `json:"status"`
	Assignee    *named `json:"assignee"`
	External    *struct {
		Permalink string `json:"issue_permalink"`
	} `json:"external_issue_reference"`
}

type ioExport struct {
	Incidents []ioIncident `json:"incidents"`
	Updates   []ioUpdate   `json:"incident_updates"`
	FollowUps []ioFollowUp `json:"follow_ups"`
}

// Read reads a folder or one file, as the type's comment says.
func (x IncidentIO) Read(fsys fs.FS, name string) ([]Record, []Problem, error) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, nil, err
	}
	var all ioExport
	files := []string{name}
	if st.IsDir() {
		if files, err = fs.Glob(fsys, path.Join(name, "*.json")); err != nil {
			return nil, nil, err
		}
		if len(files) == 0 {
			return nil, nil, fmt.Errorf("%s holds no .json files (incidents*.json, incident_updates*.json, follow_ups*.json)", name)
		}
	}
	where := map[string]string{}
	for _, f := range files {
		var part ioExport
		if err := readJSON(fsys, f, &part); err != nil {
			return nil, nil, err
		}
		for i, inc := range part.Incidents {
			where[inc.ID] = fmt.Sprintf("%s: incidents[%d]", f, i)
		}
		all.Incidents = append(all.Incidents, part.Incidents...)
		all.Updates = append(all.Updates, part.Updates...)
		all.FollowUps = append(all.FollowUps, part.FollowUps...)
	}
	updates := map[string][]ioUpdate{}
	for _, u := range all.Updates {
		updates[u.IncidentID] = append(updates[u.IncidentID], u)
	}
	followUps := map[string][]ioFollowUp{}
	for _, f := range all.FollowUps {
		followUps[f.IncidentID] = append(followUps[f.IncidentID], f)
	}
	var recs []Record
	var probs []Problem
	for _, inc := range all.Incidents {
		r, ps := x.record(inc, where[inc.ID], updates[inc.ID], followUps[inc.ID])
		recs = append(recs, r)
		probs = append(probs, ps...)
	}
	return recs, probs, nil
}

var (
	levelRE = regexp.MustCompile(`(?i)^\s*(?:sev|p|severity)\s*-?\s*(\d)\b`)
	// ioWords names severities by word, most severe first
	ioWords = map[string]int{"critical": 1, "major": 2, "minor": 3}
)

// ioLevel maps an incident.io severity to a level: SEV1/P1-style names
// by their number, critical/major/minor by word; 0 (the least severe)
// otherwise.
func ioLevel(s *ioSeverity) int {
	if s == nil {
		return 0
	}
	if m := levelRE.FindStringSubmatch(s.Name); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	if n, ok := ioWords[strings.ToLower(strings.TrimSpace(s.Name))]; ok {
		return -n
	}
	return 0
}

// ioMilestone maps the names of incident.io's timestamps to milestones.
func ioMilestone(name string) string {
	n := strings.ToLower(name)
	for _, m := range []struct{ word, milestone string }{
		{"impact start", "started"}, {"started", "started"}, {"detect", "detected"}, {"reported", "detected"},
		{"accepted", "acknowledged"}, {"acknowledg", "acknowledged"}, {"mitigat", "mitigated"},
		{"resolv", "resolved"}, {"closed", "closed"},
	} {
		if strings.Contains(n, m.word) {
			return m.milestone
		}
	}
	return ""
}

func (x IncidentIO) record(inc ioIncident, where string, ups []ioUpdate, fus []ioFollowUp) (Record, []Problem) {
	var probs []Problem
	bad := func(field, msg string) { probs = append(probs, Problem{Where: where, Field: field, Message: msg}) }
	r := Record{Where: where, Title: inc.Name, Summary: inc.Summary, Milestones: map[string]Time{}}
	r.Source = incident.Source{System: "incident-io", ID: inc.ID, URL: inc.Permalink}
	// incident.io's "public" means everyone in the organisation; a
	// private incident is restricted to those invited.
	switch inc.Visibility {
	case "private":
		r.Visibility = "restricted"
	case "public", "":
		r.Visibility = "internal"
	default:
		bad("visibility", fmt.Sprintf("unknown visibility %q; imported as restricted", inc.Visibility))
		r.Visibility = "restricted"
	}
	switch inc.Mode {
	case "test", "tutorial":
		r.Kind = "drill"
	case "retrospective":
		r.Kind = "backfill"
	}
	r.Severity = ioLevel(inc.Severity)
	if inc.IncidentType != nil {
		r.Tags = append(r.Tags, inc.IncidentType.label())
	}
	if inc.Reference != "" {
		r.Tags = append(r.Tags, strings.ToLower(inc.Reference))
	}
	r.Declared = stamp(inc.CreatedAt, "created_at", bad)
	r.Author = inc.Creator.label()
	for i, tv := range inc.Timestamps {
		if tv.Timestamp == nil || tv.Value == nil || tv.Value.Value == "" {
			continue
		}
		if m := ioMilestone(tv.Timestamp.label()); m != "" {
			if t := stamp(tv.Value.Value, fmt.Sprintf("incident_timestamp_values[%d]", i), bad); !t.IsZero() {
				r.Milestones[m] = t
			}
		}
	}
	if inc.Status != nil {
		switch inc.Status.Category {
		case "closed", "learning", "post-incident":
			r.Done = true
		case "declined", "canceled", "merged":
			r.Status = x.Declined
			r.Done = x.Declined == ""
		}
	}
	if !r.Done {
		delete(r.Milestones, "resolved")
		delete(r.Milestones, "closed")
	}
	if inc.PostmortemURL != "" {
		r.Links = append(r.Links, incident.Link{Kind: "doc", URL: inc.PostmortemURL, Title: "Post-incident review"})
	}
	var roles []string
	for _, ra := range inc.Roles {
		if ra.Role != nil && ra.Assignee != nil && ra.Assignee.label() != "" {
			roles = append(roles, ra.Role.label()+": "+ra.Assignee.label())
		}
	}
	if len(roles) > 0 {
		r.Entries = append(r.Entries, Entry{Key: "roles", At: r.Declared, Text: "Roles in incident.io: " + strings.Join(roles, "; ")})
	}
	sort.SliceStable(ups, func(a, b int) bool { return ups[a].CreatedAt < ups[b].CreatedAt })
	for i, u := range ups {
		at := stamp(u.CreatedAt, fmt.Sprintf("incident_updates[%d].created_at", i), bad)
		if at.IsZero() {
			continue
		}
		var parts []string
		if u.NewStatus != nil && u.NewStatus.Name != "" {
			parts = append(parts, "Status: "+u.NewStatus.Name)
		}
		if u.NewSeverity != nil && u.NewSeverity.Name != "" {
			parts = append(parts, "Severity: "+u.NewSeverity.Name)
		}
		text := strings.TrimSpace(strings.Join(parts, ", ") + "\n\n" + u.Message)
		if text == "" {
			continue
		}
		r.Entries = append(r.Entries, Entry{Key: "update:" + cmp.Or(u.ID, u.CreatedAt), At: at, By: u.Updater.label(), Text: text})
	}
	if len(fus) > 0 {
		pm := &Postmortem{}
		for _, f := range fus {
			fu := FollowUp{Title: f.Title, Owner: f.Assignee.label(), Status: ioFollowUpStatus(f.Status)}
			if f.External != nil {
				fu.Link = f.External.Permalink
			}
			if f.Status == "deleted" {
				continue
			}
			pm.FollowUps = append(pm.FollowUps, fu)
		}
		r.Postmortem = pm
	}
	return r, probs
}

// ioFollowUpStatus maps a follow-up's status: completed is done,
// not_doing dropped, anything else (outstanding) open.
func ioFollowUpStatus(s string) string {
	switch s {
	case "completed":
		return "done"
	case "not_doing":
		return "dropped"
	}
	return "open"
}

// DeclinedStatus is the first configured status of phase declined, or
// empty when there is none.
func DeclinedStatus(s *config.Settings) string {
	for _, st := range s.Statuses {
		if st.Phase == config.PhaseDeclined {
			return st.Name
		}
	}
	return ""
}
