package workspace

import (
	"fmt"

	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/ops"
)

// EditPostmortem runs a postmortem operation (ops.Env.Review,
// AddFollowUp, SetFollowUp, ...) on the incident query names, as whoever
// by names, and records the file it returns as one commit (WriteFiles,
// with w), unless it is unchanged. An *ops.ProblemsError says the
// postmortem's front matter is broken.
func (ws *Workspace) EditPostmortem(query, by string, w Write,
	op func(env *ops.Env, inc *ops.Incident, by string) (*ops.PostmortemChange, error)) (pc *ops.PostmortemChange, head gitstore.Hash, pushed bool, err error) {
	inc, me, err := ws.Target(query, by)
	if err != nil {
		return nil, head, false, err
	}
	if pc, err = op(ws.Ops(), inc, me.Handle); err != nil || pc.Unchanged {
		return pc, head, false, err
	}
	head, pushed, err = ws.WriteFiles(map[string][]byte{pc.Path: pc.Data}, by, w, fmt.Sprintf("postmortem %s: %s", inc.Record.ID, pc.What))
	return pc, head, pushed, err
}
