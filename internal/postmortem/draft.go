package postmortem

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
	"text/template"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/timeline"
)

// TemplateFile is where an organisation keeps its own postmortem
// template, relative to the repository root.
const TemplateFile = "postmortems/TEMPLATE.md"

// DefaultTemplate is the postmortem the tool writes when the repository
// has no template of its own. Its sections follow the Google SRE and
// Atlassian postmortem formats: what happened and its impact, the
// timeline, root cause and contributing factors, detection and response,
// what went well and badly, where we got lucky, and follow-ups.
const DefaultTemplate = `# Postmortem: {{.Title}}

{{region "overview"}}

## Summary

{{region "summary"}}

## Impact

{{region "impact"}}

## Timeline

{{region "timeline"}}

## Root cause and contributing factors

<!-- What caused the incident, and what made it possible, worse or harder to
handle? Keep asking "why" until the answers are about the system, not about
a person: this review is blameless. -->

## Detection and response

<!-- How did we find out? Could we have known sooner? What helped or slowed
the response: alerts, dashboards, runbooks, access, communication? -->

## What went well

<!-- Practices, tools and decisions worth keeping. -->

## What went badly

<!-- Where the response struggled. -->

## Where we got lucky

<!-- What limited the damage by chance rather than by design. -->

## Lessons learned

<!-- What we now know that we did not before. -->

## Follow-ups

{{region "follow-ups"}}
`

// Regions are the generated parts of a postmortem, by name.
var Regions = []string{"overview", "summary", "impact", "timeline", "follow-ups"}

// Input is what a draft is written from.
type Input struct {
	Settings *config.Settings
	Record   *incident.Incident
	Entries  []timeline.Entry
	Meta     Meta
}

// Render writes a postmortem body from a template (DefaultTemplate when
// tmpl is empty). templatePath names the template in error messages.
func Render(in Input, templatePath string, tmpl []byte) ([]byte, error) {
	if len(tmpl) == 0 {
		tmpl, templatePath = []byte(DefaultTemplate), "default template"
	}
	t, err := template.New(templatePath).Option("missingkey=error").Funcs(template.FuncMap{
		"region": func(name string) (string, error) {
			content, ok := regionContent(in, name)
			if !ok {
				return "", fmt.Errorf("unknown region %q; regions are %s", name, strings.Join(Regions, ", "))
			}
			return wrap(name, content), nil
		},
	}).Parse(string(tmpl))
	if err != nil {
		return nil, templateError(err)
	}
	data := map[string]any{
		"ID":       in.Record.ID,
		"Title":    in.Record.Title,
		"Severity": in.Settings.SeverityName(in.Record.Severity),
		"Status":   in.Record.Status,
		"Incident": in.Record,
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return nil, templateError(err)
	}
	return b.Bytes(), nil
}

// templateError drops text/template's "template: " prefix: its messages
// already start with the template's name, line and column.
func templateError(err error) error {
	return errors.New(strings.TrimPrefix(err.Error(), "template: "))
}

// wrap puts a region's content between its markers. The begin marker
// carries a hash of the content, so a refresh can tell whether a person
// has edited the region since.
func wrap(name, content string) string {
	return "<!-- sev:begin " + name + " " + hashOf(content) + " -->\n" + content + "<!-- sev:end " + name + " -->"
}

func hashOf(content string) string {
	sum := sha256.Sum256([]byte(content))
	return hex.EncodeToString(sum[:6])
}

var (
	beginRE = regexp.MustCompile(`^<!-- sev:begin ([a-z-]+) ([0-9a-f]{12}) -->$`)
	endRE   = regexp.MustCompile(`^<!-- sev:end ([a-z-]+) -->$`)
)

// region is one generated part found in a file: lines [begin, end] are
// the markers, content is what lies between them.
type region struct {
	name, hash string
	start, end int // byte offsets: start of the begin line, end of the end line (after its newline)
	content    string
}

// edited reports whether a person changed the region since sev wrote it.
// A region emptied on purpose is not edited: it asks to be generated again.
func (r region) edited() bool {
	return hashOf(r.content) != r.hash && strings.TrimSpace(r.content) != ""
}

// findRegions lists the well-formed regions of a body, in order. A begin
// marker without its end, or regions inside regions, are left alone: the
// text around them is the person's.
func findRegions(body string) []region {
	var out []region
	var open *region
	off := 0
	for len(body[off:]) > 0 {
		end := strings.IndexByte(body[off:], '\n')
		next := len(body)
		if end >= 0 {
			next = off + end + 1
		}
		line := strings.TrimRight(body[off:next], "\n")
		if m := beginRE.FindStringSubmatch(line); m != nil {
			open = &region{name: m[1], hash: m[2], start: off}
			off = next
			continue
		}
		if m := endRE.FindStringSubmatch(line); m != nil && open != nil && m[1] == open.name {
			open.end = next
			contentStart := strings.IndexByte(body[open.start:], '\n') + open.start + 1
			open.content = body[contentStart:off]
			out = append(out, *open)
			open = nil
		}
		off = next
	}
	return out
}

