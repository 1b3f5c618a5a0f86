package mcpserver

import (
	"context"
	"strings"

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
