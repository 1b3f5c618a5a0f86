// Package timeline is an incident's append-only audit trail: one entry per
// change or note, each with a stable id, an author and an RFC 3339 time.
// Entries are never edited in place; a correction is a new entry that names
// the one it corrects. The file is a YAML list, so appending an entry is
// appending text, and concurrent appends merge by entry id.
package timeline

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// Entry types.
const (
	Declared = "declared"
	Note     = "note"
	Status   = "status"
	Severity = "severity"
	Assign   = "assign"
	Unassign = "unassign"
	Tag      = "tag"
	Untag    = "untag"
	Set      = "set"
	Add      = "add"
	Remove   = "remove"
	Link     = "link"
	Unlink   = "unlink"
	Attach   = "attach"
	Page     = "page"
	// Escalate starts an escalation policy (Value: its name).
	Escalate = "escalate"
	// Notify is the receipt of a notification: Value is the channel,
	// Field the action (page, remind, acknowledge, resolve, update),
	// Person whom it reached, Rotation how they were chosen.
	Notify = "notify"
)

// Types lists every entry type, for validation and the JSON Schema.
var Types = []string{Declared, Note, Status, Severity, Assign, Unassign, Tag, Untag, Set, Add, Remove, Link, Unlink, Attach, Page, Escalate, Notify}

// NotifyActions are the actions a notify entry records (its Field).
var NotifyActions = []string{"page", "remind", "acknowledge", "resolve", "update"}

// Entry is one line of the audit trail.
type Entry struct {
	ID       string    `yaml:"id,required" json:"id,omitzero"`
	At       time.Time `yaml:"at,required" json:"at,omitzero"`
	Recorded time.Time `yaml:"recorded" json:"recorded,omitzero"`
	By       string    `yaml:"by,required" json:"by,omitzero"`
	Type     string    `yaml:"type,required" json:"type,omitzero"`
	Text     string    `yaml:"text" json:"text,omitzero"`

	Milestone string `yaml:"milestone" json:"milestone,omitzero"`
	Status    string `yaml:"status" json:"status,omitzero"`
	Severity  int    `yaml:"severity" json:"severity,omitzero"`
	Role      string `yaml:"role" json:"role,omitzero"`
	Rotation  string `yaml:"rotation" json:"rotation,omitzero"`
	Person    string `yaml:"person" json:"person,omitzero"`
	Tag       string `yaml:"tag" json:"tag,omitzero"`
	Field     string `yaml:"field" json:"field,omitzero"`
	Value     string `yaml:"value" json:"value,omitzero"`
	URL       string `yaml:"url" json:"url,omitzero"`
	File      string `yaml:"file" json:"file,omitzero"`
	Corrects  string `yaml:"corrects" json:"corrects,omitzero"`
	Key       bool   `yaml:"key" json:"key,omitzero"`
	Public    bool   `yaml:"public" json:"public,omitzero"`
	// Imported marks an entry that came from another system: By is the
	// author as that system named them, not a responder.
	Imported bool `yaml:"imported" json:"imported,omitzero"`
	// Precision is "day" or "unknown" when At is less precise than it
	// is written (incident.Precisions).
	Precision string `yaml:"precision" json:"precision,omitzero"`
}

// Header is the first line sev writes: it lets editors find the schema.
func Header(schemaPath string) string {
	return "# yaml-language-server: $schema=" + schemaPath + "\n"
}