// Span is a stretch of a body in byte offsets, End excluded.
type Span struct{ Start, End int }

// Generated lists where the generated regions that nobody edited lie in a
// body, each from the start of its begin marker's line to the end of its
// end marker's line: text sev wrote from the incident's record and
// timeline, which a page showing the incident beside it can leave out.
func Generated(body []byte) []Span {
	var out []Span
	for _, r := range findRegions(string(body)) {
		if !r.edited() {
			out = append(out, Span{r.start, r.end})
		}
	}
	return out
}

// Refresh brings the generated regions of an existing body up to date
// from a freshly rendered one. A region a person edited is kept as they
// left it and named in kept; text outside the regions is never touched.
func Refresh(old, fresh []byte) (out []byte, kept []string) {
	newRegions := map[string]region{}
	freshText := string(fresh)
	for _, r := range findRegions(freshText) {
		newRegions[r.name] = r
	}
	oldText := string(old)
	var b strings.Builder
	last := 0
	for _, r := range findRegions(oldText) {
		nr, ok := newRegions[r.name]
		if !ok {
			continue
		}
		if r.edited() {
			kept = append(kept, r.name)
			continue
		}
		b.WriteString(oldText[last:r.start])
		replacement := freshText[nr.start:nr.end]
		if r.end == len(oldText) && !strings.HasSuffix(oldText, "\n") {
			replacement = strings.TrimSuffix(replacement, "\n")
		}
		b.WriteString(replacement)
		last = r.end
	}
	b.WriteString(oldText[last:])
	return []byte(b.String()), kept
}

// regionContent renders one region; every line ends with a newline.
func regionContent(in Input, name string) (string, bool) {
	var b strings.Builder
	switch name {
	case "overview":
		overview(&b, in)
	case "summary":
		prose(&b, in.Record.Summary, "No summary in the incident record yet; write one here, or set it with sev set "+in.Record.ID+" summary \"...\" and refresh.")
	case "impact":
		prose(&b, in.Record.Impact, "No impact in the incident record yet: who was affected, how, and for how long?")
	case "timeline":
		timelineTable(&b, in)
	case "follow-ups":
		followUpTable(&b, in)
	default:
		return "", false
	}
	return b.String(), true
}

func prose(b *strings.Builder, text, missing string) {
	text = strings.TrimSpace(text)
	if text == "" {
		fmt.Fprintf(b, "\n_%s_\n\n", missing)
		return
	}
	fmt.Fprintf(b, "\n%s\n\n", safeText(text))
}

func overview(b *strings.Builder, in Input) {
	s, r := in.Settings, in.Record
	loc := s.Location()
	b.WriteString("\n| | |\n|---|---|\n")
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(b, "| %s | %s |\n", k, v)
		}
	}
	row("Incident", "[["+r.ID+"]]")
	sev := s.SeverityName(r.Severity)
	for _, sv := range s.Severities {
		if sv.Level == r.Severity && sv.Description != "" {
			sev += " — " + sv.Description
		}
	}
	row("Severity", cell(sev))
	row("Status", cell(r.Status))
	if r.Kind != "" && r.Kind != "normal" {
		row("Kind", cell(r.Kind))
	}
	for _, m := range incident.Milestones {
		if t := r.Milestones.Get(m); !t.IsZero() {
			row(strings.ToUpper(m[:1])+m[1:], t.In(loc).Format("2006-01-02 15:04 MST"))
		}
	}
	d := incident.DurationsOf(r)
	for _, x := range []struct {
		name string
		d    time.Duration
	}{{"Time to detect", d.Detect}, {"Time to mitigate", d.Mitigate}, {"Time to resolve", d.Resolve}} {
		if x.d > 0 {
			row(x.name, incident.FormatDuration(x.d))
		}
	}
	for _, role := range sortedRoles(s, r.Roles) {
		row(cell(strings.ToUpper(role[:1])+role[1:]), cell(personName(s, r.Roles[role])))
	}
	if len(r.Responders) > 0 {
		var ps []string
		for _, p := range r.Responders {
			ps = append(ps, personName(s, p))
		}
		row("Responders", cell(strings.Join(ps, ", ")))
	}
	for _, p := range r.Paged {
		row("Paged", cell(fmt.Sprintf("%s (on call in %s) at %s", personName(s, p.Person), p.Rotation, p.At.In(loc).Format("15:04"))))
	}
	row("Orgs", cell(strings.Join(r.Orgs, ", ")))
	row("Services", cell(strings.Join(r.Services, ", ")))
	row("Tags", cell(strings.Join(r.Tags, ", ")))
	for _, l := range r.Links {
		title := l.Title
		if title == "" {
			title = l.URL
		}
		row(cell(strings.ToUpper(l.Kind[:1])+l.Kind[1:]), "["+cell(title)+"](<"+strings.ReplaceAll(l.URL, ">", "%3E")+">)")
	}
	b.WriteString("\n")
}

