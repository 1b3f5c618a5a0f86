package mcpserver

import (
	"context"
	"errors"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/workspace"
)

type declareInput struct {
	Title      string   `json:"title" jsonschema:"what is happening, in a few words; the ID is made from it and today's date"`
	Severity   string   `json:"severity,omitempty" jsonschema:"a level (1 is the most severe) or its name (SEV1); the least severe when empty"`
	Summary    string   `json:"summary,omitempty" jsonschema:"what is happening"`
	Impact     string   `json:"impact,omitempty" jsonschema:"who or what is affected"`
	Commander  string   `json:"commander,omitempty" jsonschema:"who leads the response (a person in sev.yaml)"`
	Tags       []string `json:"tags,omitempty" jsonschema:"tags such as payments"`
	Services   []string `json:"services,omitempty" jsonschema:"affected services"`
	Orgs       []string `json:"orgs,omitempty" jsonschema:"affected or responding organisations"`
	Visibility string   `json:"visibility,omitempty" jsonschema:"public, internal (the default) or restricted"`
	Kind       string   `json:"kind,omitempty" jsonschema:"normal (the default), drill, maintenance or backfill"`
	Window     string   `json:"window,omitempty" jsonschema:"for a maintenance planned ahead: START/END, two RFC 3339 times; the status page lists it as scheduled until START"`
}

type noteInput struct {
	ID        string `json:"id" jsonschema:"the incident's ID, or a unique prefix or part of it"`
	Text      string `json:"text" jsonschema:"the note"`
	Milestone string `json:"milestone,omitempty" jsonschema:"a milestone the note marks (detected, acknowledged, mitigated, resolved, ...)"`
	Key       bool   `json:"key,omitempty" jsonschema:"mark the entry as a key moment"`
	Public    bool   `json:"public,omitempty" jsonschema:"show the entry on the public status page"`
}

type statusInput struct {
	ID     string `json:"id" jsonschema:"the incident's ID, or a unique prefix or part of it"`
	Status string `json:"status" jsonschema:"the new status, one of sev.yaml's statuses (open, mitigated, resolved, ... by default)"`
	Note   string `json:"note,omitempty" jsonschema:"a note to record with the change"`
}

type ackInput struct {
	ID   string `json:"id" jsonschema:"the incident's ID, or a unique prefix or part of it"`
	Note string `json:"note,omitempty" jsonschema:"what you are doing (default: Acknowledged)"`
}

type assignInput struct {
	ID     string `json:"id" jsonschema:"the incident's ID, or a unique prefix or part of it"`
	Role   string `json:"role" jsonschema:"the role: commander, comms, scribe or another role sev.yaml lists"`
	Person string `json:"person,omitempty" jsonschema:"who gets the role (a person in sev.yaml); leave empty with remove or oncall"`
	OnCall string `json:"oncall,omitempty" jsonschema:"give the role to whoever is on call in this rotation now, instead of a person"`
	Remove bool   `json:"remove,omitempty" jsonschema:"take the role away"`
}

// written is what a write tool returns: the incident, the commit and the
// timeline entries it recorded.
type written struct {
	Incident string           `json:"incident"`
	Commit   string           `json:"commit,omitempty"`
	Entries  []timeline.Entry `json:"entries"`
	// Already says why nothing was recorded (an incident acknowledged before).
	Already string `json:"already,omitempty"`
}

func (h *handler) addWriteTools(s *mcp.Server) {
	write := func(destructive bool) *mcp.ToolAnnotations {
		return &mcp.ToolAnnotations{DestructiveHint: &destructive}
	}
	mcp.AddTool(s, &mcp.Tool{Name: "declare", Annotations: write(false),
		Description: "Declare an incident (one git commit): only a title is needed; the rest defaults from sev.yaml."}, h.declare)
	mcp.AddTool(s, &mcp.Tool{Name: "note", Annotations: write(false),
		Description: "Append a note to an incident's timeline (one git commit), optionally marking a milestone."}, h.note)
	mcp.AddTool(s, &mcp.Tool{Name: "status", Annotations: write(false),
		Description: "Change an incident's status (one git commit)."}, h.status)
	mcp.AddTool(s, &mcp.Tool{Name: "ack", Annotations: write(false),
		Description: "Acknowledge an incident (one git commit): you have it, and its escalation stops."}, h.ack)
	mcp.AddTool(s, &mcp.Tool{Name: "assign", Annotations: write(false),
		Description: "Give a role to a person or to whoever is on call in a rotation, or take it away (one git commit)."}, h.assign)
}

