// Package change is one user action on one incident (declare, note, status,
// assign, ...) expressed as data: the timeline entries it appends, the
// record it creates and the files it adds. Applying a change to the files
// of any version of the repository gives the files to commit, so the same
// change can be applied to the local tip, or re-applied to a remote tip that
// moved, with the same result: entries already present (by id) are skipped.
package change

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/term"
	"github.com/sev-dev/sev/internal/timeline"
)

// Change is one user action.
type Change struct {
	Incident string             `json:"incident"`
	Create   *incident.Incident `json:"create,omitempty"`
	Entries  []timeline.Entry   `json:"entries"`
	Files    map[string][]byte  `json:"files,omitempty"`
	// prepared is the result of Prepare, which Apply reuses while the
	// files it read are unchanged; it is not part of the change.
	prepared *prepared
}

// ReadFunc returns the content of a file at a version of the repository,
// and false when it does not exist there.
type ReadFunc func(path string) ([]byte, bool, error)

// ErrExists is returned when a change creates an incident whose folder
// already exists in the version it is applied to.
var ErrExists = errors.New("an incident with this ID already exists")

// ErrNothing is returned when every entry of the change is already present:
// the change was applied before.
var ErrNothing = errors.New("already recorded")

// ProblemError means a file of the incident has problems that must be fixed
// before the tool changes it.
type ProblemError struct {
	Path    string
	Details string
}

func (e *ProblemError) Error() string {
	return fmt.Sprintf("%s has problems; fix them (run \"sev validate\") before changing it:\n%s", e.Path, e.Details)
}

// Apply computes the files to write for the change on top of the version
// read gives. The result maps repository paths to their new content. The
// result is read back and checked before it is returned: a change that
// would write something sev validate rejects is refused, so nothing
// unreadable can enter an append-only timeline.
func (c *Change) Apply(s *config.Settings, read ReadFunc) (map[string][]byte, error) {
	if p := c.prepared; p != nil && p.settings == s {
		same, err := p.same(read)
		if err != nil {
			return nil, err
		}
		if same {
			return maps.Clone(p.files), nil
		}
	}
	return c.apply(s, read)
}

// Prepare is Apply, and remembers the result with the files it read:
// applying the change again where those files are byte for byte the same
// (the commit that follows a bulk edit's preview) then costs reading and
// comparing them, not parsing and checking them again. The result is the
// same either way, as Apply depends on nothing else.
func (c *Change) Prepare(s *config.Settings, read ReadFunc) (map[string][]byte, error) {
	p := &prepared{settings: s, read: map[string]readResult{}}
	files, err := c.apply(s, func(path string) ([]byte, bool, error) {
		b, ok, err := read(path)
		p.read[path] = readResult{b, ok}
		return b, ok, err
	})
	if err == nil {
		p.files = maps.Clone(files)
		c.prepared = p
	}
	return files, err
}

// prepared is a change applied to one version of the files it read.
type prepared struct {
	settings *config.Settings
	read     map[string]readResult
	files    map[string][]byte
}

type readResult struct {
	data []byte
	ok   bool
}

// same reports whether read gives exactly the files p was made from.
func (p *prepared) same(read ReadFunc) (bool, error) {
	for path, was := range p.read {
		b, ok, err := read(path)
		if err != nil {
			return false, err
		}
		if ok != was.ok || !bytes.Equal(b, was.data) {
			return false, nil
		}
	}
	return true, nil
}

func (c *Change) apply(s *config.Settings, read ReadFunc) (map[string][]byte, error) {
	recPath, tlPath := layout.Record(c.Incident), layout.Timeline(c.Incident)
	recData, recOK, err := readLF(read, recPath)
	if err != nil {
		return nil, err
	}
	tlData, _, err := readLF(read, tlPath)
	if err != nil {
		return nil, err
	}
	existing, _, diags := timeline.Parse(tlPath, tlData)
	if diags.Errors() > 0 {
		return nil, &ProblemError{Path: tlPath, Details: diags.Error()}
	}
	var rec *incident.Incident
	switch {
	case c.Create != nil && recOK:
		if c.present(existing) {
			return nil, ErrNothing // this declaration landed already
		}
		return nil, ErrExists
	case c.Create != nil:
		cp := *c.Create
		rec = &cp
	case !recOK:
		return nil, fmt.Errorf("%s does not exist", recPath)
	default:
		r, _, diags := incident.Parse(recPath, recData)
		if diags.Errors() > 0 {
			return nil, &ProblemError{Path: recPath, Details: diags.Error()}
		}
		rec = r
	}
	var added []timeline.Entry
	for _, e := range c.Entries {
		if timeline.Has(existing, e.ID) {
			continue
		}
		if err := incident.Apply(rec, e, s); err != nil {
			return nil, err
		}
		existing = append(existing, e)
		added = append(added, e)
	}
	if len(added) == 0 {
		return nil, ErrNothing
	}
	if tlData, err = timeline.AppendAll(tlData, layout.SchemaRef(tlPath, "timeline.schema.json"), added); err != nil {
		return nil, fmt.Errorf("%s: %w", tlPath, err)
	}
	if a, b := incident.OrderProblem(rec.Milestones); a != "" {
		return nil, fmt.Errorf("%s would be before %s (%s at %s, %s at %s); milestones must follow %s",
			b, a, b, rec.Milestones.Get(b).Format("2006-01-02T15:04:05Z07:00"), a,
			rec.Milestones.Get(a).Format("2006-01-02T15:04:05Z07:00"), strings.Join(incident.Milestones, " → "))
	}
	recOut, err := incident.Encode(layout.SchemaRef(recPath, "incident.schema.json"), rec)
	if err != nil {
		return nil, err
	}
	if err := checkResult(s, c.Incident, recOut, tlData); err != nil {
		return nil, err
	}
	// The record is always part of the result, changed or not, so a commit
	// also carries a record that was written earlier with --no-commit.
	out := map[string][]byte{recPath: recOut, tlPath: tlData}
	for p, data := range c.Files {
		if old, ok, err := read(p); err != nil {
			return nil, err
		} else if ok && string(old) != string(data) {
			return nil, fmt.Errorf("%s already exists with other content; rename the file", p)
		}
		out[p] = data
	}
	return out, nil
}

