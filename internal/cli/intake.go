package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/chatops"
	"github.com/sev-dev/sev/internal/ghaction"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/term"
	"github.com/sev-dev/sev/internal/txn"
)

// IntakeLabel marks an issue as an incident report; the issue form
// (.github/ISSUE_TEMPLATE/declare-incident.yml) sets it.
const IntakeLabel = "incident"

func (a *app) githubIntakeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "intake",
		Short: "Declare the incident an issue form reports, and link the issue and the incident both ways",
		Long: `intake handles an issues event (opened, or labeled "incident"). It declares
an incident from the issue form (the issue's title; the form's Severity,
"What is happening" and "Who noticed"), by the issue's author, links the
issue from the incident's record and pushes; then it replies on the issue
with the incident's ID and where to find it. From then on, /sev comments on
the issue are the incident's ChatOps channel. An issue that is already
linked to an incident is not declared again.`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			gh, err := a.githubRun()
			if err != nil {
				return err
			}
			ev, ok := gh.event.(*ghaction.IssuesEvent)
			switch {
			case !ok || ev.Issue.IsPullRequest():
				fmt.Fprintf(a.stdout, "nothing to do for a %s event\n", gh.run.EventName)
				return nil
			case !ev.Issue.HasLabel(IntakeLabel) ||
				(ev.Action != "opened" && ev.Action != "reopened" && (ev.Action != "labeled" || ev.Label == nil || ev.Label.Name != IntakeLabel)):
				fmt.Fprintf(a.stdout, "issue #%d: not an incident report (no %q label added)\n", ev.Issue.Number, IntakeLabel)
				return nil
			}
			return a.intake(gh, ev)
		},
	}
}

func (a *app) intake(gh *ghRun, ev *ghaction.IssuesEvent) error {
	ok, why, err := a.mayDeclare(gh, ev)
	if err != nil {
		return err
	}
	if !ok {
		// Nothing is written for an outsider: no commit, no incident.
		fmt.Fprintf(a.stdout, "issue #%d: %s; nothing declared\n", ev.Issue.Number, why)
		_, err := gh.api.UpsertComment(a.ctx, ev.Issue.Number, "intake",
			"This repository declares incidents from the reports of its organisation's members and collaborators only, so nothing was declared. "+
				"Someone with write access can declare it by adding the `"+IntakeLabel+"` label again.")
		return err
	}
	ws, err := a.open()
	if err != nil {
		return err
	}
	inc, err := a.linkedIncident(ws, ev.Issue.HTMLURL)
	if err != nil {
		return err
	}
	start := a.headNow(ws)
	if inc == nil {
		form := issueForm(ev.Issue.Body)
		d := ops.Declare{Title: term.Strip(ev.Issue.Title), Links: []string{"issue=" + ev.Issue.HTMLURL}, Summary: form["what is happening"]}
		if sev := form["severity"]; sev != "" {
			if _, err := ws.settings.ParseSeverity(sev); err == nil {
				d.Severity, d.SeveritySet = sev, true
			} else {
				fmt.Fprintf(a.stderr, "sev: the form's severity %q is not one of sev.yaml's; declared with the default\n", sev)
			}
		}
		seed := "intake-" + strconv.Itoa(ev.Issue.Number)
		if inc, err = a.declareSeeded(ws, handleOf(ws, ev.Issue.User.Login), seed, d); err != nil {
			fmt.Fprintf(a.stderr, "sev: %v\n", err)
			_, err := gh.api.UpsertComment(a.ctx, ev.Issue.Number, "intake",
				string("sev could not declare an incident from this issue: "+ghaction.Text(firstLine(err.Error()))+
					"\n\nFix the issue (for example its title) and add the `"+IntakeLabel+"` label again, or declare it with `sev declare`."))
			if err != nil {
				return err
			}
			return &findingsError{1}
		}
		// a push that met the same ID declared elsewhere renamed ours
		// (-2, -3, ...): the link to this issue tells which it is
		if inc, err = a.linkedIncident(ws, ev.Issue.HTMLURL); err != nil || inc == nil {
			return fmt.Errorf("declared the incident, but cannot find it linked to %s: %v", ev.Issue.HTMLURL, err)
		}
		if who := form["who noticed"]; who != "" {
			me, err := a.whoami(ws, handleOf(ws, ev.Issue.User.Login))
			if err == nil {
				_, err = a.recordSeeded(ws, inc.ID, me, seed+"-noticed", func(env *ops.Env, cur *ops.Incident) (*change.Change, error) {
					return env.Note(cur, me.handle, ops.Note{Text: "Noticed by: " + who})
				})
			}
			if err != nil && !errors.Is(err, change.ErrNothing) {
				fmt.Fprintf(a.stderr, "sev: %v\n", err)
			}
		}
	} else {
		fmt.Fprintf(a.stdout, "issue #%d is already linked to %s\n", ev.Issue.Number, inc.ID)
	}
	branch := ev.Repository.DefaultBranch
	body := "Declared " + ghaction.Link(inc.ID, incidentURL(gh.run, branch, inc.ID))
	if !inc.Restricted() {
		body += ghaction.Text(fmt.Sprintf(" (%s, %s)", ws.settings.SeverityName(inc.Severity), inc.Status))
	}
	body += ". This issue is now its ChatOps channel: comment with `/sev` commands to record what happens.\n\n" + chatops.Usage
	if _, err := gh.api.UpsertComment(a.ctx, ev.Issue.Number, "intake", string(body)); err != nil {
		return err
	}
	return a.finishGitHub(gh, inc.ID, start)
}

