package search

import (
	"os"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/validate"
)

// readDoc reads an incident through the validation gate into its
// document. An incident that does not pass is left out (doc is nil) and
// msg says why. The files are read again by the gate (data, read to hash
// them, is not trusted to be all of them: the gate also looks at the
// folder's other files, their kinds and sizes).
func (x *Index) readDoc(id string, e *manEntry, data [3][]byte) (*Doc, string) {
	if e.rec.blob == ([20]byte{}) {
		return nil, e.path(id, fileRecord) + ": missing; the incident is not indexed"
	}
	inc, diags := validate.Load(os.DirFS(x.o.Root), x.o.Settings, id)
	if inc == nil {
		return nil, firstError(diags) + " (not indexed; run \"sev validate\")"
	}
	var pm *Postmortem
	if inc.Postmortem != nil {
		pm = ParsePostmortem(inc.Postmortem)
	}
	return NewDoc(inc.Record, inc.Entries, pm), ""
}

func firstError(l diag.List) string {
	for _, d := range l {
		if d.Severity == diag.Error {
			return d.String()
		}
	}
	return l[0].String()
}