func (h *handler) declare(_ context.Context, _ *mcp.CallToolRequest, in declareInput) (*mcp.CallToolResult, any, error) {
	if strings.TrimSpace(in.Title) == "" {
		return nil, nil, errors.New("declare needs a title")
	}
	ws, err := h.o.Open()
	if err != nil {
		return nil, nil, err
	}
	d := ops.Declare{Title: in.Title, Severity: in.Severity, SeveritySet: in.Severity != "", Summary: in.Summary,
		Impact: in.Impact, Commander: in.Commander, Tags: in.Tags, Services: in.Services, Orgs: in.Orgs,
		Visibility: in.Visibility, Kind: in.Kind, Window: in.Window}
	ch, head, err := ws.DeclareAs(h.o.By, workspace.Write{}, d)
	return h.result(ch, head, err)
}

func (h *handler) note(_ context.Context, _ *mcp.CallToolRequest, in noteInput) (*mcp.CallToolResult, any, error) {
	n := ops.Note{Text: in.Text, Milestone: in.Milestone, Key: in.Key, Public: in.Public}
	return h.change(in.ID, func(env *ops.Env, inc *ops.Incident, by string) (*change.Change, error) {
		return env.Note(inc, by, n)
	})
}

func (h *handler) status(_ context.Context, _ *mcp.CallToolRequest, in statusInput) (*mcp.CallToolResult, any, error) {
	return h.change(in.ID, func(env *ops.Env, inc *ops.Incident, by string) (*change.Change, error) {
		return env.Status(inc, by, ops.Status{Status: in.Status, Note: in.Note})
	})
}

func (h *handler) ack(_ context.Context, _ *mcp.CallToolRequest, in ackInput) (*mcp.CallToolResult, any, error) {
	id := in.ID
	res, out, err := h.change(in.ID, func(env *ops.Env, inc *ops.Incident, by string) (*change.Change, error) {
		id = inc.Record.ID
		return env.Ack(inc, by, ops.Ack{Note: in.Note})
	})
	var done *ops.AlreadyError
	if errors.As(err, &done) { // acknowledging twice is not a failure, as in sev ack
		out, err = structured(written{Incident: id, Entries: []timeline.Entry{}, Already: done.Error()})
		return nil, out, err
	}
	return res, out, err
}

func (h *handler) assign(_ context.Context, _ *mcp.CallToolRequest, in assignInput) (*mcp.CallToolResult, any, error) {
	a := ops.Assign{Role: in.Role, Person: in.Person, OnCall: in.OnCall, Remove: in.Remove}
	return h.change(in.ID, func(env *ops.Env, inc *ops.Incident, by string) (*change.Change, error) {
		return env.Assign(inc, by, a)
	})
}

// change makes op's change on the incident query names and commits it,
// as sev's commands do (workspace.Change); a restricted incident is not
// found unless the server includes them.
func (h *handler) change(query string, op func(env *ops.Env, inc *ops.Incident, by string) (*change.Change, error)) (*mcp.CallToolResult, any, error) {
	ws, err := h.o.Open()
	if err != nil {
		return nil, nil, err
	}
	ch, head, err := ws.Change(query, h.o.By, workspace.Write{}, func(env *ops.Env, inc *ops.Incident, by string) (*change.Change, error) {
		if inc.Record.Restricted() && !h.o.IncludeRestricted {
			return nil, notFound(query)
		}
		return op(env, inc, by)
	})
	if err != nil {
		var done *ops.AlreadyError
		if !errors.As(err, &done) {
			err = readError(query, err)
		}
	}
	return h.result(ch, head, err)
}

func (h *handler) result(ch *change.Change, head gitstore.Hash, err error) (*mcp.CallToolResult, any, error) {
	if err != nil {
		return nil, nil, err
	}
	out, err := structured(written{Incident: ch.Incident, Commit: head.String(), Entries: ch.Entries})
	return nil, out, err
}
