package workspace

import (
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/ghapi"
	"github.com/sev-dev/sev/internal/ghsetup"
	"github.com/sev-dev/sev/internal/rule"
	"github.com/sev-dev/sev/internal/validate"
)

// Rules parses rules/ with the settings and the rotations that pass the
// gate (siteURL is {{.URL}} in templates). rotErrs counts the rotation
// problems that leave rotations out; diags are the rules' own findings,
// sorted.
func (ws *Workspace) Rules(siteURL string) (env *rule.Env, set *rule.Set, rotErrs int, diags diag.List, err error) {
	rots, rotDiags := ws.Rotations()
	env = &rule.Env{Settings: ws.Settings, Rotations: rots, SiteURL: siteURL, Escalations: validate.EscalationNames(ws.FS, ws.Settings)}
	files, diags, err := rule.ReadFiles(ws.FS)
	if err != nil {
		return nil, nil, 0, nil, err
	}
	set, d := rule.ParseSet(files, env)
	diags.Append(d)
	diags.Sort()
	return env, set, rotDiags.Errors(), diags, nil
}

// GitHub is what sev github doctor and setup work with: an API client for
// the repository on GitHub (repo, else GITHUB_REPOSITORY, else the origin
// remote's; ghsetup.RepoOf, ghsetup.Client) and what the working tree
// holds (GitHubLocal).
func (ws *Workspace) GitHub(repo string) (*ghapi.Client, *ghsetup.Local, error) {
	remote := ""
	if r, err := ws.Repo(); err == nil {
		remote = r.RemoteURL("origin")
	}
	target, err := ghsetup.RepoOf(repo, ws.proc.Getenv, remote)
	if err != nil {
		return nil, nil, err
	}
	api, err := ghsetup.Client(target, ws.proc.Getenv, ws.proc.Now)
	if err != nil {
		return nil, nil, err
	}
	local, err := ws.GitHubLocal()
	return api, local, err
}

// GitHubLocal is what sev github doctor reads in the working tree: the
// workflows and what rules/ needs.
func (ws *Workspace) GitHubLocal() (*ghsetup.Local, error) {
	var needs rule.Needs
	broken := true
	if _, set, _, diags, err := ws.Rules(""); err == nil && set != nil {
		needs, broken = set.Needs(), diags.Errors() > 0
	}
	return ghsetup.ReadLocal(ws.FS, needs, broken)
}
