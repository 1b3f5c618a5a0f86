package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/timeline"
)

// workspace is the incident repository a command works on.
type workspace struct {
	root     string
	fsys     fs.FS
	settings *config.Settings
	// settingsDiags are sev.yaml's problems; commands still run with the
	// parts that parsed, because a broken settings file must not stop
	// anyone from declaring an incident.
	settingsDiags diag.List
	repo          *gitstore.Repo
}

func (a *app) open() (*workspace, error) {
	wd, err := a.workDir()
	if err != nil {
		return nil, err
	}
	root, err := gitstore.Find(wd)
	if err != nil {
		return nil, fmt.Errorf("%s is not inside a git repository; run \"git init\" and \"sev init\" first", wd)
	}
	ws := &workspace{root: root, fsys: os.DirFS(root)}
	ws.settings, ws.settingsDiags, err = config.Read(ws.fsys)
	if err != nil {
		return nil, err
	}
	return ws, nil
}

// warnSettings tells a writing command's user that sev.yaml is broken
// without stopping them.
func (a *app) warnSettings(ws *workspace) {
	if n := ws.settingsDiags.Errors(); n > 0 {
		fmt.Fprintf(a.stderr, "sev: warning: %s has %d problem(s), run \"sev validate\"; using defaults for what is broken\n", config.File, n)
	}
}

func (ws *workspace) gitRepo(env []string) (*gitstore.Repo, error) {
	if ws.repo != nil {
		return ws.repo, nil
	}
	r, err := gitstore.Open(ws.root)
	if err != nil {
		return nil, err
	}
	r.Env = env
	ws.repo = r
	return r, nil
}

// resolve turns what the user typed into an incident ID.
func (ws *workspace) resolve(query string) (string, error) {
	if incident.ValidID(query) {
		if _, err := fs.Stat(ws.fsys, layout.Record(query)); err == nil {
			return query, nil
		}
	}
	ids, err := layout.IDs(ws.fsys)
	if err != nil {
		return "", err
	}
	return layout.Resolve(ids, query)
}

// readWorktree reads a file of the working tree for change.Apply.
func (ws *workspace) readWorktree(p string) ([]byte, bool, error) {
	b, err := fs.ReadFile(ws.fsys, p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	return b, err == nil, err
}

// loaded is one incident read from the working tree.
type loaded struct {
	inc     *incident.Incident
	entries []timeline.Entry
}

func (ws *workspace) load(id string) (*loaded, error) {
	recPath, tlPath := layout.Record(id), layout.Timeline(id)
	data, err := fs.ReadFile(ws.fsys, recPath)
	if err != nil {
		return nil, err
	}
	inc, _, diags := incident.Parse(recPath, data)
	if diags.Errors() > 0 {
		return nil, diags
	}
	tl, err := fs.ReadFile(ws.fsys, tlPath)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	entries, _, diags := timeline.Parse(tlPath, tl)
	if diags.Errors() > 0 {
		return nil, diags
	}
	return &loaded{inc: inc, entries: entries}, nil
}
