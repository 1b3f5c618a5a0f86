package automation

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"io/fs"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/ghaction"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/postmortem"
	"github.com/sev-dev/sev/internal/review"
	"github.com/sev-dev/sev/internal/rule"
	"github.com/sev-dev/sev/internal/validate"
	"github.com/sev-dev/sev/internal/workers"
)

// Plans are what the rules say should happen now: for each incident that
// passes the gate, the rules applied to its entries in fresh (ID → entry
// IDs new since the last run) and to the time-based triggers. Incidents
// that sev validate rejects are left out, with their findings in leftOut;
// warnings are the rules' own.
func Plans(fsys fs.FS, s *config.Settings, set *rule.Set, env *rule.Env, fresh map[string][]string, now time.Time) (plans []*rule.Plan, warnings, leftOut diag.List, err error) {
	ids, err := layout.IDs(fsys)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, id := range ids {
		// Through the gate: nothing is sent or commented about an
		// incident that sev validate rejects.
		l, problems := validate.Load(fsys, s, id)
		if l == nil {
			leftOut.Append(problems)
			continue
		}
		plan, d := set.Automate(env, Input(l), fresh[id], now)
		warnings.Append(d)
		if plan != nil && len(plan.Firings) > 0 {
			plans = append(plans, plan)
		}
	}
	warnings.Sort()
	return plans, warnings, leftOut, nil
}

// Replay replays every incident's history on all cores and returns what
// each rule would have done (sev rules test), with the rules' warnings.
func Replay(set *rule.Set, env *rule.Env, incs []*validate.Incident, now time.Time) ([]*rule.Plan, diag.List) {
	plans := make([]*rule.Plan, len(incs))
	found := make([]diag.List, len(incs))
	workers.Each(len(incs), func(i int) {
		plans[i], found[i] = set.Replay(env, Input(incs[i]), now)
	})
	var warnings diag.List
	for _, d := range found {
		warnings.Append(d)
	}
	warnings.Sort()
	return slices.DeleteFunc(plans, func(p *rule.Plan) bool { return p == nil }), warnings
}

// Input is what the rules see of an incident that passed the gate.
func Input(inc *validate.Incident) rule.Input {
	return rule.Input{Record: inc.Record, Timeline: inc.Entries, Postmortem: postmortemStatus(inc)}
}

// postmortemStatus is the status of an incident's postmortem, "" when it
// has none or it did not pass validation.
func postmortemStatus(inc *validate.Incident) string {
	if inc.Postmortem == nil {
		return ""
	}
	doc, diags := postmortem.Parse(layout.Postmortem(inc.ID()), inc.Postmortem)
	if doc == nil || diags.Errors() > 0 {
		return ""
	}
	return doc.Meta.Status
}

// RevisionError is a revision that does not name a commit of the clone.
type RevisionError struct {
	Flag, Rev string
	Err       error
}

func (e *RevisionError) Error() string { return fmt.Sprintf("--%s %s: %v", e.Flag, e.Rev, e.Err) }

// AlertPrefix starts the IDs of the entries an alert writes (sev watch,
// or a dispatched alert): written by Actor, they are events all the same.
const AlertPrefix = "a-"

// Fresh maps each incident changed between the commits before and after
// to the ids of the timeline entries after has and before had not: the
// events the rules react to. Entries automation wrote itself (by Actor),
// except an alert's, are no events, only counted in own: with a GitHub App's token,
// automation's own pushes start the workflow again. Incidents validate
// rejects at after are left out (package review).
func Fresh(repo *gitstore.Repo, s *config.Settings, before, after string) (fresh map[string][]string, own int, err error) {
	b, err := repo.Resolve(before)
	if err != nil {
		return nil, 0, &RevisionError{"before", before, err}
	}
	e, err := repo.Resolve(after)
	if err != nil {
		return nil, 0, &RevisionError{"after", after, err}
	}
	changed, err := review.Changed(repo, s, b, e)
	if err != nil {
		return nil, 0, err
	}
	fresh = map[string][]string{}
	for _, r := range changed {
		for _, en := range r.Added {
			if en.By == Actor && !strings.HasPrefix(en.ID, AlertPrefix) {
				own++
				continue
			}
			fresh[r.Record.ID] = append(fresh[r.Record.ID], en.ID)
		}
	}
	return fresh, own, nil
}

// PushRange is the runner's description of a GitHub Actions step and the
// commits a push event brought (before..after); a range given already
// (before not empty) is kept.
func PushRange(getenv func(string) string, before, after string) (*ghaction.Run, string, string, error) {
	run, err := ghaction.FromEnv(getenv)
	if err != nil {
		return nil, "", "", err
	}
	if before == "" {
		ev, err := run.Event()
		if err != nil {
			return nil, "", "", err
		}
		if push, ok := ev.(*ghaction.PushEvent); ok {
			before, after = push.Base(), push.After
		}
	}
	return run, before, after, nil
}
