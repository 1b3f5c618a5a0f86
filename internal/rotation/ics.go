package rotation

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"
)

// ICS renders on-call segments as an iCalendar (RFC 5545) document.
//
// Each segment with someone on call becomes one VEVENT; segments with
// nobody on call are left out. Times are written in UTC, so the document
// needs no VTIMEZONE; X-WR-TIMEZONE names the rotation's zone for clients
// that show the calendar in it. stamp is the DTSTAMP of every event: the
// moment the export was made.
func ICS(r *Rotation, segs []Segment, stamp time.Time) []byte {
	var w icsWriter
	w.begin(r.Name+" on call", r.Timezone)
	for _, s := range segs {
		if s.Person != "" {
			w.event(r, s, stamp)
		}
	}
	w.line("END", "VCALENDAR")
	return w.buf.Bytes()
}

// PersonICS renders one person's shifts in several rotations as one
// calendar, to subscribe to once: segs[i] are rotations[i]'s segments,
// of which those with the person on call become events (with the same
// UIDs as in the rotation's own calendar). tz names the zone clients
// should show it in (the person's, else the organisation's).
func PersonICS(person, tz string, rotations []*Rotation, segs [][]Segment, stamp time.Time) []byte {
	var w icsWriter
	w.begin(person+" on call", tz)
	for i, r := range rotations {
		for _, s := range segs[i] {
			if s.Person == person {
				w.event(r, s, stamp)
			}
		}
	}
	w.line("END", "VCALENDAR")
	return w.buf.Bytes()
}

func (w *icsWriter) begin(name, tz string) {
	w.line("BEGIN", "VCALENDAR")
	w.line("VERSION", "2.0")
	w.line("PRODID", "-//sev//on-call//EN")
	w.line("CALSCALE", "GREGORIAN")
	w.line("METHOD", "PUBLISH")
	w.text("X-WR-CALNAME", name)
	if tz != "" {
		w.text("X-WR-TIMEZONE", tz)
	}
}

func (w *icsWriter) event(r *Rotation, s Segment, stamp time.Time) {
	summary := s.Person + " on call: " + r.Name
	if s.Override {
		summary += " (override)"
	}
	w.line("BEGIN", "VEVENT")
	w.line("UID", eventUID(r.Name, s.Person, s.Start))
	w.line("DTSTAMP", icsTime(stamp))
	w.line("DTSTART", icsTime(s.Start))
	w.line("DTEND", icsTime(s.End))
	w.text("SUMMARY", summary)
	w.text("DESCRIPTION", eventDescription(r, s))
	w.line("TRANSP", "TRANSPARENT")
	w.line("CATEGORIES", "on-call")
	w.line("END", "VEVENT")
}

func eventDescription(r *Rotation, s Segment) string {
	layer := s.Layer
	if s.Override {
		layer = "override"
	}
	d := "Org: " + r.Org + "\nRotation: " + r.Name + "\nLayer: " + layer
	if s.Override {
		// why: the override's note, from the one that put the person on
		for i := len(r.Overrides) - 1; i >= 0; i-- { // the last defined wins, as in At
			o := r.Overrides[i]
			if !s.Start.Before(o.From) && s.Start.Before(o.To) {
				if note := strings.TrimSpace(o.Note); note != "" {
					d += "\nNote: " + note
				}
				break
			}
		}
	}
	if desc := strings.TrimSpace(r.Description); desc != "" {
		d += "\n\n" + desc
	}
	return d
}

// eventUID identifies a shift across exports, so that a subscribed
// calendar updates its events instead of adding copies. It hashes the
// rotation's name, the person and the instant the segment starts, and not
// its end: an export window cuts the last segment short, and a segment
// shortened by a new override keeps its UID, so the client moves its end.
// A segment cut at the start of the window has a start of its own and so
// gets a UID of its own; it is replaced, not updated, when the window
// moves. The fields are joined with NUL so that ("ab", "c") and ("a",
// "bc") differ, and the start is in UTC so its time zone does not matter.
func eventUID(rotation, person string, start time.Time) string {
	sum := sha1.Sum([]byte(rotation + "\x00" + person + "\x00" + start.UTC().Format(time.RFC3339Nano)))
	return hex.EncodeToString(sum[:]) + "@sev"
}

// icsTime is a DATE-TIME in UTC ("form #2" of RFC 5545, section 3.3.5).
func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// textEscaper escapes a TEXT value (RFC 5545, section 3.3.11). Line
// breaks of any kind become \n; the longer "\r\n" is listed first so it
// wins over a lone "\r".
var textEscaper = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

// escapeText makes s a valid TEXT value: escaped, valid UTF-8, and
// without the control characters a content line may not hold (all but
// horizontal tab).
func escapeText(s string) string {
	s = textEscaper.Replace(strings.ToValidUTF8(s, "\uFFFD"))
	return strings.Map(func(c rune) rune {
		if c < 0x20 && c != '\t' || c == 0x7f {
			return -1
		}
		return c
	}, s)
}

// icsWriter writes content lines with CRLF endings, folded at 75 octets.
type icsWriter struct {
	buf bytes.Buffer
}

// text writes a property with a TEXT value.
func (w *icsWriter) text(name, value string) { w.line(name, escapeText(value)) }

// line writes one content line; value must be valid UTF-8. Lines longer than 75 octets (not counting
// the CRLF) are folded: a CRLF and a space are inserted, and the space
// counts toward the next line's 75. Folds fall between UTF-8 sequences, as
// section 3.1 asks, so no line holds part of a character.
func (w *icsWriter) line(name, value string) {
	s := name + ":" + value
	limit := 75
	for len(s) > limit {
		i := limit
		for !utf8.RuneStart(s[i]) {
			i--
		}
		w.buf.WriteString(s[:i])
		w.buf.WriteString("\r\n ")
		s = s[i:]
		limit = 74
	}
	w.buf.WriteString(s)
	w.buf.WriteString("\r\n")
}
