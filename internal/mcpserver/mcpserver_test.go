package mcpserver

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/scaffold"
	"github.com/sev-dev/sev/internal/workspace"
)

const (
	checkoutEU = "2026-03-02-checkout-errors-in-eu"
	checkoutUS = "2026-03-02-checkout-errors-in-us"
	// canary is a restricted incident's word: no output may hold it
	// unless the server includes restricted incidents.
	canary = "zebrafinch"
)

var readTools = []string{"list_open", "oncall", "postmortem", "search", "show", "similar", "timeline_since"}

// repo is a repository made for a test: two incidents about checkout
// errors (one with a postmortem and a later note), a restricted one, a
// rotation; every file committed as sev commits them.
type repo struct {
	dir  string
	env  []string
	open func() (*workspace.Workspace, error)
	// canaryID is the restricted incident's ID.
	canaryID string
}

func newRepo(t *testing.T) *repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	r := &repo{dir: t.TempDir()}
	r.env = []string{"HOME=" + r.dir, "GIT_CONFIG_NOSYSTEM=1", "PATH=" + os.Getenv("PATH"),
		"GIT_AUTHOR_NAME=A", "GIT_AUTHOR_EMAIL=a@example.com", "GIT_COMMITTER_NAME=A", "GIT_COMMITTER_EMAIL=a@example.com"}
	r.git(t, "init", "-q")
	clock := time.Date(2026, 3, 2, 16, 0, 0, 0, time.UTC)
	r.open = func() (*workspace.Workspace, error) {
		ws, err := workspace.Open(r.dir)
		if err != nil {
			return nil, err
		}
		ws.Use(workspace.Process{Now: func() time.Time { return clock }, GitEnv: r.env, Getenv: func(string) string { return "" }})
		return ws, nil
	}
	files, err := scaffold.Files("Example", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	files["rotations/pr.yaml"] = []byte(`org: pr
timezone: Europe/London
layers:
  - members: [carol, dave]
    shift: 1d
    start: 2026-01-05T09:00:00Z
`)
	if _, _, err := r.ws(t).WriteFiles(files, "alice", workspace.Write{}, "init"); err != nil {
		t.Fatal(err)
	}
	declared := time.Date(2026, 3, 2, 14, 5, 0, 0, time.UTC)
	for _, d := range []ops.Declare{
		{Title: "Checkout errors in EU", Summary: "Card payments time out at the payment gateway", Tags: []string{"payments"}},
		{Title: "Checkout errors in US", Summary: "Card payments time out at the payment gateway", Tags: []string{"payments"}},
		{Title: "Zebrafinch credential leak", Summary: "The zebrafinch key was posted", Visibility: "restricted"},
	} {
		d.At = declared
		ch, _, err := r.ws(t).DeclareAs("alice", workspace.Write{}, d)
		if err != nil {
			t.Fatal(err)
		}
		if d.Visibility == "restricted" {
			r.canaryID = ch.Incident
		}
	}
	r.change(t, checkoutEU, func(env *ops.Env, inc *ops.Incident, by string) (*change.Change, error) {
		return env.Note(inc, by, ops.Note{Text: "Rolled back deploy 4411", At: declared.Add(time.Hour)})
	})
	r.change(t, r.canaryID, func(env *ops.Env, inc *ops.Incident, by string) (*change.Change, error) {
		return env.Note(inc, by, ops.Note{Text: "Rotated the zebrafinch key", At: declared.Add(time.Hour)})
	})
	for _, id := range []string{checkoutEU, r.canaryID} {
		_, _, _, err := r.ws(t).EditPostmortem(id, "alice", workspace.Write{}, func(env *ops.Env, inc *ops.Incident, by string) (*ops.PostmortemChange, error) {
			return env.Review(inc, by, ops.Review{})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// an incident the gate rejects (an unknown field), with a word of its own
	broken := "incidents/2026/2026-03-02-broken-record/incident.yaml"
	if err := os.MkdirAll(filepath.Join(r.dir, filepath.Dir(broken)), 0o755); err != nil {
		t.Fatal(err)
	}
	record := "id: 2026-03-02-broken-record\ntitle: Quokka outage\nseverity: 1\nstatus: open\nvisibility: internal\n" +
		"declared: 2026-03-02T14:05:00Z\nquokka: true\n"
	if err := os.WriteFile(filepath.Join(r.dir, broken), []byte(record), 0o644); err != nil {
		t.Fatal(err)
	}
	r.git(t, "add", "-A")
	r.git(t, "commit", "-q", "-m", "a broken record")
	return r
}

func (r *repo) ws(t *testing.T) *workspace.Workspace {
	t.Helper()
	ws, err := r.open()
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func (r *repo) change(t *testing.T, id string, op func(env *ops.Env, inc *ops.Incident, by string) (*change.Change, error)) {
	t.Helper()
	if _, _, err := r.ws(t).Change(id, "alice", workspace.Write{}, op); err != nil {
		t.Fatal(err)
	}
}

func (r *repo) git(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.dir}, args...)...)
	cmd.Env = r.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// connect starts the server with o on r and returns a client session
// connected to it in memory.
func connect(t *testing.T, r *repo, o Options) *mcp.ClientSession {
	t.Helper()
	o.Open = r.open
	ctx := context.Background()
	st, ct := mcp.NewInMemoryTransports()
	ss, err := New(o).Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ss.Close() })
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "v0"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

// call calls a tool and returns its result as JSON (text content,
// structured content and the error flag).
func call(t *testing.T, cs *mcp.ClientSession, tool string, args map[string]any) (text string, isError bool) {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: tool, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", tool, err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	return string(b), res.IsError
}

func TestToolsListed(t *testing.T) {
	r := newRepo(t)
	for _, c := range []struct {
		write bool
		want  []string
	}{
		{false, readTools},
		{true, slices.Sorted(slices.Values(append([]string{"ack", "assign", "declare", "note", "status"}, readTools...)))},
	} {
		cs := connect(t, r, Options{AllowWrite: c.write})
		// tools and resources, and no promise of change notifications
		// the server would never send
		if caps := cs.InitializeResult().Capabilities; caps.Tools == nil || caps.Tools.ListChanged ||
			caps.Resources == nil || caps.Resources.ListChanged || caps.Resources.Subscribe {
			b, _ := json.Marshal(caps)
			t.Errorf("capabilities %s", b)
		}
		res, err := cs.ListTools(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, tool := range res.Tools {
			names = append(names, tool.Name)
			schema, _ := json.Marshal(tool.InputSchema)
			if !strings.Contains(string(schema), `"type":"object"`) {
				t.Errorf("%s: input schema %s is not an object's", tool.Name, schema)
			}
			if tool.Name != "list_open" && !strings.Contains(string(schema), `"description"`) {
				t.Errorf("%s: input schema %s describes no property", tool.Name, schema)
			}
			if tool.Description == "" {
				t.Errorf("%s has no description", tool.Name)
			}
		}
		slices.Sort(names)
		if !slices.Equal(names, c.want) {
			t.Errorf("allow write %v: tools %v, want %v", c.write, names, c.want)
		}
	}
}

func TestReadTools(t *testing.T) {
	r := newRepo(t)
	cs := connect(t, r, Options{})
	for _, c := range []struct {
		tool string
		args map[string]any
		want []string
		not  []string
	}{
		{"search", map[string]any{"query": "gateway"}, []string{checkoutEU, checkoutUS, `"total":2`}, nil},
		{"search", map[string]any{"query": "gateway", "limit": 1}, []string{`"total":2`}, nil},
		{"show", map[string]any{"id": "checkout-errors-in-eu"}, []string{`"title":"Checkout errors in EU"`, "Rolled back deploy 4411"}, nil},
		{"list_open", nil, []string{checkoutEU, checkoutUS}, nil},
		{"timeline_since", map[string]any{"id": checkoutEU, "since": "2026-03-02T14:30:00Z"}, []string{"Rolled back deploy 4411"}, []string{`"type":"declared"`}},
		{"timeline_since", map[string]any{"id": checkoutEU, "since": "2026-03-02"}, []string{"Rolled back deploy 4411", `"type":"declared"`}, nil},
		{"oncall", map[string]any{"rotation": "pr", "at": "2026-03-02T10:00:00Z"}, []string{`"person":"carol"`}, nil},
		{"similar", map[string]any{"id": checkoutEU}, []string{checkoutUS}, nil},
		{"postmortem", map[string]any{"id": checkoutEU}, []string{"Checkout errors in EU", "---"}, nil},
	} {
		text, isErr := call(t, cs, c.tool, c.args)
		if isErr {
			t.Errorf("%s %v: error %s", c.tool, c.args, text)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s %v: %s\nhas no %s", c.tool, c.args, text, w)
			}
		}
		for _, w := range c.not {
			if strings.Contains(text, w) {
				t.Errorf("%s %v: %s\nhas %s", c.tool, c.args, text, w)
			}
		}
	}
}

// TestGateLeavesOut: an incident validation rejects is in no output,
// and show of it names no finding.
func TestGateLeavesOut(t *testing.T) {
	r := newRepo(t)
	if _, diags := r.ws(t).LoadAll(); diags.Errors() == 0 {
		t.Fatal("the broken record passes validation; the test checks nothing")
	}
	cs := connect(t, r, Options{IncludeRestricted: true})
	for _, c := range []struct {
		tool string
		args map[string]any
	}{
		{"list_open", nil},
		{"search", map[string]any{"query": "outage", "limit": 0}},
		{"show", map[string]any{"id": "2026-03-02-broken-record"}},
		{"timeline_since", map[string]any{"id": "2026-03-02-broken-record", "since": "2026-01-01"}},
	} {
		text, _ := call(t, cs, c.tool, c.args)
		if strings.Contains(strings.ToLower(text), "quokka") {
			t.Errorf("%s %v: the rejected incident's text in %s", c.tool, c.args, text)
		}
	}
	text, isErr := call(t, cs, "show", map[string]any{"id": "2026-03-02-broken-record"})
	if !isErr || !strings.Contains(text, "does not pass validation") {
		t.Errorf("show of the rejected incident: %s", text)
	}
}

func TestReadErrors(t *testing.T) {
	r := newRepo(t)
	cs := connect(t, r, Options{})
	for _, c := range []struct {
		tool string
		args map[string]any
		want string
	}{
		{"show", map[string]any{"id": "nothing-like-this"}, `no incident matches \"nothing-like-this\"`},
		{"show", map[string]any{"id": "checkout"}, "matches more than one incident"},
		{"show", map[string]any{}, "id"},
		{"search", map[string]any{"query": `"unclosed`}, "bad query at column"},
		// errors name the tool's arguments, not the command line's flags
		{"timeline_since", map[string]any{"id": checkoutEU, "since": "yesterday"}, `since: \"yesterday\" is not`},
		{"postmortem", map[string]any{"id": checkoutUS}, "has no postmortem"},
		{"oncall", map[string]any{"rotation": "nope"}, "nope"},
	} {
		text, isErr := call(t, cs, c.tool, c.args)
		if !isErr || !strings.Contains(text, c.want) || strings.Contains(text, "--") {
			t.Errorf("%s %v: error %v, %s; want an error with %s", c.tool, c.args, isErr, text, c.want)
		}
	}
}

// outputs is everything the tools and the resource give for each
// incident and for searches that would find the canary.
func outputs(t *testing.T, r *repo, cs *mcp.ClientSession) []string {
	t.Helper()
	var outs []string
	add := func(tool string, args map[string]any) {
		text, _ := call(t, cs, tool, args)
		outs = append(outs, text)
	}
	// the canary itself is searched for in TestRestrictedInvisible: the
	// query is echoed
	for _, q := range []string{"key", "credential leak", "posted", "restricted"} {
		add("search", map[string]any{"query": q, "limit": 0})
	}
	add("list_open", nil)
	for _, id := range []string{checkoutEU, checkoutUS, r.canaryID, strings.TrimPrefix(r.canaryID, "2026-03-02-")} {
		for _, tool := range []string{"show", "similar", "postmortem"} {
			add(tool, map[string]any{"id": id})
		}
		add("timeline_since", map[string]any{"id": id, "since": "2026-01-01"})
		res, err := cs.ReadResource(context.Background(), &mcp.ReadResourceParams{URI: incidentURI + id})
		b, _ := json.Marshal(res)
		outs = append(outs, string(b))
		if err != nil {
			outs = append(outs, err.Error())
		}
	}
	for _, res := range resources(t, cs) {
		b, _ := json.Marshal(res)
		outs = append(outs, string(b))
	}
	return outs
}

// resources lists every resource, page after page.
func resources(t *testing.T, cs *mcp.ClientSession) []*mcp.Resource {
	t.Helper()
	var out []*mcp.Resource
	for res, err := range cs.Resources(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, res)
	}
	return out
}

