package postmortem

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/sev-dev/sev/internal/term"
)

// markerLine finds what looks like a region marker in the given text.
var markerLine = regexp.MustCompile(`(?m)^[ \t]*<!--[ \t]*sev:(?:begin|end)\b`)

// sectionText is the Markdown given for a section, checked and
// normalised; skipped counts the blank lines dropped before it, so that
// line numbers in messages are those of the text as given.
type sectionText struct {
	md      string
	skipped int
}

// cleanText checks and normalises the Markdown given for a section:
// UTF-8, no control characters but tab and newline (CRLF is read as LF),
// no region markers, no lines that cost the parser more than linear time;
// blank lines around it are dropped.
func cleanText(md string) (sectionText, error) {
	md = strings.ReplaceAll(md, "\r\n", "\n")
	line, col := 1, 0
	for i, r := range md {
		col++
		switch {
		case r == '\n':
			line, col = line+1, 0
		case r == utf8.RuneError && !strings.HasPrefix(md[i:], "\uFFFD"):
			return sectionText{}, textErr(line, col, "the text is not valid UTF-8 (byte 0x%02x); save it as UTF-8", md[i])
		case r != '\t' && r != utf8.RuneError && term.Unsafe(r):
			return sectionText{}, textErr(line, col, "the text holds the control or bidirectional character %U; remove it", r)
		}
	}
	if m := markerLine.FindStringIndex(md); m != nil {
		return sectionText{}, textErr(strings.Count(md[:m[0]], "\n")+1, 1,
			"the text holds a sev:begin or sev:end marker; generated parts are sev's own, so the text cannot add one")
	}
	lines := strings.SplitAfter(md, "\n")
	skipped := 0
	for skipped < len(lines) && strings.TrimSpace(lines[skipped]) == "" {
		skipped++
	}
	t := sectionText{md: strings.TrimRight(strings.Join(lines[skipped:], ""), " \t\n"), skipped: skipped}
	if t.md == "" {
		return t, textErr(0, 0, "the text is empty; there is nothing to write")
	}
	if pos, msg, bad := costly("", []byte(t.md), 1+skipped); bad {
		return t, textErr(pos.Line, pos.Col, "%s", msg)
	}
	return t, nil
}

// cleanHeading refuses a heading that cannot be one line of Markdown.
func cleanHeading(h string) error {
	if strings.TrimSpace(h) == "" {
		return headingErr("the section's heading is empty")
	}
	if !utf8.ValidString(h) {
		return headingErr("the section's heading is not valid UTF-8")
	}
	for _, r := range h {
		if term.Unsafe(r) && r != '\t' {
			return headingErr("the section's heading holds the control character %U; a heading is one line of text", r)
		}
	}
	if _, msg, bad := costly("", []byte(h), 1); bad {
		return headingErr("the section's heading: %s", msg)
	}
	return nil
}