// NewID returns a new entry id: 10 characters of millisecond time and 6 of
// randomness in lower-case Crockford base32, so ids sort by creation.
func NewID(now time.Time) string {
	const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
	var b [16]byte
	ms := uint64(now.UnixMilli())
	for i := 9; i >= 0; i-- {
		b[i] = alphabet[ms&31]
		ms >>= 5
	}
	var r [6]byte
	if _, err := rand.Read(r[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	for i, c := range r {
		b[10+i] = alphabet[c&31]
	}
	return string(b[:])
}

// Parse reads a timeline file.
func Parse(path string, data []byte) ([]Entry, *yamlfile.Decoder, diag.List) {
	root, diags := yamlfile.Parse(path, data)
	d := yamlfile.NewDecoder(path)
	var entries []Entry
	if root != nil {
		d.Decode(root, &entries)
	}
	diags.Append(d.Diags)
	return entries, d, diags
}

// EncodeEntry renders one entry as the text to append to a timeline file.
func EncodeEntry(e Entry) ([]byte, error) {
	return yamlfile.Encode([]Entry{e})
}

// Encode renders a whole timeline file canonically.
func Encode(schemaPath string, entries []Entry) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(Header(schemaPath))
	for _, e := range entries {
		b, err := EncodeEntry(e)
		if err != nil {
			return nil, err
		}
		buf.Write(b)
	}
	return buf.Bytes(), nil
}

// AppendTo returns file with e appended. The existing bytes are kept as
// they are, so an append never rewrites what others wrote.
func AppendTo(file []byte, schemaPath string, e Entry) ([]byte, error) {
	return AppendAll(file, schemaPath, []Entry{e})
}

// AppendAll is AppendTo for several entries, copying the file once (an
// import appends twenty entries to each of thousands of timelines).
func AppendAll(file []byte, schemaPath string, es []Entry) ([]byte, error) {
	var add bytes.Buffer
	for _, e := range es {
		b, err := EncodeEntry(e)
		if err != nil {
			return nil, err
		}
		add.Write(b)
	}
	out := make([]byte, 0, len(file)+add.Len()+len(schemaPath)+40)
	if len(bytes.TrimSpace(file)) == 0 {
		out = append(out, Header(schemaPath)...)
	} else {
		out = append(out, file...)
		if out[len(out)-1] != '\n' {
			out = append(out, '\n')
		}
		if bytes.HasSuffix(bytes.TrimRight(out, "\n"), []byte("[]")) {
			return nil, fmt.Errorf("timeline is written as an empty flow list; run \"sev fmt\" first")
		}
	}
	return append(out, add.Bytes()...), nil
}

// Sorted returns the entries ordered by the time they describe; entries
// with the same time keep the order they were appended in. This is how a
// timeline is read.
func Sorted(entries []Entry) []Entry {
	out := slices.Clone(entries)
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// Has reports whether an entry with the id is present.
func Has(entries []Entry, id string) bool {
	return slices.ContainsFunc(entries, func(e Entry) bool { return e.ID == id })
}

// Describe renders an entry as one line of prose for terminals and commit
// messages.
func Describe(e Entry) string {
	var s string
	switch e.Type {
	case Declared:
		s = "declared"
		if e.Severity > 0 {
			s += fmt.Sprintf(" at severity %d", e.Severity)
		}
	case Note:
		s = e.Text
		e.Text = ""
	case Status:
		s = "status → " + e.Status
	case Severity:
		s = fmt.Sprintf("severity → %d", e.Severity)
	case Assign:
		s = e.Role + " → " + e.Person
		if e.Rotation != "" {
			s += " (on call in " + e.Rotation + ")"
		}
	case Unassign:
		s = e.Role + " unassigned"
	case Tag:
		s = "tagged " + e.Tag
	case Untag:
		s = "untagged " + e.Tag
	case Set:
		s = e.Field + " set"
		if e.Value == "" {
			s = e.Field + " removed"
		} else if !strings.Contains(e.Value, "\n") && len(e.Value) < 60 {
			s = e.Field + " → " + e.Value
		}
	case Add:
		s = e.Field + " + " + e.Value
	case Remove:
		s = e.Field + " − " + e.Value
	case Link:
		s = "link " + e.Field + " " + e.URL
	case Unlink:
		s = "unlinked " + e.URL
	case Attach:
		s = "attached " + e.File
	case Page:
		s = "paged " + e.Person + " (on call in " + e.Rotation + ")"
	case Escalate:
		s = "escalation " + e.Value + " started"
	case Notify:
		s = "notified "
		if e.Person != "" {
			s += e.Person + " via "
		}
		s += e.Value + " (" + e.Field + ")"
	default:
		s = e.Type
	}
	if e.Milestone != "" && e.Type != Declared {
		s = "[" + e.Milestone + "] " + s
	}
	if e.Text != "" {
		s += ": " + e.Text
	}
	return s
}

// SeededID is the n-th entry ID of a change made for an outside event
// (a GitHub comment or issue): derived from seed, so handling the same
// event twice makes the same IDs, and in the timeline's ID alphabet.
func SeededID(seed string, n int) string {
	h := sha256.Sum256([]byte(seed + "\x00" + strconv.Itoa(n)))
	return "gh-" + hex.EncodeToString(h[:10])
}
