package search

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"

	"github.com/sev-dev/sev/internal/filestat"
	"github.com/sev-dev/sev/internal/searchtext"
)

// fileStat is what is compared to notice that a file may have changed.
type fileStat struct {
	Size  int64  `json:"size"`
	Mtime int64  `json:"mtime"`
	Ctime int64  `json:"ctime"`
	Ino   uint64 `json:"ino"`
}

// Stats says what a Sync did.
type Stats struct {
	Fresh   bool // nothing could have changed; nothing was read
	Checked int  // incident folders and postmortems compared
	Changed int  // documents (re)indexed
	Removed int  // documents removed
	Docs    int  // documents in the main index
}

// Sync brings the index up to date with the working tree. It first asks
// the cheap question — did git's index, a folder listing or a file that
// was being edited change since the last sync? — and only if so compares
// every incident's files by stat data and, where that differs, by git blob
// id, and re-indexes the incidents whose content changed. force skips the
// cheap question. With restricted, restricted incidents are indexed too
// (into their own index).
func (x *Index) Sync(restricted, force bool) (Stats, error) {
	gitStat, gitSum := x.gitIndex()
	if !force && x.fresh(gitStat, gitSum, restricted) {
		err := x.openMain(false)
		if err == nil {
			x.o.Debugf("search index: up to date")
			return Stats{Fresh: true, Docs: x.st.Docs}, nil
		}
		x.o.Debugf("search index: %v", err)
	}
	start := time.Now()
	if err := x.openMain(true); err != nil {
		return Stats{}, err
	}
	man, err := loadManifest(filepath.Join(x.o.Dir, manifestFile))
	if err != nil {
		x.o.Debugf("search index: rebuilding: %v", err)
		if err := x.reset(); err != nil {
			return Stats{}, err
		}
		man = manifest{}
	}
	sc, err := x.scan(man)
	if err != nil {
		return Stats{}, err
	}
	stats, err := x.update(man, sc, restricted)
	if err != nil {
		return stats, err
	}
	if stats.Changed >= mergeAfter {
		if err := x.merge(); err != nil {
			return stats, err
		}
	}
	x.st.GitIndex, x.st.GitSum = gitStat, gitSum
	x.st.Watch = x.watchList(sc, man, gitStat, start)
	x.st.Pending, x.st.Broken = 0, sc.orphans
	for _, e := range man {
		if e.where == wherePending {
			x.st.Pending++
		}
		if e.msg != "" {
			x.st.Broken = append(x.st.Broken, e.msg)
		}
	}
	sort.Strings(x.st.Broken)
	if n, err := x.main.DocCount(); err == nil {
		x.st.Docs = int(n)
	}
	stats.Docs = x.st.Docs
	if err := saveManifest(filepath.Join(x.o.Dir, manifestFile), man); err != nil {
		return stats, err
	}
	if err := x.saveState(); err != nil {
		return stats, err
	}
	x.o.Debugf("search index: indexed %d changed, %d removed (%d incidents checked in %s)",
		stats.Changed, stats.Removed, stats.Checked, time.Since(start).Round(time.Millisecond))
	return stats, nil
}

// mergeAfter is how many documents a sync indexes before it merges the
// main index into one segment: a build leaves a dozen segments, and every
// query pays for each of them.
const mergeAfter = 5000

func (x *Index) merge() error {
	adv, err := x.main.Advanced()
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if s, ok := adv.(*scorch.Scorch); ok {
		if err := s.ForceMerge(context.Background(), &mergeplan.SingleSegmentMergePlanOptions); err != nil {
			return fmt.Errorf("search index: merge: %w", err)
		}
	}
	return nil
}

// Broken lists the files that could not be indexed at the last sync.
func (x *Index) Broken() []string { return x.st.Broken }

func (x *Index) saveState() error {
	b, err := json.Marshal(x.st)
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(x.o.Dir, stateFile), b)
}

// gitIndex reads the stat data and checksum of git's index.
func (x *Index) gitIndex() (fileStat, string) {
	st, ok := lstat(x.o.GitIndexFile)
	if !ok {
		return fileStat{}, ""
	}
	f, err := os.Open(x.o.GitIndexFile)
	if err != nil {
		return st, ""
	}
	defer f.Close()
	var sum [20]byte
	if _, err := f.Seek(-20, io.SeekEnd); err != nil {
		return st, ""
	}
	if _, err := io.ReadFull(f, sum[:]); err != nil {
		return st, ""
	}
	return st, hex.EncodeToString(sum[:])
}

