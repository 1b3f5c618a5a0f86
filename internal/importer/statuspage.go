package importer

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/incident"
)

// Statuspage reads Atlassian Statuspage incidents as its APIs return
// them: the public status API's incidents.json ({"page": ..., "incidents":
// [...]}) or the manage API's list of incidents (GET /v1/pages/{page_id}/
// incidents, a JSON array), each with its incident_updates and components.
// PATH is one such file, or a folder of them (the pages of an export).
type Statuspage struct{}

type spIncident struct {
	ID                    string     `json:"id"`
	Name                  string     `json:"name"`
	Status                string     `json:"status"`
	Impact                string     `json:"impact"`
	CreatedAt             string     `json:"created_at"`
	StartedAt             string     `json:"started_at"`
	MonitoringAt          string     `json:"monitoring_at"`
	ResolvedAt            string     `json:"resolved_at"`
	Shortlink             string     `json:"shortlink"`
	ScheduledFor          string     `json:"scheduled_for"`
	ScheduledUntil        string     `json:"scheduled_until"`
	PostmortemBody        string     `json:"postmortem_body"`
	PostmortemPublishedAt string     `json:"postmortem_published_at"`
	Updates               []spUpdate `json:"incident_updates"`
	Components            []named    `json:"components"`
}

type spUpdate struct {
	ID        string `json:"id"`
	Status    string `json:"status"`
	Body      string `json:"body"`
	CreatedAt string `json:"created_at"`
	DisplayAt string `json:"display_at"`
}

// spImpact maps an incident's impact to a severity level.
var spImpact = map[string]int{"critical": 1, "major": 2, "minor": 3, "none": 3}

// spDone are the statuses of a finished incident or maintenance.
var spDone = map[string]bool{"resolved": true, "postmortem": true, "completed": true}

// Read reads one file or every *.json file of a folder.
func (Statuspage) Read(fsys fs.FS, name string) ([]Record, []Problem, error) {
	files, err := jsonFiles(fsys, name)
	if err != nil {
		return nil, nil, err
	}
	var recs []Record
	var probs []Problem
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, nil, err
		}
		var lists [2][]spIncident // incidents, scheduled maintenance
		if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '[' {
			err = decodeJSON(f, data, &lists[0])
		} else {
			var page struct {
				Incidents   []spIncident `json:"incidents"`
				Maintenance []spIncident `json:"scheduled_maintenances"`
			}
			err = decodeJSON(f, data, &page)
			lists = [2][]spIncident{page.Incidents, page.Maintenance}
		}
		if err != nil {
			return nil, nil, err
		}
		for k, list := range lists {
			for i, inc := range list {
				r, ps, ok := inc.record(fmt.Sprintf("%s: %s[%d]", f, []string{"incidents", "scheduled_maintenances"}[k], i))
				if ok {
					recs = append(recs, r)
				}
				probs = append(probs, ps...)
			}
		}
	}
	return recs, probs, nil
}

// record is the incident as a Record; ok is false when it cannot be
// imported as it is (a maintenance still scheduled whose window is
// unknown would read as in progress).
func (inc spIncident) record(where string) (_ Record, _ []Problem, ok bool) {
	var probs []Problem
	bad := func(field, msg string) { probs = append(probs, Problem{Where: where, Field: field, Message: msg}) }
	r := Record{Where: where, Title: inc.Name, Visibility: "public", Milestones: map[string]Time{}}
	r.Source = incident.Source{System: "statuspage", ID: inc.ID, URL: inc.Shortlink}
	if lvl, ok := spImpact[inc.Impact]; ok {
		r.Severity = lvl
	} else if inc.Impact != "" && inc.Impact != "maintenance" {
		bad("impact", fmt.Sprintf("unknown impact %q (none, minor, major, critical, maintenance); imported as the least severe", inc.Impact))
	}
	if inc.Impact == "maintenance" || inc.ScheduledFor != "" {
		r.Kind = "maintenance"
	}
	// the window: a maintenance still scheduled without one would read as
	// in progress, so it is left out; any other is imported without it
	var noWindow string
	if inc.ScheduledFor != "" || inc.ScheduledUntil != "" {
		from, until := stamp(inc.ScheduledFor, "scheduled_for", bad), stamp(inc.ScheduledUntil, "scheduled_until", bad)
		switch {
		case inc.ScheduledFor == "" || inc.ScheduledUntil == "":
			noWindow = "a maintenance window needs both scheduled_for and scheduled_until"
		case !from.IsZero() && !until.IsZero():
			w, err := incident.ParseWindow(from.At.Format(time.RFC3339) + "/" + until.At.Format(time.RFC3339))
			if err != nil {
				noWindow = err.Error()
			}
			r.Window = w
		}
	}
	switch {
	case inc.Status == "scheduled" && r.Window == nil:
		if noWindow == "" {
			noWindow = "no window sev can read"
		}
		probs = append(probs, Problem{Where: where, Field: "scheduled_until", Skipped: true,
			Message: noWindow + "; a maintenance still scheduled would show as in progress without it, so it is not imported"})
		return r, probs, false
	case noWindow != "":
		bad("scheduled_until", noWindow+"; imported without a window")
	}
	r.Declared = stamp(inc.CreatedAt, "created_at", bad)
	if started := stamp(inc.StartedAt, "started_at", bad); !started.IsZero() && !started.At.After(r.Declared.At) {
		r.Milestones["started"] = started
	}
	if t := stamp(inc.MonitoringAt, "monitoring_at", bad); !t.IsZero() {
		r.Milestones["mitigated"] = t
	}
	r.Done = spDone[inc.Status]
	if t := stamp(inc.ResolvedAt, "resolved_at", bad); !t.IsZero() && r.Done {
		r.Milestones["resolved"] = t
	}
	for _, c := range inc.Components {
		r.Services = append(r.Services, c.label())
	}
	ups := append([]spUpdate(nil), inc.Updates...)
	sort.SliceStable(ups, func(a, b int) bool { return ups[a].at() < ups[b].at() })
	for i, u := range ups {
		at := stamp(u.at(), fmt.Sprintf("incident_updates[%d].display_at", i), bad)
		if at.IsZero() {
			continue
		}
		text := strings.TrimSpace(u.Body)
		if u.Status != "" {
			text = strings.TrimSpace(titleCase(u.Status) + ": " + text)
		}
		key := "update:" + u.ID
		if u.ID == "" {
			key = fmt.Sprintf("update-at:%s", u.at())
		}
		r.Entries = append(r.Entries, Entry{Key: key, At: at, Text: text, Public: true})
	}
	if len(ups) > 0 {
		r.Summary = firstParagraph(ups[0].Body)
	}
	if body := strings.TrimSpace(inc.PostmortemBody); body != "" {
		r.Postmortem = &Postmortem{Sections: []Section{{Heading: "Postmortem", Markdown: body}}}
	}
	return r, probs, true
}

// at is when an update is shown as made: display_at, else created_at.
func (u spUpdate) at() string {
	if u.DisplayAt != "" {
		return u.DisplayAt
	}
	return u.CreatedAt
}

// titleCase turns a status such as in_progress into "In progress".
func titleCase(s string) string {
	s = strings.ReplaceAll(s, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// jsonFiles is name when it is a file, or the *.json files in it, sorted.
func jsonFiles(fsys fs.FS, name string) ([]string, error) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{name}, nil
	}
	files, err := fs.Glob(fsys, path.Join(name, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s holds no .json files", name)
	}
	return files, nil
}
