package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/attachment"
	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/txn"
)

type declareOptions struct {
	write       writeFlags
	severity    string
	severitySet bool
	tags        []string
	orgs        []string
	services    []string
	commander   string
	roles       []string
	visibility  string
	kind        string
	summary     string
	impact      string
	started     string
	detected    string
	links       []string
	slug        string
	page        []string
}

func (a *app) declareCmd() *cobra.Command {
	var o declareOptions
	c := &cobra.Command{
		Use:   "declare TITLE",
		Short: "Declare an incident: only a title is needed",
		Long: `declare creates incidents/<year>/<id>/ with the record and its timeline and
commits it. The ID is the declaration date and a slug of the title.
Everything but the title has a default from sev.yaml: the least severe
severity, the first active status, internal visibility, kind normal.`,
		Example: `  sev declare "Checkout errors in EU" --sev 1 --tag payments --org engineering --commander alice
  sev declare "Leaked credential" --sev 1 --tag security --visibility restricted
  sev declare "Database failover drill" --kind drill --sev 3`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 || strings.TrimSpace(args[0]) == "" {
				return usagef("declare needs a TITLE, in quotes")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.severitySet = cmd.Flags().Changed("sev")
			return a.declare(args[0], o)
		},
	}
	fl := c.Flags()
	o.write.register(fl)
	fl.StringVar(&o.severity, "sev", "", "severity: a level (1 is the most severe) or its name (SEV1)")
	fl.StringArrayVar(&o.tags, "tag", nil, "a tag (repeatable)")
	fl.StringArrayVar(&o.orgs, "org", nil, "an affected or responding organisation (repeatable)")
	fl.StringArrayVar(&o.services, "service", nil, "an affected service (repeatable)")
	fl.StringVar(&o.commander, "commander", "", "who leads the response")
	fl.StringArrayVar(&o.roles, "role", nil, "another role as ROLE=PERSON, e.g. comms=carol (repeatable)")
	fl.StringVar(&o.visibility, "visibility", "", "public, internal (default) or restricted")
	fl.StringVar(&o.kind, "kind", "", "normal (default), drill, maintenance or backfill")
	fl.StringVar(&o.summary, "summary", "", "what is happening")
	fl.StringVar(&o.impact, "impact", "", "who or what is affected")
	o.write.registerAt(fl)
	fl.StringVar(&o.started, "started", "", "when the impact began (RFC 3339)")
	fl.StringVar(&o.detected, "detected", "", "when it was detected (RFC 3339)")
	fl.StringArrayVar(&o.links, "link", nil, "a link as KIND=URL, e.g. chat=https://... (repeatable)")
	fl.StringArrayVar(&o.page, "page", nil, "page whoever is on call in this rotation (or org) now, and record who it was (repeatable)")
	fl.StringVar(&o.slug, "slug", "", "the ID's slug, instead of one made from the title (restricted incidents get a neutral one)")
	return c
}

func (a *app) declare(title string, o declareOptions) error {
	ws, err := a.open()
	if err != nil {
		return err
	}
	a.warnSettings(ws)
	me, err := a.whoami(ws, o.write.by)
	if err != nil {
		return err
	}
	e, err := a.entry(me, timeline.Declared, o.write.at)
	if err != nil {
		return err
	}
	rec, err := a.newRecord(ws, title, e, me, o)
	if err != nil {
		return err
	}
	e.Severity, e.Status, e.Key = rec.Severity, rec.Status, true
	ch := &change.Change{Incident: rec.ID, Create: rec, Entries: []timeline.Entry{e}}
	pages, err := a.pages(ws, me, "--page: ", o.page, e.At)
	if err != nil {
		return err
	}
	ch.Entries = append(ch.Entries, pages...)
	head, err := a.commit(ws, ch, me, o.write, rec.Restricted())
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "declared %s (%s, %s)\n", rec.ID, ws.settings.SeverityName(rec.Severity), rec.Status)
	for _, p := range pages {
		fmt.Fprintf(a.stdout, "paged %s (on call in %s)\n", p.Person, p.Rotation)
	}
	if !head.IsZero() {
		fmt.Fprintf(a.stdout, "committed %s\n", txn.Short(head))
	}
	return nil
}

