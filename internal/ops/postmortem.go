package ops

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/postmortem"
)

// Postmortem is an incident's postmortem being changed by an operation.
type Postmortem struct {
	ID      string
	Record  *incident.Incident
	Path    string
	Doc     *postmortem.Doc
	Created bool // drafted by this operation
}

// PostmortemChange is the file an edit produced.
type PostmortemChange struct {
	Path string
	Data []byte
	// What the edit did, for the commit message and the user.
	What string
	// Kept are the generated parts left alone because someone edited
	// them.
	Kept []string
	// Created says the postmortem was drafted; Unchanged that the file
	// would be written as it is.
	Created, Unchanged bool
}

// ProblemsError is an edit refused because of the findings in Diags.
type ProblemsError struct {
	Diags diag.List
	Msg   string
}

func (e *ProblemsError) Error() string { return e.Msg }

// EditPostmortem loads (or drafts, with by as its author) the incident's
// postmortem, lets edit change its front matter, brings the generated
// parts up to date and checks that the result reads back without error.
// Nothing is written; the caller commits Data.
func (e *Env) EditPostmortem(inc *Incident, by string, edit func(*Postmortem) (string, error)) (*PostmortemChange, error) {
	f, err := e.openPostmortem(inc, by)
	if err != nil {
		return nil, err
	}
	pm := f.pm
	what, err := edit(pm)
	if err != nil {
		return nil, err
	}
	f.in.Meta = pm.Doc.Meta
	fresh, err := postmortem.Render(f.in, postmortem.TemplateFile, f.tmpl)
	if err != nil {
		return nil, err
	}
	body, kept := postmortem.Refresh(pm.Doc.BodyBytes(), fresh)
	data, err := pm.Doc.Bytes(body)
	if err != nil {
		return nil, err
	}
	pc, err := e.finishPostmortem(f, data)
	if err != nil {
		return nil, err
	}
	pc.What, pc.Kept = what, kept
	return pc, nil
}

// postmortemFile is a postmortem opened for an edit: as it is on disk
// (old, nil when it is being drafted), parsed, and what its generated
// parts are rendered from.
type postmortemFile struct {
	pm   *Postmortem
	old  []byte
	in   postmortem.Input
	tmpl []byte
}

// openPostmortem reads the incident's postmortem, refusing one whose
// front matter has errors, or drafts it, with by as its author.
func (e *Env) openPostmortem(inc *Incident, by string) (*postmortemFile, error) {
	id := inc.Record.ID
	p := layout.Postmortem(id)
	tmpl, err := fs.ReadFile(e.FS, postmortem.TemplateFile)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	f := &postmortemFile{tmpl: tmpl, pm: &Postmortem{ID: id, Path: p, Record: inc.Record},
		in: postmortem.Input{Settings: e.Settings, Record: inc.Record, Entries: inc.Entries}}
	old, err := fs.ReadFile(e.FS, p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		f.pm.Created = true
		meta := postmortem.Meta{Incident: id, Status: "draft", Authors: []string{by}}
		f.in.Meta = meta
		body, err := postmortem.Render(f.in, postmortem.TemplateFile, tmpl)
		if err != nil {
			return nil, err
		}
		data, err := postmortem.New(meta, body)
		if err != nil {
			return nil, err
		}
		doc, diags := postmortem.Parse(p, data)
		if diags.Errors() > 0 {
			return nil, fmt.Errorf("the draft does not read back (this is a bug in sev): %v", diags)
		}
		f.pm.Doc = doc
	case err != nil:
		return nil, err
	default:
		doc, diags := postmortem.Parse(p, old)
		diags.Append(postmortem.Check(doc, e.Settings, id))
		if diags.Errors() > 0 || doc.Front == nil {
			return nil, &ProblemsError{Diags: diags, Msg: fmt.Sprintf("%s has problems in its front matter; fix them first", p)}
		}
		f.pm.Doc, f.old = doc, old
	}
	return f, nil
}

// finishPostmortem checks the edited file: within limits.postmortem, and
// reading back without error; nothing invalid is written.
func (e *Env) finishPostmortem(f *postmortemFile, data []byte) (*PostmortemChange, error) {
	pm := f.pm
	if limit := e.Settings.Limits.Postmortem; int64(len(data)) > limit {
		return nil, fmt.Errorf("not written: %s would be %d bytes, over limits.postmortem in sev.yaml (%d)", pm.Path, len(data), limit)
	}
	check, diags := postmortem.Parse(pm.Path, data)
	diags.Append(postmortem.Check(check, e.Settings, pm.ID))
	if diags.Errors() > 0 {
		return nil, &ProblemsError{Diags: diags, Msg: fmt.Sprintf("not written: the change would leave %s invalid", pm.Path)}
	}
	return &PostmortemChange{Path: pm.Path, Data: data, Created: pm.Created,
		Unchanged: !pm.Created && string(data) == string(f.old)}, nil
}

