package ghsetup_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sev-dev/sev/internal/ghapi"
	"github.com/sev-dev/sev/internal/ghfake"
	"github.com/sev-dev/sev/internal/ghsetup"
	"github.com/sev-dev/sev/internal/rule"
	"github.com/sev-dev/sev/internal/scaffold"
)

const commit = "0123456789abcdef0123456789abcdef01234567"

// workflows are what sev init writes for a repository on main, with
// edit applied to the files.
func workflows(t *testing.T, edit func(map[string][]byte)) fstest.MapFS {
	t.Helper()
	files := map[string][]byte{}
	if err := scaffold.AddGitHub(files, scaffold.GitHub{Commit: commit, Tag: "v1.4.0", Branch: "main"}); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(files)
	}
	fsys := fstest.MapFS{}
	for p, data := range files {
		fsys[p] = &fstest.MapFile{Data: data}
	}
	return fsys
}

// passEnv adds NAME: ${{ secrets.NAME }} to the env of every step that
// runs sev in the workflows that run the rules.
func passEnv(name string) func(map[string][]byte) {
	return func(files map[string][]byte) {
		for _, f := range []string{"automate.yml", "chatops.yml", "intake.yml"} {
			p := ".github/workflows/" + f
			files[p] = bytes.ReplaceAll(files[p], []byte("        env:\n"),
				[]byte("        env:\n          "+name+": ${{ secrets."+name+" }}\n"))
		}
	}
}

// healthy are the settings of a repository set up as docs/github.md says.
func healthy() ghfake.Settings {
	st := ghfake.DefaultSettings()
	st.Labels = []string{"incident", "security"}
	st.Pages = &ghfake.Pages{BuildType: "workflow"}
	st.Variables = map[string]string{"SEV_PAGES": "true", "SEV_APP_CLIENT_ID": "Iv1.abc"}
	st.Secrets = []string{"SEV_APP_PRIVATE_KEY", "SECURITY_CHAT_WEBHOOK"}
	st.Rulesets = []ghfake.Ruleset{{ID: 9, Name: "main", Rules: []string{"pull_request", "required_status_checks", "non_fast_forward"},
		RequiredChecks: []string{"validate"}, BypassIntegrations: []int64{1234}}}
	return st
}

var needs = rule.Needs{Env: []string{"SECURITY_CHAT_WEBHOOK"}, Labels: []string{"security"}}

