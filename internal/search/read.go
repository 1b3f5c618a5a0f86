package search

import (
	"os"
	"path/filepath"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/timeline"
)

// readDoc parses an incident's files (data holds those already read) into
// its document. A record that does not parse leaves the incident out
// (doc is nil); a timeline that does not parse leaves only the timeline
// out. msg says what was left out and why.
func (x *Index) readDoc(id string, e *manEntry, data [3][]byte) (*Doc, string) {
	read := func(k int) []byte {
		if data[k] == nil && e.files()[k].blob != ([20]byte{}) {
			data[k], _ = os.ReadFile(filepath.Join(x.o.Root, filepath.FromSlash(e.path(id, k))))
		}
		return data[k]
	}
	recPath := e.path(id, fileRecord)
	if e.rec.blob == ([20]byte{}) {
		return nil, recPath + ": missing; the incident is not indexed"
	}
	inc, _, diags := incident.Parse(recPath, read(fileRecord))
	if diags.Errors() > 0 {
		return nil, firstError(diags) + " (not indexed; run \"sev validate\")"
	}
	inc.ID = id
	var entries []timeline.Entry
	msg := ""
	if tl := read(fileTimeline); tl != nil {
		var tdiags diag.List
		entries, tdiags = timeline.Read(e.path(id, fileTimeline), tl)
		if tdiags.Errors() > 0 {
			msg = firstError(tdiags) + " (timeline not indexed; run \"sev validate\")"
			entries = nil
		}
	}
	var pm *Postmortem
	if b := read(filePostmortem); b != nil {
		pm = ParsePostmortem(b)
	}
	return NewDoc(inc, entries, pm), msg
}

func firstError(l diag.List) string {
	for _, d := range l {
		if d.Severity == diag.Error {
			return d.String()
		}
	}
	return l[0].String()
}
