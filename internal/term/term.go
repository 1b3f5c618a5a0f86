// Package term makes user text safe to print for a person: in a terminal,
// a commit subject or a log line. Timeline notes and titles come from
// anyone who can open a pull request, so a byte that a terminal would act
// on (ESC starts a control sequence that can rewrite the screen or the
// window title, BEL rings, CR and backspace overwrite what was printed)
// or that reorders text (the bidirectional overrides of "Trojan Source")
// is shown as a visible escape such as \x1b or \u202e instead.
//
// Machine output (--json) is exact and never goes through this package.
package term

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Unsafe reports whether r must not reach a terminal as it is: C0 and C1
// control characters, DEL, the bidirectional formatting characters, the
// line and paragraph separators, and invalid UTF-8 (utf8.RuneError).
// Tab and newline are judged by the caller.
func Unsafe(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	case r == 0x2028, r == 0x2029, r == utf8.RuneError:
		return true
	}
	return false
}

// Line makes s safe to print on one line: every unsafe character,
// newlines and tabs included, becomes a visible escape.
func Line(s string) string { return escape(s, false) }

// Text is Line for text that may span lines: newlines and tabs are kept.
func Text(s string) string { return escape(s, true) }

// Clean reports whether s has no unsafe character (newlines and tabs
// allowed when multiline).
func Clean(s string, multiline bool) bool {
	for _, r := range s {
		if Unsafe(r) && !(multiline && (r == '\n' || r == '\t')) {
			return false
		}
	}
	return true
}

func escape(s string, multiline bool) string {
	if Clean(s, multiline) && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case multiline && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case !Unsafe(r):
			b.WriteString(s[i : i+size])
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}
