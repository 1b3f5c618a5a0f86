package ops

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sev-dev/sev/internal/postmortem"
)

// written is a postmortem a person has edited: front matter in their own
// layout, with a comment, which re-encoding would change.
const written = `---
incident: 2026-03-02-checkout
status:   draft     # until Friday's review
authors: [ "alice" ]
follow-ups:
- {id: FU-1, title: Alert on expiry, type: prevent, status: open}
---
# Postmortem

<!-- sev:begin timeline 000000000000 -->
stale
<!-- sev:end timeline -->

## Root cause

TBD
`

// TestSetSection: a section write drafts the postmortem when there is
// none, and otherwise changes only the section: the front matter as the
// person wrote it and the generated parts stay as they are.
func TestSetSection(t *testing.T) {
	env := testEnv(t, fstest.MapFS{})
	pc, err := env.SetSection(open(), "bob", Section{Heading: "Root cause", Text: "The certificate expired.", Source: "--text"})
	if err != nil {
		t.Fatal(err)
	}
	if !pc.Created || pc.What != "drafted, replaced a section" ||
		!strings.Contains(string(pc.Data), "## Root cause and contributing factors\n\nThe certificate expired.\n\n## Detection") ||
		!strings.Contains(string(pc.Data), "authors: [bob]") {
		t.Errorf("draft: %s %+v\n%s", pc.What, pc, pc.Data)
	}

	env = testEnv(t, fstest.MapFS{"postmortems/2026-03-02-checkout.md": {Data: []byte(written)}})
	for _, c := range []struct {
		s         Section
		what, new string
	}{
		{Section{Heading: "root cause", Text: "Expired.\n"}, "replaced a section", "## Root cause\n\nExpired.\n"},
		{Section{Heading: "Root cause", Text: "More.", Append: true}, "appended to a section", "## Root cause\n\nTBD\n\nMore.\n"},
		{Section{Heading: "Appendix", Text: "A."}, "added a section", "## Root cause\n\nTBD\n\n## Appendix\n\nA.\n"},
	} {
		pc, err := env.SetSection(open(), "bob", c.s)
		if err != nil {
			t.Fatalf("%+v: %v", c.s, err)
		}
		want := strings.Replace(written, "## Root cause\n\nTBD\n", c.new, 1)
		if pc.Created || pc.Unchanged || pc.What != c.what || string(pc.Data) != want {
			t.Errorf("%+v: %s\n%s\nwant\n%s", c.s, pc.What, pc.Data, want)
		}
	}
	pc, err = env.SetSection(open(), "bob", Section{Heading: "Root cause", Text: "TBD"})
	if err != nil || !pc.Unchanged {
		t.Errorf("the same text again: %+v %v", pc, err)
	}
}

// TestSetSectionRefuses: refusals name the text's source or the
// postmortem, with line and column; a bad heading is an input error; the
// result is held to limits.postmortem.
func TestSetSectionRefuses(t *testing.T) {
	files := fstest.MapFS{"postmortems/2026-03-02-checkout.md": {Data: []byte(written)}}
	env := testEnv(t, files)
	for _, c := range []struct {
		s     Section
		input bool
		want  string
	}{
		{Section{Heading: "Postmortem", Text: "x", Source: "--text"}, false,
			`postmortems/2026-03-02-checkout.md:10: section "Postmortem" holds the generated timeline part`},
		{Section{Heading: "Root cause", Text: "ok\n\n# Top", Source: "notes.md"}, false,
			`notes.md:3:1: a level-1 heading ("Top") would end the section "Root cause" here`},
		{Section{Heading: "Root cause", Text: "\xfe", Source: "<stdin>"}, false, "<stdin>:1:1: the text is not valid UTF-8"},
		{Section{Heading: "", Text: "x"}, true, `--section "": the section's heading is empty`},
		{Section{Heading: "Root cause", Text: strings.Repeat("x", 2000)}, false, "over limits.postmortem in sev.yaml (1500)"},
	} {
		env.Settings.Limits.Postmortem = 1500
		_, err := env.SetSection(open(), "bob", c.s)
		if err == nil || !strings.Contains(err.Error(), c.want) || IsInput(err) != c.input {
			t.Errorf("%+v: got %v (input %v), want %q (input %v)", c.s, err, IsInput(err), c.want, c.input)
		}
	}
	files["postmortems/2026-03-02-checkout.md"].Data = []byte("---\nincident: 2026-03-02-checkout\nstatus: finished\n---\n## Root cause\n")
	_, err := env.SetSection(open(), "bob", Section{Heading: "Root cause", Text: "x"})
	var pe *ProblemsError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "fix them first") {
		t.Errorf("broken front matter: %v", err)
	}
}

// TestAddFollowUpStatus: a follow-up can be recorded as already done (an
// earlier review's); an unknown status is refused.
func TestAddFollowUpStatus(t *testing.T) {
	env := testEnv(t, fstest.MapFS{})
	pc, err := env.AddFollowUp(open(), "bob", postmortem.FollowUp{Title: "Roll back", Type: "mitigate", Status: "done"})
	if err != nil || pc.What != "added FU-1, done" {
		t.Fatalf("%+v %v", pc, err)
	}
	doc, diags := postmortem.Parse(pc.Path, pc.Data)
	if diags.Errors() > 0 || len(doc.Meta.FollowUps) != 1 || doc.Meta.FollowUps[0].Status != "done" {
		t.Errorf("%v %+v", diags, doc.Meta.FollowUps)
	}
	_, err = env.AddFollowUp(open(), "bob", postmortem.FollowUp{Title: "x", Type: "other", Status: "closed"})
	if !IsInput(err) || !strings.Contains(err.Error(), "--status must be one of open, done, dropped") {
		t.Errorf("%v", err)
	}
}
