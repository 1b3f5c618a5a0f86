package ghfake

// The repository settings sev github doctor reads and setup changes:
// labels, Pages, branch protection and rulesets, Actions secrets and
// variables (names; values only for variables), and the Actions settings.

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Settings are the served repository's settings. New starts with
// DefaultSettings.
type Settings struct {
	DefaultBranch string
	// Visibility is public, private or internal.
	Visibility string
	HasIssues  bool
	Labels     []string
	// Pages is nil when Pages is not enabled; BuildType is "workflow" or
	// "legacy".
	Pages *Pages
	// Protection is the default branch's classic protection, nil for none.
	Protection *Protection
	// Rulesets apply to the default branch.
	Rulesets []Ruleset
	// Secrets and OrgSecrets are names; Variables and OrgVariables names
	// and values.
	Secrets, OrgSecrets     []string
	Variables, OrgVariables map[string]string
	ActionsEnabled          bool
	// AllowedActions is all, local_only or selected.
	AllowedActions string
	// WorkflowPermissions is read or write.
	WorkflowPermissions string
	// Forbidden answers 403 to these operations (by operationId), as
	// GitHub does for a token without the permission they need.
	Forbidden []string
}

// Pages is a Pages site.
type Pages struct {
	BuildType string
	CNAME     string
}

// Protection is classic branch protection.
type Protection struct {
	RequiredChecks      []string
	RequirePullRequests bool
	// BypassApps may push without a pull request (slugs).
	BypassApps []string
}

// Ruleset is a branch ruleset with the rules sev reads.
type Ruleset struct {
	ID   int64
	Name string
	// Rules are rule types: pull_request, required_status_checks, update,
	// non_fast_forward, ...; RequiredChecks the required_status_checks
	// rule's contexts.
	Rules          []string
	RequiredChecks []string
	// BypassIntegrations are the GitHub App ids that may bypass it.
	BypassIntegrations []int64
}

// DefaultSettings are a new private repository's: issues on, Actions on
// for every action, read-only workflow tokens, nothing else.
func DefaultSettings() Settings {
	return Settings{DefaultBranch: "main", Visibility: "private", HasIssues: true, ActionsEnabled: true,
		AllowedActions: "all", WorkflowPermissions: "read", Variables: map[string]string{}, OrgVariables: map[string]string{}}
}

// SetSettings replaces the repository's settings.
func (s *Server) SetSettings(st Settings) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st.Labels = slices.Clone(st.Labels)
	s.settings = st
}

// Settings returns the repository's settings as they are now.
func (s *Server) Settings() Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings
}

func (s *Server) forbidden(op string) bool { return slices.Contains(s.settings.Forbidden, op) }

func (s *Server) getRepo(c call) response {
	st := s.settings
	base := strings.TrimSuffix(s.URL, "/")
	owner := map[string]any{"login": s.opts.Owner, "id": 1, "type": "Organization"}
	body := map[string]any{
		"id": 42, "node_id": "R_42", "name": s.opts.Repo, "full_name": s.opts.Owner + "/" + s.opts.Repo,
		"owner": owner, "private": st.Visibility != "public", "visibility": st.Visibility,
		"default_branch": st.DefaultBranch, "has_issues": st.HasIssues, "has_pages": st.Pages != nil,
		"html_url": "https://github.com/" + s.opts.Owner + "/" + s.opts.Repo,
		"url":      base + "/repos/" + s.opts.Owner + "/" + s.opts.Repo,
	}
	if s.opts.Login != "" {
		admin := s.perms[s.opts.Login] == "admin"
		body["permissions"] = map[string]bool{"admin": admin, "maintain": admin, "push": true, "triage": true, "pull": true}
	}
	return response{status: http.StatusOK, body: body}
}

func labelJSON(name string) map[string]any {
	return map[string]any{"id": 7, "node_id": "LA_7", "url": "", "name": name, "color": "b60205", "default": false, "description": nil}
}

func (s *Server) getLabel(c call) response {
	name := c.params["name"]
	if !slices.Contains(s.settings.Labels, name) {
		return notFound()
	}
	return response{status: http.StatusOK, body: labelJSON(name)}
}

