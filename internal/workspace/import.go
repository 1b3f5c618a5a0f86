package workspace

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
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
	all, err := repo.Dirty(context.Background(), layout.Incidents, layout.Postmortems)
	if err != nil {
		return nil, head, false, err
	}
	// sev's own temporary files, left by a write that was killed, are
	// removed under the lock (where no sev is writing); anything else is
	// someone's work
	var dirty, stale []string
	for _, p := range all {
		if strings.HasPrefix(path.Base(p), gitstore.TempPrefix) {
			stale = append(stale, p)
		} else {
			dirty = append(dirty, p)
		}
	}
	if len(dirty) > 20 {
		dirty = append(dirty[:20], fmt.Sprintf("... and %d more", len(dirty)-20))
	}
	if len(dirty) > 0 {
		return nil, head, false, fmt.Errorf("the working tree has changes git has not committed, which an import would mix with its own:\n  %s\nif an import was interrupted, these are its files: remove them (git clean -fd -- incidents postmortems) and import again; otherwise commit your work (git add incidents postmortems && git commit) or put it aside (git stash -u) first",
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
	cleanThenCompute := func() (map[string][]byte, string, error) {
		for _, p := range stale {
			full := filepath.Join(ws.Root, filepath.FromSlash(p))
			if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, "", err
			}
			// and the folders the killed write made for them, while
			// empty: an empty incident folder would take its ID
			for d := filepath.Dir(full); d != ws.Root && os.Remove(d) == nil; d = filepath.Dir(d) {
			}
		}
		return compute()
	}
	if head, err = st.CommitComputed(cleanThenCompute, me.Author, me.Committer); err != nil || head.IsZero() {
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
