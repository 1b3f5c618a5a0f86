package cli

import (
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/present"
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
	ws.Use(wsp.Process{Ctx: a.ctx, Now: a.now, Getenv: a.getenv, GitEnv: a.env, Stderr: a.stderr, Debugf: a.debugf,
		AttachmentText: a.attachmentText()})
	return ws, nil
}

// warnSettings tells the user of a writing command or a build that
// sev.yaml is broken, without stopping them.
func (a *app) warnSettings(ws *workspace) {
	if n := ws.SettingsDiags.Errors(); n > 0 {
		a.warnf("%s has %d problem(s), run \"sev validate\"; using defaults for what is broken", config.File, n)
	}
}

// leftOut tells the user which incidents a command left out because they
// do not pass validation (present.LeftOut).
func (a *app) leftOut(diags diag.List) { present.LeftOut(a.stderr, diags) }
