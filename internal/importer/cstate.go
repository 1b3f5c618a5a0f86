package importer

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sev-dev/sev/internal/incident"
)

// CState reads the issues of a cState status page (a Hugo site): one
// Markdown file per issue under content/issues/, with YAML front matter
// (title, date, resolved, resolvedWhen, severity down|disrupted|notice,
// affected, section, informational, draft) and updates in the body.
type CState struct {
	// BaseURL is the status page's address; each record then links to
	// BaseURL/issues/<file name>/.
	BaseURL string
	// Loc is the zone of times written without an offset (Hugo reads
	// them in the site's time zone; UTC unless configured).
	Loc *time.Location
}

// Read reads fsys, which is the site (with content/issues/), its content
// folder, or the issues folder itself.
func (c CState) Read(fsys fs.FS) ([]Record, []Problem, error) {
	dir := "."
	for _, d := range []string{"content/issues", "issues"} {
		if st, err := fs.Stat(fsys, d); err == nil && st.IsDir() {
			dir = d
			break
		}
	}
	files, err := fs.Glob(fsys, path.Join(dir, "*.md"))
	if err != nil {
		return nil, nil, err
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("no cState issues found: expected Markdown files in content/issues/")
	}
	var recs []Record
	var probs []Problem
	for _, f := range files {
		if path.Base(f) == "_index.md" {
			continue
		}
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, nil, err
		}
		r, ps := c.record(f, data)
		probs = append(probs, ps...)
		if r != nil {
			recs = append(recs, *r)
		}
	}
	return recs, probs, nil
}

// cstateMatter is the front matter; times are read by hand, since real
// files hold every variant of a date.
type cstateMatter struct {
	Title         string   `yaml:"title"`
	Date          string   `yaml:"date"`
	Resolved      bool     `yaml:"resolved"`
	ResolvedWhen  string   `yaml:"resolvedWhen"`
	Severity      string   `yaml:"severity"`
	Affected      []string `yaml:"affected"`
	Section       string   `yaml:"section"`
	Informational bool     `yaml:"informational"`
	Draft         bool     `yaml:"draft"`
}

var cstateSeverity = map[string]int{"down": 1, "disrupted": 2, "notice": 3}

func (c CState) record(file string, data []byte) (*Record, []Problem) {
	var probs []Problem
	bad := func(field, msg string, skip bool) {
		probs = append(probs, Problem{Where: file, Field: field, Message: msg, Skipped: skip})
	}
	front, body, ok := splitFrontMatter(data)
	if !ok {
		bad("", "no front matter between --- lines", true)
		return nil, probs
	}
	var m cstateMatter
	var node yaml.Node
	if err := yaml.Unmarshal(front, &node); err != nil {
		bad("front matter", err.Error(), true)
		return nil, probs
	}
	if err := node.Decode(&m); err != nil {
		bad("front matter", err.Error(), true)
		return nil, probs
	}
	line := func(key string) string { return fmt.Sprintf("%s (line %d)", key, keyLine(&node, key)+1) }
	if m.Draft {
		bad("draft", "a draft was never published", true)
		return nil, probs
	}
	if m.Section != "" && m.Section != "issue" {
		bad(line("section"), fmt.Sprintf("section %q is not an issue", m.Section), true)
		return nil, probs
	}
	slug := strings.TrimSuffix(path.Base(file), ".md")
	r := &Record{Where: file, Title: m.Title, Visibility: "public", Services: m.Affected, Milestones: map[string]Time{}}
	r.Source = incident.Source{System: "cstate", ID: slug}
	if c.BaseURL != "" {
		r.Source.URL = strings.TrimSuffix(c.BaseURL, "/") + "/issues/" + slug + "/"
	}
	if lvl, ok := cstateSeverity[strings.ToLower(strings.TrimSpace(m.Severity))]; ok {
		r.Severity = lvl
	} else if m.Severity != "" {
		bad(line("severity"), fmt.Sprintf("unknown severity %q (cState has down, disrupted and notice); imported as the least severe", m.Severity), false)
	}
	if strings.Contains(strings.ToLower(m.Title+" "+slug), "maintenance") {
		r.Kind = "maintenance"
	}
	if m.Date != "" {
		t, err := ParseTime(m.Date, c.Loc)
		if err != nil {
			bad(line("date"), err.Error(), false)
		}
		r.Declared = t
	}
	if r.Declared.IsZero() {
		// the file name starts with the date the site shows
		if t, err := ParseTime(slug[:min(len(slug), 10)], c.Loc); err == nil {
			r.Declared = t
			bad("date", "missing or unreadable; the date in the file name is used", false)
		}
	}
	r.Milestones["started"] = r.Declared
	r.Done = m.Resolved
	if m.Resolved && m.ResolvedWhen != "" {
		t, err := ParseTime(m.ResolvedWhen, c.Loc)
		if err != nil {
			bad(line("resolvedWhen"), err.Error(), false)
		} else {
			r.Milestones["resolved"] = t
		}
	}
	segs := cstateSegments(string(body))
	r.Entries = c.entries(segs, r.Declared, r.Milestones["resolved"])
	r.Summary = firstParagraph(initialText(segs))
	return r, probs
}

