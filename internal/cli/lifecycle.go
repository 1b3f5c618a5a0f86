package cli

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/txn"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// mutation is what a command that changes an existing incident provides:
// the entries to append, given the incident as it is now.
type mutation func(ws *workspace, l *loaded, me identity) ([]timeline.Entry, error)

// mutate runs the shared steps of every changing command: resolve the
// incident, build the entries, commit, report.
func (a *app) mutate(query string, f writeFlags, build mutation) error {
	return a.mutateWith(query, f, func(ws *workspace, l *loaded, me identity) ([]timeline.Entry, map[string][]byte, error) {
		entries, err := build(ws, l, me)
		return entries, nil, err
	})
}

// openIncident is what every command that changes an incident starts
// with: the workspace (warning about a broken sev.yaml), the incident the
// query names, read from the working tree, and who is making the change.
func (a *app) openIncident(query, by string) (*workspace, string, *loaded, identity, error) {
	ws, err := a.open()
	if err != nil {
		return nil, "", nil, identity{}, err
	}
	a.warnSettings(ws)
	id, err := ws.resolve(query)
	if err != nil {
		return nil, "", nil, identity{}, err
	}
	l, err := ws.load(id)
	if err != nil {
		return nil, "", nil, identity{}, err
	}
	me, err := a.whoami(ws, by)
	if err != nil {
		return nil, "", nil, identity{}, err
	}
	return ws, id, l, me, nil
}

// mutateWith is mutate for changes that also add files.
func (a *app) mutateWith(query string, f writeFlags, build func(*workspace, *loaded, identity) ([]timeline.Entry, map[string][]byte, error)) error {
	ws, id, l, me, err := a.openIncident(query, f.by)
	if err != nil {
		return err
	}
	entries, files, err := build(ws, l, me)
	if err != nil {
		return err
	}
	ch := &change.Change{Incident: id, Entries: entries, Files: files}
	head, err := a.commit(ws, ch, me, f, l.inc.Restricted())
	if err != nil {
		return err
	}
	a.reportChange(ch, head)
	return nil
}

func (a *app) reportChange(ch *change.Change, head gitstore.Hash) {
	for _, e := range ch.Entries {
		fmt.Fprintf(a.stdout, "%s: %s\n", ch.Incident, timeline.Describe(e))
	}
	if !head.IsZero() {
		fmt.Fprintf(a.stdout, "committed %s\n", txn.Short(head))
	}
}

// entry starts a timeline entry by me, now, or at the back-dated time.
func (a *app) entry(me identity, typ, at string) (timeline.Entry, error) {
	now := a.now().UTC().Truncate(time.Second)
	e := timeline.Entry{ID: timeline.NewID(a.now()), At: now, By: me.handle, Type: typ}
	if a.entrySeed != "" {
		e.ID = seededID(a.entrySeed, a.entries)
		a.entries++
	}
	if at != "" {
		t, err := parseAt(at)
		if err != nil {
			return e, err
		}
		if t.Year() < 1970 {
			return e, usagef("--at %s is not a plausible time", at)
		}
		if t.After(now.Add(time.Minute)) {
			return e, usagef("--at %s is in the future (it is %s now); --at back-dates what already happened", at, now.Format(time.RFC3339))
		}
		e.At, e.Recorded = t, now
	}
	return e, nil
}

func parseAt(s string) (time.Time, error) {
	t, err := yamlfile.ParseTime(s)
	if err != nil {
		return t, usagef("--at: %v", err)
	}
	return t, nil
}

func (a *app) noteCmd() *cobra.Command {
	var f writeFlags
	var milestone, corrects string
	var key, public bool
	c := &cobra.Command{
		Use:   "note ID TEXT",
		Short: "Append a note to an incident's timeline, optionally marking a milestone",
		Example: `  sev note checkout "Rolled back deploy 4411" --milestone mitigated --at 2026-03-02T14:31:00Z
  sev note checkout "Customers see errors again" --key --public`,
		Args: exactArgs("ID", "TEXT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if milestone != "" && !incident.IsMilestone(milestone) {
				return usagef("unknown milestone %q; use one of %s", milestone, strings.Join(incident.Milestones, ", "))
			}
			if strings.TrimSpace(args[1]) == "" {
				return usagef("the note is empty")
			}
			return a.mutate(args[0], f, func(ws *workspace, l *loaded, me identity) ([]timeline.Entry, error) {
				if corrects != "" && !timeline.Has(l.entries, corrects) {
					return nil, fmt.Errorf("%s has no timeline entry %q to correct; \"sev show %s --json\" lists the ids", l.inc.ID, corrects, l.inc.ID)
				}
				e, err := a.entry(me, timeline.Note, f.at)
				e.Text, e.Milestone, e.Key, e.Public, e.Corrects = args[1], milestone, key || milestone != "", public, corrects
				return []timeline.Entry{e}, err
			})
		},
	}
	f.register(c.Flags())
	f.registerAt(c.Flags())
	c.Flags().StringVar(&milestone, "milestone", "", "mark a milestone: "+strings.Join(incident.Milestones, ", "))
	c.Flags().BoolVar(&key, "key", false, "mark the entry as a key moment")
	c.Flags().BoolVar(&public, "public", false, "show the entry on the public status page")
	c.Flags().StringVar(&corrects, "corrects", "", "the id of an earlier entry this note corrects (entries are never edited)")
	return c
}