func (s *Server) createLabel(c call) response {
	if s.forbidden("issues/create-label") {
		return errorResponse(http.StatusForbidden, "Resource not accessible by integration")
	}
	name := c.body.(map[string]any)["name"].(string)
	if slices.Contains(s.settings.Labels, name) {
		return errorResponse(http.StatusUnprocessableEntity, "Validation Failed")
	}
	s.settings.Labels = append(s.settings.Labels, name)
	return response{status: http.StatusCreated, body: labelJSON(name)}
}

func (s *Server) pagesJSON() map[string]any {
	p := s.settings.Pages
	return map[string]any{"url": s.URL + "repos/" + s.opts.Owner + "/" + s.opts.Repo + "/pages", "status": "built",
		"cname": nilIfEmpty(p.CNAME), "custom_404": false, "public": s.settings.Visibility == "public",
		"html_url": "https://" + s.opts.Owner + ".github.io/" + s.opts.Repo + "/", "build_type": p.BuildType}
}

func nilIfEmpty(v string) any {
	if v == "" {
		return nil
	}
	return v
}

func (s *Server) getPages(c call) response {
	if s.forbidden("repos/get-pages") {
		return errorResponse(http.StatusForbidden, "Resource not accessible by integration")
	}
	if s.settings.Pages == nil {
		return notFound()
	}
	return response{status: http.StatusOK, body: s.pagesJSON()}
}

func (s *Server) createPages(c call) response {
	if s.forbidden("repos/create-pages-site") {
		return errorResponse(http.StatusForbidden, "Resource not accessible by integration")
	}
	if s.settings.Pages != nil {
		return errorResponse(http.StatusConflict, "GitHub Pages is already enabled.")
	}
	bt, _ := c.body.(map[string]any)["build_type"].(string)
	s.settings.Pages = &Pages{BuildType: bt}
	return response{status: http.StatusCreated, body: s.pagesJSON()}
}

func (s *Server) updatePages(c call) response {
	if s.forbidden("repos/update-information-about-pages-site") {
		return errorResponse(http.StatusForbidden, "Resource not accessible by integration")
	}
	if s.settings.Pages == nil {
		return notFound()
	}
	in := c.body.(map[string]any)
	if bt, ok := in["build_type"].(string); ok {
		s.settings.Pages.BuildType = bt
	}
	if cname, ok := in["cname"]; ok {
		// null removes the custom domain, as on GitHub
		s.settings.Pages.CNAME, _ = cname.(string)
	}
	return response{status: http.StatusNoContent}
}

func (s *Server) getProtection(c call) response {
	if s.forbidden("repos/get-branch-protection") {
		return errorResponse(http.StatusForbidden, "Resource not accessible by integration")
	}
	p := s.settings.Protection
	if c.params["branch"] != s.settings.DefaultBranch || p == nil {
		return errorResponse(http.StatusNotFound, "Branch not protected")
	}
	url := s.URL + "repos/" + s.opts.Owner + "/" + s.opts.Repo + "/branches/" + s.settings.DefaultBranch + "/protection"
	body := map[string]any{"url": url}
	if len(p.RequiredChecks) > 0 {
		var checks []any
		for _, name := range p.RequiredChecks {
			checks = append(checks, map[string]any{"context": name, "app_id": nil})
		}
		body["required_status_checks"] = map[string]any{"url": url + "/required_status_checks", "strict": false,
			"contexts": p.RequiredChecks, "contexts_url": url + "/required_status_checks/contexts", "checks": checks}
	}
	if p.RequirePullRequests {
		var apps []any
		for _, a := range p.BypassApps {
			apps = append(apps, map[string]any{"id": 1, "slug": a, "name": a})
		}
		body["required_pull_request_reviews"] = map[string]any{"url": url + "/required_pull_request_reviews",
			"dismiss_stale_reviews": false, "require_code_owner_reviews": false, "required_approving_review_count": 1,
			"bypass_pull_request_allowances": map[string]any{"users": []any{}, "teams": []any{}, "apps": apps}}
	}
	return response{status: http.StatusOK, body: body}
}

