package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/postmortem"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/validate"
)

// loadAll reads every incident through the validation gate, on all
// cores, and returns the records that pass with the findings of those that
// do not.
func (ws *workspace) loadAll() ([]*incident.Incident, diag.List) {
	incs, diags := validate.LoadAll(ws.fsys, ws.settings)
	recs := make([]*incident.Incident, len(incs))
	for i, inc := range incs {
		recs[i] = inc.Record
	}
	return recs, diags
}

func (a *app) listCmd() *cobra.Command {
	var open, asJSON, restricted bool
	c := &cobra.Command{
		Use:   "list",
		Short: "List incidents; --open shows what is on fire now, most severe first",
		Long: `list prints the incidents, newest first. With --open it prints only the
incidents whose status is active (open, mitigated by default), most severe
first and then oldest first. Restricted incidents are left out unless
--include-restricted is given.`,
		Example: "  sev list --open\n  sev list --json",
		Args:    exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.open()
			if err != nil {
				return err
			}
			recs, problems := ws.loadAll()
			var shown []*incident.Incident
			hidden := 0
			for _, r := range recs {
				if open && !isActive(ws.settings, r) {
					continue
				}
				if r.Restricted() && !restricted {
					hidden++
					continue
				}
				shown = append(shown, r)
			}
			sortIncidents(shown, open)
			if asJSON {
				if shown == nil {
					shown = []*incident.Incident{}
				}
				return writeJSON(a.stdout, shown)
			}
			a.printList(ws, shown)
			if hidden > 0 {
				fmt.Fprintf(a.stderr, "%d restricted incident(s) not shown; add --include-restricted to see them\n", hidden)
			}
			a.leftOut(problems)
			return nil
		},
	}
	c.Flags().BoolVar(&open, "open", false, "only active incidents, most severe first")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.Flags().BoolVar(&restricted, "include-restricted", false, "include restricted incidents")
	return c
}

func isActive(s *config.Settings, r *incident.Incident) bool {
	st, ok := s.Status(r.Status)
	return ok && st.Phase == config.PhaseActive
}

func sortIncidents(recs []*incident.Incident, bySeverity bool) {
	sort.SliceStable(recs, func(i, j int) bool {
		a, b := recs[i], recs[j]
		if bySeverity && a.Severity != b.Severity {
			return a.Severity < b.Severity
		}
		da, db := a.Milestones.Declared, b.Milestones.Declared
		if !da.Equal(db) {
			if bySeverity {
				return da.Before(db)
			}
			return da.After(db)
		}
		return a.ID < b.ID
	})
}

func (a *app) printList(ws *workspace, recs []*incident.Incident) {
	if len(recs) == 0 {
		fmt.Fprintln(a.stdout, "no incidents")
		return
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEV\tSTATUS\tAGE\tCOMMANDER\tTITLE")
	for _, r := range recs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, ws.settings.SeverityName(r.Severity), r.Status,
			age(a.now(), r.Milestones.Declared), dash(r.Roles["commander"]), r.Title)
	}
	tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// age is a short duration since t: 45m, 3h, 12d.
