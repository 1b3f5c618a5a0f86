package validate

import (
	"errors"
	"io/fs"
	"path"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/escalate"
)

// Escalations reads every policy in escalations/ through the gate: a file
// with an error is left out and named in the findings (a policy that is
// half right could page the wrong people, or nobody).
func Escalations(fsys fs.FS, s *config.Settings) ([]*escalate.Policy, diag.List) {
	var diags diag.List
	entries, err := fs.ReadDir(fsys, escalate.Folder)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			diags.Add(diag.Pos{Path: escalate.Folder}, "read", "%v", err)
		}
		return nil, diags
	}
	rots, _ := readRotations(fsys, s) // their problems are reported on their own
	k := escalate.Known{Settings: s}
	for _, r := range rots {
		k.Rotations = append(k.Rotations, r.r.Name)
	}
	var out []*escalate.Policy
	for _, e := range entries {
		p := path.Join(escalate.Folder, e.Name())
		switch {
		case ignorable(e.Name()):
			continue
		case !e.Type().IsRegular():
			diags.Add(diag.Pos{Path: p}, "file-type", "this is not a regular file; escalation policies are YAML files")
			continue
		case path.Ext(e.Name()) != ".yaml":
			diags.Warn(diag.Pos{Path: p}, "layout", "unexpected file; escalation policies are %s/NAME.yaml", escalate.Folder)
			continue
		}
		data, err := readCapped(fsys, p, s.Limits.Other, &diags)
		if err != nil {
			continue
		}
		pol, d := escalate.Parse(p, data, k)
		diags.Append(d)
		if pol != nil {
			out = append(out, pol)
		}
	}
	diags.Override(Levels(s))
	return out, diags
}

// EscalationNames lists the policies that pass validation, by name (the
// escalate step of rules may start them).
func EscalationNames(fsys fs.FS, s *config.Settings) []string {
	pols, _ := Escalations(fsys, s)
	names := make([]string, len(pols))
	for i, p := range pols {
		names[i] = p.Name
	}
	return names
}
