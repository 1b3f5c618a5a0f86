// Package incident is the incident record: the current state of one
// incident at a glance (severity, status, roles, milestones, links, ...).
// The record changes only by applying timeline entries to it, so the same
// change can be re-applied on top of someone else's newer record when two
// responders write at once.
package incident

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// Kinds of incident. Drills and maintenance are practice and planned work;
// backfill records an incident after the fact.
var Kinds = []string{"normal", "drill", "maintenance", "backfill"}

// Visibilities, from most to least open. Restricted incidents never appear
// in a build, search index, comment or webhook unless asked for.
var Visibilities = []string{"public", "internal", "restricted"}

// Milestones in the order they must happen.
var Milestones = []string{"started", "detected", "declared", "acknowledged", "mitigated", "resolved", "closed"}

// LinkKinds are the places where the work happens.
var LinkKinds = []string{"chat", "call", "dashboard", "ticket", "issue", "pull", "doc", "status", "other"}

// Incident is incident.yaml.
type Incident struct {
	ID         string            `yaml:"id,required" json:"id,omitzero"`
	Title      string            `yaml:"title,required" json:"title,omitzero"`
	Severity   int               `yaml:"severity,required" json:"severity,omitzero"`
	Status     string            `yaml:"status,required" json:"status,omitzero"`
	Kind       string            `yaml:"kind" json:"kind,omitzero"`
	Visibility string            `yaml:"visibility" json:"visibility,omitzero"`
	Summary    string            `yaml:"summary" json:"summary,omitzero"`
	Impact     string            `yaml:"impact" json:"impact,omitzero"`
	Orgs       []string          `yaml:"orgs" json:"orgs,omitzero"`
	Services   []string          `yaml:"services" json:"services,omitzero"`
	Tags       []string          `yaml:"tags" json:"tags,omitzero"`
	Roles      map[string]string `yaml:"roles" json:"roles,omitzero"`
	Responders []string          `yaml:"responders" json:"responders,omitzero"`
	Milestones Times             `yaml:"milestones" json:"milestones,omitzero"`
	// Precision names the milestones whose time is less precise than
	// the time written (only the day is known, or only the order).
	Precision map[string]string `yaml:"precision" json:"precision,omitzero"`
	Links     []Link            `yaml:"links" json:"links,omitzero"`
	Paged     []Page            `yaml:"paged" json:"paged,omitzero"`
	// Source is where an imported incident came from; nil for incidents
	// declared with sev.
	Source *Source `yaml:"source" json:"source,omitzero"`
	// Window is when planned work (kind maintenance) is to happen; nil
	// when it was not planned ahead.
	Window *Window `yaml:"window" json:"window,omitzero"`
}

// Window is the planned time of a maintenance: from start until end.
// Until start the status page lists it as scheduled.
type Window struct {
	Start time.Time `yaml:"start,required" json:"start"`
	End   time.Time `yaml:"end,required" json:"end"`
}

// ParseWindow reads a window written START/END, both RFC 3339 times
// (2026-12-10T02:00:00+01:00/2026-12-10T04:00:00+01:00), END after
// START. It is how a window travels in a timeline "set" entry and on the
// command line.
func ParseWindow(v string) (*Window, error) {
	a, b, ok := strings.Cut(v, "/")
	if !ok {
		return nil, fmt.Errorf("%q is not a window: write START/END, two RFC 3339 times such as 2026-12-10T02:00:00Z/2026-12-10T04:00:00Z", v)
	}
	start, err := yamlfile.ParseTime(strings.TrimSpace(a))
	if err != nil {
		return nil, fmt.Errorf("window start: %v", err)
	}
	end, err := yamlfile.ParseTime(strings.TrimSpace(b))
	if err != nil {
		return nil, fmt.Errorf("window end: %v", err)
	}
	w := &Window{Start: start, End: end}
	if err := w.Check(); err != nil {
		return nil, err
	}
	return w, nil
}

// String writes the window as ParseWindow reads it.
func (w *Window) String() string {
	return w.Start.Format(time.RFC3339) + "/" + w.End.Format(time.RFC3339)
}

// maxWindow is the longest planned window accepted: a maintenance that
// runs longer than a month is a project, and a typo in a year would
// otherwise keep a component "under maintenance" for good.
const maxWindow = 31 * 24 * time.Hour

