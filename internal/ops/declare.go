package ops

import (
	"cmp"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/attachment"
	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// Declare creates an incident. Only the title is needed; everything else
// has a default from sev.yaml: the least severe severity, the first
// active status, internal visibility, kind normal.
type Declare struct {
	Title string
	// Severity is a level or its name; used when SeveritySet.
	Severity             string
	SeveritySet          bool
	Tags, Orgs, Services []string
	Commander            string
	Roles                []string // ROLE=PERSON
	Visibility, Kind     string
	Summary, Impact      string
	Started, Detected    string   // RFC 3339
	Links                []string // KIND=URL
	// Slug replaces the one made from the title.
	Slug string
	// Page names rotations (or orgs) whose on-call person is paged now.
	Page []string
	// Window is a maintenance's planned window, START/END.
	Window string
	At     time.Time
}

// Declare makes the change that creates the incident: its record, the
// declared entry and the page entries. The ID is the declaration date in
// sev.yaml's time zone and a slug of the title (a neutral one for a
// restricted incident), with -2, -3, ... when it is taken.
func (e *Env) Declare(by string, d Declare) (*change.Change, error) {
	en, err := e.Entry(by, timeline.Declared, d.At)
	if err != nil {
		return nil, err
	}
	rec, err := e.newRecord(en, d)
	if err != nil {
		return nil, err
	}
	en.Severity, en.Status, en.Key = rec.Severity, rec.Status, true
	ch := &change.Change{Incident: rec.ID, Create: rec, Entries: []timeline.Entry{en}}
	pages, err := e.pages(by, "--page: ", d.Page, en.At)
	if err != nil {
		return nil, err
	}
	ch.Entries = append(ch.Entries, pages...)
	return ch, nil
}

func (e *Env) newRecord(en timeline.Entry, d Declare) (*incident.Incident, error) {
	s := e.Settings
	rec := &incident.Incident{
		Title:      strings.Join(strings.Fields(d.Title), " "), // a title is one line
		Severity:   len(s.Severities),
		Status:     s.InitialStatus(),
		Kind:       d.Kind,
		Visibility: d.Visibility,
		Summary:    d.Summary,
		Impact:     d.Impact,
	}
	if d.SeveritySet {
		level, err := s.ParseSeverity(d.Severity)
		if err != nil {
			return nil, inputf("--sev: %v", err)
		}
		rec.Severity = level
	}
	if d.Visibility != "" && !slices.Contains(incident.Visibilities, d.Visibility) {
		return nil, inputf("--visibility: use one of %s", strings.Join(incident.Visibilities, ", "))
	}
	if d.Kind != "" && !slices.Contains(incident.Kinds, d.Kind) {
		return nil, inputf("--kind: use one of %s", strings.Join(incident.Kinds, ", "))
	}
	for _, list := range []struct {
		kind string
		in   []string
		out  *[]string
	}{{"tag", d.Tags, &rec.Tags}, {"org", d.Orgs, &rec.Orgs}, {"service", d.Services, &rec.Services}} {
		for _, v := range list.in {
			if err := CheckLabel(list.kind, v); err != nil {
				return nil, err
			}
			if !slices.Contains(*list.out, v) {
				*list.out = append(*list.out, v)
			}
		}
	}
	if err := setRoles(rec, d); err != nil {
		return nil, err
	}
	if err := setLinks(rec, d.Links); err != nil {
		return nil, err
	}
	rec.Milestones.Declared = en.At
	for _, m := range []struct{ name, value string }{{"started", d.Started}, {"detected", d.Detected}} {
		if m.value == "" {
			continue
		}
		t, err := yamlfile.ParseTime(m.value)
		if err != nil {
			return nil, inputf("--%s: %v", m.name, err)
		}
		rec.Milestones.Set(m.name, t)
	}
	if d.Window != "" {
		if rec.EffectiveKind() != "maintenance" {
			return nil, inputf("--window: only a maintenance has a planned window; add --kind maintenance")
		}
		w, err := incident.ParseWindow(d.Window)
		if err != nil {
			return nil, inputf("--window: %v", err)
		}
		rec.Window = w
	}
	if x, y := incident.OrderProblem(rec.Milestones); x != "" {
		return nil, inputf("%s must not be before %s", y, x)
	}
	ids, err := layout.IDs(e.FS)
	if err != nil {
		return nil, err
	}
	slug := incident.Slug(rec.Title)
	switch {
	case d.Slug != "":
		if err := CheckName("slug", d.Slug); err != nil || strings.Contains(d.Slug, "--") || strings.HasSuffix(d.Slug, "-") {
			return nil, inputf("--slug %q: use lower-case letters and digits separated by single dashes", d.Slug)
		}
		slug = d.Slug
	case rec.Restricted():
		// The ID appears in paths, commit messages and the audit trail;
		// a restricted incident's must not tell what it is about.
		slug = "restricted-" + timeline.NewID(en.At)[12:]
	}
	rec.ID = uniqueID(ids, en.At.In(s.Location()).Format("2006-01-02")+"-"+slug)
	return rec, nil
}

func setRoles(rec *incident.Incident, d Declare) error {
	roles := map[string]string{}
	if d.Commander != "" {
		roles["commander"] = strings.TrimPrefix(d.Commander, "@")
	}
	for _, r := range d.Roles {
		role, person, ok := strings.Cut(r, "=")
		if !ok || role == "" || person == "" {
			return inputf("--role %q: write ROLE=PERSON, e.g. comms=carol", r)
		}
		if err := CheckName("role", role); err != nil {
			return err
		}
		roles[role] = strings.TrimPrefix(person, "@")
	}
	if len(roles) > 0 {
		rec.Roles = roles
	}
	return nil
}

func setLinks(rec *incident.Incident, links []string) error {
	for _, l := range links {
		kind, url, ok := strings.Cut(l, "=")
		if !ok {
			return inputf("--link %q: write KIND=URL, e.g. chat=https://chat.example.com/c/inc", l)
		}
		if !slices.Contains(incident.LinkKinds, kind) {
			return inputf("--link: unknown kind %q; use one of %s", kind, strings.Join(incident.LinkKinds, ", "))
		}
		if err := incident.CheckURL(url); err != nil {
			return inputf("--link: %v", err)
		}
		rec.Links = append(rec.Links, incident.Link{Kind: kind, URL: url})
	}
	return nil
}

// uniqueID appends -2, -3, ... when the ID is taken.
func uniqueID(ids []string, id string) string {
	if !slices.Contains(ids, id) {
		return id
	}
	for n := 2; ; n++ {
		c := fmt.Sprintf("%s-%d", id, n)
		if !slices.Contains(ids, c) {
			return c
		}
	}
}

// Attach adds a file to the incident's attachments/ folder. Name is the
// file name sev keeps (already cleaned by the caller); Read reads the
// content once the size and name are accepted.
type Attach struct {
	Name, Note string
	// Source is how messages name the file (the path as given); default Name.
	Source string
	Size   int64
	Read   func() ([]byte, error)
	At     time.Time
}

func (e *Env) Attach(inc *Incident, by string, a Attach) (*change.Change, error) {
	if a.Size > e.Settings.Limits.Attachment {
		src := a.Source
		if src == "" {
			src = a.Name
		}
		return nil, fmt.Errorf("attach: %s is %d bytes; attachments are limited to %d (limits.attachment in sev.yaml)",
			src, a.Size, e.Settings.Limits.Attachment)
	}
	p := layout.Attachment(inc.Record.ID, a.Name)
	if _, err := fs.Stat(e.FS, p); err == nil {
		return nil, fmt.Errorf("attach: %s already exists; pick another name with --name", p)
	}
	data, err := a.Read()
	if err != nil {
		return nil, err
	}
	en, err := e.Entry(by, timeline.Attach, a.At)
	en.File, en.Text = a.Name, a.Note
	ch := changeOf(inc, en)
	ch.Files = map[string][]byte{p: data}
	return ch, err
}

var attachNameRE = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// AttachFile prepares attaching the regular file at path (shown as given
// in messages) under name, or under its own name cleaned to letters,
// digits, '.', '_' and '-'. warning is set when a browser would run the
// type (the site then shows it only as text or a download).
func AttachFile(path, shown, name, note string) (a Attach, warning string, err error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return a, "", fmt.Errorf("attach: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return a, "", fmt.Errorf("attach: %s is not a regular file", shown)
	}
	base := cmp.Or(name, filepath.Base(path))
	base = strings.Trim(attachNameRE.ReplaceAllString(base, "-"), "-.")
	if base == "" {
		return a, "", inputf("attach: give the file a name with --name")
	}
	if attachment.Active(base) {
		warning = fmt.Sprintf("a browser would run script from %s, so the site shows it only as text or a download (%s); only %s are shown as they are",
			base, attachment.Published(base), attachment.Kinds)
	}
	return Attach{Name: base, Source: shown, Note: note, Size: fi.Size(), Read: func() ([]byte, error) { return os.ReadFile(path) }}, warning, nil
}
