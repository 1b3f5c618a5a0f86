package incident

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/yamlfile"
)

var entryIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{3,63}$`)

// CheckTimeline validates timeline entries: unique ids, known types, the
// fields each type needs, and references to settings.
func CheckTimeline(entries []timeline.Entry, d *yamlfile.Decoder, s *config.Settings) diag.List {
	var diags diag.List
	seen := map[string]int{}
	for i, e := range entries {
		at := func(f string) diag.Pos { return d.At(fmt.Sprintf("[%d].%s", i, f)) }
		if first, dup := seen[e.ID]; dup && e.ID != "" {
			diags.Add(at("id"), "entry-id", "entry id %q is used twice (first at entry %d); ids are unique", e.ID, first+1)
		} else if e.ID != "" && !entryIDRE.MatchString(e.ID) {
			diags.Add(at("id"), "entry-id", "entry id %q must be 4 to 64 characters of a-z, 0-9 and dashes", e.ID)
		}
		seen[e.ID] = i
		if e.By != "" && !e.Imported {
			// an imported entry keeps its author as the source named
			// them; they need not be a person in sev.yaml
			CheckRef(&diags, at("by"), s, "person", e.By)
		}
		if err := CheckPrecision(e.Precision, e.At); err != nil {
			diags.Add(at("precision"), "precision", "%v", err)
		}
		if e.Milestone != "" && !IsMilestone(e.Milestone) {
			diags.Add(at("milestone"), "entry-fields", "unknown milestone %q; use one of %s", e.Milestone, strings.Join(Milestones, ", "))
		}
		if !e.Recorded.IsZero() && e.At.After(e.Recorded.Add(time.Minute)) {
			diags.Warn(at("at"), "entry-time", "the entry says it happened at %s, after it was recorded (%s); back-dated entries must be in the past",
				e.At.Format(time.RFC3339), e.Recorded.Format(time.RFC3339))
		}
		if e.Corrects != "" {
			if _, ok := seen[e.Corrects]; !ok {
				diags.Add(at("corrects"), "entry-fields", "corrects %q, but no earlier entry has that id", e.Corrects)
			}
		}
		checkEntryFields(&diags, e, at, s)
		checkEntryControls(&diags, e, at)
	}
	return diags
}

func checkEntryFields(diags *diag.List, e timeline.Entry, at func(string) diag.Pos, s *config.Settings) {
	need := func(field, value string) {
		if value == "" {
			diags.Add(at("type"), "entry-fields", "a %s entry needs %s", e.Type, field)
		}
	}
	switch e.Type {
	case "":
	case timeline.Declared, timeline.Attach:
		if e.Type == timeline.Attach {
			need("file", e.File)
		}
	case timeline.Note:
		if e.Milestone == "" {
			need("text", e.Text)
		}
	case timeline.Status:
		need("status", e.Status)
		if _, ok := s.Status(e.Status); e.Status != "" && !ok {
			diags.Add(at("status"), "status", "unknown status %q; use one of %s", e.Status, strings.Join(s.StatusNames(), ", "))
		}
	case timeline.Severity:
		if e.Severity < 1 || e.Severity > len(s.Severities) {
			diags.Add(at("severity"), "severity", "a severity entry needs a severity from 1 to %d", len(s.Severities))
		}
	case timeline.Assign, timeline.Unassign:
		need("role", e.Role)
		if e.Role != "" {
			CheckRef(diags, at("role"), s, "role", e.Role)
		}
		if e.Type == timeline.Assign {
			need("person", e.Person)
			if e.Person != "" {
				CheckRef(diags, at("person"), s, "person", e.Person)
			}
		}
	case timeline.Tag, timeline.Untag:
		need("tag", e.Tag)
	case timeline.Page:
		need("rotation", e.Rotation)
		need("person", e.Person)
		if e.Person != "" {
			CheckRef(diags, at("person"), s, "person", e.Person)
		}
	case timeline.Escalate:
		need("value (the policy)", e.Value)
	case timeline.Notify:
		need("value (the channel)", e.Value)
		need("field (the action)", e.Field)
		if e.Field != "" && !slices.Contains(timeline.NotifyActions, e.Field) {
			diags.Add(at("field"), "entry-fields", "unknown notification %q; use one of %s", e.Field, strings.Join(timeline.NotifyActions, ", "))
		}
		if e.Person != "" {
			CheckRef(diags, at("person"), s, "person", e.Person)
		}
	case timeline.Set:
		need("field", e.Field)
		if e.Field != "" && !slices.Contains(SettableFields, e.Field) {
			diags.Add(at("field"), "entry-fields", "cannot set %q; use one of %s", e.Field, strings.Join(SettableFields, ", "))
		}
		if e.Field == "window" && e.Value != "" {
			if _, err := ParseWindow(e.Value); err != nil {
				diags.Add(at("value"), "entry-fields", "%v", err)
			}
		}
	case timeline.Add, timeline.Remove:
		need("field", e.Field)
		need("value", e.Value)
		if e.Field != "" && (&Incident{}).list(e.Field) == nil {
			diags.Add(at("field"), "entry-fields", "cannot add to %q; use orgs, services or responders", e.Field)
		}
	case timeline.Link, timeline.Unlink:
		need("url", e.URL)
		if e.Type == timeline.Link {
			need("field (the link kind)", e.Field)
		}
		if e.Field != "" && !slices.Contains(LinkKinds, e.Field) {
			diags.Add(at("field"), "link", "unknown link kind %q; use one of %s", e.Field, strings.Join(LinkKinds, ", "))
		}
		if e.URL != "" {
			if err := CheckURL(e.URL); err != nil {
				diags.Add(at("url"), "link", "%v", err)
			}
		}
	default:
		diags.Add(at("type"), "entry-type", "unknown entry type %q; use one of %s", e.Type, strings.Join(timeline.Types, ", "))
	}
}

func checkEntryControls(diags *diag.List, e timeline.Entry, at func(string) diag.Pos) {
	for _, f := range []struct{ name, value string }{{"by", e.By}, {"type", e.Type}, {"milestone", e.Milestone}, {"status", e.Status},
		{"role", e.Role}, {"rotation", e.Rotation}, {"person", e.Person}, {"tag", e.Tag}, {"field", e.Field}, {"url", e.URL}, {"file", e.File}} {
		CheckControl(diags, func() diag.Pos { return at(f.name) }, f.value, false)
	}
	CheckControl(diags, func() diag.Pos { return at("text") }, e.Text, true)
	CheckControl(diags, func() diag.Pos { return at("value") }, e.Value, true)
}
