package ghaction

import (
	"strings"
	"testing"
)

func runnerEnv() map[string]string {
	return map[string]string{
		"GITHUB_EVENT_NAME":   "issue_comment",
		"GITHUB_EVENT_PATH":   "/home/runner/work/_temp/_github_workflow/event.json",
		"GITHUB_REPOSITORY":   "acme/incidents",
		"GITHUB_SHA":          "ffac537e6cbbf934b08745a378932722df287a53",
		"GITHUB_REF":          "refs/heads/main",
		"GITHUB_ACTOR":        "octocat",
		"GITHUB_SERVER_URL":   "https://github.com",
		"GITHUB_API_URL":      "https://api.github.com",
		"GITHUB_RUN_ID":       "1658821493",
		"GITHUB_OUTPUT":       "/home/runner/work/_temp/_runner_file_commands/set_output_1",
		"GITHUB_STEP_SUMMARY": "/home/runner/work/_temp/_runner_file_commands/step_summary_1",
		"GITHUB_WORKSPACE":    "/home/runner/work/incidents/incidents",
		"RUNNER_TEMP":         "/home/runner/work/_temp",
		"RUNNER_DEBUG":        "1",
	}
}

func getenv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestFromEnv(t *testing.T) {
	r, err := FromEnv(getenv(runnerEnv()))
	if err != nil {
		t.Fatal(err)
	}
	want := Run{
		EventName: "issue_comment", EventPath: "/home/runner/work/_temp/_github_workflow/event.json",
		Repository: "acme/incidents", SHA: "ffac537e6cbbf934b08745a378932722df287a53", Ref: "refs/heads/main",
		Actor: "octocat", ServerURL: "https://github.com", APIURL: "https://api.github.com", RunID: 1658821493,
		OutputPath:  "/home/runner/work/_temp/_runner_file_commands/set_output_1",
		SummaryPath: "/home/runner/work/_temp/_runner_file_commands/step_summary_1",
		Workspace:   "/home/runner/work/incidents/incidents", Temp: "/home/runner/work/_temp", Debug: true,
	}
	if *r != want {
		t.Errorf("FromEnv =\n%+v\nwant\n%+v", *r, want)
	}
	if r.Owner() != "acme" || r.Name() != "incidents" {
		t.Errorf("Owner, Name = %q, %q", r.Owner(), r.Name())
	}
	if got := r.RunURL(); got != "https://github.com/acme/incidents/actions/runs/1658821493" {
		t.Errorf("RunURL = %q", got)
	}
}

// TestFromEnvMissing: every missing variable is named in one message, and
// GITHUB_REF and RUNNER_DEBUG are optional.
func TestFromEnvMissing(t *testing.T) {
	env := runnerEnv()
	for _, k := range []string{"GITHUB_OUTPUT", "RUNNER_TEMP", "GITHUB_EVENT_PATH", "GITHUB_REF", "RUNNER_DEBUG"} {
		delete(env, k)
	}
	_, err := FromEnv(getenv(env))
	if err == nil {
		t.Fatal("FromEnv accepted an environment without GITHUB_EVENT_PATH, GITHUB_OUTPUT and RUNNER_TEMP")
	}
	want := "GITHUB_EVENT_PATH, GITHUB_OUTPUT and RUNNER_TEMP are not set"
	if !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "GITHUB_REF") {
		t.Errorf("error %q does not say %q (and only that)", err, want)
	}
	if _, err := FromEnv(func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "GITHUB_EVENT_NAME, ") {
		t.Errorf("an empty environment: %v", err)
	}
	delete(env, "GITHUB_SHA")
	env["GITHUB_EVENT_PATH"], env["GITHUB_OUTPUT"], env["RUNNER_TEMP"] = "e", "o", "t"
	if _, err := FromEnv(getenv(env)); err == nil || !strings.Contains(err.Error(), "GITHUB_SHA is not set") {
		t.Errorf("one missing variable: %v", err)
	}
}

func TestFromEnvMalformed(t *testing.T) {
	for _, c := range []struct{ key, value, want string }{
		{"GITHUB_REPOSITORY", "acme", `GITHUB_REPOSITORY is "acme", not owner/name`},
		{"GITHUB_REPOSITORY", "acme/in cidents", "not owner/name"},
		{"GITHUB_REPOSITORY", "acme/incidents/extra", "not owner/name"},
		{"GITHUB_SHA", "ffac537", "not a full commit id"},
		{"GITHUB_SHA", "FFAC537E6CBBF934B08745A378932722DF287A53", "not a full commit id"},
		{"GITHUB_RUN_ID", "12x", `GITHUB_RUN_ID is "12x", not a positive whole number`},
		{"GITHUB_RUN_ID", "-4", "not a positive whole number"},
		{"GITHUB_SERVER_URL", "github.com", "GITHUB_SERVER_URL"},
		{"GITHUB_API_URL", "https://token@api.github.com", "GITHUB_API_URL"},
		{"GITHUB_API_URL", "javascript:alert(1)", "GITHUB_API_URL"},
		{"GITHUB_REF", "main", "GITHUB_REF"},
	} {
		env := runnerEnv()
		env[c.key] = c.value
		_, err := FromEnv(getenv(env))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s=%q: error %v, want it to say %q", c.key, c.value, err, c.want)
		}
	}
	env := runnerEnv()
	env["GITHUB_API_URL"] = "https://github.example.com/api/v3"
	env["GITHUB_SHA"] = strings.Repeat("ab", 32)
	if _, err := FromEnv(getenv(env)); err != nil {
		t.Errorf("GitHub Enterprise Server's API URL and a SHA-256 commit id: %v", err)
	}
}