func (a *app) statusCmd() *cobra.Command {
	var f writeFlags
	var note string
	c := &cobra.Command{
		Use:     "status ID STATUS",
		Short:   "Change an incident's status",
		Example: "  sev status checkout resolved\n  sev status checkout declined --note \"False alarm: the monitor was misconfigured\"",
		Args:    exactArgs("ID", "STATUS"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.mutate(args[0], f, func(ws *workspace, l *loaded, me identity) ([]timeline.Entry, error) {
				st := args[1]
				if _, ok := ws.settings.Status(st); !ok {
					return nil, usagef("unknown status %q; use one of %s", st, strings.Join(ws.settings.StatusNames(), ", "))
				}
				if l.inc.Status == st {
					return nil, fmt.Errorf("%s is already %s", l.inc.ID, st)
				}
				e, err := a.entry(me, timeline.Status, f.at)
				e.Status, e.Text, e.Key = st, note, true
				return []timeline.Entry{e}, err
			})
		},
	}
	f.register(c.Flags())
	f.registerAt(c.Flags())
	c.Flags().StringVar(&note, "note", "", "a note to record with the change")
	return c
}

func (a *app) severityCmd() *cobra.Command {
	var f writeFlags
	var note string
	c := &cobra.Command{
		Use:     "severity ID LEVEL",
		Short:   "Change an incident's severity (recorded in the timeline like any change)",
		Example: "  sev severity checkout 2\n  sev severity checkout SEV1 --note \"EU and US affected now\"",
		Args:    exactArgs("ID", "LEVEL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.mutate(args[0], f, func(ws *workspace, l *loaded, me identity) ([]timeline.Entry, error) {
				level, err := ws.settings.ParseSeverity(args[1])
				if err != nil {
					return nil, usagef("%v", err)
				}
				if level == l.inc.Severity {
					return nil, fmt.Errorf("%s is already %s", l.inc.ID, ws.settings.SeverityName(level))
				}
				e, err := a.entry(me, timeline.Severity, f.at)
				e.Severity, e.Text, e.Key = level, note, true
				return []timeline.Entry{e}, err
			})
		},
	}
	f.register(c.Flags())
	f.registerAt(c.Flags())
	c.Flags().StringVar(&note, "note", "", "why the severity changed")
	return c
}

func (a *app) assignCmd() *cobra.Command {
	var f writeFlags
	var remove bool
	var oncall string
	c := &cobra.Command{
		Use:     "assign ID ROLE [PERSON]",
		Short:   "Give a role (commander, comms, scribe, ...) to a person, or take it away with --remove",
		Example: "  sev assign checkout comms carol\n  sev assign checkout commander --oncall engineering-primary\n  sev assign checkout comms --remove",
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case remove && len(args) != 2:
				return usagef("assign --remove needs ID ROLE")
			case oncall != "" && len(args) != 2:
				return usagef("assign --oncall ROTATION needs ID ROLE, not a person")
			case !remove && oncall == "" && len(args) != 3:
				return usagef("assign needs ID ROLE PERSON (or --oncall ROTATION)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.mutate(args[0], f, func(ws *workspace, l *loaded, me identity) ([]timeline.Entry, error) {
				role := args[1]
				if remove {
					if _, ok := l.inc.Roles[role]; !ok {
						return nil, fmt.Errorf("%s has no %s", l.inc.ID, role)
					}
					e, err := a.entry(me, timeline.Unassign, f.at)
					e.Role = role
					return []timeline.Entry{e}, err
				}
				var person, from string
				if oncall != "" {
					var err error
					if person, from, err = a.onCallNow(ws, oncall); err != nil {
						return nil, err
					}
				} else {
					person = strings.TrimPrefix(args[2], "@")
				}
				if l.inc.Roles[role] == person {
					return nil, fmt.Errorf("%s is already %s of %s", person, role, l.inc.ID)
				}
				e, err := a.entry(me, timeline.Assign, f.at)
				e.Role, e.Person, e.Rotation = role, person, from
				return []timeline.Entry{e}, err
			})
		},
	}
	f.register(c.Flags())
	f.registerAt(c.Flags())
	c.Flags().BoolVar(&remove, "remove", false, "take the role away")
	c.Flags().StringVar(&oncall, "oncall", "", "give the role to whoever is on call in this rotation now")
	return c
}

