package cli

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/present"
)

type postmortemOptions struct {
	ID    string
	Write writeFlags
	ops.Review
}

func (a *app) postmortemCmd() *cobra.Command {
	var o postmortemOptions
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
			o.ID = args[0]
			return a.runPostmortem(o)
		},
	}
	o.Write.registerCommit(c.Flags())
	c.Flags().StringVar(&o.Status, "status", "", "set the review's status: draft, in-review or published")
	c.Flags().StringSliceVar(&o.Authors, "author", nil, "add an author (handle; repeat or comma-separate)")
	c.Flags().StringSliceVar(&o.Reviewers, "reviewer", nil, "add a reviewer (handle; repeat or comma-separate)")
	return c
}

func (a *app) runPostmortem(o postmortemOptions) error {
	if err := ops.CheckReview(o.Review); err != nil {
		return err
	}
	return a.editPostmortem(o.ID, o.Write, true, func(env *ops.Env, inc *ops.Incident, by string) (*ops.PostmortemChange, error) {
		return env.Review(inc, by, o.Review)
	})
}

// editPostmortem runs a postmortem operation on the incident query names
// and writes the result as one commit (workspace.EditPostmortem). refresh
// says the user asked for the refresh, so parts kept because of their
// edits are worth a mention.
func (a *app) editPostmortem(query string, f writeFlags, refresh bool,
	op func(env *ops.Env, inc *ops.Incident, by string) (*ops.PostmortemChange, error)) error {
	ws, err := a.open()
	if err != nil {
		return err
	}
	a.warnSettings(ws)
	pc, head, pushed, err := ws.EditPostmortem(query, f.by, f.write(), op)
	var pe *ops.ProblemsError
	if errors.As(err, &pe) {
		_ = pe.Diags.WriteText(a.stderr)
		return errors.New(pe.Msg)
	}
	if err != nil {
		return err
	}
	present.Postmortem(a.stdout, a.stderr, pc, head, pushed, refresh, ws.Settings.Remote)
	return nil
}
