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
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/timeline"
)

func (a *app) githubCommentCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "comment",
		Short: "ChatOps: record the /sev commands of a new comment on an incident's issue or pull request",
		Long: `comment handles an issue_comment event. Each line of the comment that starts
with /sev is a command ("/sev help" lists them); each becomes a commit by
the commenter on the incident the issue or pull request is linked to, and
is pushed at once. Only people with write permission on the repository
may run commands. The comment gets a reaction (+1 when everything was
recorded, confused otherwise) and one reply that says what was recorded.
Handling the same comment again records nothing twice.`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			gh, err := a.githubRun()
			if err != nil {
				return err
			}
			ev, ok := gh.event.(*ghaction.IssueCommentEvent)
			if !ok || ev.Action != "created" {
				fmt.Fprintf(a.stdout, "nothing to do for a %s event\n", gh.run.EventName)
				return nil
			}
			return a.chatops(gh, ev)
		},
	}
}

func (a *app) chatops(gh *ghRun, ev *ghaction.IssueCommentEvent) error {
	login := ev.Comment.User.Login
	if strings.HasSuffix(login, "[bot]") {
		fmt.Fprintf(a.stdout, "comment by %s: bots do not run commands\n", login)
		return nil
	}
	cmds, perr := chatops.Parse(ev.Comment.Body)
	if perr == nil && len(cmds) == 0 {
		fmt.Fprintln(a.stdout, "no /sev command in the comment")
		return nil
	}
	ctx, number, marker := a.ctx, ev.Issue.Number, "chatops-"+strconv.FormatInt(ev.Comment.ID, 10)
	reply := func(ok bool, body string) error {
		reaction := "+1"
		if !ok {
			reaction = "confused"
		}
		if err := gh.api.React(ctx, ev.Comment.ID, reaction); err != nil {
			return err
		}
		_, err := gh.api.UpsertComment(ctx, number, marker, body)
		return err
	}
	allowed, err := gh.api.CanWrite(ctx, login)
	if err != nil {
		return err
	}
	if !allowed {
		fmt.Fprintf(a.stdout, "%s has no write permission: nothing recorded\n", login)
		return reply(false, "Only people with write permission on this repository can run `/sev` commands; nothing was recorded.")
	}
	if perr != nil {
		fmt.Fprintf(a.stdout, "comment not understood: %v\n", perr)
		return reply(false, string("I could not read that comment, so nothing was recorded: "+ghaction.Text(perr.Error())+"\n\n"+chatops.Usage))
	}
	ws, err := a.open()
	if err != nil {
		return err
	}
	inc, err := a.linkedIncident(ws, ev.Issue.HTMLURL)
	if err != nil {
		return err
	}
	if len(cmds) == 1 && cmds[0].Verb == "help" {
		return reply(true, chatops.Usage)
	}
	if inc == nil {
		fmt.Fprintf(a.stdout, "%s is not linked to an incident: nothing recorded\n", ev.Issue.HTMLURL)
		return reply(false, "This issue is not linked to an incident, so nothing was recorded. "+
			"Declare one with the incident issue form, or link an incident to it with `sev link ID issue URL`.")
	}
	start := a.headNow(ws)
	by := handleOf(ws, login)
	who := func(l string) string { return handleOf(ws, l) }
	me, err := a.whoami(ws, by)
	if err != nil {
		return err
	}
	var done []ghaction.Markdown
	for i, c := range cmds {
		if c.Verb == "help" {
			continue
		}
		seed := marker + "-" + strconv.Itoa(i)
		items, err := a.recordSeeded(ws, inc.ID, me, seed, func(env *ops.Env, cur *ops.Incident) (*change.Change, error) {
			return c.Change(env, cur, by, who)
		})
		if errors.Is(err, change.ErrNothing) {
			// This comment was handled before (a re-run of the workflow).
			done = append(done, ghaction.Code("/sev "+c.Verb)+": already recorded")
			continue
		}
		if err != nil {
			fmt.Fprintf(a.stderr, "sev: %v\n", err)
			why := ghaction.Text(firstLine(err.Error()))
			msg := "Recorded so far:\n\n" + listOf(done) + "\n" + ghaction.Code("/sev "+c.Verb) + " on line " +
				ghaction.Markdown(strconv.Itoa(c.Line)) + " failed, and nothing after it was recorded: " + why
			if len(done) == 0 {
				msg = "Nothing was recorded: " + why
			}
			if err := reply(false, string(msg)); err != nil {
				return err
			}
			return &findingsError{1}
		}
		done = append(done, items...)
	}
	msg := string("Recorded in " + ghaction.Code(inc.ID) + ":\n\n" + listOf(done))
	if inc.Restricted() {
		// The reply says no more about a restricted incident than its ID.
		msg = fmt.Sprintf("Recorded %d change(s) in `%s`.", len(done), inc.ID)
	}
	if err := reply(true, msg); err != nil {
		return err
	}
	return a.finishGitHub(gh, inc.ID, start)
}

// recordSeeded makes a change on the incident id with entry IDs derived
// from seed, commits it as me and pushes it, and returns what it recorded
// as list items. A change whose first entry is already in the timeline
// (the same event handled before) gives change.ErrNothing.
func (a *app) recordSeeded(ws *workspace, id string, me identity, seed string,
	op func(env *ops.Env, cur *ops.Incident) (*change.Change, error)) ([]ghaction.Markdown, error) {
	l, err := ws.load(id)
	if err != nil {
		return nil, err
	}
	if timeline.Has(l.entries, seededID(seed, 0)) {
		return nil, change.ErrNothing
	}
	env := a.opEnv(ws)
	n := 0
	env.NewID = func() string { n++; return seededID(seed, n-1) }
	ch, err := op(env, &ops.Incident{Record: l.inc, Entries: l.entries})
	if err != nil {
		return nil, err
	}
	head, err := a.commit(ws, ch, me, writeFlags{push: true, fingerprint: seed}, l.inc.Restricted())
	if err != nil {
		return nil, err
	}
	a.reportChange(ch, head)
	var items []ghaction.Markdown
	for _, e := range ch.Entries {
		items = append(items, ghaction.Text(timeline.Describe(e)))
	}
	return items, nil
}

func listOf(items []ghaction.Markdown) ghaction.Markdown {
	var b strings.Builder
	for _, it := range items {
		b.WriteString("- " + string(it) + "\n")
	}
	return ghaction.Markdown(b.String())
}