// declareSeeded declares an incident as by, with entry IDs derived from
// seed, commits and pushes it, and returns its record.
func (a *app) declareSeeded(ws *workspace, by, seed string, d ops.Declare) (*incident.Incident, error) {
	me, err := a.whoami(ws, by)
	if err != nil {
		return nil, err
	}
	env := a.opEnv(ws)
	n := 0
	env.NewID = func() string { n++; return seededID(seed, n-1) }
	ch, err := env.Declare(me.handle, d)
	if err != nil {
		return nil, err
	}
	head, err := a.commit(ws, ch, me, writeFlags{push: true, fingerprint: seed}, ch.Create.Restricted())
	if err != nil {
		return nil, err
	}
	rec := ch.Create
	fmt.Fprintf(a.stdout, "declared %s (%s, %s)\n", rec.ID, ws.settings.SeverityName(rec.Severity), rec.Status)
	if !head.IsZero() {
		fmt.Fprintf(a.stdout, "committed %s\n", txn.Short(head))
	}
	return rec, nil
}

// issueForm reads the sections GitHub renders from an issue form: a
// "### Label" heading, then the answer; "_No response_" is no answer.
// Keys are the labels in lower case.
func issueForm(body string) map[string]string {
	out := map[string]string{}
	var key string
	var text []string
	flush := func() {
		if key != "" {
			v := strings.TrimSpace(strings.Join(text, "\n"))
			if v == "_No response_" {
				v = ""
			}
			out[key] = v
		}
	}
	for _, line := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		if h, ok := strings.CutPrefix(line, "### "); ok {
			flush()
			key, text = strings.ToLower(strings.TrimSpace(h)), nil
			continue
		}
		text = append(text, line)
	}
	flush()
	return out
}

// trustedAssociations are the authors GitHub names as the organisation's
// own: its owners and members, and the repository's invited collaborators.
var trustedAssociations = map[string]bool{"OWNER": true, "MEMBER": true, "COLLABORATOR": true}

// mayDeclare decides, before anything is written, whether an issue may
// become an incident: in a private or internal repository anyone who can
// open an issue may; in a public one its author must belong to the
// organisation or be invited to the repository, or the person who added
// the label (a triager vouching for someone else's report) must have
// write permission. Anyone can open an issue on a public repository; an
// outsider's report must not declare a SEV1 and push commits in their
// name. (GitHub names a member whose membership is private a CONTRIBUTOR:
// such a member's report needs someone with write permission to add the
// label, or a public membership.)
func (a *app) mayDeclare(gh *ghRun, ev *ghaction.IssuesEvent) (bool, string, error) {
	if ev.Repository.Private || ev.Repository.Visibility == "private" || ev.Repository.Visibility == "internal" ||
		trustedAssociations[ev.Issue.AuthorAssociation] {
		return true, "", nil
	}
	sender := ev.Sender.Login
	if sender == "" || strings.HasSuffix(sender, "[bot]") {
		return false, fmt.Sprintf("the author %s is not a member or collaborator", ev.Issue.User.Login), nil
	}
	ok, err := gh.api.CanWrite(a.ctx, sender)
	if err != nil {
		return false, "", err
	}
	if !ok {
		return false, fmt.Sprintf("neither the author %s (%s) nor %s, who added the label, may write to the repository",
			ev.Issue.User.Login, strings.ToLower(orNone(ev.Issue.AuthorAssociation)), sender), nil
	}
	return true, "", nil
}

func orNone(s string) string {
	if s == "" {
		return "NONE"
	}
	return s
}
