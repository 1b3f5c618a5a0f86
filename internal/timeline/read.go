package timeline

import (
	"strings"
	"unicode/utf8"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// Read reads a timeline for display (the site, search): it gives what Parse
// gives, without the positions validation needs. Files in the form sev
// writes — a header comment, then "- key: value" entries with plain,
// quoted or literal-block values — are read by a line scanner that is an
// order of magnitude faster than the YAML parser; anything else, or
// anything the scanner is not sure about, goes through Parse, so the
// scanner only ever decides how fast a file is read, never what it means.
// FuzzRead holds the two paths to the same answer.
func Read(path string, data []byte) ([]Entry, diag.List) {
	if entries, ok := scan(data); ok {
		return entries, nil
	}
	entries, _, diags := Parse(path, data)
	return entries, diags
}

// scan reads a canonical timeline, or reports false.
func scan(data []byte) ([]Entry, bool) {
	if !utf8.Valid(data) {
		return nil, false
	}
	s := &scanner{lines: strings.Split(string(data), "\n")}
	for _, line := range s.lines {
		if !printable(line) {
			return nil, false
		}
	}
	// The header: comment lines at the top and nothing else before the list.
	for s.i < len(s.lines) && strings.HasPrefix(s.lines[s.i], "#") {
		s.i++
	}
	var entries []Entry
	for s.i < len(s.lines) {
		line := s.lines[s.i]
		switch {
		case line == "" && s.i == len(s.lines)-1:
			s.i++ // the final newline
		case strings.HasPrefix(line, "- "):
			e, ok := s.entry()
			if !ok {
				return nil, false
			}
			entries = append(entries, e)
		default:
			return nil, false
		}
	}
	return entries, true
}

type scanner struct {
	lines []string
	i     int
}

// entry reads "- key: value" and the "  key: value" lines that follow.
func (s *scanner) entry() (Entry, bool) {
	var e Entry
	seen := map[string]bool{}
	first := true
	for s.i < len(s.lines) {
		line := s.lines[s.i]
		var rest string
		switch {
		case first:
			rest = line[2:]
		case strings.HasPrefix(line, "  ") && len(line) > 2 && line[2] != ' ':
			rest = line[2:]
		default:
			return e, e.complete()
		}
		first = false
		key, raw, ok := strings.Cut(rest, ": ")
		if !ok || seen[key] || !plainKey(key) {
			return e, false
		}
		seen[key] = true
		s.i++
		value, ok := s.value(raw)
		if !ok || !e.set(key, value) {
			return e, false
		}
	}
	return e, e.complete()
}

// complete reports whether the required fields are there and not empty.
func (e *Entry) complete() bool {
	return strings.TrimSpace(e.ID) != "" && !e.At.IsZero() && strings.TrimSpace(e.By) != "" && strings.TrimSpace(e.Type) != ""
}

func plainKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 'a' || k[i] > 'z' {
			return false
		}
	}
	return true
}

// scalar is a value as written: quoted values and blocks are always text;
// plain ones are typed by the field they are read into.
type scalar struct {
	text  string
	plain bool
}

func (s *scanner) value(raw string) (scalar, bool) {
	if raw == "" {
		return scalar{}, false
	}
	switch raw[0] {
	case '\'':
		v, ok := singleQuoted(raw)
		return scalar{text: v}, ok
	case '"':
		v, ok := doubleQuoted(raw)
		return scalar{text: v}, ok
	case '|':
		v, ok := s.block(raw)
		return scalar{text: v}, ok
	}
	if !plainSafe(raw) {
		return scalar{}, false
	}
	return scalar{text: raw, plain: true}, true
}

// plainSafe reports whether a one-line plain scalar certainly reads as
// itself: no indicator at its start, no comment or mapping inside, no
// surrounding spaces.
func plainSafe(v string) bool {
	if strings.ContainsRune("-?:,[]{}#&*!|>'\"%@`<=~. ", rune(v[0])) {
		return false
	}
	if strings.HasSuffix(v, " ") || strings.HasSuffix(v, ":") ||
		strings.Contains(v, ": ") || strings.Contains(v, " #") {
		return false
	}
	return true
}

// printable rejects what YAML does not allow in a file, tabs and carriage
// returns (indentation and line ends sev never writes) and the characters
// YAML treats as line breaks.
func printable(v string) bool {
	for _, r := range v {
		switch {
		case r < 0x20 || r == 0x7f:
			return false
		case r >= 0x80 && r <= 0x9f, r == 0x2028, r == 0x2029, r == 0xfeff, r >= 0xfffe && r <= 0xffff:
			return false
		case r >= 0xd800 && r <= 0xdfff:
			return false
		}
	}
	return true
}

