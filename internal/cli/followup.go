package cli

import (
	"strings"

	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/postmortem"
	"github.com/spf13/cobra"
)

type followupAddOptions struct {
	ID    string
	Write writeFlags
	postmortem.FollowUp
}

type followupStatusOptions struct {
	ID, FollowUp, Status string
	Write                writeFlags
}

func (a *app) followupCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "followup",
		Short: "Add follow-up actions to a postmortem and close them",
		Args:  exactArgs(),
	}
	var o followupAddOptions
	add := &cobra.Command{
		Use:   "add ID TITLE",
		Short: "Add a follow-up action (creates the postmortem draft if needed)",
		Example: `  sev followup add checkout "Alert on certificate expiry" --owner dave --due 2026-04-01 --type prevent
  sev followup add checkout "Runbook for card-acquirer failover" --type process --link https://github.com/acme/ops/issues/42
  sev followup add checkout "Rolled back deploy 4411" --type mitigate --owner bob --status done`,
		Args: exactArgs("ID", "TITLE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ID, o.Title = args[0], args[1]
			return a.runFollowupAdd(o)
		},
	}
	o.Write.registerCommit(add.Flags())
	add.Flags().StringVar(&o.Owner, "owner", "", "who does it (handle)")
	add.Flags().StringVar(&o.Due, "due", "", "when it is due (YYYY-MM-DD); without it the policy in sev.yaml applies")
	add.Flags().StringVar(&o.Type, "type", "other", "mitigate, prevent, detect, repair, process or other")
	add.Flags().StringVar(&o.Link, "link", "", "the tracker issue for the work (https://...)")
	add.Flags().StringVar(&o.Status, "status", "open", "open, done or dropped (done: an action already taken, such as an earlier review's)")
	c.AddCommand(add)
	for _, x := range []struct{ verb, status, short string }{
		{"done", "done", "Mark a follow-up done"},
		{"drop", "dropped", "Mark a follow-up dropped (decided not to do it)"},
		{"reopen", "open", "Reopen a follow-up"},
	} {
		o := followupStatusOptions{Status: x.status}
		sub := &cobra.Command{
			Use:     x.verb + " ID FU-N",
			Short:   x.short,
			Example: "  sev followup " + x.verb + " checkout FU-2",
			Args:    exactArgs("ID", "FU-N"),
			RunE: func(cmd *cobra.Command, args []string) error {
				o.ID, o.FollowUp = args[0], args[1]
				return a.runFollowupStatus(o)
			},
		}
		o.Write.registerCommit(sub.Flags())
		c.AddCommand(sub)
	}
	return c
}

func (a *app) runFollowupAdd(o followupAddOptions) error {
	item := o.FollowUp
	item.Title = strings.TrimSpace(item.Title)
	if err := ops.CheckFollowUp(item); err != nil {
		return err
	}
	return a.editPostmortem(o.ID, o.Write, false, func(env *ops.Env, inc *ops.Incident, by string) (*ops.PostmortemChange, error) {
		return env.AddFollowUp(inc, by, item)
	})
}

func (a *app) runFollowupStatus(o followupStatusOptions) error {
	return a.editPostmortem(o.ID, o.Write, false, func(env *ops.Env, inc *ops.Incident, by string) (*ops.PostmortemChange, error) {
		return env.SetFollowUp(inc, by, o.FollowUp, o.Status)
	})
}
