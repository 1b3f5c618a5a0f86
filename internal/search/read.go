package search

import (
	"os"

	"github.com/sev-dev/sev/internal/attachment"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/searchtext"
	"github.com/sev-dev/sev/internal/validate"
)

// readDoc reads an incident through the validation gate into its
// document, and names its attachments (attachment.Listed). An incident
// that does not pass is left out (doc is nil) and msg says why. The gate
// reads the files itself: it also looks at the folder's other files,
// their kinds and sizes, which the bytes Sync read to hash do not show.
func (x *Index) readDoc(id string, e *manEntry) (doc *searchtext.Doc, attachments []string, msg string) {
	if e.rec.blob == ([20]byte{}) {
		return nil, nil, e.path(id, fileRecord) + ": missing; the incident is not indexed"
	}
	inc, diags := validate.Load(os.DirFS(x.o.Root), x.o.Settings, id)
	if inc == nil {
		return nil, nil, firstError(diags) + " (not indexed; run \"sev validate\")"
	}
	var pm *searchtext.Postmortem
	if inc.Postmortem != nil {
		pm = searchtext.ParsePostmortem(inc.Postmortem)
	}
	for _, a := range inc.Attachments {
		if attachment.Listed(a) {
			attachments = append(attachments, a)
		}
	}
	return searchtext.NewDoc(inc.Record, inc.Entries, pm), attachments, ""
}

func firstError(l diag.List) string {
	for _, d := range l {
		if d.Severity == diag.Error {
			return d.String()
		}
	}
	return l[0].String()
}