func (x *Index) fresh(gitStat fileStat, gitSum string, restricted bool) bool {
	st := x.st
	if st.GitSum != gitSum || st.GitIndex != gitStat || (restricted && st.Pending > 0) {
		return false
	}
	if len(st.Watch) == 0 {
		return false // never synced
	}
	for _, w := range st.Watch {
		now, _ := lstat(filepath.Join(x.o.Root, filepath.FromSlash(w.Path)))
		if now != w.Stat {
			return false
		}
	}
	return true
}

// watchList is what the next sync's cheap question looks at: the folders
// whose listing changes when an incident or postmortem is added, removed
// or replaced by rename, and the files changed since git's index was last
// written (edits not staged yet), whose next change must be noticed too.
// Files changed in the last second are watched with a zero stat, so the
// next search looks again: their stat data cannot yet tell a second
// change from the first.
func (x *Index) watchList(sc *scanResult, man manifest, gitStat fileStat, start time.Time) []watched {
	w := append([]watched(nil), sc.dirs...)
	racy := start.Add(-time.Second).UnixNano()
	for id, e := range man {
		if e.attDir.Mtime >= racy {
			e.attDir = fileStat{} // changed in the last second: listed again next time
		}
		e.each(id, func(p string, f *fileState) {
			if f.blob == ([20]byte{}) {
				return
			}
			switch {
			case f.stat.Mtime >= racy:
				w = append(w, watched{Path: p, Stat: fileStat{}})
				f.stat = fileStat{}
			case f.stat.Mtime >= gitStat.Mtime:
				w = append(w, watched{Path: p, Stat: f.stat})
			}
		})
	}
	sort.Slice(w, func(i, j int) bool { return w[i].Path < w[j].Path })
	return w
}

// scanResult is the working tree's incident files with their stat data.
type scanResult struct {
	folders map[string]*scanned
	dirs    []watched
	orphans []string
}

type scanned struct {
	year          string
	rec, tl, pm   fileStat
	hasRec, hasTl bool
	hasPm         bool
	attDir        fileStat     // the attachments/ folder; zero when there is none
	att           []scannedAtt // the files in attachments/, by name
}

// scan lists incidents/<year>/<id>/ and postmortems/*.md and stats their
// files, on all cores; man, the last sync's manifest, spares listing
// attachment folders that did not change.
func (x *Index) scan(man manifest) (*scanResult, error) {
	sc := &scanResult{folders: map[string]*scanned{}}
	root := x.o.Root
	watchDir := func(rel string) bool {
		st, ok := lstat(filepath.Join(root, rel))
		sc.dirs = append(sc.dirs, watched{Path: rel, Stat: st})
		return ok
	}
	if watchDir("incidents") {
		years, err := os.ReadDir(filepath.Join(root, "incidents"))
		if err != nil {
			return nil, fmt.Errorf("search index: %w", err)
		}
		for _, y := range years {
			if !y.IsDir() {
				continue
			}
			rel := "incidents/" + y.Name()
			watchDir(rel)
			ids, err := os.ReadDir(filepath.Join(root, rel))
			if err != nil {
				return nil, fmt.Errorf("search index: %w", err)
			}
			for _, id := range ids {
				if id.IsDir() {
					sc.folders[id.Name()] = &scanned{year: y.Name()}
				}
			}
		}
	}
	x.statFolders(sc, man)
	if watchDir("postmortems") {
		pms, err := os.ReadDir(filepath.Join(root, "postmortems"))
		if err != nil {
			return nil, fmt.Errorf("search index: %w", err)
		}
		for _, p := range pms {
			id, ok := strings.CutSuffix(p.Name(), ".md")
			if !ok || p.IsDir() || strings.EqualFold(p.Name(), "README.md") {
				continue
			}
			s := sc.folders[id]
			if s == nil {
				sc.orphans = append(sc.orphans, fmt.Sprintf("postmortems/%s: there is no incident %s; not indexed", p.Name(), id))
				continue
			}
			s.pm, s.hasPm = lstat(filepath.Join(root, "postmortems", p.Name()))
		}
	}
	return sc, nil
}

