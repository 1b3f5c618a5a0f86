// Package mcpserver is sev mcp: a Model Context Protocol server that lets
// an assistant read the incident repository (search, show, the open
// incidents, a timeline since a time, who is on call, similar incidents,
// postmortems, and each incident as a resource) and, when the person who
// starts it allows, record changes through the same operations as the
// CLI. It is built on the official Go SDK (github.com/modelcontextprotocol/go-sdk).
//
// Every call opens the workspace afresh, so the server answers from the
// working tree as it is, like a command run at that moment. Incidents reach
// it only through the validation gate, and restricted incidents are
// treated as absent unless Options.IncludeRestricted is set.
package mcpserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/validate"
	"github.com/sev-dev/sev/internal/workspace"
)

// Options configure the server.
type Options struct {
	// Open opens the workspace a call works on; it is called once per call.
	Open func() (*workspace.Workspace, error)
	// Version is sev's version, given to clients as the server's.
	Version string
	// By is who records changes (as sev's --by; "" falls back to SEV_USER
	// and then git's identity).
	By string
	// AllowWrite lists the write tools (declare, note, status, ack, assign);
	// without it they do not exist.
	AllowWrite bool
	// IncludeRestricted shows restricted incidents; without it they are
	// treated as if they did not exist.
	IncludeRestricted bool
	// pageSize is how many incidents a page of resources/list holds; 0:
	// listPage (the tests page with fewer).
	pageSize int
}

// New makes the server with its tools and the incident resource template.
func New(o Options) *mcp.Server {
	s := mcp.NewServer(&mcp.Implementation{Name: "sev", Title: "sev incidents", Version: o.Version}, &mcp.ServerOptions{
		Instructions: "sev keeps incidents as files in a git repository. Search or list them, read one with show " +
			"(or the sev://incidents/{id} resource), and use the IDs the tools return.",
		// The tools are fixed for a session, and the incidents change in
		// git, where the server does not watch: no list-changed
		// notifications are promised (the SDK would advertise them).
		// sev sends no log messages, so it offers no logging (deprecated).
		Capabilities: &mcp.ServerCapabilities{Tools: &mcp.ToolCapabilities{}, Resources: &mcp.ResourceCapabilities{}},
	})
	h := &handler{o: o}
	h.addReadTools(s)
	if o.AllowWrite {
		h.addWriteTools(s)
	}
	h.addResources(s)
	return s
}

// handler holds what every tool needs.
type handler struct {
	o Options
	// index serialises the calls that open the search index: a client
	// may send several at once, and the index has one writer at a time.
	index sync.Mutex
	// list is the incidents resources/list is paging through.
	list listing
}

// target opens the workspace and reads the incident query names through
// the validation gate; a restricted one is not found unless the server
// includes them. An ambiguous prefix names no candidates, which could be
// restricted.
func (h *handler) target(query string) (*workspace.Workspace, *validate.Incident, error) {
	ws, err := h.o.Open()
	if err != nil {
		return nil, nil, err
	}
	inc, err := ws.Checked(query)
	if err != nil {
		return nil, nil, readError(query, err)
	}
	if inc.Record.Restricted() && !h.o.IncludeRestricted {
		return nil, nil, notFound(query)
	}
	return ws, inc, nil
}

// readError is err, from finding and reading the incident query names,
// as a tool says it: without the candidates of an ambiguous query or the
// findings of a file, either of which could be a restricted incident's.
func readError(query string, err error) error {
	var amb *layout.AmbiguousError
	var nf *layout.NotFoundError
	var findings diag.List
	switch {
	case errors.As(err, &amb):
		return fmt.Errorf("%q matches more than one incident; give the whole ID (search and list_open show them)", query)
	case errors.As(err, &nf):
		return notFound(query)
	case errors.As(err, &findings):
		return fmt.Errorf("%q names an incident that does not pass validation and is left out; \"sev validate\" says why", query)
	}
	return err
}

// notFound is the error for an incident that does not exist or may not
// be shown: the two read the same.
func notFound(query string) error {
	return fmt.Errorf("no incident matches %q", query)
}

// structured is v as a tool's output: the SDK sends it as structured
// content and as JSON text.
func structured(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return json.RawMessage(b), nil
}
