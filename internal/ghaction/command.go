package ghaction

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Commands writes workflow commands, which the runner reads from a step's
// standard output: annotations, masks, log groups. Every value is escaped
// as the runner unescapes it (actions/toolkit's command.ts), so a message
// can neither end its command early nor start another one.
type Commands struct {
	// W is where commands go: the step's standard output.
	W io.Writer
	// Random is the source of StopCommands' tokens; nil means crypto/rand.
	Random io.Reader
}

// Annotation says where an error, warning or notice points. Zero fields are
// left out; a File alone annotates the file, a Line its line.
type Annotation struct {
	File            string
	Line, Col       int
	EndLine, EndCol int
	Title           string
}

// Error annotates a with msg as an error (a red mark on the pull request's
// changed line when File and Line are set).
func (c Commands) Error(a Annotation, msg string) error { return c.annotate("error", a, msg) }

// Warning annotates a with msg as a warning.
func (c Commands) Warning(a Annotation, msg string) error { return c.annotate("warning", a, msg) }

// Notice annotates a with msg as a notice.
func (c Commands) Notice(a Annotation, msg string) error { return c.annotate("notice", a, msg) }

func (c Commands) annotate(kind string, a Annotation, msg string) error {
	var props []string
	add := func(name, value string) { props = append(props, name+"="+escapeProperty(value)) }
	if a.File != "" {
		add("file", a.File)
	}
	for _, p := range []struct {
		name string
		v    int
	}{{"line", a.Line}, {"col", a.Col}, {"endLine", a.EndLine}, {"endColumn", a.EndCol}} {
		if p.v > 0 {
			add(p.name, strconv.Itoa(p.v))
		}
	}
	if a.Title != "" {
		add("title", a.Title)
	}
	head := "::" + kind
	if len(props) > 0 {
		head += " " + strings.Join(props, ",")
	}
	return c.printf("%s::%s\n", head, escapeData(msg))
}

// Debug prints msg to the log only when the run has debug logging on.
func (c Commands) Debug(msg string) error { return c.printf("::debug::%s\n", escapeData(msg)) }

// Mask asks the runner to hide secret wherever it would appear later in
// the log. The runner matches a masked value within one line, so a
// multi-line value is masked line by line.
func (c Commands) Mask(secret string) error {
	for _, l := range strings.Split(normalizeNewlines(secret), "\n") {
		if l == "" {
			continue
		}
		if err := c.printf("::add-mask::%s\n", escapeData(l)); err != nil {
			return err
		}
	}
	return nil
}

// Group starts a collapsible group of log lines titled title; EndGroup
// ends it.
func (c Commands) Group(title string) error { return c.printf("::group::%s\n", escapeData(title)) }

// EndGroup ends the group Group started.
func (c Commands) EndGroup() error { return c.printf("::endgroup::\n") }

// StopCommands makes the runner ignore workflow commands until resume is
// called, for printing text that must not be read as commands (a file from
// a pull request, a comment). The token is random, so the text cannot
// guess it and resume processing itself.
func (c Commands) StopCommands() (resume func() error, err error) {
	random := c.Random
	if random == nil {
		random = rand.Reader
	}
	buf := make([]byte, 16)
	if _, err := io.ReadFull(random, buf); err != nil {
		return nil, fmt.Errorf("ghaction: stop workflow commands: %w", err)
	}
	token := "sev-" + hex.EncodeToString(buf)
	if err := c.printf("::stop-commands::%s\n", token); err != nil {
		return nil, err
	}
	return func() error { return c.printf("::%s::\n", token) }, nil
}

func (c Commands) printf(format string, args ...any) error {
	if _, err := fmt.Fprintf(c.W, format, args...); err != nil {
		return fmt.Errorf("ghaction: write a workflow command: %w", err)
	}
	return nil
}

// escapeData and escapeProperty are the runner's escaping; diag.List's
// WriteGitHub does the same for sev validate --format github.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
