package search

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/sev-dev/sev/internal/attachment"
	"github.com/sev-dev/sev/internal/filestat"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/searchtext"
	"github.com/sev-dev/sev/internal/validate"
)

// An incident's attachments are tracked like its files (stat data, then
// blob ids) and read for their text only when the incident is indexed.

// scannedAtt is an attachment as the scan found it.
type scannedAtt struct {
	name string
	stat fileStat
}

// scanAttachments lists and stats the attachments of the incident id in
// dir (a year's folder), sorted by name; a folder that is not there costs
// one stat. A folder whose stat data is what the last sync recorded (prev)
// lists the same files (adding, removing or renaming one changes it), so
// only those are stat-ed, without reading the folder.
func scanAttachments(fd int, dir, id string, prev *manEntry) (fileStat, []scannedAtt) {
	rel := id + "/" + layout.Attachments
	fst, ok := filestat.At(fd, dir, rel)
	if !ok || !fst.Dir {
		return fileStat{}, nil
	}
	dst := fileStat{Size: fst.Size, Mtime: fst.Mtime, Ctime: fst.Ctime, Ino: fst.Ino}
	var names []string
	if prev != nil && prev.attDir == dst && dst != (fileStat{}) {
		for _, a := range prev.att {
			names = append(names, a.name)
		}
	} else {
		entries, err := os.ReadDir(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			return fileStat{}, nil
		}
		for _, d := range entries {
			if d.Type().IsRegular() && attachment.Listed(d.Name()) {
				names = append(names, d.Name())
			}
		}
	}
	var out []scannedAtt
	for _, name := range names {
		if st, ok := lstatAt(fd, dir, rel+"/"+name); ok {
			out = append(out, scannedAtt{name, st})
		} else {
			dst = fileStat{} // listed but gone: read the folder next time
		}
	}
	return dst, out
}

// compareAttachments records the attachments found in e, reading (to hash)
// those whose stat data differs from the last sync, and reports whether
// any was added, removed or changed.
func (x *Index) compareAttachments(id string, e *manEntry, old []attState, now []scannedAtt) bool {
	changed := len(old) != len(now)
	prev := make(map[string]*attState, len(old))
	for i := range old {
		prev[old[i].name] = &old[i]
	}
	for _, a := range now {
		st := attState{name: a.name}
		st.stat = a.stat
		p := prev[a.name]
		switch {
		case p != nil && p.stat == a.stat && a.stat != (fileStat{}):
			st.blob = p.blob
		case a.stat.Size > x.o.Settings.Limits.Attachment:
			// over the limit, so the gate leaves the incident out: its
			// stat data stands for its content
			st.blob = x.o.HashBlob(fmt.Appendf(nil, "%+v", a.stat))
		default:
			b, err := os.ReadFile(filepath.Join(x.o.Root, filepath.FromSlash(e.attPath(id, a.name))))
			if err != nil {
				st.stat = fileStat{} // look again next time
			}
			st.blob = x.o.HashBlob(b)
		}
		changed = changed || p == nil || st.blob != p.blob
		e.att = append(e.att, st)
	}
	return changed
}

func sameStats(a, b []attState) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].name != b[i].name || a[i].stat != b[i].stat {
			return false
		}
	}
	return true
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