func doctor(t *testing.T, st ghfake.Settings, fsys fstest.MapFS, n rule.Needs) (*ghsetup.Report, *ghfake.Server, *ghapi.Client, *ghsetup.Local) {
	t.Helper()
	gh := ghfake.New(t, ghfake.Options{Token: "t"})
	gh.SetSettings(st)
	api, err := ghapi.New(ghapi.Options{Repo: ghapi.Repo{Owner: "sev-dev", Name: "incidents"}, Token: "t", BaseURL: gh.URL,
		Now: func() time.Time { return time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	local, err := ghsetup.ReadLocal(fsys, n, false)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ghsetup.Doctor(context.Background(), api, local)
	if err != nil {
		t.Fatal(err)
	}
	return r, gh, api, local
}

func item(r *ghsetup.Report, check string, st ghsetup.Status) *ghsetup.Item {
	for i, it := range r.Items {
		if it.Check == check && it.Status == st {
			return &r.Items[i]
		}
	}
	return nil
}

func TestDoctorOnAHealthyRepository(t *testing.T) {
	r, _, _, _ := doctor(t, healthy(), workflows(t, passEnv("SECURITY_CHAT_WEBHOOK")), needs)
	for _, it := range r.Items {
		if it.Status != ghsetup.OK {
			t.Errorf("%s: %s: %s (fix: %s)", it.Check, it.Status, it.What, it.Fix)
		}
	}
	if len(r.Items) < 10 {
		t.Errorf("only %d items checked: %+v", len(r.Items), r.Items)
	}
}

// TestDoctorFindsEachMisconfiguration sets a healthy repository up wrongly
// in one way at a time and checks the doctor names it, with a fix.
func TestDoctorFindsEachMisconfiguration(t *testing.T) {
	for _, c := range []struct {
		name     string
		settings func(*ghfake.Settings)
		files    func(map[string][]byte)
		needs    *rule.Needs
		check    string
		status   ghsetup.Status
		says     string
		fixes    int // items to fix, when more than this one
	}{
		{name: "the intake label is missing", settings: func(s *ghfake.Settings) { s.Labels = []string{"security"} },
			check: "label", status: ghsetup.Fix, says: `the label "incident" is missing`},
		{name: "a label rules add is missing", settings: func(s *ghfake.Settings) { s.Labels = []string{"incident"} },
			check: "rule-labels", status: ghsetup.Warn, says: "security"},
		{name: "a protected branch without an App", settings: func(s *ghfake.Settings) {
			delete(s.Variables, "SEV_APP_CLIENT_ID")
			s.Secrets = []string{"SECURITY_CHAT_WEBHOOK"}
		},
			check: "branch", status: ghsetup.Fix, says: "GitHub rejects the pushes of automation, ChatOps and intake"},
		{name: "a ruleset the App may not bypass", settings: func(s *ghfake.Settings) { s.Rulesets[0].BypassIntegrations = nil },
			check: "branch", status: ghsetup.Fix, says: `no GitHub App may bypass the ruleset(s) "main" (9)`},
		{name: "classic branch protection", settings: func(s *ghfake.Settings) {
			s.Rulesets = nil
			s.Protection = &ghfake.Protection{RequiredChecks: []string{"validate"}, RequirePullRequests: true}
		}, check: "branch", status: ghsetup.Fix, says: "classic branch protection"},
		{name: "a token that cannot see the bypass list", settings: func(s *ghfake.Settings) { s.Forbidden = []string{"repos/update-repo-ruleset"} },
			check: "branch", status: ghsetup.Unknown, says: "whether the App may bypass them"},
		{name: "a required check no job reports", settings: func(s *ghfake.Settings) { s.Rulesets[0].RequiredChecks = []string{"pull request / validate"} },
			check: "checks", status: ghsetup.Fix, says: `required checks that no job on pull requests reports: "pull request / validate"`},
		{name: "a secret the rules read is missing", settings: func(s *ghfake.Settings) { s.Secrets = []string{"SEV_APP_PRIVATE_KEY"} },
			check: "secrets", status: ghsetup.Fix, says: "SECURITY_CHAT_WEBHOOK"},
		{name: "a secret the workflows do not pass", files: func(map[string][]byte) {},
			check: "secrets", status: ghsetup.Fix, says: "automate.yml (SECURITY_CHAT_WEBHOOK)"},
		{name: "secrets the token may not list", settings: func(s *ghfake.Settings) { s.Forbidden = []string{"actions/list-repo-secrets"} },
			check: "secrets", status: ghsetup.Unknown, says: "GitHub answered 403"},
		{name: "a workflow missing", files: func(f map[string][]byte) {
			passEnv("SECURITY_CHAT_WEBHOOK")(f)
			delete(f, ".github/workflows/intake.yml")
		},
			check: "workflows", status: ghsetup.Fix, says: "missing from .github/workflows: intake.yml"},
		{name: "a workflow not pinned to a release", files: func(f map[string][]byte) {
			passEnv("SECURITY_CHAT_WEBHOOK")(f)
			p := ".github/workflows/validate.yml"
			f[p] = bytes.ReplaceAll(f[p], []byte("sev-dev/sev@"+commit+" # v1.4.0"), []byte("sev-dev/sev@main"))
		}, check: "workflows", status: ghsetup.Warn, says: "validate.yml: sev-dev/sev@main"},
		{name: "automation on another branch", settings: func(s *ghfake.Settings) { s.DefaultBranch = "trunk"; s.Rulesets = nil },
			check: "workflows", status: ghsetup.Fix, says: "automate.yml runs on pushes to main, not to the default branch trunk", fixes: 2},
		{name: "write workflow tokens", settings: func(s *ghfake.Settings) { s.WorkflowPermissions = "write" },
			check: "permissions", status: ghsetup.Warn, says: "may write by default"},
		{name: "actions limited to the repository's own", settings: func(s *ghfake.Settings) { s.AllowedActions = "local_only" },
			check: "actions", status: ghsetup.Fix, says: "only the repository's own actions may run"},
		{name: "Actions off", settings: func(s *ghfake.Settings) { s.ActionsEnabled = false },
			check: "actions", status: ghsetup.Fix, says: "GitHub Actions is off"},
		{name: "Pages off while published", settings: func(s *ghfake.Settings) { s.Pages = nil },
			check: "pages", status: ghsetup.Fix, says: "GitHub Pages is off"},
		{name: "Pages from a branch", settings: func(s *ghfake.Settings) { s.Pages.BuildType = "legacy" },
			check: "pages", status: ghsetup.Fix, says: "publishes a branch"},
		{name: "issues off", settings: func(s *ghfake.Settings) { s.HasIssues = false },
			check: "issues", status: ghsetup.Fix, says: "issues are off"},
		{name: "the App's variable without its key", settings: func(s *ghfake.Settings) { s.Secrets = []string{"SECURITY_CHAT_WEBHOOK"} },
			check: "app", status: ghsetup.Fix, says: "SEV_APP_PRIVATE_KEY is missing"},
		{name: "team reviewers without an App", settings: func(s *ghfake.Settings) {
			delete(s.Variables, "SEV_APP_CLIENT_ID")
			s.Secrets = []string{"SECURITY_CHAT_WEBHOOK"}
			s.Rulesets = nil
		}, needs: &rule.Needs{Env: needs.Env, Labels: needs.Labels, Teams: true},
			check: "app", status: ghsetup.Warn, says: "request team reviewers"},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := healthy()
			if c.settings != nil {
				c.settings(&st)
			}
			edit := passEnv("SECURITY_CHAT_WEBHOOK")
			if c.files != nil {
				edit = c.files
			}
			n := needs
			if c.needs != nil {
				n = *c.needs
			}
			r, _, _, _ := doctor(t, st, workflows(t, edit), n)
			it := item(r, c.check, c.status)
			if it == nil || !strings.Contains(it.What, c.says) {
				t.Fatalf("no %s item %q saying %q in:\n%+v", c.status, c.check, c.says, r.Items)
			}
			if it.Status != ghsetup.OK && it.Fix == "" && it.Status != ghsetup.Unknown {
				t.Errorf("%s: no fix given", c.check)
			}
			if c.status == ghsetup.Fix && r.Count(ghsetup.Fix) != max(c.fixes, 1) {
				t.Errorf("%d items to fix; want only this one:\n%+v", r.Count(ghsetup.Fix), r.Items)
			}
		})
	}
}

// TestSetup creates the labels and turns Pages to the workflow; what the
// token may not do is reported and the rest still done.
func TestSetup(t *testing.T) {
	st := healthy()
	st.Labels = nil
	st.Pages = &ghfake.Pages{BuildType: "legacy", CNAME: "incidents.example.com"}
	r, gh, api, local := doctor(t, st, workflows(t, passEnv("SECURITY_CHAT_WEBHOOK")), needs)
	if r.Count(ghsetup.Fix) != 2 {
		t.Fatalf("before setup: %+v", r.Items)
	}
	steps, err := ghsetup.Setup(context.Background(), api, local, ghsetup.SetupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 3 {
		t.Errorf("steps: %+v", steps)
	}
	got := gh.Settings()
	if strings.Join(got.Labels, ",") != "incident,security" || got.Pages.BuildType != "workflow" || got.Pages.CNAME != "incidents.example.com" {
		t.Errorf("after setup: labels %v, pages %+v", got.Labels, got.Pages)
	}
	after, err := ghsetup.Doctor(context.Background(), api, local)
	if err != nil || after.Count(ghsetup.Fix) != 0 {
		t.Errorf("after setup, still to fix: %+v", after.Items)
	}
	// nothing left to do: setup changes nothing
	if steps, _ := ghsetup.Setup(context.Background(), api, local, ghsetup.SetupOptions{}); len(steps) != 0 {
		t.Errorf("a second setup did %+v", steps)
	}

	// publishing from scratch with --pages; a token without the Pages
	// permission is told so and the label is still created
	st = healthy()
	st.Labels, st.Pages, st.Variables = nil, nil, map[string]string{}
	st.Forbidden = []string{"repos/create-pages-site"}
	_, gh, api, local = doctor(t, st, workflows(t, nil), rule.Needs{})
	steps, err = ghsetup.Setup(context.Background(), api, local, ghsetup.SetupOptions{Pages: true})
	if err != nil {
		t.Fatal(err)
	}
	var failed []string
	for _, s := range steps {
		if s.Err != "" {
			failed = append(failed, s.What)
		}
	}
	if strings.Join(failed, "|") != "enable GitHub Pages, deployed by the site workflow" || gh.Settings().Variables["SEV_PAGES"] != "true" ||
		strings.Join(gh.Settings().Labels, ",") != "incident" {
		t.Errorf("setup --pages without the Pages permission: %+v; settings %+v", steps, gh.Settings())
	}
}