func (x *Index) statFolders(sc *scanResult, man manifest) {
	byYear := map[string][]string{}
	for id, s := range sc.folders {
		byYear[s.year] = append(byYear[s.year], id)
	}
	var wg sync.WaitGroup
	work := make(chan string)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for year := range work {
				dir := filepath.Join(x.o.Root, "incidents", year)
				fd := filestat.OpenDir(dir)
				for _, id := range byYear[year] {
					s := sc.folders[id]
					s.rec, s.hasRec = lstatAt(fd, dir, id+"/incident.yaml")
					s.tl, s.hasTl = lstatAt(fd, dir, id+"/timeline.yaml")
					s.attDir, s.att = scanAttachments(fd, dir, id, man[id])
				}
				filestat.CloseDir(fd)
			}
		}()
	}
	for y := range byYear {
		work <- y
	}
	close(work)
	wg.Wait()
}

// batchSize is the number of documents per bleve batch: large enough to
// spread analysis over the cores, small enough to keep memory flat.
const batchSize = 1000

// update compares the scan with the manifest and re-indexes what changed.
func (x *Index) update(man manifest, sc *scanResult, restricted bool) (Stats, error) {
	var stats Stats
	var mainB, restB *bleve.Batch
	var restIdx bleve.Index
	if restricted {
		var err error
		if restIdx, err = x.openRestricted(true); err != nil {
			return stats, err
		}
	}
	mainB = x.main.NewBatch()
	if restIdx != nil {
		restB = restIdx.NewBatch()
	}
	var pendingRestDeletes []string
	flush := func(force bool) error {
		if mainB.Size() >= batchSize || (force && mainB.Size() > 0) {
			if err := x.main.Batch(mainB); err != nil {
				return fmt.Errorf("search index: %w", err)
			}
			mainB.Reset()
		}
		if restB != nil && (restB.Size() >= batchSize || (force && restB.Size() > 0)) {
			if err := restIdx.Batch(restB); err != nil {
				return fmt.Errorf("search index: %w", err)
			}
			restB.Reset()
		}
		return nil
	}
	deleteFrom := func(id string, where uint8) {
		switch where {
		case whereMain:
			mainB.Delete(id)
		case whereRestricted:
			if restB != nil {
				restB.Delete(id)
			} else {
				pendingRestDeletes = append(pendingRestDeletes, id)
			}
		}
	}
	for id, e := range man {
		if sc.folders[id] == nil {
			deleteFrom(id, e.where)
			delete(man, id)
			stats.Removed++
		}
	}
	results := x.compare(man, sc, restricted)
	total, done := 0, 0
	for r := range results {
		stats.Checked++
		if r.entry == nil {
			continue
		}
		if r.restat {
			man[r.id] = r.entry
			continue
		}
		if total == 0 {
			total = r.total
		}
		prev := man[r.id]
		prevWhere := uint8(whereNone)
		if prev != nil {
			prevWhere = prev.where
		}
		e := r.entry
		if e.msg != "" {
			x.o.Warnf("%s", e.msg)
		}
		for _, n := range r.notes {
			x.o.Warnf("%s", n)
		}
		switch {
		case r.doc == nil:
			e.where = whereBroken
			stats.Changed--
		case !r.doc.Restricted():
			e.where = whereMain
			mainB.IndexAdvanced(r.bdoc)
		case restB != nil:
			e.where = whereRestricted
			restB.IndexAdvanced(r.bdoc)
		default:
			e.where = wherePending
			stats.Changed--
		}
		if prevWhere != e.where && !(prevWhere == whereRestricted && e.where == wherePending) {
			deleteFrom(r.id, prevWhere)
		}
		man[r.id] = e
		stats.Changed++
		done++
		if err := flush(false); err != nil {
			return stats, err
		}
		if x.o.Progress != nil && done%batchSize == 0 {
			x.o.Progress(done, total)
		}
	}
	if err := flush(true); err != nil {
		return stats, err
	}
	if len(pendingRestDeletes) > 0 {
		return stats, x.deleteRestricted(pendingRestDeletes)
	}
	return stats, nil
}

