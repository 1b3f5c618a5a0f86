package validate

import (
	"io/fs"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/rule"
)

// Rules parses rules/ as sev automate would, so a pull request that adds
// a broken rule fails validation instead of the next automation run.
// Problems in rotations are Run's to report; rules naming a rotation that
// does not pass are reported here.
func Rules(fsys fs.FS, s *config.Settings) diag.List {
	files, diags, err := rule.ReadFiles(fsys)
	if err != nil {
		diags.Add(diag.Pos{Path: rule.Folder}, rule.Check, "cannot read: %v", err)
		return diags
	}
	if len(files) == 0 {
		return diags
	}
	rots, _ := Rotations(fsys, s) // their problems are Run's
	_, d := rule.ParseSet(files, &rule.Env{Settings: s, Rotations: rots, Escalations: EscalationNames(fsys, s)})
	diags.Append(d)
	diags.Override(s.Levels())
	return diags
}