// splitFrontMatter splits "---\nfront\n---\nbody".
func splitFrontMatter(data []byte) (front, body []byte, ok bool) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	if !bytes.HasPrefix(data, []byte("---\n")) {
		return nil, nil, false
	}
	rest := data[4:]
	i := bytes.Index(rest, []byte("\n---"))
	if i < 0 {
		return nil, nil, false
	}
	front, body = rest[:i+1], rest[i+4:]
	if j := bytes.IndexByte(body, '\n'); j >= 0 {
		body = body[j+1:]
	} else {
		body = nil
	}
	return front, body, true
}

// keyLine is the 0-based line of a top-level key in the front matter
// (counted from the line after the first ---).
func keyLine(n *yaml.Node, key string) int {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i].Line
		}
	}
	return 0
}

// timeRE reads the dates real files hold: 2020-11-12, 2020-11-12 15:54:00,
// 2021-04-12T8:00:00-00:00, 2026-06-11T07:00:00Z, with or without seconds
// and offset.
var timeRE = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$`)

// ParseTime reads a time as sources write them; without an offset it is
// read in loc (UTC when nil), and a date alone has day precision.
func ParseTime(s string, loc *time.Location) (Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return Time{At: t}, nil
	}
	m := timeRE.FindStringSubmatch(s)
	if m == nil {
		return Time{}, fmt.Errorf("%q is not a date or time sev can read (use 2006-01-02 or 2006-01-02T15:04:05Z07:00)", s)
	}
	n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
	y, mo, d := n(1), time.Month(n(2)), n(3)
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) {
		return Time{}, fmt.Errorf("%q is not a real date", s)
	}
	if m[4] == "" {
		return Day(y, mo, d), nil
	}
	if n(4) > 23 || n(5) > 59 || n(6) > 59 {
		return Time{}, fmt.Errorf("%q is not a real time of day", s)
	}
	zone := loc
	if zone == nil {
		zone = time.UTC
	}
	switch off := m[8]; {
	case off == "Z" || off == "UTC":
		zone = time.UTC
	case off != "":
		off = strings.ReplaceAll(off, ":", "")
		h, _ := strconv.Atoi(off[1:3])
		mi, _ := strconv.Atoi(off[3:5])
		secs := h*3600 + mi*60
		if off[0] == '-' {
			secs = -secs
		}
		zone = time.FixedZone("", secs)
		if secs == 0 {
			zone = time.UTC
		}
	}
	return Time{At: time.Date(y, mo, d, n(4), n(5), n(6), 0, zone)}, nil
}

func daysIn(y int, m time.Month) int { return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day() }

// segment is one update in a cState body: its marker ("Initial
// message", "Update - 2024-01-02 10h30 UTC", a dated bullet) and text.
type segment struct {
	marker, text string
	// when is the time the marker gives itself, if any.
	when Time
	// role is initial, final or "" for an update.
	role string
}

var (
	// [Initial message], [Update 2], [Final message] and the like: a
	// bracket that is not a Markdown link
	bracketRE = regexp.MustCompile(`^\s*\[([^\]\[]{1,80})\](?:[^(\[]|$)(.*)$`)
	// **2021-01-05 12:00:00** on its own line
	boldTimeRE = regexp.MustCompile(`^\s*\*\*(\d{4}-\d{2}-\d{2}[T ]?[0-9:]*[^*]*)\*\*\s*(.*)$`)
	// cState's own update shortcode: {{< track "2018-06-13 14:43:00" >}}
	trackRE = regexp.MustCompile(`^\s*\{\{<\s*track\s+"([^"]+)"\s*>\}\}\s*(.*)$`)
	// a bullet that starts with a date: * *2020-11-23: text*
	datedBulletRE = regexp.MustCompile(`^\s*[*-]\s+\*?\s*(\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?)\s*[:-]\s*(.*?)\*?\s*$`)
	markerDateRE  = regexp.MustCompile(`(\d{4}-\d{2}-\d{2})(?:[ T-]+(\d{1,2})[:h](\d{2}))?`)
)

// cstateSegments splits a body into its updates, in body order.
func cstateSegments(body string) []segment {
	var segs []segment
	var cur *segment
	var buf []string
	flush := func() {
		text := strings.TrimSpace(strings.Join(buf, "\n"))
		if cur != nil {
			cur.text = strings.TrimSpace(cur.text + "\n" + text)
			segs = append(segs, *cur)
		} else if text != "" {
			segs = append(segs, segment{text: text})
		}
		cur, buf = nil, nil
	}
	inFence := false
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inFence = !inFence
		}
		if inFence {
			buf = append(buf, line)
			continue
		}
		if m := datedBulletRE.FindStringSubmatch(line); m != nil {
			flush()
			t, _ := ParseTime(m[1], nil)
			segs = append(segs, segment{marker: m[1], text: strings.TrimSpace(m[2]), when: t})
			continue
		}
		var marker, rest string
		if m := trackRE.FindStringSubmatch(line); m != nil {
			marker, rest = m[1], m[2]
		} else if m := boldTimeRE.FindStringSubmatch(line); m != nil {
			marker, rest = m[1], m[2]
		} else if m := bracketRE.FindStringSubmatch(line); m != nil {
			marker, rest = m[1], m[2]
		} else {
			buf = append(buf, line)
			continue
		}
		flush()
		cur = &segment{marker: strings.TrimSpace(marker), text: strings.TrimSpace(rest)}
		cur.role, cur.when = markerMeaning(cur.marker)
	}
	flush()
	return segs
}

