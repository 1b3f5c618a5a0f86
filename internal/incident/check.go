package incident

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/term"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// OrderProblem returns the first pair of milestones that are out of order
// (later is before earlier), or empty strings when the order is right.
func OrderProblem(t Times) (earlier, later string) {
	last, lastName := time.Time{}, ""
	for _, m := range Milestones {
		at := t.Get(m)
		if at.IsZero() {
			continue
		}
		if !last.IsZero() && at.Before(last) {
			return lastName, m
		}
		last, lastName = at, m
	}
	return "", ""
}

// Check validates a decoded record against the settings. folderID is the
// name of the folder the record lives in.
func Check(inc *Incident, d *yamlfile.Decoder, s *config.Settings, folderID string) diag.List {
	var diags diag.List
	switch {
	case !ValidID(inc.ID):
		diags.Add(d.At("id"), "id-format", "id %q must be YYYY-MM-DD-slug with a real date and only a-z, 0-9 and dashes", inc.ID)
	case folderID != "" && inc.ID != folderID:
		diags.Add(d.At("id"), "id-folder", "id %q does not match its folder %q; rename one of them", inc.ID, folderID)
	}
	if !d.Has("title") {
		// reported as a missing required field
	} else if strings.TrimSpace(inc.Title) == "" {
		diags.Add(d.At("title"), "title", "the title is empty")
	} else if len(inc.Title) > 200 {
		diags.Add(d.At("title"), "title", "the title is %d characters long; keep it under 200 and put details in summary", len(inc.Title))
	}
	if d.Has("severity") {
		if inc.Severity < 1 || inc.Severity > len(s.Severities) {
			diags.Add(d.At("severity"), "severity", "severity %d is not configured; use 1 to %d", inc.Severity, len(s.Severities))
		}
	}
	if inc.Status != "" {
		if _, ok := s.Status(inc.Status); !ok {
			diags.Add(d.At("status"), "status", "unknown status %q; use one of %s", inc.Status, strings.Join(s.StatusNames(), ", "))
		}
	}
	if inc.Kind != "" && !slices.Contains(Kinds, inc.Kind) {
		diags.Add(d.At("kind"), "kind", "unknown kind %q; use one of %s", inc.Kind, strings.Join(Kinds, ", "))
	}
	if inc.Visibility != "" && !slices.Contains(Visibilities, inc.Visibility) {
		diags.Add(d.At("visibility"), "visibility", "unknown visibility %q; use one of %s", inc.Visibility, strings.Join(Visibilities, ", "))
	}
	if a, b := OrderProblem(inc.Milestones); a != "" {
		diags.Add(d.At("milestones."+b), "milestone-order", "%s (%s) is before %s (%s); milestones must follow %s",
			b, inc.Milestones.Get(b).Format(time.RFC3339), a, inc.Milestones.Get(a).Format(time.RFC3339), strings.Join(Milestones, " → "))
	}
	checkRefs(&diags, d, s, "org", "orgs", inc.Orgs)
	checkRefs(&diags, d, s, "tag", "tags", inc.Tags)
	checkRefs(&diags, d, s, "service", "services", inc.Services)
	checkRefs(&diags, d, s, "person", "responders", inc.Responders)
	for role, person := range inc.Roles {
		CheckRef(&diags, d.At("roles."+role+"#key"), s, "role", role)
		CheckRef(&diags, d.At("roles."+role), s, "person", person)
	}
	for i, p := range inc.Paged {
		CheckRef(&diags, d.At(fmt.Sprintf("paged[%d].person", i)), s, "person", p.Person)
	}
	checkControls(&diags, d, inc)
	checkPrecision(&diags, d, inc)
	checkSource(&diags, d, inc.Source)
	checkWindow(&diags, d, inc)
	for i, l := range inc.Links {
		field := fmt.Sprintf("links[%d]", i)
		if !slices.Contains(LinkKinds, l.Kind) {
			diags.Add(d.At(field+".kind"), "link", "unknown link kind %q; use one of %s", l.Kind, strings.Join(LinkKinds, ", "))
		}
		if err := CheckURL(l.URL); err != nil {
			diags.Add(d.At(field+".url"), "link", "%v", err)
		}
	}
	return diags
}

