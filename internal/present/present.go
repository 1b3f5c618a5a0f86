// Package present prints incidents for people in a terminal: the list
// table and one incident's record, postmortem status and timeline. Every
// value is written as is; the caller's writer escapes control characters
// (package term).
package present

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/postmortem"
	"github.com/sev-dev/sev/internal/term"
	"github.com/sev-dev/sev/internal/timeline"
)

// Active reports whether the incident's status is in the active phase.
func Active(s *config.Settings, r *incident.Incident) bool {
	st, ok := s.Status(r.Status)
	return ok && st.Phase == config.PhaseActive
}

// Sort orders incidents newest first, or (bySeverity) most severe and
// then oldest first.
func Sort(recs []*incident.Incident, bySeverity bool) {
	sort.SliceStable(recs, func(i, j int) bool {
		a, b := recs[i], recs[j]
		if bySeverity && a.Severity != b.Severity {
			return a.Severity < b.Severity
		}
		da, db := a.Milestones.Declared, b.Milestones.Declared
		if !da.Equal(db) {
			if bySeverity {
				return da.Before(db)
			}
			return da.After(db)
		}
		return a.ID < b.ID
	})
}

// Hidden tells how many restricted incidents a list left out (none: nothing).
func Hidden(w io.Writer, n int) {
	if n > 0 {
		fmt.Fprintf(w, "%d restricted incident(s) not shown; add --include-restricted to see them\n", n)
	}
}

