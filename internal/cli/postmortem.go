package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/postmortem"
	"github.com/sev-dev/sev/internal/txn"
)

func (a *app) postmortemCmd() *cobra.Command {
	var f writeFlags
	var status string
	var authors, reviewers []string
	c := &cobra.Command{
		Use:   "postmortem ID",
		Short: "Write or refresh an incident's postmortem draft",
		Long: `postmortem writes postmortems/<id>.md, a draft pre-filled from the
incident's record and timeline: an overview (severity, milestones, time to
detect, mitigate and resolve, roles and responders), the summary and impact,
the timeline as a table with milestones and key moments marked, and the
sections a review fills in (root cause and contributing factors, detection
and response, what went well and badly, where we got lucky, lessons,
follow-ups). The layout comes from postmortems/TEMPLATE.md when the
repository has one.

Run it again at any time: the generated parts (between <!-- sev:begin -->
and <!-- sev:end --> markers) are brought up to date, unless someone edited
them, and nothing a person wrote anywhere else is touched.`,
		Example: `  sev postmortem checkout
  sev postmortem checkout --status in-review --reviewer bob`,
		Args: exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if status != "" && !slices.Contains(config.PostmortemStatuses, status) {
				return usagef("--status must be one of %s, not %q", strings.Join(config.PostmortemStatuses, ", "), status)
			}
			return a.editPostmortem(args[0], f, true, func(ws *workspace, pm *pmEdit) (string, error) {
				if status != "" {
					pm.doc.SetStatus(status)
				}
				pm.doc.AddPeople("authors", authors)
				pm.doc.AddPeople("reviewers", reviewers)
				if status == "published" || status == "in-review" {
					if empty := postmortem.Unwritten(pm.doc); len(empty) > 0 {
						fmt.Fprintf(a.stderr, "sev: warning: still empty: %s\n", strings.Join(empty, ", "))
					}
					if st, ok := ws.settings.Status(pm.inc.Status); ok && st.Phase == config.PhaseActive {
						fmt.Fprintf(a.stderr, "sev: warning: %s is still %s; the review may miss what happens next\n", pm.id, pm.inc.Status)
					}
				}
				verb := "refreshed"
				if pm.created {
					verb = "drafted"
				}
				if status != "" {
					verb += ", status " + status
				}
				return verb, nil
			})
		},
	}
	f.registerCommit(c.Flags())
	c.Flags().StringVar(&status, "status", "", "set the review's status: draft, in-review or published")
	c.Flags().StringSliceVar(&authors, "author", nil, "add an author (handle; repeat or comma-separate)")
	c.Flags().StringSliceVar(&reviewers, "reviewer", nil, "add a reviewer (handle; repeat or comma-separate)")
	return c
}

func (a *app) followupCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "followup",
		Short: "Add follow-up actions to a postmortem and close them",
		Args:  exactArgs(),
	}
	var f writeFlags
	var fu postmortem.FollowUp
	add := &cobra.Command{
		Use:   "add ID TITLE",
		Short: "Add a follow-up action (creates the postmortem draft if needed)",
		Example: `  sev followup add checkout "Alert on certificate expiry" --owner dave --due 2026-04-01 --type prevent
  sev followup add checkout "Runbook for card-acquirer failover" --type process --link https://github.com/acme/ops/issues/42`,
		Args: exactArgs("ID", "TITLE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			item := fu
			item.Title = strings.TrimSpace(args[1])
			if item.Title == "" || strings.ContainsAny(item.Title, "\n\r") {
				return usagef("the title must be one non-empty line")
			}
			if item.Due != "" {
				if _, err := time.Parse("2006-01-02", item.Due); err != nil {
					return usagef("--due must be a date such as 2026-04-01, not %q", item.Due)
				}
			}
			if !slices.Contains(config.FollowUpTypes, item.Type) {
				return usagef("--type must be one of %s, not %q", strings.Join(config.FollowUpTypes, ", "), item.Type)
			}
			item.Status = "open"
			return a.editPostmortem(args[0], f, false, func(ws *workspace, pm *pmEdit) (string, error) {
				if item.Due != "" {
					declared := pm.inc.Milestones.Declared
					if declared.IsZero() {
						declared, _ = time.Parse("2006-01-02", pm.id[:10])
					}
					if item.Due < declared.In(ws.settings.Location()).Format("2006-01-02") {
						return "", usagef("--due %s is before %s was declared; a follow-up is due after the incident", item.Due, pm.id)
					}
				}
				item.ID = pm.doc.NextFollowUpID()
				pm.doc.AddFollowUp(item)
				return "added " + item.ID, nil
			})
		},
	}
	f.registerCommit(add.Flags())
	add.Flags().StringVar(&fu.Owner, "owner", "", "who does it (handle)")
	add.Flags().StringVar(&fu.Due, "due", "", "when it is due (YYYY-MM-DD); without it the policy in sev.yaml applies")
	add.Flags().StringVar(&fu.Type, "type", "other", "mitigate, prevent, detect, repair, process or other")
	add.Flags().StringVar(&fu.Link, "link", "", "the tracker issue for the work (https://...)")
	c.AddCommand(add)
	for _, x := range []struct{ verb, status, short string }{
		{"done", "done", "Mark a follow-up done"},
		{"drop", "dropped", "Mark a follow-up dropped (decided not to do it)"},
		{"reopen", "open", "Reopen a follow-up"},
	} {
		var f writeFlags
		sub := &cobra.Command{
			Use:     x.verb + " ID FU-N",
			Short:   x.short,
			Example: "  sev followup " + x.verb + " checkout FU-2",
			Args:    exactArgs("ID", "FU-N"),
			RunE: func(cmd *cobra.Command, args []string) error {
				return a.editPostmortem(args[0], f, false, func(ws *workspace, pm *pmEdit) (string, error) {
					if pm.created {
						return "", fmt.Errorf("%s has no postmortem yet, so no follow-ups; add one with sev followup add", pm.id)
					}
					fid := strings.ToUpper(args[1])
					if err := pm.doc.SetFollowUpStatus(fid, x.status); err != nil {
						return "", err
					}
					return fid + " " + x.status, nil
				})
			},
		}
		f.registerCommit(sub.Flags())
		c.AddCommand(sub)
	}
	return c
}