// resources/list names every incident the tools show, newest first, a
// page at a time, each readable; not one the gate rejects, nor a
// restricted one unless the server includes them. A listing sees
// incidents declared after the server started.
func TestResourcesListed(t *testing.T) {
	r := newRepo(t)
	uris := func(o Options) []string {
		o.pageSize = 1
		cs := connect(t, r, o)
		var out []string
		for _, res := range resources(t, cs) {
			out = append(out, res.URI)
			got, err := cs.ReadResource(context.Background(), &mcp.ReadResourceParams{URI: res.URI})
			if err != nil {
				t.Fatalf("read %s: %v", res.URI, err)
			}
			var shown struct {
				Incident struct{ ID, Title string }
			}
			if err := json.Unmarshal([]byte(got.Contents[0].Text), &shown); err != nil || shown.Incident.ID != res.Name || shown.Incident.Title != res.Title {
				t.Errorf("%s reads as %s (%v)", res.URI, got.Contents[0].Text, err)
			}
		}
		return out
	}
	if got, want := uris(Options{}), []string{incidentURI + checkoutUS, incidentURI + checkoutEU}; !slices.Equal(got, want) {
		t.Errorf("resources listed:\n%q\nwant\n%q", got, want)
	}
	got := uris(Options{IncludeRestricted: true})
	if len(got) != 3 || !slices.Contains(got, incidentURI+r.canaryID) {
		t.Errorf("with IncludeRestricted the resources are %q, want the restricted one too", got)
	}

	cs := connect(t, r, Options{AllowWrite: true, By: "bob"})
	before := len(resources(t, cs))
	if text, isErr := call(t, cs, "declare", map[string]any{"title": "Search is slow"}); isErr {
		t.Fatal(text)
	}
	after := resources(t, cs)
	if len(after) != before+1 || after[0].Title != "Search is slow" || after[0].MIMEType != "application/json" {
		b, _ := json.Marshal(after)
		t.Errorf("after a declare the resources are %s", b)
	}
	if _, err := cs.ListResources(context.Background(), &mcp.ListResourcesParams{Cursor: "not a cursor"}); err == nil {
		t.Error("a cursor the server did not give was accepted")
	}
}

