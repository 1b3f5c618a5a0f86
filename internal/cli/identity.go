package cli

import (
	"strings"

	gitconfig "github.com/go-git/go-git/v5/config"

	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/incident"
)

// identity is who is making a change: the handle written to the timeline
// and the signature of the commit.
type identity struct {
	handle    string
	author    gitstore.Signature
	committer gitstore.Signature
}

// whoami resolves the responder: --by, then SEV_USER, then git's
// user.name/user.email. A name unknown to sev.yaml is used as it is.
func (a *app) whoami(ws *workspace, by string) (identity, error) {
	gitName, gitEmail := a.gitUser(ws)
	if by == "" {
		by = a.getenv("SEV_USER")
	}
	var id identity
	now := a.now()
	id.committer = gitstore.Signature{Name: gitName, Email: gitEmail, When: now}
	switch {
	case by != "":
		if p, ok := ws.settings.Person(by); ok {
			id.handle = p.Handle
			id.author = gitstore.Signature{Name: first(p.Name, p.Handle), Email: first(p.Email, p.Handle+"@sev.invalid"), When: now}
		} else {
			id.handle = by
			id.author = gitstore.Signature{Name: by, Email: handleEmail(by), When: now}
		}
	case gitEmail != "" || gitName != "":
		id.author = id.committer
		id.handle = handleFor(ws, gitName, gitEmail)
	default:
		return id, usagef("who is making this change? pass --by NAME, set SEV_USER, or set git's user.name and user.email")
	}
	if id.committer.Name == "" && id.committer.Email == "" {
		id.committer = id.author
	}
	return id, nil
}

func handleEmail(by string) string {
	if strings.Contains(by, "@") {
		return by
	}
	return by + "@sev.invalid"
}

// handleFor maps a git identity to a person of sev.yaml, or derives a
// handle from the email's local part (alice@example.com → alice).
func handleFor(ws *workspace, name, email string) string {
	if p, ok := ws.settings.Person(email); ok {
		return p.Handle
	}
	if local, _, ok := strings.Cut(email, "@"); ok && local != "" {
		return incident.Slug(local)
	}
	return incident.Slug(name)
}

func (a *app) gitUser(ws *workspace) (string, string) {
	name, email := a.getenv("GIT_AUTHOR_NAME"), a.getenv("GIT_AUTHOR_EMAIL")
	if name != "" && email != "" {
		return name, email
	}
	r, err := ws.gitRepo(a.env)
	if err != nil {
		return name, email
	}
	cfg, err := r.Git().ConfigScoped(gitconfig.SystemScope)
	if err != nil {
		return name, email
	}
	return first(name, cfg.User.Name), first(email, cfg.User.Email)
}

func first(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}
