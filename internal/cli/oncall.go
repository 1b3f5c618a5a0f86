package cli

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/present"
	"github.com/sev-dev/sev/internal/rotation"
	"github.com/sev-dev/sev/internal/validate"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// rotations reads every rotations/*.yaml through the validation gate:
// files with errors are left out and their findings returned.
func (ws *workspace) rotations() ([]*rotation.Rotation, diag.List, error) {
	rots, diags := validate.Rotations(ws.fsys, ws.settings)
	return rots, diags, nil
}

// parseInstant reads an RFC 3339 time, or a date (midnight in loc).
func parseInstant(flag, v string, loc *time.Location) (time.Time, error) {
	if d, err := time.ParseInLocation("2006-01-02", v, loc); err == nil {
		return d, nil
	}
	t, err := yamlfile.ParseTime(v)
	if err != nil {
		return t, usagef("--%s: %v", flag, err)
	}
	return t, nil
}

type nowView struct {
	Rotation string    `json:"rotation"`
	Org      string    `json:"org"`
	Person   string    `json:"person"`
	Layer    string    `json:"layer,omitzero"`
	Override bool      `json:"override,omitzero"`
	Until    time.Time `json:"until,omitzero"`
	Next     string    `json:"next,omitzero"`
}

// horizon bounds how far ahead "until" and "next" look.
const horizon = 400 * 24 * time.Hour

func current(r *rotation.Rotation, at time.Time) nowView {
	v := nowView{Rotation: r.Name, Org: r.Org}
	segs := r.Schedule(at, at.Add(horizon))
	if len(segs) == 0 {
		return v
	}
	v.Person, v.Layer, v.Override = segs[0].Person, segs[0].Layer, segs[0].Override
	if len(segs) > 1 {
		v.Until, v.Next = segs[0].End, segs[1].Person
	}
	return v
}

