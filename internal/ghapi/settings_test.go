package ghapi_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/sev-dev/sev/internal/ghapi"
	"github.com/sev-dev/sev/internal/ghfake"
)

// TestSettings reads and changes the repository settings sev github doctor
// and setup use, against the fake (which checks every request against
// GitHub's OpenAPI description).
func TestSettings(t *testing.T) {
	f := setup(t, ghfake.Options{})
	ctx := context.Background()
	st := ghfake.DefaultSettings()
	st.DefaultBranch = "trunk"
	st.Labels = []string{"bug"}
	st.Pages = &ghfake.Pages{BuildType: "legacy", CNAME: "incidents.example.com"}
	st.Protection = &ghfake.Protection{RequiredChecks: []string{"validate"}, RequirePullRequests: true, BypassApps: []string{"sev-bot"}}
	st.Rulesets = []ghfake.Ruleset{{ID: 5, Name: "main", Rules: []string{"pull_request", "required_status_checks"}, RequiredChecks: []string{"lint"}, BypassIntegrations: []int64{77}}}
	st.Secrets, st.OrgSecrets = []string{"CHAT_WEBHOOK"}, []string{"SEV_APP_PRIVATE_KEY"}
	st.Variables, st.OrgVariables = map[string]string{"SEV_PAGES": "true"}, map[string]string{"SEV_PAGES": "false", "SEV_APP_CLIENT_ID": "Iv1.x"}
	st.WorkflowPermissions = "write"
	f.gh.SetSettings(st)

	info, err := f.c.Repository(ctx)
	if err != nil || info.DefaultBranch != "trunk" || info.Visibility != "private" || !info.HasIssues {
		t.Errorf("Repository = %+v, %v", info, err)
	}
	if ok, err := f.c.Label(ctx, "incident"); ok || err != nil {
		t.Errorf("Label(incident) = %v, %v; want absent", ok, err)
	}
	if err := f.c.CreateLabel(ctx, "incident", "b60205", "An incident report"); err != nil {
		t.Fatal(err)
	}
	if ok, err := f.c.Label(ctx, "incident"); !ok || err != nil {
		t.Errorf("Label(incident) after CreateLabel = %v, %v", ok, err)
	}
	p, err := f.c.Pages(ctx)
	if err != nil || p == nil || p.BuildType != "legacy" {
		t.Fatalf("Pages = %+v, %v", p, err)
	}
	if err := f.c.PagesFromWorkflow(ctx); err != nil {
		t.Fatal(err)
	}
	if got := f.gh.Settings().Pages; got.BuildType != "workflow" || got.CNAME != "incidents.example.com" {
		t.Errorf("after PagesFromWorkflow: %+v; the custom domain must stay", got)
	}
	prot, err := f.c.BranchProtection(ctx, "trunk")
	if err != nil || prot == nil || prot.RequiredStatusChecks.Contexts[0] != "validate" ||
		prot.RequiredPullRequestReviews.BypassPullRequestAllowances.Apps[0].Slug != "sev-bot" {
		t.Errorf("BranchProtection = %+v, %v", prot, err)
	}
	if prot, err := f.c.BranchProtection(ctx, "other"); prot != nil || err != nil {
		t.Errorf("an unprotected branch: %+v, %v", prot, err)
	}
	rules, err := f.c.BranchRules(ctx, "trunk")
	if err != nil || len(rules) != 2 || rules[1].Parameters.RequiredStatusChecks[0].Context != "lint" || rules[0].RulesetID != 5 {
		t.Errorf("BranchRules = %+v, %v", rules, err)
	}
	rs, err := f.c.Ruleset(ctx, 5)
	if err != nil || len(rs.BypassActors) != 1 || rs.BypassActors[0].ActorType != "Integration" {
		t.Errorf("Ruleset = %+v, %v", rs, err)
	}
	secrets, err := f.c.SecretNames(ctx)
	if err != nil || !slices.Equal(secrets, []string{"CHAT_WEBHOOK", "SEV_APP_PRIVATE_KEY"}) {
		t.Errorf("SecretNames = %v, %v", secrets, err)
	}
	vars, err := f.c.Variables(ctx)
	if err != nil || vars["SEV_PAGES"] != "true" || vars["SEV_APP_CLIENT_ID"] != "Iv1.x" {
		t.Errorf("Variables = %v, %v; the repository's own win over the organisation's", vars, err)
	}
	if err := f.c.CreateVariable(ctx, "SEV_X", "1"); err != nil {
		t.Fatal(err)
	}
	a, err := f.c.Actions(ctx)
	if err != nil || !a.Enabled || a.AllowedActions != "all" || a.DefaultWorkflowPermissions != "write" {
		t.Errorf("Actions = %+v, %v", a, err)
	}

	// without the permission: 403, said as such
	st = f.gh.Settings()
	st.Pages = nil
	st.Forbidden = []string{"repos/create-pages-site", "actions/list-repo-secrets"}
	f.gh.SetSettings(st)
	if p, err := f.c.Pages(ctx); p != nil || err != nil {
		t.Errorf("Pages when off = %+v, %v", p, err)
	}
	var ge *ghapi.Error
	if err := f.c.EnablePages(ctx); !errors.As(err, &ge) || ge.Status != 403 {
		t.Errorf("EnablePages without permission = %v", err)
	}
	if _, err := f.c.SecretNames(ctx); !errors.As(err, &ge) || ge.Status != 403 {
		t.Errorf("SecretNames without permission = %v", err)
	}
}
