// Package workspace is the incident repository a command works on: the
// working tree and settings, incidents read for a change or through the
// validation gate, rotations, and the git repository behind them.
package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/rotation"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/validate"
)

// Workspace is the incident repository a command works on: its working
// tree, its settings and its git repository.
type Workspace struct {
	Root string
	// Dir is the folder sev runs in: paths a person gives are relative
	// to it.
	Dir      string
	FS       fs.FS
	Settings *config.Settings
	// SettingsDiags are sev.yaml's problems; commands still run with the
	// parts that parsed, because a broken settings file must not stop
	// anyone from declaring an incident.
	SettingsDiags diag.List
	repo          *gitstore.Repo
	proc          Process
}

// Open opens the repository whose working tree holds dir.
func Open(dir string) (*Workspace, error) {
	root, err := gitstore.Find(dir)
	if err != nil {
		return nil, fmt.Errorf("%s is not inside a git repository; run \"git init\" and \"sev init\" first", dir)
	}
	ws := &Workspace{Root: root, Dir: dir, FS: os.DirFS(root)}
	ws.Settings, ws.SettingsDiags, err = readSettings(root, ws.FS)
	if err != nil {
		return nil, err
	}
	ws.Use(Process{})
	return ws, nil
}

// Git is the git repository, opened once; env is the git CLI's environment.
func (ws *Workspace) Git(env []string) (*gitstore.Repo, error) {
	if ws.repo != nil {
		return ws.repo, nil
	}
	r, err := gitstore.Open(ws.Root)
	if err != nil {
		return nil, err
	}
	r.Env = env
	ws.repo = r
	return r, nil
}

// Resolve turns what the user typed into an incident ID.
func (ws *Workspace) Resolve(query string) (string, error) {
	if incident.ValidID(query) {
		if _, err := fs.Stat(ws.FS, layout.Record(query)); err == nil {
			return query, nil
		}
	}
	ids, err := layout.IDs(ws.FS)
	if err != nil {
		return "", err
	}
	return layout.Resolve(ids, query)
}

// ReadWorktree reads a file of the working tree for change.Apply.
func (ws *Workspace) ReadWorktree(p string) ([]byte, bool, error) {
	b, err := fs.ReadFile(ws.FS, p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	return b, err == nil, err
}

// Load reads an incident's record and timeline from the working tree for
// a change: only the parsing that a change needs, so a record that fails
// other checks can still be fixed with sev itself.
func (ws *Workspace) Load(id string) (*ops.Incident, error) {
	recPath, tlPath := layout.Record(id), layout.Timeline(id)
	data, err := fs.ReadFile(ws.FS, recPath)
	if err != nil {
		return nil, err
	}
	inc, _, diags := incident.Parse(recPath, data)
	if diags.Errors() > 0 {
		return nil, diags
	}
	tl, err := fs.ReadFile(ws.FS, tlPath)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	entries, _, diags := timeline.Parse(tlPath, tl)
	if diags.Errors() > 0 {
		return nil, diags
	}
	return &ops.Incident{Record: inc, Entries: entries}, nil
}

// Checked reads the incident query names (Resolve) through the
// validation gate, for a command that shows, publishes or sends it: an
// incident with an error sev validate would report is refused with those
// findings.
func (ws *Workspace) Checked(query string) (*validate.Incident, error) {
	id, err := ws.Resolve(query)
	if err != nil {
		return nil, err
	}
	inc, diags := validate.Load(ws.FS, ws.Settings, id)
	if inc == nil {
		if diags.Errors() == 0 { // cannot happen; never pass an unchecked incident
			diags.Add(diag.Pos{Path: layout.Dir(id)}, "read", "the incident could not be read")
		}
		return nil, diags
	}
	return inc, nil
}

// SettingsKey fingerprints sev.yaml as it is on disk, for the caches whose
// entries depend on the settings (what passes validation does).
func (ws *Workspace) SettingsKey() string {
	data, err := fs.ReadFile(ws.FS, config.File)
	if err != nil {
		return "none"
	}
	return gitstore.HashBlob(data).String()
}

// LoadAll reads every incident through the validation gate and returns
// the records that pass, with the findings of those that do not.
func (ws *Workspace) LoadAll() ([]*incident.Incident, diag.List) {
	incs, diags := validate.LoadAll(ws.FS, ws.Settings)
	recs := make([]*incident.Incident, len(incs))
	for i, inc := range incs {
		recs[i] = inc.Record
	}
	return recs, diags
}

// Rotations reads every rotations/*.yaml through the validation gate:
// files with errors are left out and their findings returned.
func (ws *Workspace) Rotations() ([]*rotation.Rotation, diag.List) {
	return validate.Rotations(ws.FS, ws.Settings)
}

// RotationFile reads one rotation file, p relative to the working tree
// (sev oncall export's argument), strictly.
func (ws *Workspace) RotationFile(p string) (*rotation.Rotation, error) {
	rel := path.Clean(strings.TrimPrefix(p, "./"))
	if !strings.Contains(rel, "/") && path.Ext(rel) == "" {
		rel = path.Join(layout.Rotations, rel+".yaml") // a rotation's name
	}
	data, err := fs.ReadFile(ws.FS, rel)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	r, diags := rotation.Parse(rel, data)
	if r == nil {
		return nil, diags
	}
	return r, nil
}