func (s *Server) branchRules(c call) response {
	var out []any
	if c.params["branch"] == s.settings.DefaultBranch {
		for _, rs := range s.settings.Rulesets {
			for _, r := range rs.Rules {
				rule := map[string]any{"type": r, "ruleset_source_type": "Repository", "ruleset_source": s.opts.Owner + "/" + s.opts.Repo, "ruleset_id": rs.ID}
				if r == "required_status_checks" {
					var checks []any
					for _, name := range rs.RequiredChecks {
						checks = append(checks, map[string]any{"context": name})
					}
					rule["parameters"] = map[string]any{"strict_required_status_checks_policy": false, "required_status_checks": checks}
				}
				out = append(out, rule)
			}
		}
	}
	if out == nil {
		out = []any{}
	}
	return response{status: http.StatusOK, body: out}
}

func (s *Server) getRuleset(c call) response {
	id, _ := strconv.ParseInt(c.params["ruleset_id"], 10, 64)
	for _, rs := range s.settings.Rulesets {
		if rs.ID != id {
			continue
		}
		body := map[string]any{"id": rs.ID, "name": rs.Name, "target": "branch", "source_type": "Repository",
			"source": s.opts.Owner + "/" + s.opts.Repo, "enforcement": "active"}
		// only a token that may edit the ruleset sees who bypasses it
		if !s.forbidden("repos/update-repo-ruleset") {
			actors := []any{}
			for _, app := range rs.BypassIntegrations {
				actors = append(actors, map[string]any{"actor_id": app, "actor_type": "Integration", "bypass_mode": "always"})
			}
			body["bypass_actors"] = actors
		}
		return response{status: http.StatusOK, body: body}
	}
	return notFound()
}

func (s *Server) listSecrets(names []string, op string) response {
	if s.forbidden(op) {
		return errorResponse(http.StatusForbidden, "Resource not accessible by integration")
	}
	secrets := []any{}
	for _, n := range names {
		secrets = append(secrets, map[string]any{"name": n, "created_at": epoch.Format("2006-01-02T15:04:05Z"), "updated_at": epoch.Format("2006-01-02T15:04:05Z")})
	}
	return response{status: http.StatusOK, body: map[string]any{"total_count": len(secrets), "secrets": secrets}}
}

func (s *Server) listVariables(vars map[string]string, op string) response {
	if s.forbidden(op) {
		return errorResponse(http.StatusForbidden, "Resource not accessible by integration")
	}
	names := make([]string, 0, len(vars))
	for n := range vars {
		names = append(names, n)
	}
	slices.Sort(names)
	out := []any{}
	for _, n := range names {
		out = append(out, map[string]any{"name": n, "value": vars[n], "created_at": epoch.Format("2006-01-02T15:04:05Z"), "updated_at": epoch.Format("2006-01-02T15:04:05Z")})
	}
	return response{status: http.StatusOK, body: map[string]any{"total_count": len(out), "variables": out}}
}

func (s *Server) createVariable(c call) response {
	if s.forbidden("actions/create-repo-variable") {
		return errorResponse(http.StatusForbidden, "Resource not accessible by integration")
	}
	in := c.body.(map[string]any)
	name, value := in["name"].(string), in["value"].(string)
	if _, ok := s.settings.Variables[name]; ok {
		return errorResponse(http.StatusConflict, "Already exists")
	}
	if s.settings.Variables == nil {
		s.settings.Variables = map[string]string{}
	}
	s.settings.Variables[name] = value
	return response{status: http.StatusCreated, body: map[string]any{}}
}

func (s *Server) actionsPermissions(c call) response {
	if s.forbidden("actions/get-github-actions-permissions-repository") {
		return errorResponse(http.StatusForbidden, "Resource not accessible by integration")
	}
	body := map[string]any{"enabled": s.settings.ActionsEnabled}
	if s.settings.ActionsEnabled {
		body["allowed_actions"] = s.settings.AllowedActions
	}
	return response{status: http.StatusOK, body: body}
}

func (s *Server) workflowPermissions(c call) response {
	if s.forbidden("actions/get-github-actions-default-workflow-permissions-repository") {
		return errorResponse(http.StatusForbidden, "Resource not accessible by integration")
	}
	return response{status: http.StatusOK, body: map[string]any{"default_workflow_permissions": s.settings.WorkflowPermissions,
		"can_approve_pull_request_reviews": false}}
}
