package mcpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/present"
	"github.com/sev-dev/sev/internal/rotation"
	"github.com/sev-dev/sev/internal/search"
	"github.com/sev-dev/sev/internal/searchtext"
	"github.com/sev-dev/sev/internal/timeline"
)

type searchInput struct {
	Query string `json:"query" jsonschema:"words to find in records, timelines and postmortems; \"a phrase\", -word, and filters such as sev:1 status:open tag:payments service:api org:support person:alice after:2026-01-01 before:2026-02-01"`
	Limit int    `json:"limit,omitempty" jsonschema:"at most this many incidents (default 10)"`
}

type idInput struct {
	ID string `json:"id" jsonschema:"the incident's ID, or a unique prefix or part of it"`
}

type sinceInput struct {
	ID    string `json:"id" jsonschema:"the incident's ID, or a unique prefix or part of it"`
	Since string `json:"since" jsonschema:"an RFC 3339 time, or a date for its midnight in sev.yaml's timezone; entries at or after it are returned"`
}

type oncallInput struct {
	Rotation string `json:"rotation,omitempty" jsonschema:"a rotation's name, a unique prefix of one, or an org; every rotation when empty"`
	At       string `json:"at,omitempty" jsonschema:"the instant to ask about (RFC 3339, or a date for its midnight); now when empty"`
}

type noInput struct{}

// readOnly marks a tool that changes nothing.
var readOnly = &mcp.ToolAnnotations{ReadOnlyHint: true}

func (h *handler) addReadTools(s *mcp.Server) {
	mcp.AddTool(s, &mcp.Tool{Name: "search", Annotations: readOnly,
		Description: "Search incidents, their timelines and postmortems, most relevant first, with where each matched."}, h.search)
	mcp.AddTool(s, &mcp.Tool{Name: "show", Annotations: readOnly,
		Description: "One incident: its record (severity, status, people, milestones, ...) and its whole timeline, oldest first."}, h.show)
	mcp.AddTool(s, &mcp.Tool{Name: "list_open", Annotations: readOnly,
		Description: "The active incidents (status open or mitigated by default), most severe first, then oldest first."}, h.listOpen)
	mcp.AddTool(s, &mcp.Tool{Name: "timeline_since", Annotations: readOnly,
		Description: "An incident's timeline entries at or after a time, oldest first: what happened since you last looked."}, h.timelineSince)
	mcp.AddTool(s, &mcp.Tool{Name: "oncall", Annotations: readOnly,
		Description: "Who is on call in each rotation (or one rotation or org), now or at a time, until when, and who is next."}, h.oncall)
	mcp.AddTool(s, &mcp.Tool{Name: "similar", Annotations: readOnly,
		Description: "The past incidents most like one incident, by their text and tags."}, h.similar)
	mcp.AddTool(s, &mcp.Tool{Name: "postmortem", Annotations: readOnly,
		Description: "An incident's postmortem, as its Markdown file."}, h.postmortem)
}

func (h *handler) search(ctx context.Context, _ *mcp.CallToolRequest, in searchInput) (*mcp.CallToolResult, any, error) {
	if in.Limit < 0 {
		return nil, nil, fmt.Errorf("limit must be 1 or more, not %d", in.Limit)
	}
	ws, err := h.o.Open()
	if err != nil {
		return nil, nil, err
	}
	q, err := ws.Query(in.Query)
	var qe *searchtext.QueryError
	if errors.As(err, &qe) {
		return nil, nil, fmt.Errorf("bad query at column %d: %s", qe.Col, qe.Msg)
	}
	if err != nil {
		return nil, nil, err
	}
	h.index.Lock()
	defer h.index.Unlock()
	res, _, err := ws.Searched(h.o.IncludeRestricted, false, nil, func(idx *search.Index) (*search.Result, error) {
		return idx.Search(ctx, search.Request{Query: q, Limit: in.Limit, Restricted: h.o.IncludeRestricted, Location: ws.Settings.Location()})
	})
	if err != nil {
		return nil, nil, err
	}
	out, err := structured(struct {
		Query string `json:"query"`
		*search.Result
	}{in.Query, res})
	return nil, out, err
}