// checkPrecision checks the record's precision marks: known milestones
// that are set, known precisions, and day-precision times at midnight UTC.
func checkPrecision(diags *diag.List, d *yamlfile.Decoder, inc *Incident) {
	for m, p := range inc.Precision {
		pos := d.At("precision." + m)
		switch {
		case !IsMilestone(m):
			diags.Add(d.At("precision."+m+"#key"), "precision", "unknown milestone %q; use one of %s", m, strings.Join(Milestones, ", "))
		case inc.Milestones.Get(m).IsZero():
			diags.Add(pos, "precision", "milestone %s is not set, so it has no precision; remove this line", m)
		default:
			if err := CheckPrecision(p, inc.Milestones.Get(m)); err != nil {
				diags.Add(pos, "precision", "milestones.%s: %v", m, err)
			}
		}
	}
}

// CheckPrecision checks a time against the precision it is marked with.
func CheckPrecision(precision string, at time.Time) error {
	switch precision {
	case "", PrecisionUnknown:
		return nil
	case PrecisionDay:
		if _, off := at.Zone(); off != 0 || at.Hour() != 0 || at.Minute() != 0 || at.Second() != 0 || at.Nanosecond() != 0 {
			return fmt.Errorf("a day-precision time is written as midnight UTC of its day (%sT00:00:00Z), not %s",
				at.Format("2006-01-02"), at.Format(time.RFC3339))
		}
		return nil
	}
	return fmt.Errorf("unknown precision %q; use one of %s", precision, strings.Join(Precisions, ", "))
}

// checkWindow checks a maintenance window: it ends after it starts, is
// at most a month long, and belongs to a maintenance.
func checkWindow(diags *diag.List, d *yamlfile.Decoder, inc *Incident) {
	w := inc.Window
	if w == nil || !d.Has("window.start") || !d.Has("window.end") {
		return // a missing start or end is reported as a missing field
	}
	if err := w.Check(); err != nil {
		at := "window.end"
		if w.Start.Year() < 1970 {
			at = "window.start"
		}
		diags.Add(d.At(at), "window", "%v", err)
		return
	}
	if inc.EffectiveKind() != "maintenance" {
		diags.Warn(d.At("window"), "window", "only a maintenance has a planned window, and this is kind %s; set kind maintenance or remove the window", inc.EffectiveKind())
	}
}

// sourceIDMax caps a source id, which is one line of text.
const sourceIDMax = 200

// checkSource checks where an imported incident came from.
func checkSource(diags *diag.List, d *yamlfile.Decoder, src *Source) {
	if src == nil {
		return
	}
	if src.System != "" && !sourceSystemRE.MatchString(src.System) {
		diags.Add(d.At("source.system"), "source", "source system %q must be lower-case letters, digits and dashes (cstate, statuspage, pagerduty, ...)", src.System)
	}
	switch {
	case d.Has("source.id") && strings.TrimSpace(src.ID) == "":
		diags.Add(d.At("source.id"), "source", "the source id is empty; it is what a second import matches on")
	case len(src.ID) > sourceIDMax || strings.ContainsAny(src.ID, "\r\n"):
		diags.Add(d.At("source.id"), "source", "the source id must be one line of at most %d bytes", sourceIDMax)
	}
	if src.URL != "" {
		if err := CheckURL(src.URL); err != nil {
			diags.Add(d.At("source.url"), "source", "%v", err)
		}
	}
}

var sourceSystemRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// CheckSourceSystem reports whether s is a usable source system name.
func CheckSourceSystem(s string) bool { return sourceSystemRE.MatchString(s) }

// CheckURL accepts absolute http, https and mailto links only, so a record
// can never carry a javascript: or data: link into the site.
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a valid URL", raw)
	}
	switch u.Scheme {
	case "http", "https":
		if u.Host == "" {
			return fmt.Errorf("%q has no host", raw)
		}
	case "mailto":
	default:
		return fmt.Errorf("%q is not an https, http or mailto link", raw)
	}
	return nil
}

