package present

import (
	"fmt"
	"io"

	"github.com/sev-dev/sev/internal/rule"
)

// Plans prints what the rules would do (sev automate --dry-run): one line
// per action, "ID: rule: action", a restricted incident's described
// without its details.
func Plans(w io.Writer, plans []*rule.Plan) {
	for _, plan := range plans {
		for _, f := range plan.Firings {
			for _, act := range f.Actions {
				fmt.Fprintf(w, "%s: %s: %s\n", plan.Incident, f.Rule, act.Describe(plan.Restricted))
			}
		}
	}
}