func (h *handler) show(_ context.Context, _ *mcp.CallToolRequest, in idInput) (*mcp.CallToolResult, any, error) {
	b, err := h.incidentJSON(in.ID)
	if err != nil {
		return nil, nil, err
	}
	return nil, json.RawMessage(b), nil
}

// incidentJSON is an incident and its timeline as sev show --json prints
// them.
func (h *handler) incidentJSON(id string) ([]byte, error) {
	_, inc, err := h.target(id)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := present.IncidentJSON(&buf, inc.Record, timeline.Sorted(inc.Entries)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (h *handler) listOpen(context.Context, *mcp.CallToolRequest, noInput) (*mcp.CallToolResult, any, error) {
	ws, err := h.o.Open()
	if err != nil {
		return nil, nil, err
	}
	recs, _ := ws.LoadAll() // what fails validation is left out, as everywhere
	shown, _ := present.Select(ws.Settings, recs, true, h.o.IncludeRestricted)
	out, err := structured(struct {
		Incidents []*incident.Incident `json:"incidents"`
	}{shown})
	return nil, out, err
}

func (h *handler) timelineSince(_ context.Context, _ *mcp.CallToolRequest, in sinceInput) (*mcp.CallToolResult, any, error) {
	ws, inc, err := h.target(in.ID)
	if err != nil {
		return nil, nil, err
	}
	since, err := ops.Instant("since", in.Since, ws.Settings.Location())
	if err != nil {
		return nil, nil, err
	}
	entries := []timeline.Entry{}
	for _, e := range timeline.Sorted(inc.Entries) {
		if !e.At.Before(since) {
			entries = append(entries, e)
		}
	}
	out, err := structured(struct {
		ID       string           `json:"id"`
		Since    time.Time        `json:"since"`
		Timeline []timeline.Entry `json:"timeline"`
	}{inc.ID(), since, entries})
	return nil, out, err
}

func (h *handler) oncall(_ context.Context, _ *mcp.CallToolRequest, in oncallInput) (*mcp.CallToolResult, any, error) {
	ws, err := h.o.Open()
	if err != nil {
		return nil, nil, err
	}
	all, _ := ws.Rotations() // rotation files with errors are left out
	picked, err := rotation.Pick(all, in.Rotation)
	if err != nil {
		return nil, nil, err
	}
	when := ws.Now()
	if in.At != "" {
		if when, err = ops.Instant("at", in.At, ws.Settings.Location()); err != nil {
			return nil, nil, err
		}
	}
	var buf bytes.Buffer
	if err := present.OnCallNow(&buf, picked, when, true); err != nil {
		return nil, nil, err
	}
	out, err := structured(struct {
		At        time.Time       `json:"at"`
		Rotations json.RawMessage `json:"rotations"`
	}{when.UTC().Truncate(time.Second), buf.Bytes()})
	return nil, out, err
}

func (h *handler) similar(ctx context.Context, _ *mcp.CallToolRequest, in idInput) (*mcp.CallToolResult, any, error) {
	ws, inc, err := h.target(in.ID)
	if err != nil {
		return nil, nil, err
	}
	h.index.Lock()
	defer h.index.Unlock()
	res, _, err := ws.Searched(h.o.IncludeRestricted, false, nil, func(idx *search.Index) (*search.Result, error) {
		return idx.Similar(ctx, inc.ID(), search.Request{Restricted: h.o.IncludeRestricted, Location: ws.Settings.Location()})
	})
	if err != nil {
		return nil, nil, err
	}
	out, err := structured(struct {
		ID string `json:"id"`
		*search.Result
	}{inc.ID(), res})
	return nil, out, err
}

func (h *handler) postmortem(_ context.Context, _ *mcp.CallToolRequest, in idInput) (*mcp.CallToolResult, any, error) {
	_, inc, err := h.target(in.ID)
	if err != nil {
		return nil, nil, err
	}
	if inc.Postmortem == nil {
		return nil, nil, fmt.Errorf("%s has no postmortem (or one sev validate rejects); \"sev postmortem %s\" drafts one", inc.ID(), inc.ID())
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: string(inc.Postmortem)}}}, nil, nil
}
