package mcpserver

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// incidentURI is where an incident is found as a resource.
const incidentURI = "sev://incidents/"

func (h *handler) addResources(s *mcp.Server) {
	s.AddResourceTemplate(&mcp.ResourceTemplate{
		Name:        "incident",
		Title:       "An incident",
		Description: "An incident's record and timeline as JSON, as the show tool returns them.",
		URITemplate: incidentURI + "{id}",
		MIMEType:    "application/json",
	}, h.readIncident)
	s.AddReceivingMiddleware(h.listIncidents, toolErrors)
}

// The SDK lists only resources added to the server one by one, as they
// were when they were added. Incidents come and go while the server
// runs, and adding thousands at start-up would make every start as slow
// as reading them all (seconds at 10,000 incidents), so resources/list is
// answered here instead: its first page reads the incidents through the
// gate, as a tool does, and keeps the list; the pages after it continue
// that list, so a client paging through sees one consistent listing.

// listPage is how many incidents a page of resources/list holds (the
// SDK's page size for what it lists itself).
const listPage = mcp.DefaultPageSize

// listing is the incidents as resources, newest first, as the last first
// page of resources/list read them.
type listing struct {
	mu        sync.Mutex
	resources []*mcp.Resource
}

// listIncidents answers resources/list with the incidents the server may
// show; every other method goes on to the SDK.
func (h *handler) listIncidents(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		lr, ok := req.(*mcp.ListResourcesRequest)
		if method != "resources/list" || !ok {
			return next(ctx, method, req)
		}
		var cursor string
		if lr.Params != nil {
			cursor = lr.Params.Cursor
		}
		return h.resourcePage(cursor)
	}
}

func (h *handler) resourcePage(cursor string) (*mcp.ListResourcesResult, error) {
	h.list.mu.Lock()
	defer h.list.mu.Unlock()
	if cursor == "" || h.list.resources == nil {
		all, err := h.incidentResources()
		if err != nil {
			return nil, err
		}
		h.list.resources = all
	}
	start := 0
	if cursor != "" {
		last, err := base64.RawURLEncoding.DecodeString(cursor)
		if err != nil {
			return nil, &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: "resources/list: the cursor is not one this server gave"}
		}
		// newest first: the page goes on with the first URI after the last one shown
		start, _ = slices.BinarySearchFunc(h.list.resources, string(last), func(r *mcp.Resource, uri string) int { return strings.Compare(uri, r.URI) })
		if start < len(h.list.resources) && h.list.resources[start].URI == string(last) {
			start++
		}
	}
	size := h.o.pageSize
	if size <= 0 {
		size = listPage
	}
	end := min(start+size, len(h.list.resources))
	res := &mcp.ListResourcesResult{Resources: slices.Clone(h.list.resources[start:end])}
	if end < len(h.list.resources) {
		res.NextCursor = base64.RawURLEncoding.EncodeToString([]byte(h.list.resources[end-1].URI))
	}
	return res, nil
}

// incidentResources reads the incidents the server may show, through the
// validation gate, as resources, newest first.
func (h *handler) incidentResources() ([]*mcp.Resource, error) {
	ws, err := h.o.Open()
	if err != nil {
		return nil, err
	}
	recs, _ := ws.LoadAll() // what fails validation is left out, as everywhere
	out := []*mcp.Resource{}
	for _, inc := range recs {
		if inc.Restricted() && !h.o.IncludeRestricted {
			continue
		}
		out = append(out, &mcp.Resource{URI: incidentURI + inc.ID, Name: inc.ID, Title: inc.Title, MIMEType: "application/json",
			Description: fmt.Sprintf("%s, %s", ws.Settings.SeverityName(inc.Severity), inc.Status)})
	}
	slices.SortFunc(out, func(a, b *mcp.Resource) int { return strings.Compare(b.URI, a.URI) })
	return out, nil
}

// readIncident reads sev://incidents/<id>; an incident that is missing,
// rejected by validation or restricted (without IncludeRestricted) is
// not found.
func (h *handler) readIncident(_ context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
	uri := req.Params.URI
	id, ok := strings.CutPrefix(uri, incidentURI)
	if !ok || id == "" || strings.Contains(id, "/") {
		return nil, mcp.ResourceNotFoundError(uri)
	}
	b, err := h.incidentJSON(id)
	if err != nil {
		return nil, mcp.ResourceNotFoundError(uri)
	}
	return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: uri, MIMEType: "application/json", Text: string(b)}}}, nil
}
