// Package review describes what a range of commits does to the incidents:
// which it declares or changes and the timeline entries it adds, read
// through the validation gate, and the pull request comment that lists
// them with the most similar past incidents.
package review

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing/fstest"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/ghaction"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/search"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/validate"
)

// Bounds on the comment, which GitHub caps at 65,536 characters.
const (
	maxIncidents = 20
	maxEntries   = 12
	maxSimilar   = 3
)

// Incident is one incident a range of commits declares or changes.
type Incident struct {
	Record  *incident.Incident
	Created bool
	// Added are the timeline entries head has and base had not, in
	// timeline order.
	Added []timeline.Entry
}

// Changed lists the incidents whose files differ between base and head,
// with what head adds to their timelines, in ID order. An incident whose
// record or timeline at head sev validate rejects is left out.
func Changed(repo *gitstore.Repo, s *config.Settings, base, head gitstore.Hash) ([]Incident, error) {
	files, err := repo.Changed(base, head, layout.Incidents)
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for p, blob := range files {
		if blob.IsZero() {
			continue
		}
		if id, ok := layout.IncidentOf(p); ok && incident.ValidID(id) {
			ids[id] = true
		}
	}
	bt, err := repo.Tree(base)
	if err != nil {
		return nil, err
	}
	ht, err := repo.Tree(head)
	if err != nil {
		return nil, err
	}
	var out []Incident
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		rec, ok, err := repo.ReadFile(ht, layout.Record(id))
		if err != nil || !ok {
			continue
		}
		tl, _, err := repo.ReadFile(ht, layout.Timeline(id))
		if err != nil {
			continue
		}
		// Through the gate, as every reader: what sev validate rejects
		// is not described (validate reports it on the changed lines).
		// The record and timeline at head are all the gate needs here;
		// attachments are validate's to check.
		files := fstest.MapFS{layout.Record(id): {Data: rec, Mode: 0o644}}
		if tl != nil {
			files[layout.Timeline(id)] = &fstest.MapFile{Data: tl, Mode: 0o644}
		}
		g, _ := validate.Load(files, s, id)
		if g == nil {
			continue
		}
		r := Incident{Record: g.Record}
		old, existed, err := repo.ReadFile(bt, layout.Record(id))
		if err != nil {
			return nil, err
		}
		r.Created = !existed || len(old) == 0
		before, _, _ := repo.ReadFile(bt, layout.Timeline(id))
		r.Added = newEntries(before, tl, layout.Timeline(id))
		out = append(out, r)
	}
	return out, nil
}

// newEntries are the entries of after whose IDs before does not have, in
// timeline order.
func newEntries(before, after []byte, p string) []timeline.Entry {
	old, _ := timeline.Read(p, before)
	now, _ := timeline.Read(p, after)
	seen := map[string]bool{}
	for _, e := range old {
		seen[e.ID] = true
	}
	var out []timeline.Entry
	for _, e := range timeline.Sorted(now) {
		if !seen[e.ID] {
			out = append(out, e)
		}
	}
	return out
}

// Options are what the comment needs besides the incidents.
type Options struct {
	Settings *config.Settings
	// HeadURL and BaseURL are where people read an incident on GitHub,
	// on the pull request's branch and on its base.
	HeadURL, BaseURL func(id string) string
	// Similar gives the n past incidents most like id; an error stops
	// the comment (a query that finds nothing is no error).
	Similar func(id string, n int) ([]search.Hit, error)
}

// Comment is the pull request comment for the incidents (Markdown, every
// value escaped). A restricted incident is named by its ID only.
func Comment(changed []Incident, o Options) (string, error) {
	s := o.Settings
	var md strings.Builder
	md.WriteString("### Incidents in this pull request\n\n")
	for i, r := range changed {
		if i == maxIncidents {
			fmt.Fprintf(&md, "…and %d more.\n", len(changed)-i)
			break
		}
		link := ghaction.Link(r.Record.ID, o.HeadURL(r.Record.ID))
		if r.Record.Restricted() {
			md.WriteString("- " + string(link) + " (restricted: details are not shown here)\n")
			continue
		}
		what := "changed"
		if r.Created {
			what = "declared"
		}
		fmt.Fprintf(&md, "#### %s\n\n%s · %s · %s · %s\n\n", ghaction.Text(r.Record.Title), link,
			ghaction.Text(s.SeverityName(r.Record.Severity)), ghaction.Text(r.Record.Status), what)
		if len(r.Added) > 0 {
			md.WriteString("New in the timeline:\n\n")
			for j, e := range r.Added {
				if j == maxEntries {
					fmt.Fprintf(&md, "- …and %d more\n", len(r.Added)-j)
					break
				}
				when := e.At.In(s.Location()).Format("2006-01-02 15:04 MST")
				fmt.Fprintf(&md, "- %s %s: %s\n", ghaction.Text(when), ghaction.Text(e.By), ghaction.Text(timeline.Describe(e)))
			}
			md.WriteString("\n")
		}
		hits, err := o.Similar(r.Record.ID, maxSimilar)
		if err != nil {
			return "", err
		}
		if len(hits) == 0 {
			continue
		}
		md.WriteString("Similar past incidents:\n\n")
		for _, h := range hits {
			fmt.Fprintf(&md, "- %s %s (%s, %s)\n", ghaction.Link(h.ID, o.BaseURL(h.ID)),
				ghaction.Text(h.Title), ghaction.Text(s.SeverityName(h.Severity)), ghaction.Text(h.Status))
		}
		md.WriteString("\n")
	}
	md.WriteString("<sub>Written by `sev github review`; validation findings are annotations on the changed lines.</sub>\n")
	return md.String(), nil
}
