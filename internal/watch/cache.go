package watch

import (
	"path/filepath"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/filestat"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/validate"
	"github.com/sev-dev/sev/internal/workspace"
)

// Cache remembers, between the rounds of a long-running watcher, which
// incidents were not active and the stat data of their files: a round
// then reads, through the validation gate, only the active incidents and
// those whose record or timeline changed (a status change owes the
// providers a resolution once). Without a Cache every round reads all.
type Cache struct {
	settings string
	dirs     map[string]cached
	said     map[string]bool // problems already logged: a watcher says each once
	// lastRules is when the rules last ran (Options.RulesEvery).
	lastRules time.Time
}

// firstTime reports whether msg is new to this watcher's log.
func (c *Cache) firstTime(msg string) bool {
	if c.said == nil {
		c.said = map[string]bool{}
	}
	if c.said[msg] {
		return false
	}
	c.said[msg] = true
	return true
}

type cached struct {
	rec, tl filestat.Stat
	active  bool
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{dirs: map[string]cached{}} }

// racy is how recent a change must be to be looked at again next round:
// a second change within the file system's time resolution keeps the
// same stat data.
const racy = 2 * time.Second

// incidents reads what a round must plan.
func (c *Cache) incidents(ws *workspace.Workspace, now time.Time) []*validate.Incident {
	s := ws.Settings
	if key := ws.SettingsKey(); key != c.settings {
		c.settings, c.dirs = key, map[string]cached{} // the lifecycle may have changed
	}
	dirs, _ := validate.Dirs(ws.FS, s)
	seen := make(map[string]bool, len(dirs))
	var out []*validate.Incident
	for _, d := range dirs {
		seen[d] = true
		id := filepath.Base(d)
		rec, _ := filestat.Lstat(filepath.Join(ws.Root, filepath.FromSlash(layout.Record(id))))
		tl, _ := filestat.Lstat(filepath.Join(ws.Root, filepath.FromSlash(layout.Timeline(id))))
		old, ok := c.dirs[d]
		fresh := now.Add(-racy).UnixNano()
		if ok && !old.active && old.rec == rec && old.tl == tl && rec.Mtime < fresh && tl.Mtime < fresh {
			continue
		}
		inc, _ := validate.LoadDir(ws.FS, s, d)
		active := false
		if inc != nil {
			st, known := s.Status(inc.Record.Status)
			active = !known || st.Phase == config.PhaseActive
			out = append(out, inc)
		}
		// an incident that does not pass the gate is looked at again
		// every round, until it does
		c.dirs[d] = cached{rec: rec, tl: tl, active: active || inc == nil}
	}
	for d := range c.dirs {
		if !seen[d] {
			delete(c.dirs, d)
		}
	}
	return out
}
