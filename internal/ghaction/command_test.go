package ghaction

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/diag"
)

type command struct {
	name  string
	props map[string]string
	data  string
}

// parseCommand reads one workflow command line as the runner does
// (actions/runner, ActionCommand.TryParseV2): ::name k=v,k=v::data, with
// properties split at commas and at their first =, then unescaped.
func parseCommand(line string) (command, bool) {
	if !strings.HasPrefix(line, "::") {
		return command{}, false
	}
	end := strings.Index(line[2:], "::")
	if end < 0 {
		return command{}, false
	}
	info, data := line[2:2+end], line[2+end+2:]
	name, props, _ := strings.Cut(info, " ")
	c := command{name: name, props: map[string]string{}, data: unescape(data, false)}
	for _, p := range strings.Split(props, ",") {
		if k, v, ok := strings.Cut(p, "="); ok && k != "" {
			c.props[k] = unescape(v, true)
		}
	}
	return c, true
}

func unescape(s string, property bool) string {
	pairs := []string{"%0D", "\r", "%0A", "\n"}
	if property {
		pairs = append(pairs, "%3A", ":", "%2C", ",")
	}
	return strings.ReplaceAll(strings.NewReplacer(pairs...).Replace(s), "%25", "%")
}

// TestCommandsHostile: every message and property comes back from the
// runner's parser unchanged, and each command is one line, so none can
// start a command of its own.
func TestCommandsHostile(t *testing.T) {
	for _, h := range hostile {
		var buf bytes.Buffer
		c := Commands{W: &buf}
		a := Annotation{File: "incidents/2026/" + h + "/incident.yaml", Line: 3, Col: 7, EndLine: 4, EndCol: 1, Title: "sev " + h}
		if err := c.Error(a, h); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if strings.Count(out, "\n") != 1 || strings.ContainsRune(strings.TrimSuffix(out, "\n"), '\r') || !strings.HasSuffix(out, "\n") {
			t.Fatalf("%.40q: the command is not exactly one line: %.80q", h, out)
		}
		cmd, ok := parseCommand(strings.TrimSuffix(out, "\n"))
		want := map[string]string{"file": a.File, "line": "3", "col": "7", "endLine": "4", "endColumn": "1", "title": a.Title}
		if !ok || cmd.name != "error" || cmd.data != h || fmt.Sprint(cmd.props) != fmt.Sprint(want) {
			t.Errorf("%.40q: parsed back as %+v", h, cmd)
		}
	}
}

// TestAnnotationMatchesDiag: sev validate --format github prints through
// diag.List.WriteGitHub; Commands must print the same bytes for the same
// finding, so annotations look alike whichever part of sev writes them.
func TestAnnotationMatchesDiag(t *testing.T) {
	for _, h := range hostile[:12] {
		d := diag.Diagnostic{Pos: diag.Pos{Path: "incidents/" + h, Line: 12, Col: 3}, Message: h, Check: "milestone-order"}
		for _, sev := range []diag.Severity{diag.Error, diag.Warning} {
			d.Severity = sev
			var want, got bytes.Buffer
			if err := (diag.List{d}).WriteGitHub(&want); err != nil {
				t.Fatal(err)
			}
			c := Commands{W: &got}
			a := Annotation{File: d.Path, Line: d.Line, Col: d.Col, Title: "sev " + d.Check}
			print := c.Error
			if sev == diag.Warning {
				print = c.Warning
			}
			if err := print(a, d.Message); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("Commands printed\n%q\ndiag printed\n%q", got.String(), want.String())
			}
		}
	}
}

func TestCommandsShapes(t *testing.T) {
	var buf bytes.Buffer
	c := Commands{W: &buf, Random: &counting{}}
	steps := []func() error{
		func() error { return c.Notice(Annotation{}, "no properties") },
		func() error { return c.Warning(Annotation{File: "sev.yaml"}, "file only") },
		func() error { return c.Debug("a\nb") },
		func() error { return c.Mask("line1\r\nline2\n\nline3") },
		func() error { return c.Group("Rules: 50% done, step: 2") },
		func() error { return c.EndGroup() },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	resume, err := c.StopCommands()
	if err != nil {
		t.Fatal(err)
	}
	buf.WriteString("::error::from a comment, not a command\n")
	if err := resume(); err != nil {
		t.Fatal(err)
	}
	want := `::notice::no properties
::warning file=sev.yaml::file only
::debug::a%0Ab
::add-mask::line1
::add-mask::line2
::add-mask::line3
::group::Rules: 50%25 done, step: 2
::endgroup::
::stop-commands::sev-00000000000000010000000000000001
::error::from a comment, not a command
::sev-00000000000000010000000000000001::
`
	if buf.String() != want {
		t.Errorf("printed\n%s\nwant\n%s", buf.String(), want)
	}
	if _, err := (Commands{W: &buf, Random: failing{}}).StopCommands(); err == nil {
		t.Error("StopCommands with a failing random source succeeded")
	}
}
