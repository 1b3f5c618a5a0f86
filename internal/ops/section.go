package ops

import (
	"errors"
	"fmt"
	"strings"

	"github.com/sev-dev/sev/internal/postmortem"
)

// Section writes Markdown into one section of a postmortem: sev
// postmortem ID --section HEADING --from FILE.
type Section struct {
	// Heading names the section, matched as postmortem.SetSection says.
	Heading string
	// Text is the Markdown; Source names where it came from in messages
	// (a file name, "<stdin>", "--text").
	Text, Source string
	// Append adds Text after the section's own text instead of replacing
	// the section's content.
	Append bool
}

// SetSection writes s into the incident's postmortem, drafting it first
// (with by as its author) if there is none. Nothing else in the file
// changes: not the front matter, not the generated parts (sev postmortem
// refreshes those). A heading no section has is added as a new section,
// and said so.
func (e *Env) SetSection(inc *Incident, by string, s Section) (*PostmortemChange, error) {
	f, err := e.openPostmortem(inc, by)
	if err != nil {
		return nil, err
	}
	src := f.pm.Doc.Source
	sec, found, err := postmortem.FindSection(src, s.Heading)
	if err != nil {
		return nil, sectionError(f.pm.Path, s, err)
	}
	data, err := postmortem.SetSection(src, s.Heading, s.Text, s.Append)
	if err != nil {
		return nil, sectionError(f.pm.Path, s, err)
	}
	pc, err := e.finishPostmortem(f, data)
	if err != nil {
		return nil, err
	}
	heading := strings.Join(strings.Fields(s.Heading), " ")
	switch {
	case !found:
		pc.What = "added a section"
		e.warn("no section of %s is headed %q, so it is added as a new one", pc.Path, heading)
	case s.Append:
		pc.What = "appended to a section"
	default:
		pc.What = "replaced a section"
	}
	if found && !strings.EqualFold(strings.Join(strings.Fields(sec.Heading), " "), heading) {
		e.warn("%q is the section %q", heading, sec.Heading)
	}
	if f.pm.Created {
		pc.What = "drafted, " + pc.What
	}
	return pc, nil
}

// sectionError names the place of a refused section write: the text's
// source or the postmortem, with line and column. A bad heading is a
// mistake in the request.
func sectionError(path string, s Section, err error) error {
	var se *postmortem.SectionError
	if !errors.As(err, &se) {
		return err
	}
	name := path
	switch se.In {
	case postmortem.InHeading:
		return inputf("--section %q: %s", s.Heading, se.Msg)
	case postmortem.InText:
		name = s.Source
	}
	switch {
	case se.Line > 0 && se.Col > 0:
		return fmt.Errorf("%s:%d:%d: %s", name, se.Line, se.Col, se.Msg)
	case se.Line > 0:
		return fmt.Errorf("%s:%d: %s", name, se.Line, se.Msg)
	}
	return fmt.Errorf("%s: %s", name, se.Msg)
}
