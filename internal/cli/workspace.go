package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/validate"
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

// verifyObjects fails when the git object store under the workspace is
// damaged (gitstore.Verify); a folder outside git has nothing to check.
func (a *app) verifyObjects(ws *workspace, again bool) error {
	repo, err := ws.gitRepo(a.env)
	if err != nil {
		return nil
	}
	start := time.Now()
	err = repo.Verify(context.Background(), again)
	a.debugf("checked the git object store in %v", time.Since(start))
	return err
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

// checked reads one incident through the validation gate, for a command
// that shows, publishes or sends it: an incident with an error sev
// validate would report is refused with those findings (exit 1).
// Commands that write use load instead, so a broken record can be fixed
// with sev itself.
func (ws *workspace) checked(id string) (*validate.Incident, error) {
	inc, diags := validate.Load(ws.fsys, ws.settings, id)
	if inc == nil {
		if diags.Errors() == 0 { // cannot happen; never pass an unchecked incident
			diags.Add(diag.Pos{Path: layout.Dir(id)}, "read", "the incident could not be read")
		}
		return nil, diags
	}
	return inc, nil
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

// settingsKey fingerprints sev.yaml as it is on disk, for the caches whose
// entries depend on the settings (what passes validation does).
func (ws *workspace) settingsKey() string {
	data, err := fs.ReadFile(ws.fsys, config.File)
	if err != nil {
		return "none"
	}
	return gitstore.HashBlob(data).String()
}