// markerMeaning reads a marker: whether it opens or closes the issue, and
// the time it names (exact with a date and time, day with a date).
func markerMeaning(marker string) (role string, when Time) {
	low := strings.ToLower(marker)
	switch {
	case strings.Contains(low, "initial") || low == "open" || strings.HasPrefix(low, "open issue"):
		role = "initial"
	case strings.Contains(low, "final") || strings.Contains(low, "clos") || strings.Contains(low, "resolved"):
		role = "final"
	}
	if t, err := ParseTime(marker, nil); err == nil {
		return role, t
	}
	if m := markerDateRE.FindStringSubmatch(marker); m != nil {
		s := m[1]
		if m[2] != "" {
			s += " " + m[2] + ":" + m[3]
		}
		if t, err := ParseTime(s, nil); err == nil {
			return role, t
		}
	}
	return role, Time{}
}

// entries gives the segments their times: a marker's own time; the
// issue's date for the initial message; the resolution for the final
// one; and for an update with no time, the time of the update before it
// (precision unknown, so it stays in place).
func (c CState) entries(segs []segment, start, end Time) []Entry {
	if len(segs) == 0 {
		return nil
	}
	hasInitial := false
	for _, s := range segs {
		hasInitial = hasInitial || s.role == "initial"
	}
	times := make([]Time, len(segs))
	for i, s := range segs {
		switch {
		case !s.when.IsZero():
			times[i] = s.when
		case s.role == "initial" || (!hasInitial && s.marker == "" && i == firstUnmarked(segs)):
			times[i] = start
		case s.role == "final" && !end.IsZero():
			times[i] = end
		}
	}
	order := chronological(segs, times)
	out := make([]Entry, 0, len(segs))
	prev := start
	for n, i := range order {
		t := times[i]
		if t.IsZero() {
			t = Time{At: prev.At, Precision: incident.PrecisionUnknown}
		} else {
			prev = t
		}
		text := segs[i].text
		if text == "" {
			text = segs[i].marker
		}
		if text == "" {
			continue
		}
		out = append(out, Entry{Key: "update:" + strconv.Itoa(n), At: t, Text: text, Public: true})
	}
	return out
}

func firstUnmarked(segs []segment) int {
	for i, s := range segs {
		if s.marker == "" {
			return i
		}
	}
	return -1
}

// chronological orders the segments oldest first. Status pages put the
// newest update on top, but not all of them: the order is read from the
// body (a final message above the initial one, or times that decrease),
// and the untimed updates keep their place between their neighbours.
func chronological(segs []segment, times []Time) []int {
	idx := make([]int, len(segs))
	for i := range idx {
		idx[i] = i
	}
	newestFirst := false
	fi, ii := -1, -1
	for i, s := range segs {
		if s.role == "final" && fi < 0 {
			fi = i
		}
		if s.role == "initial" {
			ii = i
		}
	}
	switch {
	case fi >= 0 && ii >= 0:
		newestFirst = fi < ii
	default:
		var timed []Time
		for _, t := range times {
			if !t.IsZero() {
				timed = append(timed, t)
			}
		}
		newestFirst = len(timed) >= 2 && timed[0].At.After(timed[len(timed)-1].At)
	}
	if newestFirst {
		for l, r := 0, len(idx)-1; l < r; l, r = l+1, r-1 {
			idx[l], idx[r] = idx[r], idx[l]
		}
	}
	return idx
}

// initialText is the text of the initial message, or of the oldest part.
func initialText(segs []segment) string {
	for _, s := range segs {
		if s.role == "initial" {
			return s.text
		}
	}
	if len(segs) > 0 {
		return segs[len(segs)-1].text
	}
	return ""
}

// firstParagraph is a text's first paragraph, cut to 500 bytes.
func firstParagraph(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "\n\n"); i >= 0 {
		s = s[:i]
	}
	return cut(s, 500)
}
