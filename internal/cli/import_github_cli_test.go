package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/ghfake"
)

// sev import github against the fake GitHub, which checks every request
// against GitHub's OpenAPI description: the labelled issues become
// incidents in one commit that validates; a second run writes nothing; a
// comment added on GitHub is appended once by the next run; a refused
// token is explained without being printed.
func TestImportGitHubCommand(t *testing.T) {
	const token = "ghp_importTOKEN42"
	env := gitEnv(t)
	dir := filepath.Join(t.TempDir(), "incidents")
	git(t, env, filepath.Dir(dir), "init", "-q", dir)
	if _, e, code := sev(t, env, dir, "init"); code != 0 {
		t.Fatalf("sev init: %s", e)
	}
	gh := ghfake.New(t, ghfake.Options{Owner: "acme", Repo: "status", Token: token})
	env = append(env, "GITHUB_API_URL="+gh.URL, "GITHUB_TOKEN="+token, "GH_TOKEN=")

	bot := "github-actions[bot]"
	down := gh.AddIssue(ghfake.Issue{Title: "🛑 Example API is down", Author: bot, Labels: []string{"status", "example-api"},
		Body: "In [`3f2a9c1`](https://github.com/acme/status/commit/3f2a9c1), Example API (https://api.example.com) was **down**:\n- HTTP code: 503\n- Response time: 412 ms\n"})
	gh.AddComment(down, bot, "**Resolved:** Example API is back up in [`7d6e5f4`](https://github.com/acme/status/commit/7d6e5f4) after 3 minutes.")
	gh.SetState(down, "closed", "", bot)
	checkout := gh.AddIssue(ghfake.Issue{Title: "Checkout errors", Author: "ana", Labels: []string{"status", "sev1", "payments"}, Body: "Card payments fail."})
	gh.AddComment(checkout, "bob", "Rolled back the SDK")
	gh.SetState(checkout, "closed", "", "bob")
	gh.SetState(checkout, "open", "", "ana")
	gh.AddIssue(ghfake.Issue{Title: "Add a check", Labels: []string{"status"}, PR: true})
	gh.AddIssue(ghfake.Issue{Title: "A feature request", Labels: []string{"enhancement"}})

	run := func(args ...string) (string, string, int) {
		t.Helper()
		return sev(t, env, dir, append([]string{"import", "github", "acme/status", "--label", "status"}, args...)...)
	}
	out, errOut, code := run()
	if code != 0 || !strings.Contains(out, "Imported 2 record(s) from github: 2 new, 0 updated, 0 unchanged, 0 left out") || !strings.Contains(out, "Committed") {
		t.Fatalf("the import: exit %d\n%s%s", code, out, errOut)
	}
	if out, errOut, code := sev(t, env, dir, "validate"); code != 0 {
		t.Fatalf("the import does not validate:\n%s%s", out, errOut)
	}
	record := func(id, file string) string {
		data, err := os.ReadFile(filepath.Join(dir, "incidents", "2026", id, file))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	rec := record("2026-03-02-example-api-is-down", "incident.yaml")
	for _, want := range []string{"title: Example API is down\n", "severity: 1\n", "status: resolved\n", "services: [example-api]\n",
		"visibility: internal\n", "  resolved: 2026-03-02T14:03:00Z\n", "  system: github\n", "  id: acme/status#1\n",
		"  url: https://github.com/acme/status/issues/1\n"} {
		if !strings.Contains(rec, want) {
			t.Errorf("the Upptime incident lacks %q:\n%s", want, rec)
		}
	}
	rec = record("2026-03-02-checkout-errors", "incident.yaml")
	if !strings.Contains(rec, "status: open\n") || !strings.Contains(rec, "tags: [payments]\n") || strings.Contains(rec, "resolved:") {
		t.Errorf("the reopened incident:\n%s", rec)
	}

	out, _, code = run()
	if code != 0 || !strings.Contains(out, "0 new, 0 updated, 2 unchanged") || !strings.Contains(out, "Nothing to write") {
		t.Errorf("a second import: exit %d\n%s", code, out)
	}
	gh.AddComment(checkout, "carol", "Found the cause: an expired certificate")
	for i, want := range []string{"0 new, 1 updated, 1 unchanged", "0 new, 0 updated, 2 unchanged"} {
		if out, errOut, code := run(); code != 0 || !strings.Contains(out, want) {
			t.Errorf("import %d after a new comment: exit %d, want %q\n%s%s", i+1, code, want, out, errOut)
		}
	}
	if n := strings.Count(record("2026-03-02-checkout-errors", "timeline.yaml"), "an expired certificate"); n != 1 {
		t.Errorf("the new comment is in the timeline %d times, want once", n)
	}
	if log := git(t, env, dir, "log", "--format=%s"); strings.Count(log, "import: ") != 2 {
		t.Errorf("want two import commits:\n%s", log)
	}

	bad := append(env, "GITHUB_TOKEN=ghp_revokedTOKEN7")
	out, errOut, code = sev(t, bad, dir, "import", "github", "acme/status", "--label", "status")
	if code != 1 || !strings.Contains(errOut, "import github acme/status: GitHub did not accept the token (401") ||
		strings.Contains(out+errOut, "ghp_revokedTOKEN7") || strings.Contains(errOut, "Usage:") {
		t.Errorf("a revoked token: exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code = sev(t, env, dir, "import", "github", "acme/status")
	if code != 2 || !strings.Contains(errOut, "name the label that marks incidents, e.g. --label incident") {
		t.Errorf("no --label: exit %d\n%s%s", code, out, errOut)
	}
}
