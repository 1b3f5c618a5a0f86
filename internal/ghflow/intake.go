package ghflow

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/chatops"
	"github.com/sev-dev/sev/internal/ghaction"
	"github.com/sev-dev/sev/internal/ghapi"
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/present"
	"github.com/sev-dev/sev/internal/term"
	"github.com/sev-dev/sev/internal/workspace"
)

// Intake declares the incident an issue form reports, by the issue's
// author, links the issue from the incident's record and pushes; then it
// replies on the issue with the incident's ID. An issue already linked
// is not declared again; an outsider's report declares nothing. It
// returns the incident and the commit before the change, for the rules;
// ErrReplied when it could not declare and replied why.
func Intake(ctx context.Context, d Deps, repo *workspace.Workspace, ev *ghaction.IssuesEvent) (id, start string, err error) {
	ok, why, err := mayDeclare(ctx, d.API, ev)
	if err != nil {
		return "", "", err
	}
	if !ok {
		// Nothing is written for an outsider: no commit, no incident.
		fmt.Fprintf(d.Out, "issue #%d: %s; nothing declared\n", ev.Issue.Number, why)
		_, err := d.API.UpsertComment(ctx, ev.Issue.Number, "intake",
			"This repository declares incidents from the reports of its organisation's members and collaborators only, so nothing was declared. "+
				"Someone with write access can declare it by adding the `"+IntakeLabel+"` label again.")
		return "", "", err
	}
	s := repo.Settings
	inc, err := repo.Linked(ev.Issue.HTMLURL)
	if err != nil {
		return "", "", err
	}
	start = repo.Head()
	if inc == nil {
		form := issueForm(ev.Issue.Body)
		decl := ops.Declare{Title: term.Strip(ev.Issue.Title), Links: []string{"issue=" + ev.Issue.HTMLURL}, Summary: form["what is happening"]}
		if sev := form["severity"]; sev != "" {
			if _, err := s.ParseSeverity(sev); err == nil {
				decl.Severity, decl.SeveritySet = sev, true
			} else {
				fmt.Fprintf(d.Err, "sev: the form's severity %q is not one of sev.yaml's; declared with the default\n", sev)
			}
		}
		seed := "intake-" + strconv.Itoa(ev.Issue.Number)
		ch, head, err := repo.Declare(repo.Handle(ev.Issue.User.Login), seed, decl)
		if err == nil {
			present.Declared(d.Out, s, ch, head)
		}
		if err != nil {
			fmt.Fprintf(d.Err, "sev: %v\n", err)
			_, err := d.API.UpsertComment(ctx, ev.Issue.Number, "intake",
				string("sev could not declare an incident from this issue: "+ghaction.Text(strings.SplitN(err.Error(), "\n", 2)[0])+
					"\n\nFix the issue (for example its title) and add the `"+IntakeLabel+"` label again, or declare it with `sev declare`."))
			if err != nil {
				return "", "", err
			}
			return "", "", ErrReplied
		}
		// a push that met the same ID declared elsewhere renamed ours
		// (-2, -3, ...): the link to this issue tells which it is
		if inc, err = repo.Linked(ev.Issue.HTMLURL); err != nil || inc == nil {
			return "", "", fmt.Errorf("declared the incident, but cannot find it linked to %s: %v", ev.Issue.HTMLURL, err)
		}
		if who := form["who noticed"]; who != "" {
			by := repo.Handle(ev.Issue.User.Login)
			ch, head, err := repo.Record(inc.ID, by, seed+"-noticed", func(env *ops.Env, cur *ops.Incident) (*change.Change, error) {
				return env.Note(cur, by, ops.Note{Text: "Noticed by: " + who})
			})
			if err == nil {
				present.Change(d.Out, ch, head)
			}
			if err != nil && !errors.Is(err, change.ErrNothing) {
				fmt.Fprintf(d.Err, "sev: %v\n", err)
			}
		}
	} else {
		fmt.Fprintf(d.Out, "issue #%d is already linked to %s\n", ev.Issue.Number, inc.ID)
	}
	if !ev.Issue.HasLabel(IntakeLabel) {
		// a form whose label the repository lacked (GitHub drops it):
		// labelled now, which also creates the label
		if err := d.API.AddLabels(ctx, ev.Issue.Number, []string{IntakeLabel}); err != nil {
			fmt.Fprintf(d.Err, "sev: warning: could not label issue #%d %q: %v\n", ev.Issue.Number, IntakeLabel, err)
		}
	}
	branch := ev.Repository.DefaultBranch
	body := "Declared " + ghaction.Link(inc.ID, IncidentURL(d.Run, branch, inc.ID))
	if !inc.Restricted() {
		body += ghaction.Text(fmt.Sprintf(" (%s, %s)", s.SeverityName(inc.Severity), inc.Status))
	}
	body += ". This issue is now its ChatOps channel: comment with `/sev` commands to record what happens.\n\n" + chatops.Usage
	if _, err := d.API.UpsertComment(ctx, ev.Issue.Number, "intake", string(body)); err != nil {
		return "", "", err
	}
	return inc.ID, start, nil
}

// IsIncidentForm reports whether an issue's body is the incident form's
// (.github/ISSUE_TEMPLATE/declare-incident.yml): its three headings. The
// form also sets the intake label, but GitHub drops a label the
// repository does not have, so the body is what tells.
func IsIncidentForm(body string) bool {
	form := issueForm(body)
	for _, k := range []string{"severity", "what is happening", "who noticed"} {
		if _, ok := form[k]; !ok {
			return false
		}
	}
	return true
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
func mayDeclare(ctx context.Context, api *ghapi.Client, ev *ghaction.IssuesEvent) (bool, string, error) {
	if ev.Repository.Private || ev.Repository.Visibility == "private" || ev.Repository.Visibility == "internal" ||
		trustedAssociations[ev.Issue.AuthorAssociation] {
		return true, "", nil
	}
	sender := ev.Sender.Login
	if sender == "" || strings.HasSuffix(sender, "[bot]") {
		return false, fmt.Sprintf("the author %s is not a member or collaborator", ev.Issue.User.Login), nil
	}
	ok, err := api.CanWrite(ctx, sender)
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