// pages finds who is on call at t in each named rotation (or every
// rotation of a named org) and makes the page entries. A rotation with
// nobody on call is reported and skipped: the incident is declared anyway.
func (a *app) pages(ws *workspace, me identity, flag string, queries []string, at time.Time) ([]timeline.Entry, error) {
	if len(queries) == 0 {
		return nil, nil
	}
	all, _, err := ws.rotations()
	if err != nil {
		return nil, err
	}
	var out []timeline.Entry
	for _, q := range queries {
		picked, err := pickRotations(all, q)
		if err != nil {
			return nil, usagef("%s%v", flag, err)
		}
		for _, r := range picked {
			person, _, _, ok := r.At(at)
			if !ok {
				fmt.Fprintf(a.stderr, "sev: nobody is on call in %s now; page someone by hand\n", r.Name)
				continue
			}
			e, err := a.entry(me, timeline.Page, "")
			if err != nil {
				return nil, err
			}
			e.At, e.Recorded = at, time.Time{}
			e.Rotation, e.Person = r.Name, person
			out = append(out, e)
		}
	}
	return out, nil
}

func (a *app) newRecord(ws *workspace, title string, e timeline.Entry, me identity, o declareOptions) (*incident.Incident, error) {
	s := ws.settings
	rec := &incident.Incident{
		Title:      strings.Join(strings.Fields(title), " "), // a title is one line
		Severity:   len(s.Severities),
		Status:     s.InitialStatus(),
		Kind:       o.kind,
		Visibility: o.visibility,
		Summary:    o.summary,
		Impact:     o.impact,
	}
	if o.severitySet {
		level, err := s.ParseSeverity(o.severity)
		if err != nil {
			return nil, usagef("--sev: %v", err)
		}
		rec.Severity = level
	}
	if err := checkDeclareValues(o); err != nil {
		return nil, err
	}
	for _, list := range []struct {
		kind string
		in   []string
		out  *[]string
	}{{"tag", o.tags, &rec.Tags}, {"org", o.orgs, &rec.Orgs}, {"service", o.services, &rec.Services}} {
		for _, v := range list.in {
			if err := checkName(list.kind, v); err != nil {
				return nil, err
			}
			if !slices.Contains(*list.out, v) {
				*list.out = append(*list.out, v)
			}
		}
	}
	if err := setRoles(rec, o); err != nil {
		return nil, err
	}
	if err := setLinks(rec, o.links); err != nil {
		return nil, err
	}
	rec.Milestones.Declared = e.At
	for name, v := range map[string]string{"started": o.started, "detected": o.detected} {
		if v == "" {
			continue
		}
		t, err := parseAt(v)
		if err != nil {
			return nil, usagef("--%s: %v", name, strings.TrimPrefix(err.Error(), "--at: "))
		}
		rec.Milestones.Set(name, t)
	}
	if x, y := incident.OrderProblem(rec.Milestones); x != "" {
		return nil, usagef("%s must not be before %s", y, x)
	}
	ids, err := layout.IDs(ws.fsys)
	if err != nil {
		return nil, err
	}
	slug := incident.Slug(rec.Title)
	switch {
	case o.slug != "":
		if err := checkName("slug", o.slug); err != nil || strings.Contains(o.slug, "--") || strings.HasSuffix(o.slug, "-") {
			return nil, usagef("--slug %q: use lower-case letters and digits separated by single dashes", o.slug)
		}
		slug = o.slug
	case rec.Restricted():
		// The ID appears in paths, commit messages and the audit trail;
		// a restricted incident's must not tell what it is about.
		slug = "restricted-" + timeline.NewID(e.At)[12:]
	}
	rec.ID = uniqueID(ids, e.At.In(s.Location()).Format("2006-01-02")+"-"+slug)
	return rec, nil
}

func checkDeclareValues(o declareOptions) error {
	if o.visibility != "" && !slices.Contains(incident.Visibilities, o.visibility) {
		return usagef("--visibility: use one of %s", strings.Join(incident.Visibilities, ", "))
	}
	if o.kind != "" && !slices.Contains(incident.Kinds, o.kind) {
		return usagef("--kind: use one of %s", strings.Join(incident.Kinds, ", "))
	}
	return nil
}

