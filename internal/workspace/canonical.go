package workspace

import (
	"bytes"
	"io/fs"
	"maps"
	"slices"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/timeline"
)

// Canonical returns the incident's files whose canonical form (the form
// sev writes) differs from what is in the working tree, with the
// problems of files that do not parse (left alone).
func (ws *Workspace) Canonical(id string) (map[string][]byte, diag.List) {
	out := map[string][]byte{}
	var diags diag.List
	recPath, tlPath := layout.Record(id), layout.Timeline(id)
	if data, err := fs.ReadFile(ws.FS, recPath); err == nil {
		inc, _, d := incident.Parse(recPath, data)
		diags.Append(d)
		if d.Errors() == 0 {
			if b, err := incident.Encode(layout.SchemaRef(recPath, "incident.schema.json"), inc); err == nil && !bytes.Equal(b, data) {
				out[recPath] = b
			}
		}
	}
	if data, err := fs.ReadFile(ws.FS, tlPath); err == nil {
		entries, _, d := timeline.Parse(tlPath, data)
		diags.Append(d)
		if d.Errors() == 0 {
			if b, err := timeline.Encode(layout.SchemaRef(tlPath, "timeline.schema.json"), entries); err == nil && !bytes.Equal(b, data) {
				out[tlPath] = b
			}
		}
	}
	return out, diags
}

// NotCanonical is Canonical for the incidents queries name (every incident
// when there are none): the files to rewrite, and the problems of those
// that do not parse.
func (ws *Workspace) NotCanonical(queries []string) (map[string][]byte, diag.List, error) {
	ids := queries
	var err error
	if len(ids) == 0 {
		if ids, err = layout.IDs(ws.FS); err != nil {
			return nil, nil, err
		}
	} else {
		ids = slices.Clone(queries)
		for i, q := range ids {
			if ids[i], err = ws.Resolve(q); err != nil {
				return nil, nil, err
			}
		}
	}
	out := map[string][]byte{}
	var problems diag.List
	for _, id := range ids {
		files, d := ws.Canonical(id)
		problems.Append(d)
		maps.Copy(out, files)
	}
	return out, problems, nil
}
