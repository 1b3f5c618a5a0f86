package gen

import (
	"fmt"
	"strings"

	"github.com/sev-dev/sev/internal/timeline"
)

// pmWords is the range of a postmortem's length by severity: a SEV1 gets
// a long document, a SEV3 a page.
var pmWords = [3][2]int{{1200, 2200}, {600, 1400}, {250, 700}}

// postmortem writes postmortems/<id>.md for incidents that get one: YAML
// front matter naming the incident, then the sections of a blameless
// review, with the timeline section built from the key entries.
func (b *builder) postmortem(entries []timeline.Entry) []byte {
	if !b.pm {
		return nil
	}
	r, x := b.r, b.x
	status := "draft"
	if (b.status == "closed" && r.IntN(10) < 9) || r.IntN(10) < 4 {
		status = "published"
	}
	lo, hi := b.shape.postmortemWords(b.severity)
	words := lo + r.IntN(hi-lo+1)
	var s strings.Builder
	s.Grow(words * 8)
	fmt.Fprintf(&s, "---\nincident: %s\nstatus: %s\n---\n\n# Postmortem: %s\n\n", b.id, status, b.title)
	s.WriteString("## Summary\n\n")
	s.WriteString(x.fill(pick(r, pmOpening)))
	s.WriteByte(' ')
	x.sentences(&s, pmSummary, min(words*10/100, 90))
	s.WriteString("\n\n## Impact\n\n")
	x.sentences(&s, pmImpact, min(words*10/100, 110))
	s.WriteString("\n\n## Timeline\n\nAll times are UTC.\n\n")
	writeKeyEntries(&s, entries)
	s.WriteString("\n## Root cause\n\n")
	s.WriteString(x.fill(pick(r, b.sc.causes)))
	s.WriteString("\n\nContributing factors:\n\n")
	x.bullets(&s, pmCause, words*15/100)
	s.WriteByte('\n')
	x.discussion(&s, words*35/100)
	s.WriteString("## What went well\n\n")
	x.bullets(&s, pmWell, words*10/100)
	s.WriteString("\n## What went badly\n\n")
	x.bullets(&s, pmBad, words*16/100)
	s.WriteString("\n## Where we got lucky\n\n")
	x.bullets(&s, pmLucky, words*5/100)
	s.WriteString("\n## Follow-ups\n\n")
	for _, i := range r.Perm(len(pmFollowups))[:3+r.IntN(6)] {
		due := b.p.declared.AddDate(0, 0, 7+r.IntN(60)).Format("2006-01-02")
		fmt.Fprintf(&s, "- [%s] %s (owner: @%s, due: %s)\n", []string{" ", "x"}[r.IntN(2)], x.fill(pmFollowups[i]), pick(r, b.f.people), due)
	}
	return []byte(s.String())
}

// writeKeyEntries lists the entries a reader of the timeline needs: key
// moments, milestones, status and severity changes.
func writeKeyEntries(s *strings.Builder, entries []timeline.Entry) {
	day := ""
	for _, e := range timeline.Sorted(entries) {
		if !e.Key && e.Milestone == "" && e.Type != timeline.Status && e.Type != timeline.Severity {
			continue
		}
		at := e.At.UTC()
		stamp := at.Format("15:04")
		if d := at.Format("2006-01-02"); d != day {
			day, stamp = d, d+" "+stamp
		}
		fmt.Fprintf(s, "- %s — %s (@%s)\n", stamp, timeline.Describe(e), e.By)
	}
}

// discussion writes about words words on why the incident happened, in
// paragraphs of three to six sentences composed from parts.
func (x expander) discussion(s *strings.Builder, words int) {
	r := x.r
	for words > 0 {
		for i, n := 0, 3+r.IntN(4); i < n && words > 0; i++ {
			line := x.fill(pick(r, pmOpeners) + " " + pick(r, pmSubjects) + " " + pick(r, pmPredicates) + pick(r, pmConsequences))
			if i > 0 {
				s.WriteByte(' ')
			}
			s.WriteString(line)
			words -= strings.Count(line, " ") + 1
		}
		s.WriteString("\n\n")
	}
}

// bullets writes about words words as a list, one sentence per item.
func (x expander) bullets(s *strings.Builder, tpls []string, words int) {
	order := x.r.Perm(len(tpls))
	for i := 0; i == 0 || (words > 0 && i < len(tpls)); i++ {
		line := x.fill(tpls[order[i]])
		fmt.Fprintf(s, "- %s\n", line)
		words -= strings.Count(line, " ") + 1
	}
}
