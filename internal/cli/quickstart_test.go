package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/ghfake"
)

// TestQuickstart runs docs/quickstart.md's path against a local remote and
// the fake GitHub API; see that page's last section for what it covers
// and what it cannot.
func TestQuickstart(t *testing.T) {
	doc, err := os.ReadFile("../../docs/quickstart.md")
	if err != nil {
		t.Fatal(err)
	}
	var commands []string
	for _, block := range regexp.MustCompile("(?s)<!-- quickstart -->\n```sh\n(.*?)```").FindAllStringSubmatch(string(doc), -1) {
		commands = append(commands, strings.Split(strings.TrimSpace(block[1]), "\n")...)
	}
	want := []string{"sev version", `sev init --name "Acme" --timezone Europe/Berlin`, "git push -u origin main",
		"export GH_TOKEN=$(gh auth token)", "sev github setup --pages", "sev github doctor", "git pull", "sev list --open"}
	if strings.Join(commands, "\n") != strings.Join(want, "\n") {
		t.Fatalf("docs/quickstart.md's commands are\n%s\nbut this test runs\n%s", strings.Join(commands, "\n"), strings.Join(want, "\n"))
	}

	env := gitEnv(t)
	root := t.TempDir()
	remote := filepath.Join(root, "github", "acme", "incidents.git")
	os.MkdirAll(filepath.Dir(remote), 0o755)
	git(t, env, root, "init", "-q", "--bare", remote)
	// sev's own repository, with a release to pin the workflows to
	sevsrc := filepath.Join(root, "sevsrc")
	git(t, env, root, "init", "-q", sevsrc)
	git(t, env, sevsrc, "commit", "-q", "--allow-empty", "-m", "release")
	git(t, env, sevsrc, "tag", "-a", "v1.4.0", "-m", "v1.4.0")
	// "gh repo create acme/incidents --clone": a clone whose origin is
	// github.com, which git sends to the local remote
	work := filepath.Join(root, "incidents")
	git(t, env, root, "init", "-q", work)
	git(t, env, work, "remote", "add", "origin", "https://github.com/acme/incidents")
	git(t, env, work, "config", "url."+remote+".insteadOf", "https://github.com/acme/incidents")
	fake := ghfake.New(t, ghfake.Options{Owner: "acme", Repo: "incidents", Token: "gho_quickstart"})
	env = append(env, "SEV_ACTION_REPO="+sevsrc, "GITHUB_API_URL="+strings.TrimSuffix(fake.URL, "/"))

	run := func(args ...string) string {
		t.Helper()
		out, e, code := sev(t, env, work, args...)
		if code != 0 {
			t.Fatalf("sev %s: exit %d\n%s\n%s", strings.Join(args, " "), code, out, e)
		}
		return out
	}
	if out := run("version"); !strings.HasPrefix(out, "sev ") {
		t.Errorf("sev version: %q", out)
	}
	run("init", "--name", "Acme", "--timezone", "Europe/Berlin", "--action-ref", "v1.4.0") // a release build pins itself
	git(t, env, work, "push", "-q", "-u", "origin", "main")
	env = append(env, "GH_TOKEN=gho_quickstart")

	// before setup the doctor finds the label missing: exit 1, with the fix
	out, _, code := sev(t, env, work, "github", "doctor")
	if code != 1 || !strings.Contains(out, `FIX   label        the label "incident" is missing`) || !strings.Contains(out, "fix: run sev github setup") {
		t.Errorf("sev github doctor before setup: exit %d\n%s", code, out)
	}
	out, _, _ = sev(t, env, work, "github", "doctor", "--json")
	if !strings.Contains(out, `"check": "label",`) || !strings.Contains(out, `"status": "fix",`) {
		t.Errorf("sev github doctor --json:\n%s", out)
	}
	if _, e, code := sev(t, append(gitEnv(t), "GITHUB_TOKEN=", "GH_TOKEN="), work, "github", "doctor"); code != 2 || !strings.Contains(e, "set GITHUB_TOKEN or GH_TOKEN") {
		t.Errorf("doctor without a token: exit %d, %s", code, e)
	}

	out = run("github", "setup", "--pages")
	for _, want := range []string{`did: create the label "incident"`, "did: set the variable SEV_PAGES to true", "did: enable GitHub Pages",
		"everything sev's workflows need is in place"} {
		if !strings.Contains(out, want) {
			t.Errorf("sev github setup --pages lacks %q:\n%s", want, out)
		}
	}
	out = run("github", "doctor")
	if !strings.Contains(out, "acme/incidents (default branch main)") || !strings.Contains(out, "everything sev's workflows need is in place") {
		t.Errorf("sev github doctor:\n%s", out)
	}

	// The first incident, from the issue form: the intake workflow's step.
	body := "### Severity\n\nSEV2\n\n### What is happening\n\nCheckout fails for EU cards\n\n### Who noticed\n\nSupport\n"
	n := fake.AddIssue(ghfake.Issue{Title: "Checkout errors in EU", Body: body, Labels: []string{"incident"}, Author: "octocat"})
	runner := filepath.Join(root, "runner")
	os.MkdirAll(runner, 0o755)
	checkout := filepath.Join(root, "checkout")
	git(t, env, root, "clone", "-q", "--depth", "1", "file://"+remote, checkout)
	p := ghfake.Event(t, "issues", "opened")
	is := p["issue"].(map[string]any)
	is["number"], is["title"], is["body"], is["html_url"] = n, "Checkout errors in EU", body, "https://github.com/acme/incidents/issues/"+strconv.Itoa(n)
	is["user"] = map[string]any{"login": "octocat", "type": "User", "id": 2}
	is["author_association"] = "OWNER"
	is["labels"] = []any{map[string]any{"name": "incident"}}
	delete(is, "pull_request")
	p["repository"] = map[string]any{"full_name": "acme/incidents", "name": "incidents", "default_branch": "main", "private": true,
		"visibility": "private", "html_url": "https://github.com/acme/incidents", "owner": map[string]any{"login": "acme", "type": "Organization"}}
	event := filepath.Join(runner, "event.json")
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(event, data, 0o644)
	head := strings.TrimSpace(git(t, env, checkout, "rev-parse", "HEAD"))
	step := append(append([]string{}, env...), "GITHUB_ACTIONS=true", "GITHUB_EVENT_NAME=issues", "GITHUB_EVENT_PATH="+event,
		"GITHUB_REPOSITORY=acme/incidents", "GITHUB_REPOSITORY_OWNER=acme", "GITHUB_SERVER_URL=https://github.com",
		"GITHUB_TOKEN=gho_quickstart", "GITHUB_SHA="+head, "GITHUB_REF=refs/heads/main", "GITHUB_ACTOR=octocat", "GITHUB_RUN_ID=1",
		"GITHUB_WORKSPACE="+checkout, "RUNNER_TEMP="+runner, "GITHUB_OUTPUT="+filepath.Join(runner, "output"),
		"GITHUB_STEP_SUMMARY="+filepath.Join(runner, "summary"))
	if out, e, code := sev(t, step, checkout, "github", "intake"); code != 0 || !strings.Contains(out, "declared ") {
		t.Fatalf("sev github intake: exit %d\n%s\n%s", code, out, e)
	}
	if c := fake.Comments(n); len(c) != 1 || !strings.Contains(c[0].Body, "Declared [") {
		t.Errorf("intake's reply: %+v", c)
	}

	git(t, env, work, "pull", "-q")
	if out := run("list", "--open"); !strings.Contains(out, "Checkout errors in EU") {
		t.Errorf("sev list --open after git pull:\n%s", out)
	}
	run("build")
	if _, err := os.Stat(filepath.Join(work, "public", "index.html")); err != nil {
		t.Errorf("sev build wrote no site: %v", err)
	}
	if st := git(t, env, work, "status", "--porcelain"); st != "" {
		t.Errorf("the clone is not clean after the build (public/ should be ignored):\n%s", st)
	}
}
