package mcpserver

import (
	"context"
	"regexp"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The operations behind the tools are the command line's, and their
// messages name its flags ("--window: ..."). An assistant calls tools
// with arguments, so toolErrors names the argument instead.

// flagRE is a flag: two dashes and a name, at the start or after a
// space, a parenthesis or a quote.
var flagRE = regexp.MustCompile(`(^|[\s("])--([a-z][a-z-]*)`)

// toolErrors rewrites the text of a failed tools/call result.
func toolErrors(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		res, err := next(ctx, method, req)
		if r, ok := res.(*mcp.CallToolResult); ok && r != nil && r.IsError {
			for _, c := range r.Content {
				if t, ok := c.(*mcp.TextContent); ok {
					t.Text = argumentNames(t.Text)
				}
			}
		}
		return res, err
	}
}

// argumentNames is a message with its flags named as tool arguments:
// "--window: ...; add --kind maintenance" becomes "window: ...; add kind
// maintenance".
func argumentNames(msg string) string {
	return flagRE.ReplaceAllString(msg, "$1$2")
}
