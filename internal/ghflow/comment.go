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
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/present"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/workspace"
)

// Comment handles a new comment on an issue or pull request: each /sev
// line of it becomes a change by the commenter on the linked incident,
// committed and pushed, and the comment gets a reaction and one reply. It
// returns the incident and the commit before the changes, for the rules
// to run on what was recorded; ErrReplied when it refused or stopped
// after replying why.
func Comment(ctx context.Context, d Deps, repo *workspace.Workspace, ev *ghaction.IssueCommentEvent) (id, start string, err error) {
	login := ev.Comment.User.Login
	if strings.HasSuffix(login, "[bot]") {
		fmt.Fprintf(d.Out, "comment by %s: bots do not run commands\n", login)
		return "", "", nil
	}
	cmds, perr := chatops.Parse(ev.Comment.Body)
	if perr == nil && len(cmds) == 0 {
		fmt.Fprintln(d.Out, "no /sev command in the comment")
		return "", "", nil
	}
	number, marker := ev.Issue.Number, "chatops-"+strconv.FormatInt(ev.Comment.ID, 10)
	reply := func(ok bool, body string) error {
		reaction := "+1"
		if !ok {
			reaction = "confused"
		}
		if err := d.API.React(ctx, ev.Comment.ID, reaction); err != nil {
			return err
		}
		_, err := d.API.UpsertComment(ctx, number, marker, body)
		return err
	}
	allowed, err := d.API.CanWrite(ctx, login)
	if err != nil {
		return "", "", err
	}
	if !allowed {
		fmt.Fprintf(d.Out, "%s has no write permission: nothing recorded\n", login)
		return "", "", reply(false, "Only people with write permission on this repository can run `/sev` commands; nothing was recorded.")
	}
	if perr != nil {
		fmt.Fprintf(d.Out, "comment not understood: %v\n", perr)
		return "", "", reply(false, string("I could not read that comment, so nothing was recorded: "+ghaction.Text(perr.Error())+"\n\n"+chatops.Usage))
	}
	inc, err := repo.Linked(ev.Issue.HTMLURL)
	if err != nil {
		return "", "", err
	}
	if len(cmds) == 1 && cmds[0].Verb == "help" {
		return "", "", reply(true, chatops.Usage)
	}
	if inc == nil {
		fmt.Fprintf(d.Out, "%s is not linked to an incident: nothing recorded\n", ev.Issue.HTMLURL)
		return "", "", reply(false, "This issue is not linked to an incident, so nothing was recorded. "+
			"Declare one with the incident issue form, or link an incident to it with `sev link ID issue URL`.")
	}
	start = repo.Head()
	by := repo.Handle(login)
	var done []ghaction.Markdown
	for i, c := range cmds {
		if c.Verb == "help" {
			continue
		}
		seed := marker + "-" + strconv.Itoa(i)
		ch, head, err := repo.Record(inc.ID, by, seed, func(env *ops.Env, cur *ops.Incident) (*change.Change, error) {
			return c.Change(env, cur, by, repo.Handle)
		})
		if errors.Is(err, change.ErrNothing) {
			// This comment was handled before (a re-run of the workflow).
			done = append(done, ghaction.Code("/sev "+c.Verb)+": already recorded")
			continue
		}
		if err != nil {
			fmt.Fprintf(d.Err, "sev: %v\n", err)
			why := ghaction.Text(strings.SplitN(err.Error(), "\n", 2)[0])
			msg := "Recorded so far:\n\n" + listOf(done) + "\n" + ghaction.Code("/sev "+c.Verb) + " on line " +
				ghaction.Markdown(strconv.Itoa(c.Line)) + " failed, and nothing after it was recorded: " + why
			if len(done) == 0 {
				msg = "Nothing was recorded: " + why
			}
			if err := reply(false, string(msg)); err != nil {
				return "", "", err
			}
			return "", "", ErrReplied
		}
		present.Change(d.Out, ch, head)
		for _, e := range ch.Entries {
			done = append(done, ghaction.Text(timeline.Describe(e)))
		}
	}
	msg := string("Recorded in " + ghaction.Code(inc.ID) + ":\n\n" + listOf(done))
	if inc.Restricted() {
		// The reply says no more about a restricted incident than its ID.
		msg = fmt.Sprintf("Recorded %d change(s) in `%s`.", len(done), inc.ID)
	}
	if err := reply(true, msg); err != nil {
		return "", "", err
	}
	return inc.ID, start, nil
}

func listOf(items []ghaction.Markdown) ghaction.Markdown {
	var b strings.Builder
	for _, it := range items {
		b.WriteString("- " + string(it) + "\n")
	}
	return ghaction.Markdown(b.String())
}
