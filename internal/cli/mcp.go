package cli

import (
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/buildinfo"
	"github.com/sev-dev/sev/internal/mcpserver"
)

type mcpOptions struct {
	by                     string
	allowWrite, restricted bool
}

func (a *app) mcpCmd() *cobra.Command {
	var o mcpOptions
	c := &cobra.Command{
		Use:   "mcp",
		Short: "Serve the repository to AI assistants over the Model Context Protocol (stdio)",
		Long: `mcp is a Model Context Protocol server on standard input and output, for an
assistant (Claude Code, VS Code, Cursor, ...) that starts it. Its tools read
the repository: search, show, list_open, timeline_since, oncall, similar and
postmortem; each incident is also the resource sev://incidents/{id}.

With --allow-write the assistant may also declare, note, status, ack and
assign; each call is one commit by --by (else $SEV_USER, else git's user), as
the commands of the same names make. Without it those tools are not offered.
Incidents sev validate rejects are left out, and restricted incidents are
treated as if they did not exist unless --include-restricted is given.
docs/mcp.md shows how to configure the assistants.`,
		Example: "  claude mcp add sev -- sev mcp\n  sev mcp --allow-write --by alice",
		Args:    exactArgs(),
		RunE:    func(cmd *cobra.Command, args []string) error { return a.runMCP(o) },
	}
	c.Flags().BoolVar(&o.allowWrite, "allow-write", false, "offer the tools that record changes (declare, note, status, ack, assign)")
	c.Flags().StringVar(&o.by, "by", "", "who records the changes (default: $SEV_USER, then git's user.name/email)")
	c.Flags().BoolVar(&o.restricted, "include-restricted", false, "include restricted incidents")
	return c
}

func (a *app) runMCP(o mcpOptions) error {
	ws, err := a.open() // fails here, not at the first call, outside a repository
	if err != nil {
		return err
	}
	if o.allowWrite {
		if _, err := ws.Whoami(o.by); err != nil {
			return err
		}
	}
	s := mcpserver.New(mcpserver.Options{Open: a.open, Version: buildinfo.Read().Version, By: o.by,
		AllowWrite: o.allowWrite, IncludeRestricted: o.restricted})
	ctx, stop := signal.NotifyContext(a.ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The protocol's messages are JSON, written as they are (a.raw).
	err = s.Run(ctx, &mcp.IOTransport{Reader: io.NopCloser(a.stdin), Writer: nopCloser{a.raw}})
	if ctx.Err() != nil { // an interrupt is how a server is stopped
		return nil
	}
	return err
}

// nopCloser lets the server close its output without closing sev's stdout.
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