// onCallNow is who is on call in one rotation now.
func (a *app) onCallNow(ws *workspace, query string) (person, rot string, err error) {
	all, _, err := ws.rotations()
	if err != nil {
		return "", "", err
	}
	picked, err := pickRotations(all, query)
	if err != nil {
		return "", "", usagef("--oncall: %v", err)
	}
	if len(picked) != 1 {
		return "", "", usagef("--oncall %s names %d rotations; name one", query, len(picked))
	}
	p, _, _, ok := picked[0].At(a.now())
	if !ok {
		return "", "", fmt.Errorf("nobody is on call in %s now", picked[0].Name)
	}
	return p, picked[0].Name, nil
}

func (a *app) tagCmd() *cobra.Command {
	var f writeFlags
	var remove bool
	c := &cobra.Command{
		Use:     "tag ID TAG...",
		Short:   "Tag an incident (or untag it with --remove)",
		Example: "  sev tag checkout pii\n  sev tag checkout pii --remove",
		Args:    minArgs(2, "ID and at least one TAG"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.mutate(args[0], f, func(ws *workspace, l *loaded, me identity) ([]timeline.Entry, error) {
				var out []timeline.Entry
				for _, tag := range args[1:] {
					if err := checkName("tag", tag); err != nil {
						return nil, err
					}
					if slices.Contains(l.inc.Tags, tag) != remove {
						continue
					}
					typ := timeline.Tag
					if remove {
						typ = timeline.Untag
					}
					e, err := a.entry(me, typ, f.at)
					if err != nil {
						return nil, err
					}
					e.Tag = tag
					out = append(out, e)
				}
				if len(out) == 0 {
					if remove {
						return nil, fmt.Errorf("%s has none of those tags", l.inc.ID)
					}
					return nil, fmt.Errorf("%s already has those tags", l.inc.ID)
				}
				return out, nil
			})
		},
	}
	f.register(c.Flags())
	f.registerAt(c.Flags())
	c.Flags().BoolVar(&remove, "remove", false, "remove the tags")
	return c
}

// checkName rejects names that could not be written to sev.yaml's
// vocabulary later.
func checkName(kind, s string) error {
	if s == "" || strings.Trim(s, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" || s[0] == '-' {
		return usagef("%q is not a valid %s: use lower-case letters, digits and dashes", s, kind)
	}
	return nil
}

func (a *app) setCmd() *cobra.Command {
	var f writeFlags
	c := &cobra.Command{
		Use:   "set ID FIELD VALUE",
		Short: "Set a field of the record: title, summary, impact, kind or visibility",
		Example: `  sev set checkout summary "Card payments failed for 40% of EU customers"
  sev set checkout visibility public`,
		Args: exactArgs("ID", "FIELD", "VALUE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			field, value := args[1], args[2]
			if err := checkSettable(field, value); err != nil {
				return err
			}
			return a.mutate(args[0], f, func(ws *workspace, l *loaded, me identity) ([]timeline.Entry, error) {
				e, err := a.entry(me, timeline.Set, f.at)
				e.Field, e.Value = field, value
				return []timeline.Entry{e}, err
			})
		},
	}
	f.register(c.Flags())
	f.registerAt(c.Flags())
	return c
}

func checkSettable(field, value string) error {
	switch field {
	case "kind":
		if !slices.Contains(incident.Kinds, value) {
			return usagef("unknown kind %q; use one of %s", value, strings.Join(incident.Kinds, ", "))
		}
	case "visibility":
		if !slices.Contains(incident.Visibilities, value) {
			return usagef("unknown visibility %q; use one of %s", value, strings.Join(incident.Visibilities, ", "))
		}
	case "title":
		if strings.TrimSpace(value) == "" {
			return usagef("the title cannot be empty")
		}
	case "summary", "impact":
	default:
		return usagef("cannot set %q; use one of %s (tags, roles and severity have their own commands)", field, strings.Join(incident.SettableFields, ", "))
	}
	return nil
}

