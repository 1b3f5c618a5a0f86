package cli

import (
	"path/filepath"
	"strings"

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
	if badIdent(by) {
		return identity{}, usagef("%q cannot be a name: it must not contain <, > or control characters (--by or SEV_USER)", by)
	}
	var id identity
	now := a.now()
	id.committer = gitstore.Signature{Name: gitName, Email: gitEmail, When: now}
	switch {
	case by != "":
		if p, ok := ws.settings.Person(by); ok && !badIdent(p.Name) && !badIdent(p.Email) {
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

// gitUser finds the git identity as git itself does (git var), and when
// git cannot tell, reads user.name and user.email from the repository's
// and the global config files found from the injected environment's HOME
// (go-git would read the process's).
func (a *app) gitUser(ws *workspace) (string, string) {
	name, email := a.getenv("GIT_AUTHOR_NAME"), a.getenv("GIT_AUTHOR_EMAIL")
	if name != "" && email != "" {
		return name, email
	}
	var files []string
	if r, err := ws.gitRepo(a.env); err == nil {
		if n, e, err := r.Ident(a.ctx); err == nil && n != "" && e != "" {
			return n, e
		}
		files = append(files, filepath.Join(r.CommonDir, "config"))
	}
	if g := a.getenv("GIT_CONFIG_GLOBAL"); g != "" {
		files = append(files, g)
	} else {
		if home := a.getenv("HOME"); home != "" {
			files = append(files, filepath.Join(home, ".gitconfig"))
		}
		xdg := a.getenv("XDG_CONFIG_HOME")
		if xdg == "" && a.getenv("HOME") != "" {
			xdg = filepath.Join(a.getenv("HOME"), ".config")
		}
		if xdg != "" {
			files = append(files, filepath.Join(xdg, "git", "config"))
		}
	}
	for _, f := range files {
		n, e := gitstore.ConfigUser(f)
		name, email = first(name, n), first(email, e)
	}
	return name, email
}

func first(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

// badIdent reports characters git refuses in an author name or email:
// angle brackets and control characters (a newline would even start a
// new header line in the commit object).
func badIdent(s string) bool {
	for _, r := range s {
		if r == '<' || r == '>' || r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}