func age(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := now.Sub(t)
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%dm", max(0, int(d.Minutes())))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func (a *app) showCmd() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:     "show ID",
		Short:   "Show an incident's record and timeline",
		Example: "  sev show checkout\n  sev show checkout --json",
		Args:    exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.open()
			if err != nil {
				return err
			}
			id, err := ws.resolve(args[0])
			if err != nil {
				return err
			}
			l, err := ws.checked(id)
			if err != nil {
				return err
			}
			entries := timeline.Sorted(l.Entries)
			if asJSON {
				if entries == nil {
					entries = []timeline.Entry{}
				}
				return writeJSON(a.stdout, struct {
					Incident *incident.Incident `json:"incident"`
					Timeline []timeline.Entry   `json:"timeline"`
				}{l.Record, entries})
			}
			a.printIncident(ws, l.Record, entries, l.Postmortem)
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func (a *app) printIncident(ws *workspace, inc *incident.Incident, entries []timeline.Entry, pm []byte) {
	s, w := ws.settings, a.stdout
	loc := s.Location()
	fmt.Fprintf(w, "%s\n%s\n", inc.ID, inc.Title)
	fmt.Fprintf(w, "%s · %s · %s · %s\n", s.SeverityName(inc.Severity), inc.Status, inc.EffectiveKind(), inc.EffectiveVisibility())
	if len(inc.Roles) > 0 {
		var parts []string
		for _, role := range slices.Sorted(maps.Keys(inc.Roles)) {
			parts = append(parts, role+": "+inc.Roles[role])
		}
		fmt.Fprintf(w, "Roles: %s\n", strings.Join(parts, ", "))
	}
	for _, l := range []struct {
		name string
		v    []string
	}{
		{"Responders", inc.Responders}, {"Orgs", inc.Orgs}, {"Services", inc.Services}, {"Tags", inc.Tags}} {
		if len(l.v) > 0 {
			fmt.Fprintf(w, "%s: %s\n", l.name, strings.Join(l.v, ", "))
		}
	}
	if inc.Summary != "" {
		fmt.Fprintf(w, "\nSummary:\n  %s\n", strings.ReplaceAll(strings.TrimSpace(inc.Summary), "\n", "\n  "))
	}
	if inc.Impact != "" {
		fmt.Fprintf(w, "\nImpact:\n  %s\n", strings.ReplaceAll(strings.TrimSpace(inc.Impact), "\n", "\n  "))
	}
	fmt.Fprintf(w, "\nMilestones (%s):\n", loc)
	for _, m := range incident.Milestones {
		if t := inc.Milestones.Get(m); !t.IsZero() {
			fmt.Fprintf(w, "  %-13s %s\n", m, t.In(loc).Format("2006-01-02 15:04 MST"))
		}
	}
	if len(inc.Paged) > 0 {
		fmt.Fprintln(w, "\nPaged:")
		for _, p := range inc.Paged {
			fmt.Fprintf(w, "  %-10s from %s at %s\n", p.Person, p.Rotation, p.At.In(loc).Format("2006-01-02 15:04"))
		}
	}
	if len(inc.Links) > 0 {
		fmt.Fprintln(w, "\nLinks:")
		for _, l := range inc.Links {
			title := ""
			if l.Title != "" {
				title = l.Title + " "
			}
			fmt.Fprintf(w, "  %-10s %s%s\n", l.Kind, title, l.URL)
		}
	}
	if d := incident.DurationsOf(inc); d.Mitigate > 0 || d.Resolve > 0 {
		var parts []string
		for _, x := range []struct {
			name string
			d    time.Duration
		}{{"detect", d.Detect}, {"mitigate", d.Mitigate}, {"resolve", d.Resolve}} {
			if x.d > 0 {
				parts = append(parts, x.name+" "+incident.FormatDuration(x.d))
			}
		}
		fmt.Fprintf(w, "  time to %s\n", strings.Join(parts, ", to "))
	}
	a.printPostmortem(ws, inc.ID, pm)
	fmt.Fprintf(w, "\nTimeline (%s):\n", loc)
	for _, e := range entries {
		mark := " "
		if e.Key || e.Milestone != "" {
			mark = "*"
		}
		var notes []string
		if e.Public {
			notes = append(notes, "public")
		}
		if !e.Recorded.IsZero() {
			notes = append(notes, "recorded "+e.Recorded.In(loc).Format("2006-01-02 15:04"))
		}
		extra := ""
		if len(notes) > 0 {
			extra = " (" + strings.Join(notes, ", ") + ")"
		}
		fmt.Fprintf(w, " %s %s  %-10s %s%s\n", mark, e.At.In(loc).Format("2006-01-02 15:04"), e.By, timeline.Describe(e), extra)
	}
}

// printPostmortem says where the incident's review stands.
// pm is the postmortem as the gate passed it (nil when there is none or
// when it has errors).
func (a *app) printPostmortem(ws *workspace, id string, data []byte) {
	p := layout.Postmortem(id)
	if data == nil {
		if _, err := fs.Stat(ws.fsys, p); err == nil {
			fmt.Fprintf(a.stdout, "\nPostmortem: %s (has problems; run sev validate)\n", p)
		}
		return
	}
	doc, diags := postmortem.Parse(p, data)
	if diags.Errors() > 0 {
		fmt.Fprintf(a.stdout, "\nPostmortem: %s (has problems; run sev validate)\n", p)
		return
	}
	open := 0
	for _, f := range doc.Meta.FollowUps {
		if f.Open() {
			open++
		}
	}
	fmt.Fprintf(a.stdout, "\nPostmortem: %s (%s), %d follow-up(s), %d open\n", p, doc.Meta.Status, len(doc.Meta.FollowUps), open)
}
