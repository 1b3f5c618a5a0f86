// Package layout knows where things live in an incident repository and
// resolves what a user typed (an ID, a prefix or a slug fragment) to one
// incident.
package layout

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/sev-dev/sev/internal/incident"
)

// Top-level folders and files of a repository.
const (
	Incidents    = "incidents"
	Postmortems  = "postmortems"
	Rotations    = "rotations"
	Rules        = "rules"
	Schema       = "schema"
	RecordFile   = "incident.yaml"
	TimelineFile = "timeline.yaml"
	Attachments  = "attachments"
)

// Dir is the folder of an incident: incidents/2026/2026-03-02-checkout.
func Dir(id string) string {
	return path.Join(Incidents, incident.Year(id), id)
}

// Record is the path of an incident's record.
func Record(id string) string { return path.Join(Dir(id), RecordFile) }

// Timeline is the path of an incident's timeline.
func Timeline(id string) string { return path.Join(Dir(id), TimelineFile) }

// Attachment is the path of an attachment of an incident.
func Attachment(id, name string) string { return path.Join(Dir(id), Attachments, name) }

// Postmortem is the path of an incident's postmortem.
func Postmortem(id string) string { return path.Join(Postmortems, id+".md") }

// SchemaRef is the relative path from the folder of file to a schema, for
// the yaml-language-server header.
func SchemaRef(file, schema string) string {
	depth := strings.Count(path.Dir(file), "/") + 1
	if path.Dir(file) == "." {
		depth = 0
	}
	return strings.Repeat("../", depth) + path.Join(Schema, schema)
}

// IDs lists the incident folders under incidents/<year>/, sorted.
func IDs(fsys fs.FS) ([]string, error) {
	years, err := fs.ReadDir(fsys, Incidents)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	var ids []string
	for _, y := range years {
		if !y.IsDir() {
			continue
		}
		entries, err := fs.ReadDir(fsys, path.Join(Incidents, y.Name()))
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if e.IsDir() {
				ids = append(ids, e.Name())
			}
		}
	}
	sort.Strings(ids)
	return ids, nil
}

// AmbiguousError lists the incidents a query matched.
type AmbiguousError struct {
	Query      string
	Candidates []string
}

func (e *AmbiguousError) Error() string {
	const max = 10
	c := e.Candidates
	more := ""
	if len(c) > max {
		more = fmt.Sprintf("\n  … and %d more", len(c)-max)
		c = c[:max]
	}
	return fmt.Sprintf("%q matches %d incidents; use more of the ID:\n  %s%s", e.Query, len(e.Candidates), strings.Join(c, "\n  "), more)
}

// NotFoundError says no incident matched.
type NotFoundError struct{ Query string }

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("no incident matches %q; \"sev list\" shows them all", e.Query)
}

// Resolve picks the one incident that query names: the exact ID, else the
// IDs it is a prefix of, else the IDs whose slug contains it.
func Resolve(ids []string, query string) (string, error) {
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" {
		return "", &NotFoundError{Query: query}
	}
	var prefix, frag []string
	for _, id := range ids {
		switch {
		case id == q:
			return id, nil
		case strings.HasPrefix(id, q):
			prefix = append(prefix, id)
		case len(id) > 11 && strings.Contains(id[11:], q):
			frag = append(frag, id)
		}
	}
	for _, set := range [][]string{prefix, frag} {
		switch len(set) {
		case 0:
			continue
		case 1:
			return set[0], nil
		default:
			return "", &AmbiguousError{Query: query, Candidates: set}
		}
	}
	return "", &NotFoundError{Query: query}
}

// IncidentOf is the incident a repository path belongs to: the name of
// the folder in incidents/<year>/<name>/... (or the postmortem
// postmortems/<name>.md), with ok false for any other path. The name is
// not checked to be a valid ID; callers that need one check it.
func IncidentOf(p string) (id string, ok bool) {
	parts := strings.Split(p, "/")
	switch {
	case len(parts) >= 3 && parts[0] == Incidents && parts[1] != "" && parts[2] != "":
		return parts[2], true
	case len(parts) == 2 && parts[0] == Postmortems && strings.HasSuffix(parts[1], ".md") && len(parts[1]) > 3:
		return strings.TrimSuffix(parts[1], ".md"), true
	}
	return "", false
}
