package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/postmortem"
	"github.com/sev-dev/sev/internal/present"
	"github.com/sev-dev/sev/internal/validate"
)

// followUpRow is one follow-up as `sev followups` lists it.
type followUpRow struct {
	Incident string `json:"incident"`
	postmortem.FollowUp
	// Deadline is the effective due date: the follow-up's own, or the
	// policy's for its type; empty when neither applies.
	Deadline string `json:"deadline,omitzero"`
	Overdue  bool   `json:"overdue"`
	// DaysOverdue counts whole days past the deadline.
	DaysOverdue int `json:"days-overdue,omitzero"`
}

func (a *app) followupsCmd() *cobra.Command {
	var open, overdue, asJSON, restricted bool
	var owner string
	c := &cobra.Command{
		Use:   "followups",
		Short: "List the follow-up actions of every postmortem",
		Long: `followups lists the follow-ups of all postmortems: who owns them, when
they are due and whether they are overdue. A follow-up without a due date
gets the deadline the postmortems policy in sev.yaml sets for its type,
counted from when its incident was resolved.`,
		Example: `  sev followups --open
  sev followups --overdue --json
  sev followups --owner dave`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.open()
			if err != nil {
				return err
			}
			rows, err := a.followUps(ws, restricted)
			if err != nil {
				return err
			}
			var out []followUpRow
			for _, r := range rows {
				if (open || overdue) && !r.Open() || overdue && !r.Overdue || owner != "" && r.Owner != owner {
					continue
				}
				out = append(out, r)
			}
			if asJSON {
				if out == nil {
					out = []followUpRow{}
				}
				return present.JSON(a.stdout, out)
			}
			if len(out) == 0 {
				fmt.Fprintln(a.stdout, "no follow-ups")
				return nil
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "INCIDENT\tID\tSTATUS\tDUE\tOWNER\tTYPE\tTITLE")
			for _, r := range out {
				status := present.Dash(r.Status)
				if r.Overdue {
					status = fmt.Sprintf("overdue %dd", r.DaysOverdue)
				}
				owner := "-"
				if r.Owner != "" {
					owner = "@" + r.Owner
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Incident, r.ID, status, present.Dash(r.Deadline), owner, present.Dash(r.Type), r.Title)
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&open, "open", false, "only follow-ups still open")
	c.Flags().BoolVar(&overdue, "overdue", false, "only open follow-ups past their deadline")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.Flags().StringVar(&owner, "owner", "", "only follow-ups owned by this handle")
	c.Flags().BoolVar(&restricted, "include-restricted", false, "include follow-ups of restricted incidents")
	return c
}

// followUps reads every postmortem's follow-ups, with their deadlines,
// sorted by deadline (those without one last).
func (a *app) followUps(ws *workspace, includeRestricted bool) ([]followUpRow, error) {
	entries, err := fs.ReadDir(ws.fsys, layout.Postmortems)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	now := a.now()
	var rows []followUpRow
	var left diag.List
	defer func() { a.leftOut(left) }()
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), ".md")
		if !ok || !e.Type().IsRegular() || !incident.ValidID(id) {
			continue
		}
		// through the gate: an incident or postmortem validate rejects
		// is left out, and said so
		inc, diags := validate.Load(ws.fsys, ws.settings, id)
		left.Append(diags)
		if inc == nil || inc.Postmortem == nil {
			continue
		}
		if inc.Record.Restricted() && !includeRestricted {
			continue
		}
		doc, _ := postmortem.Parse(layout.Postmortem(id), inc.Postmortem)
		resolved := inc.Record.Milestones.Resolved
		for _, f := range doc.Meta.FollowUps {
			r := followUpRow{Incident: id, FollowUp: f}
			if r.Status == "" {
				r.Status = "open"
			}
			if day, ok := postmortem.FollowUpDue(ws.settings, f, resolved); ok {
				r.Deadline = day.Format("2006-01-02")
				if f.Open() {
					r.Overdue, r.DaysOverdue = postmortem.Overdue(day, now)
				}
			}
			rows = append(rows, r)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if (rows[i].Deadline == "") != (rows[j].Deadline == "") {
			return rows[j].Deadline == ""
		}
		return rows[i].Deadline < rows[j].Deadline
	})
	return rows, nil
}
