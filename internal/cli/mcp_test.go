package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// TestMCPOverStdio runs sev mcp as Main with its standard input and
// output as the client's pipes: the flags reach the server, a write
// tool commits as --by, a restricted incident stays out, and the server
// ends when its input does.
func TestMCPOverStdio(t *testing.T) {
	repo, env := gitRepo(t)
	env = append(env, "SEV_NOW=2026-03-02T14:05:00Z")
	for _, args := range [][]string{{"init"}, {"declare", "Checkout errors in EU"},
		{"declare", "Zebrafinch key leaked", "--visibility", "restricted"}} {
		var errb bytes.Buffer
		if code := Main(append([]string{"-C", repo}, args...), env, strings.NewReader(""), io.Discard, &errb); code != 0 {
			t.Fatalf("%v: %s", args, errb.String())
		}
	}
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	var errb bytes.Buffer
	done := make(chan int)
	go func() {
		code := Main([]string{"-C", repo, "mcp", "--allow-write", "--by", "bob"}, env, inR, outW, &errb)
		outW.Close()
		done <- code
	}()
	ctx := context.Background()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "v0"}, nil).Connect(ctx, &mcp.IOTransport{Reader: outR, Writer: inW}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "note", Arguments: map[string]any{"id": "checkout", "text": "Rolled back"}})
	if err != nil || res.IsError {
		t.Fatalf("note: %v %+v", err, res)
	}
	res, err = cs.CallTool(ctx, &mcp.CallToolParams{Name: "list_open", Arguments: map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	listed, _ := json.Marshal(res)
	if !strings.Contains(string(listed), "2026-03-02-checkout-errors-in-eu") || strings.Contains(strings.ToLower(string(listed)), "zebrafinch") {
		t.Errorf("list_open: %s", listed)
	}
	cs.Close()
	inW.Close()
	if code := <-done; code != 0 {
		t.Errorf("sev mcp ended with %d: %s", code, errb.String())
	}
	log, err := exec.Command("git", "-C", repo, "log", "--format=%an %s").Output()
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(log)), "\n"); len(lines) != 4 || !strings.HasPrefix(lines[0], "bob ") {
		t.Errorf("commits: %s; want init, two declares and bob's note", log)
	}
}

// TestMCPNeedsRepository: sev mcp outside a repository fails before it
// serves, with the reason on stderr and nothing on stdout.
func TestMCPNeedsRepository(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	code := Main([]string{"-C", dir, "mcp"}, []string{"HOME=" + dir, "GIT_CONFIG_NOSYSTEM=1"}, strings.NewReader(""), &out, &errb)
	if code == 0 || out.Len() != 0 || !strings.Contains(errb.String(), "not inside a git repository") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}