// pmEdit is a postmortem being changed by a command.
type pmEdit struct {
	id      string
	inc     *incident.Incident
	path    string
	doc     *postmortem.Doc
	created bool
}

// editPostmortem loads (or drafts) an incident's postmortem, lets edit
// change its front matter, refreshes the generated regions, checks the
// result and writes it as one commit. refresh says the user asked for the
// refresh, so regions kept because of their edits are worth a mention.
func (a *app) editPostmortem(query string, f writeFlags, refresh bool, edit func(*workspace, *pmEdit) (string, error)) error {
	ws, id, l, me, err := a.openIncident(query, f.by)
	if err != nil {
		return err
	}
	p := layout.Postmortem(id)
	tmpl, err := fs.ReadFile(ws.fsys, postmortem.TemplateFile)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	in := postmortem.Input{Settings: ws.settings, Record: l.inc, Entries: l.entries}
	pm := &pmEdit{id: id, path: p, inc: l.inc}
	old, err := fs.ReadFile(ws.fsys, p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		pm.created = true
		meta := postmortem.Meta{Incident: id, Status: "draft", Authors: []string{me.handle}}
		in.Meta = meta
		body, err := postmortem.Render(in, postmortem.TemplateFile, tmpl)
		if err != nil {
			return err
		}
		data, err := postmortem.New(meta, body)
		if err != nil {
			return err
		}
		doc, diags := postmortem.Parse(p, data)
		if diags.Errors() > 0 {
			return fmt.Errorf("the draft does not read back (this is a bug in sev): %v", diags)
		}
		pm.doc = doc
	case err != nil:
		return err
	default:
		doc, diags := postmortem.Parse(p, old)
		diags.Append(postmortem.Check(doc, ws.settings, id))
		if diags.Errors() > 0 || doc.Front == nil {
			a.printDiags(diags)
			return fmt.Errorf("%s has problems in its front matter; fix them first", p)
		}
		pm.doc = doc
	}
	what, err := edit(ws, pm)
	if err != nil {
		return err
	}
	in.Meta = pm.doc.Meta
	fresh, err := postmortem.Render(in, postmortem.TemplateFile, tmpl)
	if err != nil {
		return err
	}
	body, kept := postmortem.Refresh(pm.doc.BodyBytes(), fresh)
	data, err := pm.doc.Bytes(body)
	if err != nil {
		return err
	}
	// Nothing invalid is written: the result must read back cleanly.
	check, diags := postmortem.Parse(p, data)
	diags.Append(postmortem.Check(check, ws.settings, id))
	if diags.Errors() > 0 {
		a.printDiags(diags)
		return fmt.Errorf("not written: the change would leave %s invalid", p)
	}
	for _, name := range kept {
		if !refresh {
			break
		}
		fmt.Fprintf(a.stderr, "sev: kept your edits in the %q part of %s (delete its content to have it generated again)\n", name, p)
	}
	if !pm.created && string(data) == string(old) {
		fmt.Fprintf(a.stdout, "%s is up to date\n", p)
		return nil
	}
	files := map[string][]byte{p: data}
	if f.noCommit {
		if err := gitstore.WriteFile(ws.root, p, data); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "%s: %s (not committed)\n", p, what)
		return nil
	}
	msg := fmt.Sprintf("postmortem %s: %s", id, what)
	head, err := a.commitPlain(ws, files, me, msg)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s: %s [%s]\n", p, what, txn.Short(head))
	if f.push || ws.settings.Push == "auto" {
		if err := a.pushNow(ws); err != nil {
			return fmt.Errorf("committed %s, but the push failed: %w", txn.Short(head), err)
		}
		fmt.Fprintf(a.stdout, "pushed to %s\n", ws.settings.Remote)
	}
	return nil
}

func (a *app) printDiags(diags diag.List) { _ = diags.WriteText(a.stderr) }