func TestRestrictedInvisible(t *testing.T) {
	r := newRepo(t)
	for _, o := range []Options{{}, {AllowWrite: true, By: "bob"}} {
		cs := connect(t, r, o)
		for _, out := range outputs(t, r, cs) {
			if strings.Contains(strings.ToLower(out), canary) {
				t.Errorf("restricted text in %s", out)
			}
		}
		if text, _ := call(t, cs, "search", map[string]any{"query": canary}); !strings.Contains(text, `"total":0`) {
			t.Errorf("search for the canary: %s", text)
		}
		text, isErr := call(t, cs, "show", map[string]any{"id": r.canaryID})
		if !isErr || !strings.Contains(text, "no incident matches") {
			t.Errorf("show of the restricted incident: %s; want not found", text)
		}
		if _, err := cs.ReadResource(context.Background(), &mcp.ReadResourceParams{URI: incidentURI + r.canaryID}); err == nil {
			t.Error("the restricted incident was read as a resource")
		}
	}
	// the same calls see it with IncludeRestricted: the test can fail
	cs := connect(t, r, Options{IncludeRestricted: true})
	seen := 0
	for _, out := range outputs(t, r, cs) {
		if strings.Contains(strings.ToLower(out), canary) {
			seen++
		}
	}
	if seen < 5 {
		t.Errorf("with IncludeRestricted the canary is in %d outputs, want it in search, show, timeline, postmortem and the resource", seen)
	}
}

