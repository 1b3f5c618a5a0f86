package ghapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/go-github/v93/github"
)

// roles are GitHub's repository roles from the most to the least access.
var roles = []string{"admin", "maintain", "write", "triage", "read"}

// Permission returns user's role in the repository: "admin", "maintain",
// "write", "triage", "read", or "none" for someone who is not a
// collaborator or does not exist. A custom role is reported as the base
// role it extends.
func (c *Client) Permission(ctx context.Context, user string) (string, error) {
	op := fmt.Sprintf("read %s's permission on %s", user, c.repo)
	if !validLogin(user) {
		return "", fmt.Errorf("ghapi: %s: %q is not a GitHub login", op, user)
	}
	lvl, _, err := c.gh.Repositories.GetPermissionLevel(ctx, c.repo.Owner, c.repo.Name, user)
	if err != nil {
		err = wrap(op, err)
		if IsNotFound(err) {
			return "none", nil
		}
		return "", err
	}
	return role(lvl), nil
}

// validLogin accepts GitHub logins, bots' "name[bot]" included.
func validLogin(s string) bool {
	return validName(strings.TrimSuffix(s, "[bot]"))
}

// role reads role_name when it is a built-in role, else the strongest of
// the user's permission flags (a custom role's base), else the legacy
// permission field (admin, write, read, none).
func role(lvl *github.RepositoryPermissionLevel) string {
	for _, r := range roles {
		if lvl.GetRoleName() == r {
			return r
		}
	}
	if p := lvl.GetUser().GetPermissions(); p != nil {
		flags := []bool{p.GetAdmin(), p.GetMaintain(), p.GetPush(), p.GetTriage(), p.GetPull()}
		for i, set := range flags {
			if set {
				return roles[i]
			}
		}
	}
	if p := lvl.GetPermission(); p != "" {
		return p
	}
	return "none"
}

// CanWrite reports whether user may push to the repository (write,
// maintain or admin), the bar for ChatOps commands that change an
// incident.
func (c *Client) CanWrite(ctx context.Context, user string) (bool, error) {
	p, err := c.Permission(ctx, user)
	switch p {
	case "admin", "maintain", "write":
		return true, err
	}
	return false, err
}

// authoredByMe returns the test UpsertComment uses for "a comment sev
// wrote": by the token's login if GitHub tells it, else by any bot.
func (c *Client) authoredByMe(ctx context.Context) (func(Comment) bool, error) {
	login, err := c.login(ctx)
	if err != nil {
		return nil, err
	}
	if login == "" {
		return func(cm Comment) bool { return cm.Bot }, nil
	}
	return func(cm Comment) bool { return cm.Author == login }, nil
}

// login asks GitHub who the token acts as, once it has a definite
// answer. Installation tokens (a workflow's GITHUB_TOKEN, GitHub Apps)
// cannot read /user: GitHub answers 403, and the login stays unknown.
func (c *Client) login(ctx context.Context) (string, error) {
	w := c.who
	if w.known != "" {
		return w.known, nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.asked {
		return w.login, nil
	}
	u, _, err := c.gh.Users.Get(ctx, "")
	if err = wrap("find out who the token acts as", err); err != nil {
		var e *Error
		if !errors.As(err, &e) || (e.Status != http.StatusForbidden && e.Status != http.StatusNotFound) {
			return "", err
		}
	}
	w.asked, w.login = true, u.GetLogin()
	return w.login, nil
}
