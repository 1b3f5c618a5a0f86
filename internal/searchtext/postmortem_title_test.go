package searchtext

import "testing"

// A postmortem's title heading with nothing under it is not a section: a
// search snippet would spend a place on what the incident's title says.
func TestPostmortemTitleIsNoSection(t *testing.T) {
	pm := ParsePostmortem([]byte("---\nincident: 2026-03-02-x\nstatus: draft\n---\n# Postmortem: Checkout errors\n\n## Summary\n\nThe gateway's certificate expired.\n"))
	if len(pm.Sections) != 1 || pm.Sections[0].Heading != "Summary" {
		t.Errorf("sections %+v", pm.Sections)
	}
	pm = ParsePostmortem([]byte("# What happened\n\nA note under the title is kept.\n"))
	if len(pm.Sections) != 1 || pm.Sections[0].Heading != "What happened" || pm.Sections[0].Text == "" {
		t.Errorf("sections %+v", pm.Sections)
	}
}