func setRoles(rec *incident.Incident, o declareOptions) error {
	roles := map[string]string{}
	if o.commander != "" {
		roles["commander"] = strings.TrimPrefix(o.commander, "@")
	}
	for _, r := range o.roles {
		role, person, ok := strings.Cut(r, "=")
		if !ok || role == "" || person == "" {
			return usagef("--role %q: write ROLE=PERSON, e.g. comms=carol", r)
		}
		if err := checkName("role", role); err != nil {
			return err
		}
		roles[role] = strings.TrimPrefix(person, "@")
	}
	if len(roles) > 0 {
		rec.Roles = roles
	}
	return nil
}

func setLinks(rec *incident.Incident, links []string) error {
	for _, l := range links {
		kind, url, ok := strings.Cut(l, "=")
		if !ok {
			return usagef("--link %q: write KIND=URL, e.g. chat=https://chat.example.com/c/inc", l)
		}
		if !slices.Contains(incident.LinkKinds, kind) {
			return usagef("--link: unknown kind %q; use one of %s", kind, strings.Join(incident.LinkKinds, ", "))
		}
		if err := incident.CheckURL(url); err != nil {
			return usagef("--link: %v", err)
		}
		rec.Links = append(rec.Links, incident.Link{Kind: kind, URL: url})
	}
	return nil
}

// uniqueID appends -2, -3, ... when the ID is taken.
func uniqueID(ids []string, id string) string {
	if !slices.Contains(ids, id) {
		return id
	}
	for n := 2; ; n++ {
		c := fmt.Sprintf("%s-%d", id, n)
		if !slices.Contains(ids, c) {
			return c
		}
	}
}

var attachNameRE = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func (a *app) attachCmd() *cobra.Command {
	var f writeFlags
	var name, note string
	c := &cobra.Command{
		Use:   "attach ID FILE",
		Short: "Add a file (a screenshot, a log excerpt) to an incident's attachments",
		Long: `attach copies a regular file into the incident's attachments/ folder and
records it in the timeline. On the site, attachments are data: images and
PDFs are shown as they are, text on a page sev renders, and everything else
only as a ZIP download, so an attached HTML or SVG file can never run there
(sev attach warns about such types).`,
		Example: "  sev attach checkout ~/Desktop/error-rate.png --note \"Error rate at the peak\"",
		Args:    exactArgs("ID", "FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			src := args[1]
			if !filepath.IsAbs(src) {
				wd, err := a.workDir()
				if err != nil {
					return err
				}
				src = filepath.Join(wd, src)
			}
			fi, err := os.Lstat(src)
			if err != nil {
				return fmt.Errorf("attach: %w", err)
			}
			if !fi.Mode().IsRegular() {
				return fmt.Errorf("attach: %s is not a regular file", args[1])
			}
			base := name
			if base == "" {
				base = filepath.Base(src)
			}
			base = strings.Trim(attachNameRE.ReplaceAllString(base, "-"), "-.")
			if base == "" {
				return usagef("attach: give the file a name with --name")
			}
			if attachment.Active(base) {
				fmt.Fprintf(a.stderr, "sev: warning: a browser would run script from %s, so the site shows it only as text or a download (%s); only %s are shown as they are\n",
					base, attachment.Published(base), attachment.Kinds)
			}
			return a.mutateWith(args[0], f, func(ws *workspace, l *loaded, me identity) ([]timeline.Entry, map[string][]byte, error) {
				if fi.Size() > ws.settings.Limits.Attachment {
					return nil, nil, fmt.Errorf("attach: %s is %d bytes; attachments are limited to %d (limits.attachment in sev.yaml)",
						args[1], fi.Size(), ws.settings.Limits.Attachment)
				}
				p := layout.Attachment(l.inc.ID, base)
				if _, err := fs.Stat(ws.fsys, p); err == nil {
					return nil, nil, fmt.Errorf("attach: %s already exists; pick another name with --name", p)
				}
				data, err := os.ReadFile(src)
				if err != nil {
					return nil, nil, err
				}
				e, err := a.entry(me, timeline.Attach, f.at)
				e.File, e.Text = base, note
				return []timeline.Entry{e}, map[string][]byte{p: data}, err
			})
		},
	}
	f.register(c.Flags())
	f.registerAt(c.Flags())
	c.Flags().StringVar(&name, "name", "", "the attachment's file name (default: the file's own)")
	c.Flags().StringVar(&note, "note", "", "a caption for the timeline")
	return c
}
