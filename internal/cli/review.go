package cli

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing/fstest"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/ghaction"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/search"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/validate"
)

// Bounds on the review comment, which GitHub caps at 65,536 characters.
const (
	reviewIncidents = 20
	reviewEntries   = 12
	reviewSimilar   = 3
)

func (a *app) githubReviewCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "review",
		Short: "Summarise the incidents a pull request opens or changes, with similar past incidents, in one comment",
		Long: `review handles a pull_request event. It compares the pull request's base and
head commits (both must be in the clone: check out with fetch-depth: 0),
and writes one comment on the pull request — updated in place on every
push, never duplicated — that lists each incident the pull request declares
or changes: severity, status, the timeline entries it adds, and the most
similar past incidents. Restricted incidents are named by ID only. Pull
requests from forks get nothing written: their workflow has no token that
may write, and validation alone runs for them.`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			gh, err := a.githubRun()
			if err != nil {
				return err
			}
			ev, ok := gh.event.(*ghaction.PullRequestEvent)
			switch {
			case !ok:
				fmt.Fprintf(a.stdout, "nothing to do for a %s event\n", gh.run.EventName)
				return nil
			case ev.FromFork():
				fmt.Fprintf(a.stdout, "pull request #%d comes from a fork: no comment is written\n", ev.Number)
				return nil
			case ev.Action == "closed":
				fmt.Fprintf(a.stdout, "pull request #%d is closed\n", ev.Number)
				return nil
			}
			body, err := a.review(gh, ev)
			if err != nil {
				return err
			}
			if body == "" {
				fmt.Fprintf(a.stdout, "pull request #%d changes no incident\n", ev.Number)
				return nil
			}
			created, err := gh.api.UpsertComment(a.ctx, ev.Number, "review", body)
			if err != nil {
				return err
			}
			verb := "updated"
			if created {
				verb = "wrote"
			}
			fmt.Fprintf(a.stdout, "%s the review comment on pull request #%d\n", verb, ev.Number)
			return nil
		},
	}
}

// reviewed is one incident of a pull request.
type reviewed struct {
	inc     *incident.Incident
	created bool
	added   []timeline.Entry
}

func (a *app) review(gh *ghRun, ev *ghaction.PullRequestEvent) (string, error) {
	ws, err := a.open()
	if err != nil {
		return "", err
	}
	repo, err := ws.gitRepo(a.env)
	if err != nil {
		return "", err
	}
	base, head := gitstore.NewHash(ev.PullRequest.Base.SHA), gitstore.NewHash(ev.PullRequest.Head.SHA)
	changed, err := changedIncidents(repo, ws.settings, base, head)
	if err != nil {
		return "", fmt.Errorf("compare the pull request's commits (check out with fetch-depth: 0): %w", err)
	}
	if len(changed) == 0 {
		return "", nil
	}
	var md strings.Builder
	md.WriteString("### Incidents in this pull request\n\n")
	var idx *search.Index
	defer func() {
		if idx != nil {
			idx.Close()
		}
	}()
	for i, r := range changed {
		if i == reviewIncidents {
			fmt.Fprintf(&md, "…and %d more.\n", len(changed)-i)
			break
		}
		link := ghaction.Link(r.inc.ID, incidentURL(gh.run, ev.PullRequest.Head.Ref, r.inc.ID))
		if r.inc.Restricted() {
			md.WriteString("- " + string(link) + " (restricted: details are not shown here)\n")
			continue
		}
		what := "changed"
		if r.created {
			what = "declared"
		}
		fmt.Fprintf(&md, "#### %s\n\n%s · %s · %s · %s\n\n", ghaction.Text(r.inc.Title), link,
			ghaction.Text(ws.settings.SeverityName(r.inc.Severity)), ghaction.Text(r.inc.Status), what)
		if len(r.added) > 0 {
			md.WriteString("New in the timeline:\n\n")
			for j, e := range r.added {
				if j == reviewEntries {
					fmt.Fprintf(&md, "- …and %d more\n", len(r.added)-j)
					break
				}
				when := e.At.In(ws.settings.Location()).Format("2006-01-02 15:04 MST")
				fmt.Fprintf(&md, "- %s %s: %s\n", ghaction.Text(when), ghaction.Text(e.By), ghaction.Text(timeline.Describe(e)))
			}
			md.WriteString("\n")
		}
		if idx == nil {
			if idx, err = a.openSearch(ws, &searchOptions{}); err != nil {
				return "", err
			}
		}
		res, err := idx.Similar(a.ctx, r.inc.ID, search.Request{Limit: reviewSimilar, Location: ws.settings.Location()})
		if err != nil || len(res.Hits) == 0 {
			continue
		}
		md.WriteString("Similar past incidents:\n\n")
		for _, h := range res.Hits {
			fmt.Fprintf(&md, "- %s %s (%s, %s)\n", ghaction.Link(h.ID, incidentURL(gh.run, ev.PullRequest.Base.Ref, h.ID)),
				ghaction.Text(h.Title), ghaction.Text(ws.settings.SeverityName(h.Severity)), ghaction.Text(h.Status))
		}
		md.WriteString("\n")
	}
	md.WriteString("<sub>Written by `sev github review`; validation findings are annotations on the changed lines.</sub>\n")
	return md.String(), nil
}

// changedIncidents lists the incidents whose files differ between base and
// head, with what head adds to their timelines, in ID order.
func changedIncidents(repo *gitstore.Repo, s *config.Settings, base, head gitstore.Hash) ([]reviewed, error) {
	files, err := repo.Changed(base, head, layout.Incidents)
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for p, blob := range files {
		if blob.IsZero() {
			continue
		}
		if id, ok := incidentOf(p); ok {
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
	var out []reviewed
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
		// The record and timeline at the pull request's head are all the
		// gate needs here; attachments are validate's to check.
		files := fstest.MapFS{layout.Record(id): {Data: rec, Mode: 0o644}}
		if tl != nil {
			files[layout.Timeline(id)] = &fstest.MapFile{Data: tl, Mode: 0o644}
		}
		g, _ := validate.Load(files, s, id)
		if g == nil {
			continue
		}
		r := reviewed{inc: g.Record}
		old, existed, err := repo.ReadFile(bt, layout.Record(id))
		if err != nil {
			return nil, err
		}
		r.created = !existed || len(old) == 0
		before, _, _ := repo.ReadFile(bt, layout.Timeline(id))
		after, _, _ := repo.ReadFile(ht, layout.Timeline(id))
		r.added = newEntries(before, after, layout.Timeline(id))
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

// incidentOf is the incident a repository path belongs to
// (incidents/YEAR/ID/...).
func incidentOf(p string) (string, bool) {
	parts := strings.SplitN(p, "/", 4)
	if len(parts) < 4 || parts[0] != layout.Incidents || !incident.ValidID(parts[2]) {
		return "", false
	}
	return parts[2], true
}
