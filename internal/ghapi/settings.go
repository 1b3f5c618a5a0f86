package ghapi

// The repository settings sev github doctor reads and sev github setup
// changes. Each call is one documented REST operation; the JSON shapes are
// the parts of GitHub's responses sev reads.

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// get sends a GET for u and decodes the answer into v.
func (c *Client) get(ctx context.Context, op, u string, v any) error {
	req, err := c.gh.NewRequest(ctx, http.MethodGet, u, nil)
	if err != nil {
		return wrap(op, err)
	}
	_, err = c.gh.Do(req, v)
	return wrap(op, err)
}

// send sends method with body to u, decoding nothing.
func (c *Client) send(ctx context.Context, op, method, u string, body any) error {
	req, err := c.gh.NewRequest(ctx, method, u, body)
	if err != nil {
		return wrap(op, err)
	}
	_, err = c.gh.Do(req, nil)
	return wrap(op, err)
}

func (c *Client) path(format string, args ...any) string {
	return fmt.Sprintf("repos/%s/%s/", url.PathEscape(c.repo.Owner), url.PathEscape(c.repo.Name)) + fmt.Sprintf(format, args...)
}

// RepoInfo is what sev reads of the repository itself.
type RepoInfo struct {
	DefaultBranch string `json:"default_branch"`
	// Visibility is public, private or internal.
	Visibility string `json:"visibility"`
	HasIssues  bool   `json:"has_issues"`
	// Permissions are the token's, for a person's token (an installation
	// token gets none).
	Permissions *struct {
		Admin bool `json:"admin"`
		Push  bool `json:"push"`
	} `json:"permissions"`
}

// Repository reads the repository (GET /repos/{owner}/{repo}).
func (c *Client) Repository(ctx context.Context) (RepoInfo, error) {
	var r RepoInfo
	err := c.get(ctx, "read "+c.repo.String(), fmt.Sprintf("repos/%s/%s", url.PathEscape(c.repo.Owner), url.PathEscape(c.repo.Name)), &r)
	return r, err
}