// Check reports what is wrong with a window: a year before 1970, an end
// that is not after the start, or more than 31 days between them.
func (w *Window) Check() error {
	switch {
	case w.Start.Year() < 1970:
		return fmt.Errorf("the window's start %s is not a plausible time", w.Start.Format(time.RFC3339))
	case w.End.Year() < 1970:
		return fmt.Errorf("the window's end %s is not a plausible time", w.End.Format(time.RFC3339))
	case !w.End.After(w.Start):
		return fmt.Errorf("the window ends (%s) before it starts (%s)", w.End.Format(time.RFC3339), w.Start.Format(time.RFC3339))
	case w.End.Sub(w.Start) > maxWindow:
		return fmt.Errorf("the window lasts %s, longer than a maintenance window may (31 days)", FormatDuration(w.End.Sub(w.Start)))
	}
	return nil
}

// Same reports whether two windows are the same times, in whatever
// zones they are written.
func (w *Window) Same(o *Window) bool {
	return w != nil && o != nil && w.Start.Equal(o.Start) && w.End.Equal(o.End)
}

// Scheduled reports whether the incident is planned work whose window
// has not started at now.
func (inc *Incident) Scheduled(now time.Time) bool {
	return inc.EffectiveKind() == "maintenance" && inc.Window != nil && inc.Window.Check() == nil && now.Before(inc.Window.Start)
}

// Source identifies an imported incident in the system it came from, so
// a second import finds it again instead of declaring it twice.
type Source struct {
	System   string    `yaml:"system,required" json:"system"`
	ID       string    `yaml:"id,required" json:"id"`
	URL      string    `yaml:"url" json:"url,omitzero"`
	Imported time.Time `yaml:"imported" json:"imported,omitzero"`
}

// Precisions of a time that is less precise than it is written. A
// day-precision time is midnight UTC of the day the source gave; a time
// of unknown precision only orders the entry among its neighbours.
const (
	PrecisionDay     = "day"
	PrecisionUnknown = "unknown"
)

// Precisions lists the precisions a time may be marked with.
var Precisions = []string{PrecisionDay, PrecisionUnknown}

// Imported reports whether the incident came from another system.
func (inc *Incident) Imported() bool { return inc.Source != nil }

// KindImported is what PolicyKind gives for an imported incident.
const KindImported = "imported"

// PolicyKind is the kind the postmortem policy looks at: the record's
// kind, or "imported" for an imported incident, whose review (if any)
// happened in the system it came from and which no policy of this
// repository can hold to a deadline years past.
func (inc *Incident) PolicyKind() string {
	if inc.Imported() {
		return KindImported
	}
	return inc.Kind
}

// Exact reports whether the named milestone's time is known to the
// minute: set, and not marked with a lower precision.
func (inc *Incident) Exact(milestone string) bool {
	return !inc.Milestones.Get(milestone).IsZero() && inc.Precision[milestone] == ""
}

// Page records that someone on call in a rotation was paged.
type Page struct {
	Rotation string    `yaml:"rotation,required" json:"rotation"`
	Person   string    `yaml:"person,required" json:"person"`
	At       time.Time `yaml:"at,required" json:"at"`
}

// Times holds the milestone timestamps; zero means not reached.
type Times struct {
	Started      time.Time `yaml:"started" json:"started,omitzero"`
	Detected     time.Time `yaml:"detected" json:"detected,omitzero"`
	Declared     time.Time `yaml:"declared" json:"declared,omitzero"`
	Acknowledged time.Time `yaml:"acknowledged" json:"acknowledged,omitzero"`
	Mitigated    time.Time `yaml:"mitigated" json:"mitigated,omitzero"`
	Resolved     time.Time `yaml:"resolved" json:"resolved,omitzero"`
	Closed       time.Time `yaml:"closed" json:"closed,omitzero"`
}

// Link is a place where the work happens.
type Link struct {
	Kind  string `yaml:"kind,required" json:"kind,omitzero"`
	URL   string `yaml:"url,required" json:"url,omitzero"`
	Title string `yaml:"title" json:"title,omitzero"`
}

// Get returns the named milestone's time.
func (t *Times) Get(name string) time.Time {
	if p := t.ptr(name); p != nil {
		return *p
	}
	return time.Time{}
}

// Set sets the named milestone; it reports false for an unknown name.
func (t *Times) Set(name string, at time.Time) bool {
	p := t.ptr(name)
	if p == nil {
		return false
	}
	*p = at
	return true
}

func (t *Times) ptr(name string) *time.Time {
	switch name {
	case "started":
		return &t.Started
	case "detected":
		return &t.Detected
	case "declared":
		return &t.Declared
	case "acknowledged":
		return &t.Acknowledged
	case "mitigated":
		return &t.Mitigated
	case "resolved":
		return &t.Resolved
	case "closed":
		return &t.Closed
	}
	return nil
}

// IsMilestone reports whether name is a milestone.
func IsMilestone(name string) bool { return slices.Contains(Milestones, name) }