// present reports whether every entry of the change is in entries.
func (c *Change) present(entries []timeline.Entry) bool {
	for _, e := range c.Entries {
		if !timeline.Has(entries, e.ID) {
			return false
		}
	}
	return len(c.Entries) > 0
}

// readLF reads a file with Windows line endings turned into LF, as git
// itself stores text when core.autocrlf converted it on checkout.
func readLF(read ReadFunc, p string) ([]byte, bool, error) {
	b, ok, err := read(p)
	if ok && bytes.Contains(b, []byte("\r\n")) {
		b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	}
	return b, ok, err
}

// InvalidError lists the problems a change would have written.
type InvalidError struct{ Diags diag.List }

func (e *InvalidError) Error() string {
	return "the change would write invalid files, so nothing was written:\n" + e.Diags.Error()
}

// checkResult reads the new files back with the strict parsers and runs
// the record and timeline checks on them. Reference warnings (unknown
// names) do not stop a write; errors do.
func checkResult(s *config.Settings, id string, rec, tl []byte) error {
	recPath, tlPath := layout.Record(id), layout.Timeline(id)
	var all diag.List
	inc, dec, d := incident.Parse(recPath, rec)
	all.Append(d)
	if d.Errors() == 0 {
		all.Append(incident.Check(inc, dec, s, id))
	}
	entries, tdec, d := timeline.Parse(tlPath, tl)
	all.Append(d)
	if d.Errors() == 0 {
		all.Append(incident.CheckTimeline(entries, tdec, s))
	}
	if int64(len(tl)) > s.Limits.Timeline {
		all.Add(diag.Pos{Path: tlPath}, "file-size", "the timeline would be %d bytes; the limit is %d (limits in sev.yaml)", len(tl), s.Limits.Timeline)
	}
	if int64(len(rec)) > s.Limits.Incident {
		all.Add(diag.Pos{Path: recPath}, "file-size", "the record would be %d bytes; the limit is %d (limits in sev.yaml)", len(rec), s.Limits.Incident)
	}
	all.Override(s.Levels())
	if all.Errors() == 0 {
		return nil
	}
	var errs diag.List
	for _, x := range all {
		if x.Severity == diag.Error {
			errs = append(errs, x)
		}
	}
	errs.Sort()
	return &InvalidError{Diags: errs}
}

// Message is the commit message for the change. For a restricted incident
// it names only the ID and the kind of change, never the title or text.
func (c *Change) Message(restricted bool) string {
	var b strings.Builder
	b.WriteString(c.Incident + ": ")
	for i, e := range c.Entries {
		if i > 0 {
			b.WriteString("; ")
		}
		switch {
		case restricted:
			b.WriteString(e.Type)
		case e.Type == timeline.Declared && c.Create != nil:
			b.WriteString("declare \"" + oneLine(c.Create.Title) + "\"")
		default:
			b.WriteString(oneLine(timeline.Describe(e)))
		}
	}
	subject := b.String()
	if r := []rune(subject); len(r) > 100 {
		subject = string(r[:97]) + "..."
	}
	return subject + "\n\nSev-Incident: " + c.Incident + "\n"
}

// oneLine folds text to one line for a commit subject, with characters a
// terminal would act on shown as escapes (git log prints subjects raw).
func oneLine(s string) string { return term.Line(strings.Join(strings.Fields(s), " ")) }

// Fingerprint identifies what the change asks for, by whom, apart from
// when: the incident (or the record it creates, without its date-derived
// ID), each entry without its id and times, and the files. The same
// command run twice makes two changes with one fingerprint; it is how the
// write transaction tells a repeated command (refused for ten minutes
// unless asked again) and finishes an interrupted one exactly once.
func (c *Change) Fingerprint(by string) string {
	h := sha256.New()
	write := func(v any) {
		b, _ := json.Marshal(v)
		h.Write(b)
		h.Write([]byte{0})
	}
	write(by)
	if c.Create != nil {
		rec := *c.Create
		rec.ID, rec.Milestones.Declared = "", time.Time{}
		write(rec)
	} else {
		write(c.Incident)
	}
	for _, e := range c.Entries {
		e.ID, e.At, e.Recorded = "", time.Time{}, time.Time{}
		write(e)
	}
	for _, p := range slices.Sorted(maps.Keys(c.Files)) {
		sum := sha256.Sum256(c.Files[p])
		write(strings.Replace(p, c.Incident, "", 1))
		write(sum[:])
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}