func TestRestrictedNotWritten(t *testing.T) {
	r := newRepo(t)
	cs := connect(t, r, Options{AllowWrite: true, By: "bob"})
	head := r.git(t, "rev-parse", "HEAD")
	for _, c := range []struct {
		tool string
		args map[string]any
	}{
		{"note", map[string]any{"id": r.canaryID, "text": "seen"}},
		{"ack", map[string]any{"id": r.canaryID}},
		{"status", map[string]any{"id": r.canaryID, "status": "resolved"}},
		{"assign", map[string]any{"id": r.canaryID, "role": "comms", "person": "bob"}},
	} {
		text, isErr := call(t, cs, c.tool, c.args)
		if !isErr || !strings.Contains(text, "no incident matches") || strings.Contains(strings.ToLower(text), canary) {
			t.Errorf("%s on the restricted incident: %s; want not found", c.tool, text)
		}
	}
	if now := r.git(t, "rev-parse", "HEAD"); now != head {
		t.Errorf("a write tool committed %s on a restricted incident", now)
	}
}

func TestWriteToolsCommitOnce(t *testing.T) {
	r := newRepo(t)
	cs := connect(t, r, Options{AllowWrite: true, By: "bob"})
	for _, c := range []struct {
		tool string
		args map[string]any
		want string
	}{
		{"declare", map[string]any{"title": "Search is slow", "severity": "2", "tags": []string{"search"}}, `"incident":"2026-03-02-search-is-slow"`},
		{"note", map[string]any{"id": checkoutEU, "text": "Gateway latency is back to normal", "milestone": "mitigated"}, `"milestone":"mitigated"`},
		{"ack", map[string]any{"id": checkoutEU, "note": "On it"}, `"milestone":"acknowledged"`},
		{"assign", map[string]any{"id": checkoutEU, "role": "comms", "person": "carol"}, `"person":"carol"`},
		{"status", map[string]any{"id": checkoutEU, "status": "resolved"}, `"status":"resolved"`},
		{"declare", map[string]any{"title": "Index upgrade", "kind": "maintenance", "window": "2026-03-10T02:00:00Z/2026-03-10T04:00:00Z"}, `"incident":"2026-03-02-index-upgrade"`},
	} {
		before := r.git(t, "rev-list", "--count", "HEAD")
		text, isErr := call(t, cs, c.tool, c.args)
		if isErr || !strings.Contains(text, c.want) {
			t.Errorf("%s: %s; want %s", c.tool, text, c.want)
			continue
		}
		after := r.git(t, "rev-list", "--count", "HEAD")
		if b, a := count(t, before), count(t, after); a != b+1 {
			t.Errorf("%s made %d commits, want 1", c.tool, a-b)
		}
		if author := r.git(t, "log", "-1", "--format=%an"); author != "bob" {
			t.Errorf("%s: the commit's author is %q, want bob", c.tool, author)
		}
		head := r.git(t, "rev-parse", "HEAD")
		if !strings.Contains(text, head) {
			t.Errorf("%s: %s does not name the commit %s", c.tool, text, head)
		}
		if st := r.git(t, "status", "--porcelain"); st != "" {
			t.Errorf("%s left the working tree dirty:\n%s", c.tool, st)
		}
	}
	// acknowledging again records nothing and says so
	before := r.git(t, "rev-parse", "HEAD")
	text, isErr := call(t, cs, "ack", map[string]any{"id": "checkout-errors-in-eu"})
	if isErr || !strings.Contains(text, "was acknowledged already") || !strings.Contains(text, `"incident":"`+checkoutEU+`"`) {
		t.Errorf("second ack: %s", text)
	}
	if r.git(t, "rev-parse", "HEAD") != before {
		t.Error("a second ack made a commit")
	}
	// what the tools wrote reads back through show
	text, _ = call(t, cs, "show", map[string]any{"id": checkoutEU})
	for _, w := range []string{"Gateway latency is back to normal", `"status":"resolved"`} {
		if !strings.Contains(text, w) {
			t.Errorf("show after the writes: %s\nhas no %s", text, w)
		}
	}
	// refused changes say why and commit nothing
	before = r.git(t, "rev-parse", "HEAD")
	for _, c := range []struct {
		tool string
		args map[string]any
		want string
	}{
		{"note", map[string]any{"id": "checkout", "text": "x"}, "matches more than one incident"},
		{"status", map[string]any{"id": checkoutUS, "status": "on-fire"}, "on-fire"},
		{"note", map[string]any{"id": checkoutUS}, "text"},
		{"declare", map[string]any{"title": " "}, "declare needs a title"},
		{"declare", map[string]any{"title": "Upgrade", "window": "2026-03-10T02:00:00Z/2026-03-10T04:00:00Z"}, "window: only a maintenance has a planned window; add kind maintenance"},
	} {
		text, isErr := call(t, cs, c.tool, c.args)
		if !isErr || !strings.Contains(text, c.want) {
			t.Errorf("%s %v: %s; want an error with %s", c.tool, c.args, text, c.want)
		}
	}
	if r.git(t, "rev-parse", "HEAD") != before {
		t.Error("a refused change made a commit")
	}
	r.git(t, "fsck", "--strict")
}

func count(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
