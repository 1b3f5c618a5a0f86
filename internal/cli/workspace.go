package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/layout"
	wsp "github.com/sev-dev/sev/internal/workspace"
)

// workspace is the incident repository a command works on.
type workspace = wsp.Workspace

func (a *app) open() (*workspace, error) {
	wd, err := a.workDir()
	if err != nil {
		return nil, err
	}
	ws, err := wsp.Open(wd)
	if err != nil {
		return nil, err
	}
	ws.Use(wsp.Process{Ctx: a.ctx, Now: a.now, Getenv: a.getenv, GitEnv: a.env, Stderr: a.stderr, Debugf: a.debugf})
	return ws, nil
}

// warnSettings tells a writing command's user that sev.yaml is broken
// without stopping them.
func (a *app) warnSettings(ws *workspace) {
	if n := ws.SettingsDiags.Errors(); n > 0 {
		fmt.Fprintf(a.stderr, "sev: warning: %s has %d problem(s), run \"sev validate\"; using defaults for what is broken\n", config.File, n)
	}
}

// verifyObjects fails when the git object store under the workspace is
// damaged (gitstore.Verify); a folder outside git has nothing to check.
func (a *app) verifyObjects(ws *workspace, again bool) error {
	repo, err := ws.Git(a.env)
	if err != nil {
		return nil
	}
	start := time.Now()
	err = repo.Verify(context.Background(), again)
	a.debugf("checked the git object store in %v", time.Since(start))
	return err
}

// leftOut tells the user which incidents a command left out because they
// do not pass validation, naming each problem (at most a screenful).
func (a *app) leftOut(diags diag.List) {
	var errs diag.List
	folders := map[string]bool{}
	for _, d := range diags {
		if d.Severity == diag.Error {
			errs = append(errs, d)
			folders[folderOf(d.Path)] = true
		}
	}
	if len(errs) == 0 {
		return
	}
	fmt.Fprintf(a.stderr, "sev: %d incident folder(s) or file(s) left out because sev validate rejects them:\n", len(folders))
	const most = 10
	errs[:min(most, len(errs))].WriteText(a.stderr)
	if len(errs) > most {
		fmt.Fprintf(a.stderr, "... and %d more; run \"sev validate\" for all of them\n", len(errs)-most)
	}
}

// folderOf is the incident folder (or other file) a finding is about.
func folderOf(p string) string {
	parts := strings.SplitN(p, "/", 4)
	if len(parts) >= 3 && parts[0] == layout.Incidents {
		return strings.Join(parts[:3], "/")
	}
	return p
}
