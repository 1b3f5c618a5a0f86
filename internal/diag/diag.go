// Package diag is the one type every user-facing problem is reported as: a
// position in a file, a message, the check that found it and its severity.
// It is modelled on go/scanner.ErrorList: checks append to a List, the List
// is sorted once, and every finding is printed, never only the first.
package diag

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/sev-dev/sev/internal/term"
)

// Severity says whether a finding fails validation.
type Severity int

const (
	// Error findings make `sev validate` exit 1.
	Error Severity = iota
	// Warning findings are printed but do not fail validation.
	Warning
	// Off disables a check; such findings are dropped by List.Filter.
	Off
)

func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Off:
		return "off"
	}
	return "error"
}

// ParseSeverity reads the words used in sev.yaml's checks section.
func ParseSeverity(s string) (Severity, bool) {
	switch s {
	case "error":
		return Error, true
	case "warning":
		return Warning, true
	case "off":
		return Off, true
	}
	return Error, false
}

// MarshalText writes the severity as its word, for JSON output.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads the word MarshalText writes.
func (s *Severity) UnmarshalText(b []byte) error {
	v, ok := ParseSeverity(string(b))
	if !ok {
		return fmt.Errorf("unknown severity %q", b)
	}
	*s = v
	return nil
}

// Pos is a place in a file. Line and Col are 1-based; 0 means unknown.
type Pos struct {
	Path string `json:"path"`
	Line int    `json:"line"`
	Col  int    `json:"column"`
}

func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.Path
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.Path, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.Path, p.Line, p.Col)
}

// Diagnostic is one finding.
type Diagnostic struct {
	Pos
	Message  string   `json:"message"`
	Check    string   `json:"check"`
	Severity Severity `json:"severity"`
}

func (d Diagnostic) String() string {
	sev := ""
	if d.Severity == Warning {
		sev = "warning: "
	}
	return fmt.Sprintf("%s: %s%s [%s]", d.Pos, sev, d.Message, d.Check)
}

// List collects diagnostics. The zero value is ready to use.
type List []Diagnostic

// Add appends a finding with error severity.
func (l *List) Add(pos Pos, check, format string, args ...any) {
	*l = append(*l, Diagnostic{Pos: pos, Check: check, Message: fmt.Sprintf(format, args...)})
}

// Warn appends a finding with warning severity.
func (l *List) Warn(pos Pos, check, format string, args ...any) {
	*l = append(*l, Diagnostic{Pos: pos, Check: check, Message: fmt.Sprintf(format, args...), Severity: Warning})
}

// Append adds all of other to l.
func (l *List) Append(other List) { *l = append(*l, other...) }

// Sort orders the list by path, line, column, check and message and drops
// exact duplicates, so output is stable however the checks ran.
func (l *List) Sort() {
	s := *l
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i], s[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		if a.Check != b.Check {
			return a.Check < b.Check
		}
		return a.Message < b.Message
	})
	out := s[:0]
	for i, d := range s {
		if i > 0 && d == s[i-1] {
			continue
		}
		out = append(out, d)
	}
	*l = out
}

// Override applies per-check severities (from sev.yaml) and drops the
// findings of checks that are switched off.
func (l *List) Override(levels map[string]Severity) {
	out := (*l)[:0]
	for _, d := range *l {
		if s, ok := levels[d.Check]; ok {
			d.Severity = s
		}
		if d.Severity != Off {
			out = append(out, d)
		}
	}
	*l = out
}

// Without returns the findings that are not about the given paths or
// anything under them.
func (l List) Without(paths ...string) List {
	var out List
next:
	for _, d := range l {
		for _, p := range paths {
			if d.Path == p || strings.HasPrefix(d.Path, p+"/") {
				continue next
			}
		}
		out = append(out, d)
	}
	return out
}

// Errors counts the findings of error severity.
func (l List) Errors() int {
	n := 0
	for _, d := range l {
		if d.Severity == Error {
			n++
		}
	}
	return n
}

// Err returns the list as an error when it holds at least one error-severity
// finding, and nil otherwise.
func (l List) Err() error {
	if l.Errors() == 0 {
		return nil
	}
	return l
}

// Error prints every diagnostic, one a line.
func (l List) Error() string {
	var b strings.Builder
	for i, d := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.String())
	}
	return b.String()
}

// Write writes the list in a format: text, json or github.
func (l List) Write(w io.Writer, format string) error {
	switch format {
	case "json":
		return l.WriteJSON(w)
	case "github":
		return l.WriteGitHub(w)
	}
	return l.WriteText(w)
}

// WriteText prints one diagnostic a line: path:line:col: message [check].
func (l List) WriteText(w io.Writer) error {
	for _, d := range l {
		if _, err := fmt.Fprintln(w, d.String()); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON prints the list as a JSON array (never null).
func (l List) WriteJSON(w io.Writer) error {
	if l == nil {
		l = List{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(l)
}

// WriteGitHub prints GitHub Actions workflow commands, which the runner
// turns into annotations on the pull request's changed lines.
func (l List) WriteGitHub(w io.Writer) error {
	for _, d := range l {
		kind := "error"
		if d.Severity == Warning {
			kind = "warning"
		}
		props := "file=" + escapeProperty(d.Path)
		if d.Line > 0 {
			props += fmt.Sprintf(",line=%d", d.Line)
		}
		if d.Col > 0 {
			props += fmt.Sprintf(",col=%d", d.Col)
		}
		props += ",title=" + escapeProperty("sev "+d.Check)
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", kind, props, escapeData(d.Message)); err != nil {
			return err
		}
	}
	return nil
}

// escapeData and escapeProperty follow the escaping the Actions runner
// undoes (see actions/toolkit's command.ts), so a message can never end the
// command early or inject a second one.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// WriteSource is WriteText for a person at a terminal: under each finding
// that has a line, that line of the file (as read returns it; nil leaves
// it out) and a caret under the column, as compilers show them; on a
// colour terminal (w a term.Writer with colour on) errors are red and
// warnings yellow.
func (l List) WriteSource(w io.Writer, read func(path string) []byte) error {
	lines := map[string][]string{}
	for _, d := range l {
		style := term.Red
		if d.Severity == Warning {
			style = term.Yellow
		}
		if _, err := fmt.Fprintln(w, term.Paint(w, style, d.String())); err != nil {
			return err
		}
		if d.Line <= 0 {
			continue
		}
		ls, ok := lines[d.Path]
		if !ok {
			if data := read(d.Path); data != nil {
				ls = strings.Split(string(data), "\n")
			}
			lines[d.Path] = ls
		}
		if d.Line > len(ls) {
			continue
		}
		src := []rune(strings.TrimRight(ls[d.Line-1], "\r"))
		col := min(max(d.Col, 1), len(src)+1) - 1
		// a long line is shown around the column
		from, to := max(0, col-60), min(len(src), col+60)
		pad := make([]rune, 0, col-from)
		for _, r := range src[from:col] {
			if r == '\t' {
				pad = append(pad, '\t')
			} else {
				pad = append(pad, ' ')
			}
		}
		caret := "^"
		if d.Col == 0 {
			caret = ""
		}
		if _, err := fmt.Fprintf(w, "    | %s\n    | %s%s\n", string(src[from:to]), string(pad), caret); err != nil {
			return err
		}
	}
	return nil
}
