package workspace

import (
	"context"
	"fmt"
	"strings"

	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/importer"
	"github.com/sev-dev/sev/internal/layout"
)

// Import records what a source gave (importer.Record) as one commit by
// whoever by names: under sev's lock it reads what the repository holds,
// plans the changes (a second import of the same source only appends
// what is new) and commits the files, pushing when w or sev.yaml asks.
// With dry it only plans; with w.NoCommit it only writes the files.
func (ws *Workspace) Import(system string, recs []importer.Record, by string, w Write, dry bool) (res *importer.Result, head gitstore.Hash, pushed bool, err error) {
	compute := func() (map[string][]byte, string, error) {
		ex := importer.Scan(ws.FS, ws.Settings)
		res = importer.Build(ws.Settings, ex, recs, ws.Now()).Apply(ws.Settings, ws.ReadWorktree)
		return res.Files, res.Summary(system) + "\n", nil
	}
	if dry || w.NoCommit {
		_, _, err := compute()
		if err != nil || dry {
			return res, head, false, err
		}
		_, _, err = ws.WriteFiles(res.Files, by, w, "")
		return res, head, false, err
	}
	repo, err := ws.Repo()
	if err != nil {
		return nil, head, false, err
	}
	// An import commits what it computes from the working tree: files
	// there that git does not have (an interrupted import, a hand edit)
	// would be committed as if imported, so they come first.
	dirty, err := repo.Dirty(context.Background(), layout.Incidents, layout.Postmortems)
	if err != nil {
		return nil, head, false, err
	}
	if len(dirty) > 0 {
		return nil, head, false, fmt.Errorf("the working tree has changes git has not committed, which an import would mix with its own:\n  %s\ncommit them (git add incidents postmortems && git commit), or remove them (git stash -u), and import again",
			strings.Join(dirty, "\n  "))
	}
	me, err := ws.Whoami(by)
	if err != nil {
		return nil, head, false, err
	}
	st, err := ws.Store()
	if err != nil {
		return nil, head, false, err
	}
	if head, err = st.CommitComputed(compute, me.Author, me.Committer); err != nil || head.IsZero() {
		return res, head, false, err
	}
	if !w.Push && ws.Settings.Push != "auto" {
		return res, head, false, nil
	}
	if err := st.Push(); err != nil {
		return res, head, false, fmt.Errorf("committed %s, but the push failed: %w", head.String()[:7], err)
	}
	return res, head, true, nil
}