// Review sets a postmortem's status and adds authors and reviewers.
type Review struct {
	Status             string
	Authors, Reviewers []string
}

// CheckReview refuses an unknown review status.
func CheckReview(r Review) error {
	if r.Status != "" && !slices.Contains(config.PostmortemStatuses, r.Status) {
		return inputf("--status must be one of %s, not %q", strings.Join(config.PostmortemStatuses, ", "), r.Status)
	}
	return nil
}

// Review drafts or refreshes the postmortem with r applied; it warns when
// a postmortem goes to review with empty sections or an incident still
// active.
func (e *Env) Review(inc *Incident, by string, r Review) (*PostmortemChange, error) {
	if err := CheckReview(r); err != nil {
		return nil, err
	}
	return e.EditPostmortem(inc, by, func(pm *Postmortem) (string, error) {
		if r.Status != "" {
			pm.Doc.SetStatus(r.Status)
		}
		pm.Doc.AddPeople("authors", r.Authors)
		pm.Doc.AddPeople("reviewers", r.Reviewers)
		if r.Status == "published" || r.Status == "in-review" {
			if empty := postmortem.Unwritten(pm.Doc); len(empty) > 0 {
				e.warn("warning: still empty: %s", strings.Join(empty, ", "))
			}
			if st, ok := e.Settings.Status(pm.Record.Status); ok && st.Phase == config.PhaseActive {
				e.warn("warning: %s is still %s; the review may miss what happens next", pm.ID, pm.Record.Status)
			}
		}
		verb := "refreshed"
		if pm.Created {
			verb = "drafted"
		}
		if r.Status != "" {
			verb += ", status " + r.Status
		}
		return verb, nil
	})
}

// CheckFollowUp refuses a follow-up without a one-line title, with a due
// date that is not a date, of an unknown type or with an unknown status.
func CheckFollowUp(f postmortem.FollowUp) error {
	if f.Title == "" || strings.ContainsAny(f.Title, "\n\r") {
		return inputf("the title must be one non-empty line")
	}
	if f.Due != "" {
		if _, err := time.Parse("2006-01-02", f.Due); err != nil {
			return inputf("--due must be a date such as 2026-04-01, not %q", f.Due)
		}
	}
	if !slices.Contains(config.FollowUpTypes, f.Type) {
		return inputf("--type must be one of %s, not %q", strings.Join(config.FollowUpTypes, ", "), f.Type)
	}
	if f.Status != "" && !slices.Contains(config.FollowUpStatuses, f.Status) {
		return inputf("--status must be one of %s, not %q", strings.Join(config.FollowUpStatuses, ", "), f.Status)
	}
	return nil
}

// AddFollowUp adds a follow-up action to the postmortem (drafting it if
// needed); it gets the next FU-N and is open unless its status says
// otherwise (an earlier review's follow-up recorded as done).
func (e *Env) AddFollowUp(inc *Incident, by string, f postmortem.FollowUp) (*PostmortemChange, error) {
	f.Title = strings.TrimSpace(f.Title)
	if err := CheckFollowUp(f); err != nil {
		return nil, err
	}
	if f.Status == "" {
		f.Status = "open"
	}
	return e.EditPostmortem(inc, by, func(pm *Postmortem) (string, error) {
		if f.Due != "" {
			declared := pm.Record.Milestones.Declared
			if declared.IsZero() {
				declared, _ = time.Parse("2006-01-02", pm.ID[:10])
			}
			if f.Due < declared.In(e.Settings.Location()).Format("2006-01-02") {
				return "", inputf("--due %s is before %s was declared; a follow-up is due after the incident", f.Due, pm.ID)
			}
		}
		f.ID = pm.Doc.NextFollowUpID()
		pm.Doc.AddFollowUp(f)
		if f.Status != "open" {
			return "added " + f.ID + ", " + f.Status, nil
		}
		return "added " + f.ID, nil
	})
}

// SetFollowUp sets the status of follow-up fid (FU-N): done, dropped or
// open.
func (e *Env) SetFollowUp(inc *Incident, by, fid, status string) (*PostmortemChange, error) {
	return e.EditPostmortem(inc, by, func(pm *Postmortem) (string, error) {
		if pm.Created {
			return "", fmt.Errorf("%s has no postmortem yet, so no follow-ups; add one with sev followup add", pm.ID)
		}
		fid := strings.ToUpper(fid)
		if err := pm.Doc.SetFollowUpStatus(fid, status); err != nil {
			return "", err
		}
		return fid + " " + status, nil
	})
}