// Label reports whether the repository has the label name.
func (c *Client) Label(ctx context.Context, name string) (bool, error) {
	err := c.get(ctx, fmt.Sprintf("read the label %q of %s", name, c.repo), c.path("labels/%s", url.PathEscape(name)), nil)
	if IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// CreateLabel creates a label; color is six hex digits without "#".
func (c *Client) CreateLabel(ctx context.Context, name, color, description string) error {
	return c.send(ctx, fmt.Sprintf("create the label %q in %s", name, c.repo), http.MethodPost, c.path("labels"), map[string]string{
		"name": name, "color": color, "description": description})
}

// PagesInfo is the repository's GitHub Pages site.
type PagesInfo struct {
	// BuildType is "workflow" (a workflow deploys it) or "legacy" (a branch).
	BuildType string `json:"build_type"`
	HTMLURL   string `json:"html_url"`
	Public    bool   `json:"public"`
}

// Pages reads the Pages site; nil when Pages is not enabled.
func (c *Client) Pages(ctx context.Context) (*PagesInfo, error) {
	var p PagesInfo
	err := c.get(ctx, "read the Pages site of "+c.repo.String(), c.path("pages"), &p)
	if IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// EnablePages enables Pages deployed by a workflow (build_type workflow).
func (c *Client) EnablePages(ctx context.Context) error {
	return c.send(ctx, "enable Pages for "+c.repo.String(), http.MethodPost, c.path("pages"), map[string]string{"build_type": "workflow"})
}

// PagesFromWorkflow switches an existing Pages site to being deployed by
// a workflow, changing nothing else (no custom domain is dropped).
func (c *Client) PagesFromWorkflow(ctx context.Context) error {
	return c.send(ctx, "deploy the Pages site of "+c.repo.String()+" from a workflow", http.MethodPut, c.path("pages"),
		map[string]string{"build_type": "workflow"})
}

// Protection is a branch's classic protection, as far as sev cares.
type Protection struct {
	RequiredStatusChecks *struct {
		Contexts []string `json:"contexts"`
		Checks   []struct {
			Context string `json:"context"`
		} `json:"checks"`
	} `json:"required_status_checks"`
	RequiredPullRequestReviews *struct {
		BypassPullRequestAllowances *struct {
			Apps []struct {
				Slug string `json:"slug"`
			} `json:"apps"`
		} `json:"bypass_pull_request_allowances"`
	} `json:"required_pull_request_reviews"`
	Restrictions *struct {
		Apps []struct {
			Slug string `json:"slug"`
		} `json:"apps"`
	} `json:"restrictions"`
}

// BranchProtection reads branch's classic protection; nil when it has
// none. Reading it needs administration permission (403 without).
func (c *Client) BranchProtection(ctx context.Context, branch string) (*Protection, error) {
	var p Protection
	err := c.get(ctx, fmt.Sprintf("read the protection of %s's branch %s", c.repo, branch), c.path("branches/%s/protection", url.PathEscape(branch)), &p)
	if IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// BranchRule is a ruleset rule in force on a branch.
type BranchRule struct {
	Type              string `json:"type"`
	RulesetID         int64  `json:"ruleset_id"`
	RulesetSourceType string `json:"ruleset_source_type"`
	Parameters        *struct {
		RequiredStatusChecks []struct {
			Context string `json:"context"`
		} `json:"required_status_checks"`
	} `json:"parameters"`
}

// BranchRules lists the ruleset rules in force on branch, from every
// ruleset that applies (the repository's and its organisation's).
func (c *Client) BranchRules(ctx context.Context, branch string) ([]BranchRule, error) {
	var all []BranchRule
	for page := 1; page <= 10; page++ {
		var rules []BranchRule
		if err := c.get(ctx, fmt.Sprintf("read the rules of %s's branch %s", c.repo, branch),
			c.path("rules/branches/%s?per_page=100&page=%d", url.PathEscape(branch), page), &rules); err != nil {
			return nil, err
		}
		all = append(all, rules...)
		if len(rules) < 100 {
			break
		}
	}
	return all, nil
}

// Ruleset is a ruleset's bypass list.
type Ruleset struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	BypassActors []struct {
		ActorID   *int64 `json:"actor_id"`
		ActorType string `json:"actor_type"`
	} `json:"bypass_actors"`
}

// Ruleset reads ruleset id of the repository (or one of its
// organisation's that applies to it). bypass_actors is in the answer only
// for a token that may edit the ruleset.
func (c *Client) Ruleset(ctx context.Context, id int64) (Ruleset, error) {
	var r Ruleset
	err := c.get(ctx, fmt.Sprintf("read ruleset %d of %s", id, c.repo), c.path("rulesets/%d?includes_parents=true", id), &r)
	return r, err
}

// names lists the names in a paged answer such as {"secrets": [{"name": …}]}.
func (c *Client) names(ctx context.Context, op, p, key string) ([]string, error) {
	var out []string
	for page := 1; page <= 10; page++ {
		var body map[string]any
		if err := c.get(ctx, op, c.path("%s?per_page=100&page=%d", p, page), &body); err != nil {
			return nil, err
		}
		items, _ := body[key].([]any)
		for _, it := range items {
			if m, ok := it.(map[string]any); ok {
				if n, ok := m["name"].(string); ok {
					out = append(out, n)
				}
			}
		}
		if len(items) < 100 {
			break
		}
	}
	return out, nil
}

// SecretNames lists the names of the Actions secrets a workflow of the
// repository can read: its own and those its organisation shares with it.
// The values are never read.
func (c *Client) SecretNames(ctx context.Context) ([]string, error) {
	own, err := c.names(ctx, "list the Actions secrets of "+c.repo.String(), "actions/secrets", "secrets")
	if err != nil {
		return nil, err
	}
	org, err := c.names(ctx, "list the organisation secrets shared with "+c.repo.String(), "actions/organization-secrets", "secrets")
	return append(own, org...), err
}

// Variables lists the Actions variables a workflow of the repository can
// read (its own, then its organisation's), by name.
func (c *Client) Variables(ctx context.Context) (map[string]string, error) {
	out := map[string]string{}
	for _, p := range []string{"actions/organization-variables", "actions/variables"} {
		for page := 1; page <= 10; page++ {
			var body struct {
				Variables []struct {
					Name  string `json:"name"`
					Value string `json:"value"`
				} `json:"variables"`
			}
			if err := c.get(ctx, "list the Actions variables of "+c.repo.String(), c.path("%s?per_page=30&page=%d", p, page), &body); err != nil {
				return nil, err
			}
			for _, v := range body.Variables {
				out[v.Name] = v.Value // the repository's own win
			}
			if len(body.Variables) < 30 {
				break
			}
		}
	}
	return out, nil
}

// CreateVariable creates a repository variable.
func (c *Client) CreateVariable(ctx context.Context, name, value string) error {
	return c.send(ctx, fmt.Sprintf("create the variable %s in %s", name, c.repo), http.MethodPost, c.path("actions/variables"),
		map[string]string{"name": name, "value": value})
}

// ActionsSettings are the repository's GitHub Actions settings.
type ActionsSettings struct {
	Enabled bool `json:"enabled"`
	// AllowedActions is all, local_only or selected.
	AllowedActions string `json:"allowed_actions"`
	// DefaultWorkflowPermissions is read or write: what a workflow's
	// token may do when the workflow does not say.
	DefaultWorkflowPermissions string `json:"-"`
}

// Actions reads the Actions settings.
func (c *Client) Actions(ctx context.Context) (ActionsSettings, error) {
	var a ActionsSettings
	if err := c.get(ctx, "read the Actions settings of "+c.repo.String(), c.path("actions/permissions"), &a); err != nil {
		return a, err
	}
	var w struct {
		Default string `json:"default_workflow_permissions"`
	}
	err := c.get(ctx, "read the default workflow permissions of "+c.repo.String(), c.path("actions/permissions/workflow"), &w)
	a.DefaultWorkflowPermissions = w.Default
	return a, err
}
