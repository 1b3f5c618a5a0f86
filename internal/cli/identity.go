package cli

import (
	"cmp"

	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/txn"
)

// identity is who is making a change (txn.Identity).
type identity = txn.Identity

// whoami resolves the responder: --by, then SEV_USER, then git's
// user.name/user.email (txn.Whoami).
func (a *app) whoami(ws *workspace, by string) (identity, error) {
	name, email := a.gitUser(ws)
	return txn.Whoami(ws.Settings, cmp.Or(by, a.getenv("SEV_USER")), name, email, a.now())
}

// gitUser is git's identity for the workspace (gitstore.User).
func (a *app) gitUser(ws *workspace) (string, string) {
	repo, _ := ws.Git(a.env)
	return gitstore.User(a.ctx, repo, a.getenv)
}