func (a *app) addCmd() *cobra.Command {
	var f writeFlags
	var remove bool
	c := &cobra.Command{
		Use:     "add ID FIELD VALUE...",
		Short:   "Add orgs, services or responders to an incident (or remove them with --remove)",
		Example: "  sev add checkout orgs legal pr\n  sev add checkout services checkout-api\n  sev add checkout responders dave --remove",
		Args:    minArgs(3, "ID, FIELD (orgs, services or responders) and at least one VALUE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			field := args[1]
			if field != "orgs" && field != "services" && field != "responders" {
				return usagef("cannot add to %q; use orgs, services or responders", field)
			}
			return a.mutate(args[0], f, func(ws *workspace, l *loaded, me identity) ([]timeline.Entry, error) {
				var out []timeline.Entry
				for _, v := range args[2:] {
					typ := timeline.Add
					if remove {
						typ = timeline.Remove
					}
					e, err := a.entry(me, typ, f.at)
					if err != nil {
						return nil, err
					}
					e.Field, e.Value = field, strings.TrimPrefix(v, "@")
					out = append(out, e)
				}
				return out, nil
			})
		},
	}
	f.register(c.Flags())
	f.registerAt(c.Flags())
	c.Flags().BoolVar(&remove, "remove", false, "remove the values")
	return c
}

func (a *app) linkCmd() *cobra.Command {
	var f writeFlags
	var title string
	var remove bool
	c := &cobra.Command{
		Use:   "link ID KIND URL",
		Short: "Link where the work happens: " + strings.Join(incident.LinkKinds, ", "),
		Example: `  sev link checkout chat https://chat.example.com/archives/C042 --title "#inc-checkout"
  sev link checkout call https://meet.example.com/abc-defg-hij
  sev link checkout dashboard https://grafana.example.com/d/checkout --remove`,
		Args: exactArgs("ID", "KIND", "URL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			kind, url := args[1], args[2]
			if !slices.Contains(incident.LinkKinds, kind) {
				return usagef("unknown link kind %q; use one of %s", kind, strings.Join(incident.LinkKinds, ", "))
			}
			if err := incident.CheckURL(url); err != nil {
				return usagef("%v", err)
			}
			return a.mutate(args[0], f, func(ws *workspace, l *loaded, me identity) ([]timeline.Entry, error) {
				typ := timeline.Link
				if remove {
					typ = timeline.Unlink
					if !slices.ContainsFunc(l.inc.Links, func(x incident.Link) bool { return x.URL == url }) {
						return nil, fmt.Errorf("%s has no link %s", l.inc.ID, url)
					}
				}
				e, err := a.entry(me, typ, f.at)
				e.Field, e.URL, e.Text = kind, url, title
				return []timeline.Entry{e}, err
			})
		},
	}
	f.register(c.Flags())
	f.registerAt(c.Flags())
	c.Flags().StringVar(&title, "title", "", "what to show instead of the URL")
	c.Flags().BoolVar(&remove, "remove", false, "remove the link")
	return c
}

func (a *app) pageCmd() *cobra.Command {
	var f writeFlags
	c := &cobra.Command{
		Use:   "page ID ROTATION...",
		Short: "Page whoever is on call in a rotation (or every rotation of an org) now, and record who it was",
		Long: `Page records, for each named rotation (or every rotation of a named org),
who is on call there now, as a page entry in the timeline and in the
record's paged list. sev does not call anyone itself: a rule's webhook step,
or the team's paging tool, does the calling.`,
		Example: "  sev page checkout legal\n  sev page checkout sre security",
		Args:    minArgs(2, "ID and at least one ROTATION"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.mutate(args[0], f, func(ws *workspace, l *loaded, me identity) ([]timeline.Entry, error) {
				when, err := a.entry(me, timeline.Page, f.at)
				if err != nil {
					return nil, err
				}
				entries, err := a.pages(ws, me, "", args[1:], when.At)
				for i := range entries {
					entries[i].Recorded = when.Recorded
				}
				if err == nil && len(entries) == 0 {
					err = fmt.Errorf("nobody is on call in %s; nobody was paged", strings.Join(args[1:], ", "))
				}
				return entries, err
			})
		},
	}
	f.register(c.Flags())
	f.registerAt(c.Flags())
	return c
}
