package present

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/postmortem"
	"github.com/sev-dev/sev/internal/validate"
)

// FollowUpRow is one follow-up as `sev followups` lists it.
type FollowUpRow struct {
	Incident string `json:"incident"`
	postmortem.FollowUp
	// Deadline is the effective due date: the follow-up's own, or the
	// policy's for its type; empty when neither applies.
	Deadline string `json:"deadline,omitzero"`
	Overdue  bool   `json:"overdue"`
	// DaysOverdue counts whole days past the deadline.
	DaysOverdue int `json:"days-overdue,omitzero"`
}

// FollowUpFilter says which follow-ups to show.
type FollowUpFilter struct {
	// Open keeps the open ones, Overdue the open ones past their deadline.
	Open, Overdue bool
	// Owner, when set, keeps the ones this handle owns.
	Owner string
	// IncludeRestricted keeps those of restricted incidents.
	IncludeRestricted bool
}

func (f FollowUpFilter) keep(r FollowUpRow) bool {
	return !((f.Open || f.Overdue) && !r.Open() || f.Overdue && !r.Overdue || f.Owner != "" && r.Owner != f.Owner)
}

// FollowUps reads every postmortem's follow-ups through the gate, with
// their deadlines, keeps those the filter asks for and sorts them by
// deadline (those without one last). Incidents and postmortems validate
// rejects are left out; left holds why.
func FollowUps(fsys fs.FS, s *config.Settings, now time.Time, filter FollowUpFilter) (rows []FollowUpRow, left diag.List, err error) {
	rows = []FollowUpRow{}
	entries, err := fs.ReadDir(fsys, layout.Postmortems)
	if errors.Is(err, fs.ErrNotExist) {
		return rows, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), ".md")
		if !ok || !e.Type().IsRegular() || !incident.ValidID(id) {
			continue
		}
		// through the gate: an incident or postmortem validate rejects
		// is left out, and said so
		inc, diags := validate.Load(fsys, s, id)
		left.Append(diags)
		if inc == nil || inc.Postmortem == nil {
			continue
		}
		if inc.Record.Restricted() && !filter.IncludeRestricted {
			continue
		}
		doc, _ := postmortem.Parse(layout.Postmortem(id), inc.Postmortem)
		resolved := inc.Record.Milestones.Resolved
		for _, f := range doc.Meta.FollowUps {
			r := FollowUpRow{Incident: id, FollowUp: f}
			if r.Status == "" {
				r.Status = "open"
			}
			if day, ok := postmortem.FollowUpDue(s, f, resolved); ok {
				r.Deadline = day.Format("2006-01-02")
				if f.Open() {
					r.Overdue, r.DaysOverdue = postmortem.Overdue(day, now)
				}
			}
			if filter.keep(r) {
				rows = append(rows, r)
			}
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if (rows[i].Deadline == "") != (rows[j].Deadline == "") {
			return rows[j].Deadline == ""
		}
		return rows[i].Deadline < rows[j].Deadline
	})
	return rows, left, nil
}

// FollowUpTable prints follow-ups as a table, or "no follow-ups".
func FollowUpTable(w io.Writer, out []FollowUpRow) error {
	if len(out) == 0 {
		fmt.Fprintln(w, "no follow-ups")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "INCIDENT\tID\tSTATUS\tDUE\tOWNER\tTYPE\tTITLE")
	for _, r := range out {
		status := Dash(r.Status)
		if r.Overdue {
			status = fmt.Sprintf("overdue %dd", r.DaysOverdue)
		}
		owner := "-"
		if r.Owner != "" {
			owner = "@" + r.Owner
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Incident, r.ID, status, Dash(r.Deadline), owner, Dash(r.Type), r.Title)
	}
	return tw.Flush()
}
