package ghaction

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Run is one workflow step as the runner describes it in the environment.
type Run struct {
	// EventName is the event that started the workflow (GITHUB_EVENT_NAME),
	// e.g. "push" or "issue_comment".
	EventName string
	// EventPath is the file holding the event's webhook payload
	// (GITHUB_EVENT_PATH).
	EventPath string
	// Repository is "owner/name" (GITHUB_REPOSITORY).
	Repository string
	// SHA is the commit the workflow runs on (GITHUB_SHA).
	SHA string
	// Ref is the branch or tag ref the workflow runs on, e.g.
	// "refs/heads/main" (GITHUB_REF); empty for some events.
	Ref string
	// Actor is the login of the person or app that started the run
	// (GITHUB_ACTOR).
	Actor string
	// ServerURL is GitHub's web address, e.g. https://github.com
	// (GITHUB_SERVER_URL).
	ServerURL string
	// APIURL is the REST API's root, e.g. https://api.github.com
	// (GITHUB_API_URL).
	APIURL string
	// RunID identifies the workflow run (GITHUB_RUN_ID).
	RunID int64
	// OutputPath is the step's outputs file (GITHUB_OUTPUT); see SetOutput.
	OutputPath string
	// SummaryPath is the step's job summary file (GITHUB_STEP_SUMMARY); see
	// AppendSummary.
	SummaryPath string
	// Workspace is the folder the repository is checked out in
	// (GITHUB_WORKSPACE).
	Workspace string
	// Temp is a folder emptied after each job (RUNNER_TEMP).
	Temp string
	// Debug is true when the run was started with debug logging
	// (RUNNER_DEBUG=1).
	Debug bool
}

// required lists the variables FromEnv needs, in the order errors name them.
var required = []string{
	"GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_REPOSITORY", "GITHUB_SHA",
	"GITHUB_ACTOR", "GITHUB_SERVER_URL", "GITHUB_API_URL", "GITHUB_RUN_ID",
	"GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE", "RUNNER_TEMP",
}

var (
	repoPattern = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)
	shaPattern  = regexp.MustCompile(`^([0-9a-f]{40}|[0-9a-f]{64})$`)
)

// FromEnv reads the step's environment through getenv (os.Getenv in the
// CLI, a map in tests). The error names every variable that is missing or
// malformed, not only the first.
func FromEnv(getenv func(string) string) (*Run, error) {
	var missing []string
	for _, k := range required {
		if getenv(k) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("ghaction: %s not set: sev's GitHub commands run as a step of a GitHub Actions workflow "+
			"(to run one elsewhere, set these variables as the runner would; see docs/workflows.md)", listVars(missing))
	}
	r := &Run{
		EventName: getenv("GITHUB_EVENT_NAME"), EventPath: getenv("GITHUB_EVENT_PATH"),
		Repository: getenv("GITHUB_REPOSITORY"), SHA: getenv("GITHUB_SHA"), Ref: getenv("GITHUB_REF"),
		Actor: getenv("GITHUB_ACTOR"), ServerURL: getenv("GITHUB_SERVER_URL"), APIURL: getenv("GITHUB_API_URL"),
		OutputPath: getenv("GITHUB_OUTPUT"), SummaryPath: getenv("GITHUB_STEP_SUMMARY"),
		Workspace: getenv("GITHUB_WORKSPACE"), Temp: getenv("RUNNER_TEMP"), Debug: getenv("RUNNER_DEBUG") == "1",
	}
	if problems := r.check(getenv("GITHUB_RUN_ID")); len(problems) > 0 {
		return nil, fmt.Errorf("ghaction: %s", strings.Join(problems, "; "))
	}
	return r, nil
}

// check validates the values whose shape sev relies on and sets RunID.
func (r *Run) check(runID string) []string {
	var problems []string
	bad := func(name, value, want string) {
		problems = append(problems, fmt.Sprintf("%s is %q, not %s", name, value, want))
	}
	if !repoPattern.MatchString(r.Repository) {
		bad("GITHUB_REPOSITORY", r.Repository, "owner/name")
	}
	if !shaPattern.MatchString(r.SHA) {
		bad("GITHUB_SHA", r.SHA, "a full commit id in lower-case hex")
	}
	id, err := strconv.ParseInt(runID, 10, 64)
	if err != nil || id <= 0 {
		bad("GITHUB_RUN_ID", runID, "a positive whole number")
	}
	r.RunID = id
	for _, u := range [][2]string{{"GITHUB_SERVER_URL", r.ServerURL}, {"GITHUB_API_URL", r.APIURL}} {
		if !webURL(u[1]) {
			bad(u[0], u[1], "an absolute http(s) URL without user, query or fragment")
		}
	}
	if r.Ref != "" && !strings.HasPrefix(r.Ref, "refs/") {
		bad("GITHUB_REF", r.Ref, "a full ref such as refs/heads/main")
	}
	return problems
}

func webURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" &&
		u.User == nil && u.RawQuery == "" && u.Fragment == ""
}

// Owner is the part of Repository before the slash.
func (r *Run) Owner() string {
	owner, _, _ := strings.Cut(r.Repository, "/")
	return owner
}

// Name is the part of Repository after the slash.
func (r *Run) Name() string {
	_, name, _ := strings.Cut(r.Repository, "/")
	return name
}

// RunURL is the web page of the workflow run, for links in comments and
// summaries.
func (r *Run) RunURL() string {
	return fmt.Sprintf("%s/%s/actions/runs/%d", strings.TrimSuffix(r.ServerURL, "/"), r.Repository, r.RunID)
}

// listVars joins names as "A is", "A and B are", "A, B and C are".
func listVars(names []string) string {
	switch len(names) {
	case 1:
		return names[0] + " is"
	case 2:
		return names[0] + " and " + names[1] + " are"
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + " are"
}