func (a *app) oncallCmd() *cobra.Command {
	var at, from, to string
	var asJSON bool
	c := &cobra.Command{
		Use:   "oncall [ROTATION|ORG]",
		Short: "Who is on call now, at a time, or over a window, for every rotation or one org",
		Long: `oncall answers from the files in rotations/: who is on call in each rotation
now (or --at a time), until when, and who is next; with --from and --to it
lists the handoffs in that window. Give a rotation name, a unique prefix of
one, or an org to see all of that org's rotations.`,
		Example: `  sev oncall
  sev oncall legal
  sev oncall legal --at 2026-12-25T03:00:00+01:00
  sev oncall legal --from 2026-12-01 --to 2027-01-01
  sev oncall --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.open()
			if err != nil {
				return err
			}
			all, diags, err := ws.rotations()
			if err != nil {
				return err
			}
			if len(diags) > 0 && diags.Errors() > 0 {
				fmt.Fprintf(a.stderr, "sev: %d rotation file(s) have problems and are left out; run \"sev validate\"\n", diags.Errors())
			}
			query := ""
			if len(args) == 1 {
				query = args[0]
			}
			picked, err := rotation.Pick(all, query)
			if err != nil {
				return err
			}
			loc := ws.settings.Location()
			if (from == "") != (to == "") {
				return usagef("--from and --to go together")
			}
			if from != "" {
				f, t, err := parseWindow(from, to, loc)
				if err != nil {
					return err
				}
				return a.printWindow(picked, f, t, asJSON)
			}
			when := a.now()
			if at != "" {
				t, err := yamlfile.ParseTime(at)
				if err != nil {
					return usagef("--at: %v", err)
				}
				when = t
			}
			return a.printNow(picked, when, asJSON)
		},
	}
	c.Flags().StringVar(&at, "at", "", "the instant to ask about (RFC 3339), instead of now")
	c.Flags().StringVar(&from, "from", "", "start of a window (a date or an RFC 3339 time)")
	c.Flags().StringVar(&to, "to", "", "end of the window")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.AddCommand(a.oncallExportCmd(), a.oncallLoadCmd())
	return c
}

func (a *app) printNow(rs []*rotation.Rotation, at time.Time, asJSON bool) error {
	views := make([]nowView, 0, len(rs))
	for _, r := range rs {
		views = append(views, current(r, at))
	}
	if asJSON {
		return present.JSON(a.stdout, views)
	}
	if len(views) == 0 {
		fmt.Fprintln(a.stdout, "no rotations yet; add files under rotations/ (see docs/format.md)")
		return nil
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ROTATION\tORG\tON CALL\tUNTIL\tNEXT")
	for i, v := range views {
		until := "-"
		if !v.Until.IsZero() {
			until = v.Until.In(rs[i].Location()).Format("Mon 2006-01-02 15:04 MST")
		}
		person := present.Dash(v.Person)
		if v.Person == "" {
			person = "nobody"
		} else if v.Override {
			person += " (override)"
		}
		next := present.Dash(v.Next)
		if v.Next == "" && !v.Until.IsZero() {
			next = "nobody"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", v.Rotation, v.Org, person, until, next)
	}
	return tw.Flush()
}

type windowView struct {
	Rotation string             `json:"rotation"`
	Org      string             `json:"org"`
	Timezone string             `json:"timezone"`
	Segments []rotation.Segment `json:"segments"`
}

func (a *app) printWindow(rs []*rotation.Rotation, from, to time.Time, asJSON bool) error {
	var views []windowView
	for _, r := range rs {
		views = append(views, windowView{Rotation: r.Name, Org: r.Org, Timezone: r.Timezone, Segments: r.Schedule(from, to)})
	}
	if asJSON {
		if views == nil {
			views = []windowView{}
		}
		return present.JSON(a.stdout, views)
	}
	for i, v := range views {
		if i > 0 {
			fmt.Fprintln(a.stdout)
		}
		loc := rs[i].Location()
		fmt.Fprintf(a.stdout, "%s (%s, times in %s)\n", v.Rotation, v.Org, loc)
		for _, s := range v.Segments {
			who := s.Person
			switch {
			case who == "":
				who = "nobody"
			case s.Override:
				who += " (override)"
			}
			fmt.Fprintf(a.stdout, "  %s → %s  %s\n", s.Start.In(loc).Format("Mon 2006-01-02 15:04"), s.End.In(loc).Format("Mon 2006-01-02 15:04"), who)
		}
	}
	return nil
}

func (a *app) oncallExportCmd() *cobra.Command {
	var ics, person, from, to string
	c := &cobra.Command{
		Use:   "export --ics ROTATION-FILE",
		Short: "Write a rotation's shifts as an iCalendar (.ics) file on standard output",
		Long: `export writes the shifts of one rotation as iCalendar events, for calendar
apps to import or subscribe to. Each event's UID is derived from the
rotation, the person and the start, so a re-exported calendar updates
instead of duplicating. The window defaults to the past week and the next
26 weeks.`,
		Example: "  sev oncall export --ics rotations/legal.yaml > legal.ics\n  sev oncall export --ics rotations/legal.yaml --person alice",
		Args:    exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			if ics == "" {
				return usagef("export needs --ics ROTATION-FILE")
			}
			ws, err := a.open()
			if err != nil {
				return err
			}
			rel := path.Clean(strings.TrimPrefix(ics, "./"))
			data, err := fs.ReadFile(ws.fsys, rel)
			if err != nil {
				return fmt.Errorf("read %s: %w", ics, err)
			}
			r, diags := rotation.Parse(rel, data)
			if r == nil {
				return diags
			}
			now := a.now()
			f, t := now.AddDate(0, 0, -7), now.AddDate(0, 0, 7*26)
			if from != "" {
				if f, err = parseInstant("from", from, r.Location()); err != nil {
					return err
				}
			}
			if to != "" {
				if t, err = parseInstant("to", to, r.Location()); err != nil {
					return err
				}
			}
			if err := checkWindow(f, t); err != nil {
				return err
			}
			// Start at a real handoff, so the first event keeps its UID
			// whatever day the export runs.
			var segs []rotation.Segment
			for _, s := range r.Schedule(f.AddDate(0, 0, -60), t) {
				if s.End.After(f) {
					segs = append(segs, s)
				}
			}
			if person != "" {
				var mine []rotation.Segment
				for _, s := range segs {
					if s.Person == person {
						mine = append(mine, s)
					}
				}
				segs = mine
			}
			_, err = a.raw.Write(rotation.ICS(r, segs, now))
			return err
		},
	}
	c.Flags().StringVar(&ics, "ics", "", "the rotation file to export (rotations/NAME.yaml)")
	c.Flags().StringVar(&person, "person", "", "only this person's shifts")
	c.Flags().StringVar(&from, "from", "", "start of the window (a date or an RFC 3339 time)")
	c.Flags().StringVar(&to, "to", "", "end of the window")
	return c
}

// parseWindow reads --from and --to (dates in loc, or RFC 3339 times).
func parseWindow(from, to string, loc *time.Location) (time.Time, time.Time, error) {
	f, err := parseInstant("from", from, loc)
	if err != nil {
		return f, f, err
	}
	t, err := parseInstant("to", to, loc)
	if err != nil {
		return f, t, err
	}
	return f, t, checkWindow(f, t)
}

// checkWindow keeps --from/--to windows to what a person can read.
func checkWindow(from, to time.Time) error {
	if !to.After(from) {
		return usagef("--to must be after --from")
	}
	if to.Sub(from) > 3*366*24*time.Hour {
		return usagef("--from to --to spans more than three years; ask for a shorter window")
	}
	return nil
}