// Parse reads incident.yaml. The decoder remembers field positions for
// later checks.
func Parse(path string, data []byte) (*Incident, *yamlfile.Decoder, diag.List) {
	root, diags := yamlfile.Parse(path, data)
	d := yamlfile.NewDecoder(path)
	inc := &Incident{}
	if root == nil {
		if len(diags) == 0 {
			diags.Add(diag.Pos{Path: path, Line: 1}, yamlfile.CheckReq, "the incident record is empty; it needs at least id, title, severity and status")
		}
		return inc, d, diags
	}
	d.Decode(root, inc)
	diags.Append(d.Diags)
	return inc, d, diags
}

// Encode writes the record canonically, after the schema header.
func Encode(schemaPath string, inc *Incident) ([]byte, error) {
	b, err := yamlfile.Encode(inc)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteString("# yaml-language-server: $schema=" + schemaPath + "\n")
	buf.Write(b)
	return buf.Bytes(), nil
}

// fold spells out the Latin letters that Unicode does not decompose.
var fold = strings.NewReplacer("ß", "ss", "æ", "ae", "Æ", "ae", "ø", "o", "Ø", "o", "œ", "oe", "Œ", "oe",
	"ł", "l", "Ł", "l", "đ", "d", "Đ", "d", "þ", "th", "Þ", "th", "ı", "i")

// IDPattern is the shape of an incident ID: the declaration date and a slug.
var IDPattern = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})-[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidID reports whether id has the YYYY-MM-DD-slug shape with a real date.
func ValidID(id string) bool {
	if len(id) > 80 || !IDPattern.MatchString(id) {
		return false
	}
	_, err := time.Parse("2006-01-02", id[:10])
	return err == nil
}

// Slug turns a title into the slug part of an ID: lower-case ASCII letters
// and digits separated by single dashes, accents removed, at most about 48
// characters cut at a word boundary.
func Slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(fold.Replace(title)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
	}
	s := b.String()
	for len(s) > 48 {
		i := strings.LastIndexByte(s[:49], '-')
		if i <= 0 {
			s = s[:48]
			break
		}
		s = s[:i]
	}
	if s == "" {
		s = "incident"
	}
	return s
}

// NewID builds an ID from the declaration date (in the organisation's time
// zone) and the title.
func NewID(declared time.Time, title string) string {
	return declared.Format("2006-01-02") + "-" + Slug(title)
}

// Year is the folder an incident lives in under incidents/.
func Year(id string) string {
	if len(id) < 4 {
		return ""
	}
	return id[:4]
}

// Durations are how long an incident took to reach its milestones,
// measured from when the impact started. When the start is unknown,
// detection stands in for it (and time to detect is unknown). Zero means
// not reached or not measurable.
type Durations struct {
	Detect, Mitigate, Resolve time.Duration
}

// DurationsOf computes an incident's durations from its milestones. A
// duration with an end that is only known to the day (an import from a
// source that gave dates) is unknown: zero, like a missing milestone.
func DurationsOf(inc *Incident) Durations {
	start := ""
	for _, m := range []string{"started", "detected", "declared"} {
		if !inc.Milestones.Get(m).IsZero() {
			start = m
			break
		}
	}
	since := func(end string) time.Duration {
		t, from := inc.Milestones.Get(end), inc.Milestones.Get(start)
		if start == "" || t.IsZero() || t.Before(from) || !inc.Exact(start) || !inc.Exact(end) {
			return 0
		}
		return t.Sub(from)
	}
	d := Durations{Mitigate: since("mitigated"), Resolve: since("resolved")}
	if start == "started" {
		d.Detect = since("detected")
	}
	return d
}

// DateOf is when an incident happened, for dating, sorting and date
// filters: declared, else started, else detected, else the date in its ID.
func DateOf(inc *Incident) time.Time {
	for _, t := range []time.Time{inc.Milestones.Declared, inc.Milestones.Started, inc.Milestones.Detected} {
		if !t.IsZero() {
			return t
		}
	}
	if len(inc.ID) >= 10 {
		if t, err := time.Parse("2006-01-02", inc.ID[:10]); err == nil {
			return t
		}
	}
	return time.Time{}
}

// FormatDuration writes a duration the way people say it: 45 min,
// 3 h 5 min, 2 d 4 h.
func FormatDuration(d time.Duration) string {
	d = d.Round(time.Minute)
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case days > 0 && hours > 0:
		return fmt.Sprintf("%d d %d h", days, hours)
	case days > 0:
		return fmt.Sprintf("%d d", days)
	case hours > 0 && mins > 0:
		return fmt.Sprintf("%d h %d min", hours, mins)
	case hours > 0:
		return fmt.Sprintf("%d h", hours)
	case mins > 0:
		return fmt.Sprintf("%d min", mins)
	}
	return "under a minute"
}