// sortedRoles lists the roles held, in sev.yaml's order, unknown ones last.
func sortedRoles(s *config.Settings, roles map[string]string) []string {
	var out []string
	for _, r := range s.Roles {
		if roles[r.Name] != "" {
			out = append(out, r.Name)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(roles)) {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

func personName(s *config.Settings, handle string) string {
	if p, ok := s.Person(handle); ok && p.Name != "" {
		return p.Name + " (@" + p.Handle + ")"
	}
	return "@" + handle
}

func timelineTable(b *strings.Builder, in Input) {
	loc := in.Settings.Location()
	type row struct {
		at        time.Time
		by, what  string
		milestone string
		key       bool
	}
	var rows []row
	seen := map[string]bool{}
	for _, e := range timeline.Sorted(in.Entries) {
		m := e.Milestone
		switch {
		case e.Type == timeline.Declared:
			m = "declared"
		case m == "" && e.Type == timeline.Status && incident.IsMilestone(e.Status) && in.Record.Milestones.Get(e.Status).Equal(e.At):
			m = e.Status // a status change that reached a milestone
		}
		seen[m] = true
		e.Milestone = ""
		rows = append(rows, row{at: e.At, by: "@" + cell(e.By), what: cell(timeline.Describe(e)), milestone: m, key: e.Key})
	}
	// Milestones the record knows but no entry marks (often started and
	// detected, which are back-filled) get a row of their own.
	for _, m := range incident.Milestones {
		if t := in.Record.Milestones.Get(m); !t.IsZero() && !seen[m] {
			rows = append(rows, row{at: t, milestone: m})
		}
	}
	if len(rows) == 0 {
		b.WriteString("\n_The timeline is empty._\n\n")
		return
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].at.Before(rows[j].at) })
	fmt.Fprintf(b, "\nTimes are %s. **Milestones** are in bold; ★ marks key moments.\n\n", loc)
	b.WriteString("| Time | Who | What |\n|---|---|---|\n")
	day := ""
	for _, r := range rows {
		at := r.at.In(loc)
		stamp := at.Format("15:04")
		if d := at.Format("2006-01-02"); d != day {
			day, stamp = d, d+" "+stamp
		}
		what := r.what
		if r.milestone != "" {
			label := "**" + strings.ToUpper(r.milestone[:1]) + r.milestone[1:] + "**"
			if what == "" {
				what = label
			} else {
				what = label + " — " + what
			}
		}
		if r.key {
			what = "★ " + what
		}
		fmt.Fprintf(b, "| %s | %s | %s |\n", stamp, r.by, what)
	}
	b.WriteString("\n")
}

func followUpTable(b *strings.Builder, in Input) {
	if len(in.Meta.FollowUps) == 0 {
		fmt.Fprintf(b, "\n_None yet. Add one with_ `sev followup add %s \"What to do\" --owner HANDLE --due YYYY-MM-DD --type prevent`.\n\n", in.Record.ID)
		return
	}
	b.WriteString("\n| ID | Action | Type | Owner | Due | Status |\n|---|---|---|---|---|---|\n")
	for _, f := range in.Meta.FollowUps {
		title := cell(f.Title)
		if f.Link != "" {
			title = "[" + title + "](<" + strings.ReplaceAll(f.Link, ">", "%3E") + ">)"
		}
		owner := ""
		if f.Owner != "" {
			owner = "@" + cell(f.Owner)
		}
		due := cell(f.Due)
		if day, ok := FollowUpDue(in.Settings, f, in.Record.Milestones.Resolved); ok && f.Due == "" {
			due = day.Format("2006-01-02") + " (policy)"
		}
		status := f.Status
		if status == "" {
			status = "open"
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s |\n", cell(f.ID), title, cell(f.Type), owner, due, cell(status))
	}
	b.WriteString("\n")
}

// cell makes text safe inside a Markdown table cell: one line, pipes
// escaped, and no way to open an HTML comment that would break a region.
func cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ReplaceAll(s, "|", `\|`)
	return safeText(s)
}

// safeText keeps generated text from forming region markers or raw HTML.
func safeText(s string) string {
	return strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(s)
}

// Unwritten lists the headings of the sections that hold nothing a
// person wrote: no text outside generated regions and guidance comments.
func Unwritten(d *Doc) []string {
	var out []string
	for _, sec := range d.ParseBody().Sections {
		if sec.Level != 2 {
			continue
		}
		text := string(d.Source[sec.Start:sec.End])
		if len(findRegions(text)) > 0 {
			continue // a generated section
		}
		if strings.TrimSpace(htmlComment.ReplaceAllString(text, "")) == "" {
			out = append(out, sec.Heading)
		}
	}
	return out
}

var htmlComment = regexp.MustCompile(`(?s)<!--.*?-->`)