// deleteRestricted removes incidents that stopped being restricted (or
// were removed) from the restricted index, if there is one.
func (x *Index) deleteRestricted(ids []string) error {
	if _, err := os.Stat(filepath.Join(x.o.Dir, "restricted")); err != nil {
		return nil
	}
	idx, err := x.openRestricted(true)
	if err != nil {
		return err
	}
	b := idx.NewBatch()
	for _, id := range ids {
		b.Delete(id)
	}
	return idx.Batch(b)
}

// compared is one incident folder after comparison: entry is nil when
// nothing changed, doc is nil when the files could not be read.
type compared struct {
	id     string
	entry  *manEntry
	doc    *searchtext.Doc
	bdoc   *document.Document // doc for bleve, when it is to be indexed
	notes  []string           // attachments whose text could not be read, and why
	restat bool               // the same content with new stat data
	total  int                // how many incidents need indexing, when known
}

// compare checks every scanned incident against the manifest on all
// cores and reads, parses and builds the documents of those that changed.
func (x *Index) compare(man manifest, sc *scanResult, restricted bool) <-chan compared {
	type job struct {
		id  string
		old *manEntry
	}
	jobs := make([]job, 0, len(sc.folders))
	for id := range sc.folders {
		jobs = append(jobs, job{id, man[id]}) // the map is written while workers run
	}
	sort.Slice(jobs, func(i, j int) bool { return jobs[i].id < jobs[j].id })
	total := len(jobs)
	if len(man) > 0 {
		total = 0 // unknown until compared: an update, not a build
	}
	// a buffer lets the workers parse and analyse ahead while bleve
	// indexes a batch; the documents in it hold their analysed text, so
	// it is kept short (a batch's worth added 150 MB at 10k)
	out := make(chan compared, 128)
	work := make(chan job, 64)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				c := x.compareOne(j.id, j.old, sc.folders[j.id], restricted)
				c.total = total
				out <- c
			}
		}()
	}
	go func() {
		for _, j := range jobs {
			work <- j
		}
		close(work)
		wg.Wait()
		close(out)
	}()
	return out
}

func (x *Index) compareOne(id string, old *manEntry, s *scanned, restricted bool) compared {
	c := compared{id: id}
	e := &manEntry{year: s.year}
	var data [3][]byte
	changed := old == nil || (restricted && old.where == wherePending)
	now := [3]fileStat{s.rec, s.tl, s.pm}
	has := [3]bool{s.hasRec, s.hasTl, s.hasPm}
	for k, f := range e.files() {
		var prev *fileState
		if old != nil {
			prev = old.files()[k]
		}
		if !has[k] {
			changed = changed || (prev != nil && prev.blob != [20]byte{})
			continue
		}
		f.stat = now[k]
		if prev != nil && prev.stat == now[k] && now[k] != (fileStat{}) {
			f.blob = prev.blob
			continue
		}
		b, err := os.ReadFile(filepath.Join(x.o.Root, filepath.FromSlash(e.path(id, k))))
		if err != nil {
			f.stat = fileStat{} // look again next time
			continue
		}
		data[k] = b
		f.blob = x.o.HashBlob(b)
		changed = changed || prev == nil || f.blob != prev.blob
	}
	var oldAtt []attState
	if old != nil {
		oldAtt = old.att
	}
	e.attDir = s.attDir
	changed = x.compareAttachments(id, e, oldAtt, s.att) || changed
	if !changed {
		if old.rec.stat != e.rec.stat || old.tl.stat != e.tl.stat || old.pm.stat != e.pm.stat || old.attDir != e.attDir || !sameStats(old.att, e.att) {
			e.where, e.msg = old.where, old.msg
			c.entry, c.restat = e, true
		}
		return c
	}
	c.entry = e
	var names []string
	c.doc, names, e.msg = x.readDoc(id, e)
	if c.doc != nil && (restricted || !c.doc.Restricted()) {
		// here, on all cores; and only for a document that is indexed
		c.doc.Attachments, c.notes = x.attachmentText(id, names)
		c.bdoc = bleveDoc(c.doc, x.syn)
	}
	return c
}
