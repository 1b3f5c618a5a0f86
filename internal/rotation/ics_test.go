package rotation

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// icsRotation has two layers in New York, an override across the spring
// 2027 jump (2027-03-14 02:00 EST → 03:00 EDT), and names and a long
// description with multi-byte characters and the characters TEXT values
// escape. Its file name gives it a name with a comma.
const icsRotation = `
org: platform
timezone: America/New_York
description: |
  Plattform-Bereitschaft für Zürich, Basel und Genève; pages for checkout, search and the API.
  Eskalation: 📟 Pager → Teamleitung → Geschäftsführung. Runbooks live under C:\runbooks\on-call.
  東京のチームは、午前中に引き継ぎます。よろしくお願いします。
layers:
  - name: primary
    members: ["Zoë Ångström-Łukasiewicz", "日本 太郎"]
    shift: 1w
    start: 2027-03-01T09:00:00-05:00
  - name: business-hours
    members: ["Smith, Jane; \\ ops", "Ünal Çelik"]
    shift: 1d
    start: 2027-03-01T09:00:00-05:00
    restrictions:
      - days: [mon, tue, wed, thu, fri]
        from: "09:00"
        to: "17:00"
overrides:
  - person: "🚒 Renée O'Brien"
    from: 2027-03-13T20:00:00-05:00
    to: 2027-03-14T12:00:00-04:00
    note: "Covers for Jane; swap agreed in #ops"
`

func icsFixture(t *testing.T) *Rotation {
	t.Helper()
	r, diags := Parse("rotations/zürich, basel.yaml", []byte(icsRotation))
	if r == nil || diags.Errors() > 0 {
		t.Fatalf("parse: %v", diags)
	}
	return r
}

// icsWindow starts before the layers do, so the schedule opens with a
// segment with nobody on call.
var (
	icsFrom  = ts("2027-02-28T12:00:00Z")
	icsTo    = ts("2027-03-22T12:00:00Z")
	icsStamp = time.Date(2027, 3, 1, 7, 0, 0, 0, time.FixedZone("EST", -5*3600))
)

func staffed(segs []Segment) []Segment {
	var out []Segment
	for _, s := range segs {
		if s.Person != "" {
			out = append(out, s)
		}
	}
	return out
}

// icsEvents unfolds a document and returns each VEVENT's properties by
// name (sev writes no parameters).
func icsEvents(t *testing.T, doc []byte) []map[string]string {
	t.Helper()
	var events []map[string]string
	var cur map[string]string
	for _, l := range strings.Split(strings.ReplaceAll(string(doc), "\r\n ", ""), "\r\n") {
		switch l {
		case "BEGIN:VEVENT":
			cur = map[string]string{}
		case "END:VEVENT":
			events = append(events, cur)
			cur = nil
		default:
			if name, value, ok := strings.Cut(l, ":"); ok && cur != nil {
				cur[name] = value
			}
		}
	}
	return events
}

// TestICSFormat checks the document's shape, line endings and folding, and
// one event per staffed segment with the times of the schedule.
func TestICSFormat(t *testing.T) {
	r := icsFixture(t)
	segs := r.Schedule(icsFrom, icsTo)
	if segs[0].Person != "" {
		t.Fatalf("the fixture should open with nobody on call, got %+v", segs[0])
	}
	doc := ICS(r, segs, icsStamp)
	s := string(doc)

	if !strings.HasSuffix(s, "\r\n") || strings.Count(s, "\n") != strings.Count(s, "\r\n") || strings.Count(s, "\r") != strings.Count(s, "\r\n") {
		t.Errorf("line endings are not all CRLF:\n%q", s)
	}
	folded := 0
	for i, l := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line %d is %d octets: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a UTF-8 sequence: %q", i+1, l)
		}
		if strings.HasPrefix(l, " ") {
			folded++
		}
	}
	if folded < 3 {
		t.Errorf("only %d continuation lines; the long description should be folded", folded)
	}

	head := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//sev//on-call//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n" +
		"X-WR-CALNAME:zürich\\, basel on call\r\nX-WR-TIMEZONE:America/New_York\r\nBEGIN:VEVENT\r\n"
	if !strings.HasPrefix(s, head) || !strings.HasSuffix(s, "END:VEVENT\r\nEND:VCALENDAR\r\n") {
		t.Errorf("calendar header or trailer is wrong:\n%s", s)
	}

	events := icsEvents(t, doc)
	want := staffed(segs)
	if len(events) != len(want) || len(want) < 10 {
		t.Fatalf("%d events for %d staffed segments (of %d)", len(events), len(want), len(segs))
	}
	uid := regexp.MustCompile(`^[0-9a-f]{40}@sev$`)
	for i, e := range events {
		w := want[i]
		if !uid.MatchString(e["UID"]) || e["DTSTART"] != w.Start.UTC().Format("20060102T150405Z") ||
			e["DTEND"] != w.End.UTC().Format("20060102T150405Z") || e["DTSTAMP"] != "20270301T120000Z" ||
			e["TRANSP"] != "TRANSPARENT" || e["CATEGORIES"] != "on-call" {
			t.Errorf("event %d = %v, want one for %+v", i, e, w)
		}
		if !strings.HasPrefix(e["DESCRIPTION"], `Org: platform\nRotation: zürich\, basel\nLayer: `) ||
			!strings.HasSuffix(e["DESCRIPTION"], `C:\\runbooks\\on-call.\n東京のチームは、午前中に引き継ぎます。よろしくお願いします。`) {
			t.Errorf("event %d DESCRIPTION = %q", i, e["DESCRIPTION"])
		}
	}
	assertEvent(t, events, `Smith\, Jane\; \\ ops on call: zürich\, basel`, "20270301T140000Z", "20270301T220000Z")
	// 20:00 EST to 12:00 EDT: 15 hours, across the jump
	assertEvent(t, events, `🚒 Renée O'Brien on call: zürich\, basel (override)`, "20270314T010000Z", "20270314T160000Z")
	// the business-hours shift after the jump starts at 09:00 EDT
	assertEvent(t, events, `Smith\, Jane\; \\ ops on call: zürich\, basel`, "20270315T130000Z", "20270315T210000Z")
}

