package ghaction

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/diag"
)

const prPayload = `{
  "action": "opened",
  "number": 7,
  "pull_request": {
    "number": 7, "title": "Declare: checkout errors", "body": null, "html_url": "https://github.com/acme/incidents/pull/7",
    "user": {"login": "mallory", "type": "User"},
    "head": {"ref": "patch-1", "sha": "1111111111111111111111111111111111111111", "repo": {"full_name": "mallory/incidents"}},
    "base": {"ref": "main", "sha": "2222222222222222222222222222222222222222", "repo": {"full_name": "acme/incidents"}}
  },
  "repository": {"full_name": "acme/incidents", "default_branch": "main"},
  "sender": {"login": "mallory", "type": "User"}
}`

func decodePR(t *testing.T, payload string) *PullRequestEvent {
	t.Helper()
	ev, err := Decode("pull_request", "event.json", []byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	return ev.(*PullRequestEvent)
}

// TestFromFork: a head in another repository, or one whose repository was
// deleted (repo: null), is a fork; the same repository in another case is
// not (GitHub names are case-insensitive).
func TestFromFork(t *testing.T) {
	if e := decodePR(t, prPayload); !e.FromFork() || e.PullRequest.Body != "" {
		t.Errorf("a head in mallory/incidents: FromFork = %v, body %q", e.FromFork(), e.PullRequest.Body)
	}
	gone := strings.Replace(prPayload, `"repo": {"full_name": "mallory/incidents"}`, `"repo": null`, 1)
	if e := decodePR(t, gone); !e.FromFork() {
		t.Error("a head whose repository was deleted is not treated as a fork")
	}
	same := strings.Replace(prPayload, `"mallory/incidents"`, `"ACME/Incidents"`, 1)
	if e := decodePR(t, same); e.FromFork() {
		t.Error("a head in the same repository is treated as a fork")
	}
}

// TestIssueCommentOnPullRequest: the examples hold no comment on a pull
// request, whose issue carries a pull_request object.
func TestIssueCommentOnPullRequest(t *testing.T) {
	payload := `{"action": "created",
	  "comment": {"id": 3000000001, "body": "/sev status mitigated", "html_url": "https://github.com/acme/incidents/pull/7#issuecomment-3000000001",
	    "user": {"login": "alice", "type": "User"}, "author_association": "MEMBER"},
	  "issue": {"number": 7, "title": "Checkout errors", "body": "", "html_url": "https://github.com/acme/incidents/pull/7",
	    "user": {"login": "alice"}, "labels": [{"name": "Incident"}],
	    "pull_request": {"html_url": "https://github.com/acme/incidents/pull/7"}},
	  "repository": {"full_name": "acme/incidents", "default_branch": "main"}, "sender": {"login": "alice"}}`
	ev, err := Decode("issue_comment", "event.json", []byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	e := ev.(*IssueCommentEvent)
	if !e.Issue.IsPullRequest() || !e.Issue.HasLabel("incident") || e.Issue.HasLabel("bug") {
		t.Errorf("IsPullRequest %v, HasLabel(incident) %v, HasLabel(bug) %v",
			e.Issue.IsPullRequest(), e.Issue.HasLabel("incident"), e.Issue.HasLabel("bug"))
	}
	if e.Comment.ID != 3000000001 || e.Comment.User.IsBot() || e.Comment.AuthorAssociation != "MEMBER" {
		t.Errorf("comment = %+v", e.Comment)
	}
}

func TestPushHelpers(t *testing.T) {
	for _, c := range []struct {
		ref, before   string
		branch        string
		isBranch, def bool
		base          string
	}{
		{"refs/heads/main", strings.Repeat("a", 40), "main", true, true, strings.Repeat("a", 40)},
		{"refs/heads/feature", strings.Repeat("0", 40), "feature", true, false, ""},
		{"refs/tags/main", strings.Repeat("b", 40), "", false, false, strings.Repeat("b", 40)},
	} {
		e := &PushEvent{Ref: c.ref, Before: c.before, Repository: Repository{DefaultBranch: "main"}}
		b, ok := e.Branch()
		if b != c.branch || ok != c.isBranch || e.OnDefaultBranch() != c.def || e.Base() != c.base {
			t.Errorf("%s from %.8s: Branch %q %v, OnDefaultBranch %v, Base %q", c.ref, c.before, b, ok, e.OnDefaultBranch(), e.Base())
		}
	}
}

// TestDecodeErrors: JSON that does not parse, or has a value of the wrong
// type, is reported with the file, line and column of the problem.
func TestDecodeErrors(t *testing.T) {
	for _, c := range []struct {
		name, payload, want string
	}{
		{"issues", "{\n  \"action\": \"opened\",\n  \"issue\": {\"number\": 1,,}\n}", "event.json:3:25: the payload is not valid JSON: invalid character ','"},
		{"issues", "{\n  \"action\": \"opened\",\n  \"issue\": {\"number\": \"12\"}\n}", "event.json:3:26: issue.number is a JSON string where sev expects a int"},
		{"push", `["a"]`, "event.json:1:1: the payload is a JSON array, not an object"},
		{"push", "", "event.json:1:1: the payload is not valid JSON: unexpected end of JSON input"},
		{"issue_comment", "{\"comment\": {\"body\": \"café ☕\", \"id\": true}}", "event.json:1:41: comment.id is a JSON bool where sev expects a int64"},
	} {
		_, err := Decode(c.name, "event.json", []byte(c.payload))
		var l diag.List
		if !errors.As(err, &l) || len(l) != 1 || !strings.HasPrefix(l[0].String(), c.want) {
			t.Errorf("%s %q: error %v, want one diagnostic starting %q", c.name, c.payload, err, c.want)
		}
	}
}

// TestDecodeMissingFields: a payload without the fields GitHub always
// sends is not this run's event; every missing field is named.
func TestDecodeMissingFields(t *testing.T) {
	_, err := Decode("issue_comment", "event.json", []byte(`{"action": "created", "comment": {"id": 5, "body": "/sev note x"}}`))
	var l diag.List
	if !errors.As(err, &l) {
		t.Fatalf("error %v is not a diag.List", err)
	}
	var named []string
	for _, d := range l {
		name := strings.Fields(strings.TrimPrefix(d.Message, "the issue_comment payload has no "))[0]
		named = append(named, strings.TrimSuffix(name, ";"))
		if d.Path != "event.json" || d.Check != "event-payload" || !strings.Contains(d.Message, "check GITHUB_EVENT_PATH") {
			t.Errorf("diagnostic %s", d)
		}
	}
	want := "comment.user.login comment.author_association repository.full_name issue.number issue.title issue.html_url issue.user.login"
	if got := strings.Join(named, " "); got != want {
		t.Errorf("missing fields named: %s\nwant: %s", got, want)
	}
	if _, err := Decode("pull_request", "event.json", []byte("null")); err == nil || !strings.Contains(err.Error(), "pull_request.head.sha") {
		t.Errorf("a null pull_request payload: %v", err)
	}
}

func TestDecodeUnknownEvent(t *testing.T) {
	_, err := Decode("pull_request_target", "event.json", []byte(prPayload))
	if err == nil || !strings.Contains(err.Error(), `"pull_request_target"`) || !strings.Contains(err.Error(), "issue_comment") {
		t.Errorf("error %v should name the event and the ones sev handles", err)
	}
}

// TestRunEvent reads the payload file; runs started by hand or by the
// schedule need none.
func TestRunEvent(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "event.json")
	if err := os.WriteFile(path, []byte(prPayload), 0o644); err != nil {
		t.Fatal(err)
	}
	ev, err := (&Run{EventName: "pull_request", EventPath: path}).Event()
	if err != nil || ev.(*PullRequestEvent).Number != 7 {
		t.Fatalf("Event() = %v, %v", ev, err)
	}
	missing := filepath.Join(dir, "missing.json")
	for name, want := range map[string]string{"workflow_dispatch": "workflow_dispatch", "schedule": "schedule"} {
		ev, err := (&Run{EventName: name, EventPath: missing}).Event()
		if err != nil || ev.Name() != want {
			t.Errorf("%s without a payload file: %v, %v", name, ev, err)
		}
	}
	if _, err := (&Run{EventName: "push", EventPath: missing}).Event(); err == nil || !strings.Contains(err.Error(), "GITHUB_EVENT_PATH") {
		t.Errorf("a missing payload file: %v", err)
	}
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, make([]byte, maxPayload+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := (&Run{EventName: "push", EventPath: big}).Event(); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("an oversized payload: %v", err)
	}
}
