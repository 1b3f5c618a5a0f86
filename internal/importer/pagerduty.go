package importer

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/sev-dev/sev/internal/incident"
)

// PagerDuty reads incidents as PagerDuty's REST API v2 returns them:
// GET /incidents ({"incidents": [...]}) with each incident's log entries
// (GET /incidents/{id}/log_entries, {"log_entries": [...]}) and notes
// (GET /incidents/{id}/notes, {"notes": [...]}). PATH is a folder with
// incidents*.json (the pages of the list) and optional
// log_entries/<incident id>.json and notes/<incident id>.json, or one file
// whose incidents carry "log_entries" and "notes" arrays themselves.
type PagerDuty struct{}

type pdIncident struct {
	ID             string       `json:"id"`
	IncidentNumber int          `json:"incident_number"`
	Title          string       `json:"title"`
	Summary        string       `json:"summary"`
	Description    string       `json:"description"`
	CreatedAt      string       `json:"created_at"`
	ResolvedAt     string       `json:"resolved_at"`
	Status         string       `json:"status"`
	Urgency        string       `json:"urgency"`
	HTMLURL        string       `json:"html_url"`
	Service        *named       `json:"service"`
	Priority       *named       `json:"priority"`
	Teams          []named      `json:"teams"`
	LogEntries     []pdLogEntry `json:"log_entries"`
	Notes          []pdNote     `json:"notes"`
}

type pdLogEntry struct {
	ID        string `json:"id"`
	Type      string `json:"type"`
	Summary   string `json:"summary"`
	CreatedAt string `json:"created_at"`
	Agent     *named `json:"agent"`
	Channel   *struct {
		Type    string `json:"type"`
		Summary string `json:"summary"`
	} `json:"channel"`
}

type pdNote struct {
	ID        string `json:"id"`
	Content   string `json:"content"`
	CreatedAt string `json:"created_at"`
	User      *named `json:"user"`
}

// Read reads a folder or a single file, as the type's comment says.
func (PagerDuty) Read(fsys fs.FS, name string) ([]Record, []Problem, error) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, nil, err
	}
	files := []string{name}
	dir := ""
	if st.IsDir() {
		dir = name
		if files, err = fs.Glob(fsys, path.Join(name, "incidents*.json")); err != nil {
			return nil, nil, err
		}
		if len(files) == 0 {
			return nil, nil, fmt.Errorf("%s holds no incidents*.json (the GET /incidents responses)", name)
		}
	}
	var recs []Record
	var probs []Problem
	for _, f := range files {
		var page struct {
			Incidents []pdIncident `json:"incidents"`
		}
		if err := readJSON(fsys, f, &page); err != nil {
			return nil, nil, err
		}
		for i := range page.Incidents {
			inc := &page.Incidents[i]
			if dir != "" {
				if err := inc.attach(fsys, dir); err != nil {
					return nil, nil, err
				}
			}
			r, ps := inc.record(fmt.Sprintf("%s: incidents[%d]", f, i))
			recs = append(recs, r)
			probs = append(probs, ps...)
		}
	}
	return recs, probs, nil
}

// attach reads the incident's log entries and notes from their files.
func (inc *pdIncident) attach(fsys fs.FS, dir string) error {
	var les struct {
		LogEntries []pdLogEntry `json:"log_entries"`
	}
	if err := readJSON(fsys, path.Join(dir, "log_entries", inc.ID+".json"), &les); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	var notes struct {
		Notes []pdNote `json:"notes"`
	}
	if err := readJSON(fsys, path.Join(dir, "notes", inc.ID+".json"), &notes); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	inc.LogEntries = append(inc.LogEntries, les.LogEntries...)
	inc.Notes = append(inc.Notes, notes.Notes...)
	return nil
}

var priorityRE = regexp.MustCompile(`(?i)^\s*(?:p|sev|sev-|severity\s*)(\d)\b`)

// pdSkipped are log entry types that are not imported: the delivery of
// each notification, which would bury the timeline.
var pdSkipped = map[string]bool{"notify_log_entry": true}

func (inc *pdIncident) record(where string) (Record, []Problem) {
	var probs []Problem
	bad := func(field, msg string) { probs = append(probs, Problem{Where: where, Field: field, Message: msg}) }
	r := Record{Where: where, Title: inc.Title, Visibility: "internal", Milestones: map[string]Time{}}
	if r.Title == "" {
		r.Title = inc.Summary
	}
	r.Source = incident.Source{System: "pagerduty", ID: inc.ID, URL: inc.HTMLURL}
	r.Summary = inc.Description
	if r.Summary == r.Title {
		r.Summary = ""
	}
	switch {
	case inc.Priority != nil && priorityRE.MatchString(inc.Priority.label()):
		r.Severity, _ = strconv.Atoi(priorityRE.FindStringSubmatch(inc.Priority.label())[1])
	case inc.Urgency == "high":
		r.Severity = -2 // the second level, when there is one (severityOf)
	}
	if inc.Service != nil {
		r.Services = []string{inc.Service.label()}
	}
	for _, t := range inc.Teams {
		r.Orgs = append(r.Orgs, t.label())
	}
	r.Declared = stamp(inc.CreatedAt, "created_at", bad)
	r.Done = inc.Status == "resolved"
	les := append([]pdLogEntry(nil), inc.LogEntries...)
	sort.SliceStable(les, func(a, b int) bool { return les[a].CreatedAt < les[b].CreatedAt })
	for i, le := range les {
		at := stamp(le.CreatedAt, fmt.Sprintf("log_entries[%d].created_at", i), bad)
		if at.IsZero() || pdSkipped[le.Type] {
			continue
		}
		switch le.Type {
		case "acknowledge_log_entry":
			if _, ok := r.Milestones["acknowledged"]; !ok {
				r.Milestones["acknowledged"] = at
			}
		case "resolve_log_entry":
			if _, ok := r.Milestones["resolved"]; !ok && r.Done {
				r.Milestones["resolved"] = at
			}
		}
		text := le.Summary
		if le.Type == "annotate_log_entry" && le.Channel != nil && le.Channel.Summary != "" {
			text = le.Channel.Summary
		}
		if strings.TrimSpace(text) == "" {
			text = strings.TrimSuffix(le.Type, "_log_entry")
		}
		r.Entries = append(r.Entries, Entry{Key: "log:" + cmp.Or(le.ID, le.CreatedAt+le.Type), At: at, By: le.Agent.label(), Text: text})
	}
	for i, n := range inc.Notes {
		at := stamp(n.CreatedAt, fmt.Sprintf("notes[%d].created_at", i), bad)
		if at.IsZero() || strings.TrimSpace(n.Content) == "" {
			continue
		}
		r.Entries = append(r.Entries, Entry{Key: "note:" + cmp.Or(n.ID, n.CreatedAt), At: at, By: n.User.label(), Text: n.Content})
	}
	if t := stamp(inc.ResolvedAt, "resolved_at", bad); !t.IsZero() && r.Done {
		r.Milestones["resolved"] = t
	}
	return r, probs
}