func assertEvent(t *testing.T, events []map[string]string, summary, start, end string) {
	t.Helper()
	for _, e := range events {
		if e["SUMMARY"] == summary && e["DTSTART"] == start {
			if e["DTEND"] != end {
				t.Errorf("%s from %s ends at %s, want %s", summary, start, e["DTEND"], end)
			}
			if strings.HasSuffix(summary, "(override)") != strings.Contains(e["DESCRIPTION"], `Layer: override\nNote: Covers for Jane\; swap agreed in #ops\n`) {
				t.Errorf("%s: DESCRIPTION names the wrong layer: %s", summary, e["DESCRIPTION"])
			}
			return
		}
	}
	t.Errorf("no event %q starting %s", summary, start)
}

func TestEscapeText(t *testing.T) {
	for in, want := range map[string]string{
		`C:\ops`:                 `C:\\ops`,
		`\n`:                     `\\n`,
		"a;b,c":                  `a\;b\,c`,
		"one\ntwo":               `one\ntwo`,
		"one\r\ntwo":             `one\ntwo`,
		"one\rtwo":               `one\ntwo`,
		"tab\tok\x00\x1b[0m\x7f": "tab\tok[0m",
		"bad \xff byte":          "bad \uFFFD byte",
		"Zoë 日本 🚒":               "Zoë 日本 🚒",
	} {
		if got := escapeText(in); got != want {
			t.Errorf("escapeText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFold puts 2-, 3- and 4-byte characters at every offset of the fold.
func TestFold(t *testing.T) {
	for pad := 0; pad < 4; pad++ {
		value := strings.Repeat("x", pad) + strings.Repeat("é日🚒", 40)
		var w icsWriter
		w.text("SUMMARY", value)
		lines := strings.Split(strings.TrimSuffix(w.buf.String(), "\r\n"), "\r\n")
		for i, l := range lines {
			if len(l) > 75 || !utf8.ValidString(l) || (i > 0) != strings.HasPrefix(l, " ") {
				t.Errorf("pad %d: line %d is bad (%d octets): %q", pad, i, len(l), l)
			}
			if i < len(lines)-1 && len(l) < 72 {
				t.Errorf("pad %d: line %d folds early at %d octets", pad, i, len(l))
			}
		}
		if got := strings.ReplaceAll(w.buf.String(), "\r\n ", ""); got != "SUMMARY:"+value+"\r\n" {
			t.Errorf("pad %d: unfolds to %q", pad, got)
		}
	}
}

// TestICSStableUIDs exports two overlapping windows: a segment has the
// same UID in both, including the one the first window cuts short.
func TestICSStableUIDs(t *testing.T) {
	r := icsFixture(t)
	aTo, bFrom := ts("2027-03-15T00:00:00Z"), ts("2027-03-08T00:00:00Z")
	a := icsEvents(t, ICS(r, r.Schedule(ts("2027-03-01T00:00:00Z"), aTo), icsStamp))
	b := icsEvents(t, ICS(r, r.Schedule(bFrom, ts("2027-03-22T00:00:00Z")), icsStamp.Add(time.Hour)))

	seen := map[string]bool{}
	byStart := map[string]map[string]string{}
	for _, e := range a {
		if seen[e["UID"]] {
			t.Errorf("UID %s is used twice", e["UID"])
		}
		seen[e["UID"]] = true
		byStart[e["DTSTART"]] = e
	}
	shared, cut := 0, 0
	for _, e := range b {
		start := e["DTSTART"]
		if start <= bFrom.Format("20060102T150405Z") || start >= aTo.Format("20060102T150405Z") {
			continue
		}
		ea, ok := byStart[start]
		if !ok || ea["UID"] != e["UID"] || ea["SUMMARY"] != e["SUMMARY"] {
			t.Errorf("the segment from %s is %v in one export and %v in the other", start, ea, e)
		}
		shared++
		if ea["DTEND"] != e["DTEND"] {
			cut++
		}
	}
	if shared < 5 || cut != 1 {
		t.Errorf("%d segments in both windows, %d cut by the first; want at least 5 and 1", shared, cut)
	}

	at := ts("2027-03-14T16:00:00Z")
	base := eventUID("primary", "alice", at)
	for name, other := range map[string]string{
		"person":      eventUID("primary", "bob", at),
		"start":       eventUID("primary", "alice", at.Add(time.Second)),
		"rotation":    eventUID("secondary", "alice", at),
		"field split": eventUID("primar", "yalice", at),
	} {
		if other == base {
			t.Errorf("a different %s gives the same UID %s", name, base)
		}
	}
	if eventUID("primary", "alice", at.In(r.Location())) != base {
		t.Error("the UID depends on the start's time zone, not only its instant")
	}
}

// icalEvent is an event as test/ical/check.mjs prints it.
type icalEvent struct {
	UID, Summary, Description string
	Start, End                time.Time
}

// TestICSParsesWithICalJS parses the export with Mozilla's ical.js, an
// independent implementation, and compares its reading with the schedule.
// It needs Node and `npm ci` at the module root; CI runs both, so there it
// fails instead of skipping.
func TestICSParsesWithICalJS(t *testing.T) {
	check := icalChecker(t)
	r := icsFixture(t)
	want := staffed(r.Schedule(icsFrom, icsTo))
	doc := ICS(r, want, icsStamp)

	got, err := runICalJS(t, check, doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("ical.js read %d events, want %d", len(got), len(want))
	}
	for i, e := range got {
		w := want[i]
		summary := w.Person + " on call: zürich, basel"
		if w.Override {
			summary += " (override)"
		}
		if e.UID != eventUID(r.Name, w.Person, w.Start) || e.Summary != summary || !e.Start.Equal(w.Start) || !e.End.Equal(w.End) {
			t.Errorf("ical.js read event %d as %+v, want %q %s–%s", i, e, summary, w.Start.UTC(), w.End.UTC())
		}
		if !strings.HasPrefix(e.Description, "Org: platform\nRotation: zürich, basel\nLayer: ") || !strings.HasSuffix(e.Description, "\n\n"+strings.TrimSpace(r.Description)) {
			t.Errorf("ical.js read event %d's description as %q", i, e.Description)
		}
	}

	// The checker rejects what it should: a time that is not UTC, and a
	// continuation line that lost its leading space.
	for name, broken := range map[string][]byte{
		"floating DTEND": bytes.Replace(doc, []byte("DTEND:20270301T220000Z"), []byte("DTEND:20270301T220000"), 1),
		"lost fold":      bytes.Replace(doc, []byte("\r\n "), []byte("\r\n"), 1),
	} {
		if bytes.Equal(broken, doc) {
			t.Fatalf("%s: the edit did not apply", name)
		}
		if _, err := runICalJS(t, check, broken); err == nil {
			t.Errorf("ical.js accepted the export with a %s", name)
		}
	}
}

// icalChecker is the script that reads a calendar with ical.js; the test
// skips (fails on CI) when Node or the package is missing.
func icalChecker(t *testing.T) string {
	t.Helper()
	root := filepath.Join("..", "..")
	if _, err := exec.LookPath("node"); err != nil {
		icalUnavailable(t, "node is not on PATH; install Node.js and run `npm ci` at the module root")
	}
	if _, err := os.Stat(filepath.Join(root, "node_modules", "ical.js")); err != nil {
		icalUnavailable(t, "node_modules/ical.js is missing; run `npm ci` at the module root")
	}
	return filepath.Join(root, "test", "ical", "check.mjs")
}

func icalUnavailable(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(why + " (.ci/run should have done it)")
	}
	t.Skip(why)
}

func runICalJS(t *testing.T, check string, doc []byte) ([]icalEvent, error) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "rotation.ics")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("node", check, file)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("ical.js check: %v: %s", err, stderr.String())
	}
	var events []icalEvent
	if err := json.Unmarshal(stdout.Bytes(), &events); err != nil {
		t.Fatalf("ical.js check printed %q: %v", stdout.String(), err)
	}
	return events, nil
}

// One person's calendar over two rotations reads back with ical.js: their
// events of both, in time order within each, and nobody else's.
func TestPersonICSParsesWithICalJS(t *testing.T) {
	check := icalChecker(t)
	r := icsFixture(t)
	segs := staffed(r.Schedule(icsFrom, icsTo))
	person := segs[0].Person
	other := *r
	other.Name = "second"
	doc := PersonICS(person, "Europe/Zurich", []*Rotation{r, &other}, [][]Segment{segs, segs}, icsStamp)
	got, err := runICalJS(t, check, doc)
	if err != nil {
		t.Fatal(err)
	}
	mine := 0
	for _, s := range segs {
		if s.Person == person {
			mine++
		}
	}
	if len(got) != 2*mine || mine == 0 {
		t.Fatalf("ical.js read %d events, want %d", len(got), 2*mine)
	}
	for _, e := range got {
		if !strings.HasPrefix(e.Summary, person+" on call: ") {
			t.Errorf("an event of someone else: %+v", e)
		}
	}
}
