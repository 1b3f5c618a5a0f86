package workspace

import (
	"fmt"
	"path/filepath"
	"sync"

	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/search"
	"github.com/sev-dev/sev/internal/searchtext"
)

// Search opens the repository's search index (.git/sev/search) and brings
// it up to date: the restricted index too with restricted, every file
// compared with refresh. progress, when set, is told how far a build is;
// broken counts the files that could not be indexed.
func (ws *Workspace) Search(restricted, refresh bool, progress func(done, total int)) (idx *search.Index, broken int, err error) {
	repo, err := ws.Git(ws.proc.GitEnv)
	if err != nil {
		return nil, 0, err
	}
	var mu sync.Mutex
	opts := search.Options{
		Root: ws.Root, Dir: filepath.Join(repo.GitDir, "sev", "search"), GitIndexFile: repo.IndexFile(),
		HashBlob: func(b []byte) [20]byte { return gitstore.HashBlob(b) },
		Debugf:   ws.proc.Debugf,
		Settings: ws.Settings, SettingsKey: ws.SettingsKey(),
		Warnf: func(format string, args ...any) {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(ws.proc.Stderr, "sev: warning: "+format+"\n", args...)
		},
		Progress:       progress,
		AttachmentText: ws.proc.AttachmentText,
	}
	idx, err = search.Open(opts)
	if err != nil {
		return nil, 0, err
	}
	if _, err := idx.Sync(restricted, refresh); err != nil {
		idx.Close()
		return nil, 0, err
	}
	return idx, len(idx.Broken()), nil
}

// Query parses a search query with the repository's severities, statuses
// and time zone, and gives its words their synonyms (search.synonyms); a
// mistake in it is a *searchtext.QueryError.
func (ws *Workspace) Query(text string) (*searchtext.Query, error) {
	s := ws.Settings
	q, err := searchtext.ParseQuery(text, searchtext.Vocabulary{Severity: s.ParseSeverity, Statuses: s.StatusNames(), Location: s.Location()})
	if err == nil {
		searchtext.NewSynonyms(s.Search.Synonyms).Expand(q)
	}
	return q, err
}

// Searched runs do on the repository's index, brought up to date first
// (Search), and names each hit's severity as sev.yaml does.
func (ws *Workspace) Searched(restricted, refresh bool, progress func(done, total int),
	do func(*search.Index) (*search.Result, error)) (res *search.Result, broken int, err error) {
	idx, broken, err := ws.Search(restricted, refresh, progress)
	if err != nil {
		return nil, 0, err
	}
	defer idx.Close()
	if res, err = do(idx); err != nil {
		return nil, broken, err
	}
	for i := range res.Hits {
		res.Hits[i].SevName = ws.Settings.SeverityName(res.Hits[i].Severity)
	}
	return res, broken, nil
}