func singleQuoted(raw string) (string, bool) {
	if len(raw) < 2 || raw[len(raw)-1] != '\'' {
		return "", false
	}
	inner := raw[1 : len(raw)-1]
	if strings.Count(inner, "'")%2 != 0 || strings.Contains(strings.ReplaceAll(inner, "''", ""), "'") {
		return "", false
	}
	return strings.ReplaceAll(inner, "''", "'"), true
}

func doubleQuoted(raw string) (string, bool) {
	if len(raw) < 2 || raw[len(raw)-1] != '"' {
		return "", false
	}
	inner := raw[1 : len(raw)-1]
	var b strings.Builder
	for i := 0; i < len(inner); i++ {
		c := inner[i]
		switch {
		case c == '"':
			return "", false
		case c != '\\':
			b.WriteByte(c)
			continue
		}
		if i+1 >= len(inner) {
			return "", false
		}
		i++
		switch inner[i] {
		case '\\', '"':
			b.WriteByte(inner[i])
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '0':
			b.WriteByte(0)
		case 'x', 'u', 'U':
			n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[inner[i]]
			r, ok := hexRune(inner[i+1:], n)
			if !ok {
				return "", false
			}
			b.WriteRune(r)
			i += n
		default:
			return "", false
		}
	}
	return b.String(), true
}

func hexRune(s string, n int) (rune, bool) {
	if len(s) < n {
		return 0, false
	}
	var r rune
	for i := 0; i < n; i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	if !utf8.ValidRune(r) {
		return 0, false
	}
	return r, true
}

// block reads a literal block ("|" or "|-") whose lines follow the key,
// indented by four spaces as sev writes them.
func (s *scanner) block(header string) (string, bool) {
	if header != "|" && header != "|-" {
		return "", false
	}
	const indent = "    "
	var lines []string
	for s.i < len(s.lines) {
		line := s.lines[s.i]
		if line == "" {
			lines = append(lines, "")
			s.i++
			continue
		}
		if !strings.HasPrefix(line, indent) {
			break
		}
		text := line[len(indent):]
		if text == "" || text[0] == ' ' || strings.HasSuffix(text, " ") {
			return "", false
		}
		lines = append(lines, text)
		s.i++
	}
	// Blank lines at the end belong to the chomping, not the text; give the
	// last one back when it is the file's final newline.
	n := len(lines)
	for n > 0 && lines[n-1] == "" {
		n--
	}
	if n == 0 || lines[0] == "" {
		return "", false
	}
	// The last line has a line break unless it ends the file.
	broken := len(lines) > n || s.i < len(s.lines)
	if s.i == len(s.lines) && len(lines) > n {
		s.i-- // the empty string after the file's last newline
	}
	text := strings.Join(lines[:n], "\n")
	if header == "|" && broken {
		text += "\n"
	}
	return text, true
}

// set stores a scalar in the entry's field, or reports false when the
// value would not read as that field's type without a doubt.
func (e *Entry) set(key string, v scalar) bool {
	if p := e.text(key); p != nil {
		if v.plain && yamlWord(v.text) {
			return false
		}
		*p = v.text
		return true
	}
	if !v.plain {
		return false
	}
	switch key {
	case "at", "recorded":
		t, err := yamlfile.ParseTime(v.text)
		if err != nil {
			return false
		}
		if key == "at" {
			e.At = t
		} else {
			e.Recorded = t
		}
		return !t.IsZero()
	case "severity":
		n, ok := smallInt(v.text)
		e.Severity = n
		return ok
	case "key", "public":
		if v.text != "true" && v.text != "false" {
			return false
		}
		if key == "key" {
			e.Key = v.text == "true"
		} else {
			e.Public = v.text == "true"
		}
		return true
	}
	return false
}

func (e *Entry) text(key string) *string {
	switch key {
	case "id":
		return &e.ID
	case "by":
		return &e.By
	case "type":
		return &e.Type
	case "text":
		return &e.Text
	case "milestone":
		return &e.Milestone
	case "status":
		return &e.Status
	case "role":
		return &e.Role
	case "rotation":
		return &e.Rotation
	case "person":
		return &e.Person
	case "tag":
		return &e.Tag
	case "field":
		return &e.Field
	case "value":
		return &e.Value
	case "url":
		return &e.URL
	case "file":
		return &e.File
	case "corrects":
		return &e.Corrects
	}
	return nil
}

// yamlWord is a plain scalar YAML reads as null or a boolean.
func yamlWord(v string) bool {
	switch v {
	case "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE":
		return true
	}
	return false
}

// smallInt reads a decimal without sign or leading zero, the form sev writes.
func smallInt(v string) (int, bool) {
	if v == "" || len(v) > 9 || (v[0] == '0' && len(v) > 1) {
		return 0, false
	}
	n := 0
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0, false
		}
		n = n*10 + int(v[i]-'0')
	}
	return n, true
}
