package cli

import (
	"strings"

	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/postmortem"
	"github.com/spf13/cobra"
)

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
			if err := ops.CheckFollowUp(item); err != nil {
				return err
			}
			return a.editPostmortem(args[0], f, false, func(env *ops.Env, inc *ops.Incident, by string) (*ops.PostmortemChange, error) {
				return env.AddFollowUp(inc, by, item)
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
				return a.editPostmortem(args[0], f, false, func(env *ops.Env, inc *ops.Incident, by string) (*ops.PostmortemChange, error) {
					return env.SetFollowUp(inc, by, args[1], x.status)
				})
			},
		}
		f.registerCommit(sub.Flags())
		c.AddCommand(sub)
	}
	return c
}