// List prints incidents as a table, or "no incidents".
func List(w io.Writer, s *config.Settings, now time.Time, recs []*incident.Incident) {
	if len(recs) == 0 {
		fmt.Fprintln(w, "no incidents")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	// every cell is painted, Plain when it has no colour, so the colour
	// marks are the same width in every row and the columns stay aligned
	row := func(styles []term.Style, cells ...string) {
		for i, c := range cells {
			cells[i] = term.Paint(w, styles[i], c)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	bold := []term.Style{term.Bold, term.Bold, term.Bold, term.Bold, term.Bold, term.Bold}
	row(bold, "ID", "SEV", "STATUS", "AGE", "COMMANDER", "TITLE")
	for _, r := range recs {
		// a maintenance planned ahead says when it starts instead
		when := age(now, r.Milestones.Declared)
		if r.Scheduled(now) {
			when = "in " + age(r.Window.Start, now)
		}
		row([]term.Style{term.Plain, SeverityStyle(r.Severity), StatusStyle(s, r.Status), term.Plain, term.Plain, term.Plain},
			r.ID, s.SeverityName(r.Severity), r.Status, when, Dash(r.Roles["commander"]), r.Title)
	}
	tw.Flush()
}

// SeverityStyle is how a severity is shown on a colour terminal: the most
// severe level red, the next yellow.
func SeverityStyle(level int) term.Style {
	switch level {
	case 1:
		return term.Red
	case 2:
		return term.Yellow
	}
	return term.Plain
}

// StatusStyle is how a status is shown on a colour terminal: an active
// one yellow, one that ended the response green.
func StatusStyle(s *config.Settings, name string) term.Style {
	st, ok := s.Status(name)
	switch {
	case !ok:
		return term.Plain
	case st.Phase == config.PhaseActive:
		return term.Yellow
	}
	return term.Green
}

// Dash is s, or "-" for nothing.
func Dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// age is a short duration since t: 45m, 3h, 12d.
func age(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := now.Sub(t)
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%dm", max(0, int(d.Minutes())))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

// JSON writes v as indented JSON.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Incident prints an incident's record, where its postmortem stands and
// its timeline (entries in the order to show). pm is the postmortem as
// the gate passed it (nil when there is none or it has errors).
func Incident(w io.Writer, fsys fs.FS, s *config.Settings, inc *incident.Incident, entries []timeline.Entry, pm []byte) {
	loc := s.Location()
	fmt.Fprintf(w, "%s\n%s\n", inc.ID, term.Paint(w, term.Bold, inc.Title))
	fmt.Fprintf(w, "%s · %s · %s · %s\n", term.Paint(w, SeverityStyle(inc.Severity), s.SeverityName(inc.Severity)),
		term.Paint(w, StatusStyle(s, inc.Status), inc.Status), inc.EffectiveKind(), inc.EffectiveVisibility())
	if src := inc.Source; src != nil {
		fmt.Fprintf(w, "Imported from %s: %s", src.System, src.ID)
		if src.URL != "" {
			fmt.Fprintf(w, " %s", src.URL)
		}
		fmt.Fprintln(w)
	}
	if win := inc.Window; win != nil {
		fmt.Fprintf(w, "Window: %s – %s\n", win.Start.In(loc).Format("2006-01-02 15:04"), win.End.In(loc).Format("2006-01-02 15:04 MST"))
	}
	if len(inc.Roles) > 0 {
		var parts []string
		for _, role := range slices.Sorted(maps.Keys(inc.Roles)) {
			parts = append(parts, role+": "+inc.Roles[role])
		}
		fmt.Fprintf(w, "Roles: %s\n", strings.Join(parts, ", "))
	}
	for _, l := range []struct {
		name string
		v    []string
	}{
		{"Responders", inc.Responders}, {"Orgs", inc.Orgs}, {"Services", inc.Services}, {"Tags", inc.Tags}} {
		if len(l.v) > 0 {
			fmt.Fprintf(w, "%s: %s\n", l.name, strings.Join(l.v, ", "))
		}
	}
	if inc.Summary != "" {
		fmt.Fprintf(w, "\n%s\n  %s\n", term.Paint(w, term.Bold, "Summary:"), strings.ReplaceAll(strings.TrimSpace(inc.Summary), "\n", "\n  "))
	}
	if inc.Impact != "" {
		fmt.Fprintf(w, "\n%s\n  %s\n", term.Paint(w, term.Bold, "Impact:"), strings.ReplaceAll(strings.TrimSpace(inc.Impact), "\n", "\n  "))
	}
	fmt.Fprintf(w, "\n%s\n", term.Paint(w, term.Bold, fmt.Sprintf("Milestones (%s):", loc)))
	for _, m := range incident.Milestones {
		if t := inc.Milestones.Get(m); !t.IsZero() {
			fmt.Fprintf(w, "  %-13s %s\n", m, When(t, inc.Precision[m], loc, "2006-01-02 15:04 MST"))
		}
	}
	if d := incident.DurationsOf(inc); d.Mitigate > 0 || d.Resolve > 0 {
		var parts []string
		for _, x := range []struct {
			name string
			d    time.Duration
		}{{"detect", d.Detect}, {"mitigate", d.Mitigate}, {"resolve", d.Resolve}} {
			if x.d > 0 {
				parts = append(parts, x.name+" "+incident.FormatDuration(x.d))
			}
		}
		fmt.Fprintf(w, "  time to %s\n", strings.Join(parts, ", to "))
	}
	if len(inc.Paged) > 0 {
		fmt.Fprintf(w, "\n%s\n", term.Paint(w, term.Bold, "Paged:"))
		for _, p := range inc.Paged {
			fmt.Fprintf(w, "  %-10s from %s at %s\n", p.Person, p.Rotation, p.At.In(loc).Format("2006-01-02 15:04"))
		}
	}
	if len(inc.Links) > 0 {
		fmt.Fprintf(w, "\n%s\n", term.Paint(w, term.Bold, "Links:"))
		for _, l := range inc.Links {
			title := ""
			if l.Title != "" {
				title = l.Title + " "
			}
			fmt.Fprintf(w, "  %-10s %s%s\n", l.Kind, title, l.URL)
		}
	}
	postmortemLine(w, fsys, inc.ID, pm)
	fmt.Fprintf(w, "\n%s\n", term.Paint(w, term.Bold, fmt.Sprintf("Timeline (%s):", loc)))
	for _, e := range entries {
		mark := " "
		if e.Key || e.Milestone != "" {
			mark = "*"
		}
		var notes []string
		if e.Public {
			notes = append(notes, "public")
		}
		if !e.Recorded.IsZero() {
			notes = append(notes, "recorded "+e.Recorded.In(loc).Format("2006-01-02 15:04"))
		}
		if e.Imported {
			notes = append(notes, "imported")
		}
		extra := ""
		if len(notes) > 0 {
			extra = " (" + strings.Join(notes, ", ") + ")"
		}
		head := fmt.Sprintf(" %s %-16s  %-10s ", mark, When(e.At, e.Precision, loc, "2006-01-02 15:04"), e.By)
		// a note's further lines line up under its first
		text := strings.ReplaceAll(timeline.Describe(e), "\n", "\n"+strings.Repeat(" ", len(head)))
		fmt.Fprintf(w, "%s%s%s\n", head, text, extra)
	}
}

// When formats a time for people, as precisely as it is known: a
// day-precision time is its date (the date the source gave, not moved
// into loc), a time of unknown precision says so.
func When(t time.Time, precision string, loc *time.Location, layout string) string {
	switch precision {
	case incident.PrecisionDay:
		return t.UTC().Format("2006-01-02") + " (day)"
	case incident.PrecisionUnknown:
		return "time unknown"
	}
	return t.In(loc).Format(layout)
}

// postmortemLine says where the incident's review stands.
// pm is the postmortem as the gate passed it (nil when there is none or
// when it has errors).
func postmortemLine(w io.Writer, fsys fs.FS, id string, data []byte) {
	p := layout.Postmortem(id)
	if data == nil {
		if _, err := fs.Stat(fsys, p); err == nil {
			fmt.Fprintf(w, "\nPostmortem: %s (has problems; run sev validate)\n", p)
		}
		return
	}
	doc, diags := postmortem.Parse(p, data)
	if diags.Errors() > 0 {
		fmt.Fprintf(w, "\nPostmortem: %s (has problems; run sev validate)\n", p)
		return
	}
	open := 0
	for _, f := range doc.Meta.FollowUps {
		if f.Open() {
			open++
		}
	}
	fmt.Fprintf(w, "\nPostmortem: %s (%s), %d follow-up(s), %d open\n", p, doc.Meta.Status, len(doc.Meta.FollowUps), open)
}

// Select is what sev list shows: with open only active incidents, and
// restricted ones only with restricted (hidden counts those left out),
// sorted newest first or, with open, most severe first.
func Select(s *config.Settings, recs []*incident.Incident, open, restricted bool) (shown []*incident.Incident, hidden int) {
	shown = []*incident.Incident{}
	for _, r := range recs {
		if open && !Active(s, r) {
			continue
		}
		if r.Restricted() && !restricted {
			hidden++
			continue
		}
		shown = append(shown, r)
	}
	Sort(shown, open)
	return shown, hidden
}

// IncidentJSON writes an incident and its timeline as sev show --json does.
func IncidentJSON(w io.Writer, inc *incident.Incident, entries []timeline.Entry) error {
	if entries == nil {
		entries = []timeline.Entry{}
	}
	return JSON(w, struct {
		Incident *incident.Incident `json:"incident"`
		Timeline []timeline.Entry   `json:"timeline"`
	}{inc, entries})
}

// Progress is a progress line for a terminal: report rewrites it as
// "sev: <what>: done of total" (at every step'th and the last), and end
// finishes the line if one was written. Off a terminal (tty false) both do
// nothing and report is nil.
func Progress(w io.Writer, tty bool, what string, step int) (report func(done, total int), end func()) {
	if !tty {
		return nil, func() {}
	}
	shown := false
	report = func(done, total int) {
		if done%step == 0 || done == total {
			shown = true
			fmt.Fprintf(w, "\rsev: %s: %d of %d", what, done, total)
		}
	}
	return report, func() {
		if shown {
			fmt.Fprintln(w)
		}
	}
}
