package search

import (
	"fmt"
	"os"

	"github.com/sev-dev/sev/internal/attachment"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/layout"
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

// attachmentText reads the incident's attachments the way the gate reads
// files (regular files within limits.attachment) and extracts their text
// (Options.AttachmentText). An attachment whose text cannot be read is
// left out of the document, or only partly in it, with a note that says
// why; one that has no text (an image) is left out silently.
func (x *Index) attachmentText(id string, names []string) (out []searchtext.Attachment, notes []string) {
	fsys := os.DirFS(x.o.Root)
	for _, name := range names {
		p := layout.Attachment(id, name)
		data, err := validate.ReadAttachment(fsys, x.o.Settings, p)
		var text string
		if err == nil {
			text, err = x.o.AttachmentText(name, data)
		}
		if err != nil {
			notes = append(notes, fmt.Sprintf("%s: text not searchable: %v", p, err))
		}
		if text != "" {
			out = append(out, searchtext.Attachment{Name: name, Text: text})
		}
	}
	return out, notes
}

func firstError(l diag.List) string {
	for _, d := range l {
		if d.Severity == diag.Error {
			return d.String()
		}
	}
	return l[0].String()
}