func checkRefs(diags *diag.List, d *yamlfile.Decoder, s *config.Settings, kind, field string, values []string) {
	for i, v := range values {
		CheckRef(diags, d.At(fmt.Sprintf("%s[%d]", field, i)), s, kind, v)
	}
}

// Automation is the handle automation writes as (rules, sev watch): known
// without being listed in people.
const Automation = "sev"

// CheckRef warns about a name the settings do not know. An empty vocabulary
// means the organisation has not configured one yet, and nothing is
// reported: recording unknown names is how a first incident works.
func CheckRef(diags *diag.List, pos diag.Pos, s *config.Settings, kind, value string) {
	known := s.Vocabulary(kind)
	if len(known) == 0 || slices.Contains(known, value) {
		return
	}
	if kind == "person" {
		if _, ok := s.Person(value); ok || value == Automation {
			return
		}
	}
	msg := fmt.Sprintf("unknown %s %q", kind, value)
	if sug := yamlfile.Suggest(value, known); sug != "" {
		msg += fmt.Sprintf("; did you mean %q?", sug)
	} else {
		msg += fmt.Sprintf("; add it to %s in sev.yaml", pluralKey(kind))
	}
	diags.Warn(pos, "unknown-"+kind, "%s", msg)
}

func pluralKey(kind string) string {
	if kind == "person" {
		return "people"
	}
	return kind + "s"
}

// CheckControl reports a value with a character that would act on a
// terminal or reorder text (term.Unsafe): escape sequences, carriage
// returns, backspaces, C1 controls, bidirectional overrides. One-line
// fields allow none; multi-line ones allow newlines and tabs.
//
// at gives the value's position; it is called only when there is a
// finding, since finding a position costs more than the check.
func CheckControl(diags *diag.List, at func() diag.Pos, value string, multiline bool) {
	if term.Clean(value, multiline) {
		return
	}
	for _, r := range value {
		if term.Unsafe(r) && !(multiline && (r == '\n' || r == '\t')) {
			diags.Add(at(), "control", "the text holds the control or bidirectional character %U (shown as %s); remove it", r, term.Line(string(r)))
			return
		}
	}
}

func checkControls(diags *diag.List, d *yamlfile.Decoder, inc *Incident) {
	CheckControl(diags, func() diag.Pos { return d.At("title") }, inc.Title, false)
	CheckControl(diags, func() diag.Pos { return d.At("summary") }, inc.Summary, true)
	CheckControl(diags, func() diag.Pos { return d.At("impact") }, inc.Impact, true)
	for _, l := range []struct {
		field  string
		values []string
	}{{"orgs", inc.Orgs}, {"tags", inc.Tags}, {"services", inc.Services}, {"responders", inc.Responders}} {
		for i, v := range l.values {
			CheckControl(diags, func() diag.Pos { return d.At(fmt.Sprintf("%s[%d]", l.field, i)) }, v, false)
		}
	}
	for role, person := range inc.Roles {
		CheckControl(diags, func() diag.Pos { return d.At("roles." + role + "#key") }, role, false)
		CheckControl(diags, func() diag.Pos { return d.At("roles." + role) }, person, false)
	}
	for i, p := range inc.Paged {
		CheckControl(diags, func() diag.Pos { return d.At(fmt.Sprintf("paged[%d].person", i)) }, p.Person, false)
		CheckControl(diags, func() diag.Pos { return d.At(fmt.Sprintf("paged[%d].rotation", i)) }, p.Rotation, false)
	}
	for i, l := range inc.Links {
		CheckControl(diags, func() diag.Pos { return d.At(fmt.Sprintf("links[%d].title", i)) }, l.Title, false)
		CheckControl(diags, func() diag.Pos { return d.At(fmt.Sprintf("links[%d].url", i)) }, l.URL, false)
	}
	if inc.Source != nil {
		CheckControl(diags, func() diag.Pos { return d.At("source.id") }, inc.Source.ID, false)
		CheckControl(diags, func() diag.Pos { return d.At("source.url") }, inc.Source.URL, false)
	}
}
