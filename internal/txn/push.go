package txn

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/workers"
)

// pushPatience is how long a push keeps re-applying and retrying while
// others push to the same branch. A count of attempts is the wrong bound:
// with fifty responders pushing at once each attempt can lose the race,
// and giving up after a few seconds reported an entry as failed that the
// next attempt would have landed. SEV_PUSH_TIMEOUT (a Go duration) changes
// it.
const pushPatience = 2 * time.Minute

// pushLoop pushes, and on rejection fetches, re-applies the local changes
// on the new remote tip and tries again.
func (s *Store) pushLoop() error {
	remote := s.settings.Remote
	patience := pushPatience
	if v := s.getenv("SEV_PUSH_TIMEOUT"); v != "" {
		if d, err := time.ParseDuration(v); err == nil && d > 0 {
			patience = d
		}
	}
	start := time.Now()
	for attempt := 1; ; attempt++ {
		branch, head, err := s.git.Head()
		if err != nil {
			return err
		}
		err = s.git.Push(s.ctx, remote, branch)
		if err == nil {
			return nil
		}
		if err := explainNoRemote(err); err != nil {
			return err
		}
		if !errors.Is(err, gitstore.ErrRejected) {
			return err
		}
		if time.Since(start) > patience {
			return fmt.Errorf("%w; still rejected after %d attempts in %s, as others kept pushing", err, attempt, patience)
		}
		tip, err := s.git.Fetch(s.ctx, remote, branch)
		if err != nil {
			return err
		}
		if err := s.rebaseOnto(branch, head, tip); err != nil {
			return err
		}
		time.Sleep(jitter(attempt))
	}
}

// explainNoRemote says how to add the remote a push found missing; nil
// for any other error.
func explainNoRemote(err error) error {
	var nr *gitstore.NoRemoteError
	if !errors.As(err, &nr) {
		return nil
	}
	return fmt.Errorf("%w; add one with \"git remote add %s URL\" (or set remote: in sev.yaml)", err, nr.Name)
}

// rebaseOnto re-applies the local commits after the merge base with tip on
// top of tip, then moves the branch, working tree and index there.
func (s *Store) rebaseOnto(branch plumbing.ReferenceName, head, tip plumbing.Hash) error {
	if ok, err := s.git.IsAncestor(tip, head); err != nil || ok {
		return err // the remote was only busy; push again as is
	}
	local, err := s.localCommits(head, tip)
	if err != nil {
		return err
	}
	base := tip
	for _, c := range local {
		if next, ok, err := s.reapplyPostmortem(base, c); ok || err != nil {
			if err != nil {
				return err
			}
			base = next
			continue
		}
		changes, err := s.changesOf(c)
		if err != nil {
			return err
		}
		var next plumbing.Hash
		if len(changes) == 1 {
			next, err = s.reapply(base, changes[0], c)
		} else {
			next, err = s.reapplyBatch(base, changes, c)
		}
		if err != nil {
			return err
		}
		base = next
	}
	if err := s.git.Sync(head, base, "", s.locker()); err != nil {
		return err
	}
	err = s.git.UpdateRef(branch, head, base, s.signatureNow(), "sev push: re-apply on "+Short(tip), s.locker())
	if err != nil {
		if serr := s.git.Sync(base, head, "", s.locker()); serr != nil {
			return fmt.Errorf("%w (and restoring the working tree failed: %v)", err, serr)
		}
	}
	return err
}

// localCommits lists the commits on head's first-parent line that tip does
// not have, oldest first.
func (s *Store) localCommits(head, tip plumbing.Hash) ([]*object.Commit, error) {
	hs, err := s.git.Unmerged(s.ctx, head, tip, 1000)
	if err != nil {
		return nil, fmt.Errorf("%w; push them with git", err)
	}
	out := make([]*object.Commit, 0, len(hs))
	for _, h := range hs {
		c, err := s.git.Commit(h)
		if err != nil {
			return nil, err
		}
		if len(c.ParentHashes) > 1 {
			return nil, fmt.Errorf("local commit %s is a merge; run \"git pull --rebase\", then \"sev push\"", Short(h))
		}
		out = append(out, c)
	}
	return out, nil
}

// changesOf recovers the sev changes a local commit made, one per
// incident (a bulk edit changes several in one commit): the timeline
// entries it appended, the record it created and the files it added.
// Commits that changed anything else cannot be re-applied safely.
func (s *Store) changesOf(c *object.Commit) ([]*change.Change, error) {
	var parent plumbing.Hash
	if len(c.ParentHashes) == 1 {
		parent = c.ParentHashes[0]
	}
	changed, err := s.git.Changed(parent, c.Hash, "")
	if err != nil {
		return nil, err
	}
	notSev := fmt.Errorf("local commit %s (%q) is not a sev change; run \"git pull --rebase\", then \"sev push\"",
		Short(c.Hash), firstLine(c.Message))
	byIncident := map[string]map[string]plumbing.Hash{}
	for p, h := range changed {
		// a file inside an incident's folder (not the folder itself, nor
		// a postmortem)
		id, ok := layout.IncidentOf(p)
		if !ok || !strings.HasPrefix(p, layout.Incidents+"/") || strings.Count(p, "/") < 3 {
			return nil, notSev
		}
		if byIncident[id] == nil {
			byIncident[id] = map[string]plumbing.Hash{}
		}
		byIncident[id][p] = h
	}
	if len(byIncident) == 0 {
		return nil, notSev
	}
	newTree, err := s.git.Tree(c.Hash)
	if err != nil {
		return nil, err
	}
	oldTree, err := s.git.Tree(parent)
	if err != nil {
		return nil, err
	}
	var changes []*change.Change
	for _, id := range slices.Sorted(maps.Keys(byIncident)) {
		ch, err := s.changeIn(id, byIncident[id], oldTree, newTree, notSev)
		if err != nil {
			return nil, err
		}
		changes = append(changes, ch)
	}
	// Only a commit that is exactly its entries applied to its parent can be
	// re-applied; anything else (a hand edit of the record, say) would be
	// lost, so it is refused.
	redo, err := change.ApplyAll(changes, s.settings, func(p string) ([]byte, bool, error) { return s.git.ReadFile(oldTree, p) })
	if err != nil {
		return nil, notSev
	}
	for p := range changed {
		data, _, err := s.git.ReadFile(newTree, p)
		if err != nil {
			return nil, err
		}
		if string(redo[p]) != string(data) {
			return nil, notSev
		}
	}
	return changes, nil
}

// changeIn is the change a commit made to one incident, from the paths
// of its folder that changed between oldTree and newTree.
func (s *Store) changeIn(id string, changed map[string]plumbing.Hash, oldTree, newTree *object.Tree, notSev error) (*change.Change, error) {
	ch := &change.Change{Incident: id, Files: map[string][]byte{}}
	for p, h := range changed {
		data, _, err := s.git.ReadFile(newTree, p)
		if err != nil {
			return nil, err
		}
		_, existed, err := s.git.ReadFile(oldTree, p)
		if err != nil {
			return nil, err
		}
		switch {
		case h.IsZero():
			return nil, notSev
		case p == layout.Timeline(id):
			before, _, _ := s.git.ReadFile(oldTree, p)
			old, _, _ := timeline.Parse(p, before)
			now, _, diags := timeline.Parse(p, data)
			if diags.Errors() > 0 {
				return nil, notSev
			}
			for _, e := range now {
				if !timeline.Has(old, e.ID) {
					ch.Entries = append(ch.Entries, e)
				}
			}
		case p == layout.Record(id):
			if !existed {
				rec, _, diags := incident.Parse(p, data)
				if diags.Errors() > 0 {
					return nil, notSev
				}
				ch.Create = rec
			}
		case !existed:
			ch.Files[p] = data
		default:
			return nil, notSev
		}
	}
	return ch, nil
}

// reapply applies ch on top of base as a new commit with c's author and
// message. A declaration whose ID was taken on the remote meanwhile moves
// to the next free ID (-2, -3, ...).
func (s *Store) reapply(base plumbing.Hash, ch *change.Change, c *object.Commit) (plumbing.Hash, error) {
	tree, err := s.git.Tree(base)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	read := func(p string) ([]byte, bool, error) { return s.git.ReadFile(tree, p) }
	msg := s.messageOn(read, ch, c.Message)
	for n := 2; ; n++ {
		files, err := ch.Apply(s.settings, read)
		if errors.Is(err, change.ErrNothing) {
			return base, nil
		}
		if errors.Is(err, change.ErrExists) && n < 100 {
			oldID := ch.Incident
			ch = renamed(ch, fmt.Sprintf("%s-%d", strings.TrimSuffix(oldID, fmt.Sprintf("-%d", n-1)), n))
			msg = s.messageOn(read, ch, strings.ReplaceAll(msg, oldID, ch.Incident))
			fmt.Fprintf(s.stderr, "sev: %s was declared by someone else meanwhile; yours is now %s\n", oldID, ch.Incident)
			continue
		}
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("re-apply %s on the remote: %w", Short(c.Hash), err)
		}
		author := gitstore.Signature{Name: c.Author.Name, Email: c.Author.Email, When: c.Author.When}
		next, _, err := s.commitFiles(base, files, author, s.signatureNow(), msg)
		return next, err
	}
}

// reapplyBatch applies a bulk edit's changes on top of base as one new
// commit with c's author; its message is made again for base, where an
// incident may have become restricted. Changes that landed already are
// left out.
func (s *Store) reapplyBatch(base plumbing.Hash, changes []*change.Change, c *object.Commit) (plumbing.Hash, error) {
	tree, err := s.git.Tree(base)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	read := func(p string) ([]byte, bool, error) { return s.git.ReadFile(tree, p) }
	files, err := change.ApplyAll(changes, s.settings, read)
	if errors.Is(err, change.ErrNothing) {
		return base, nil
	}
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("re-apply %s on the remote: %w", Short(c.Hash), err)
	}
	restricted := map[string]bool{}
	for _, ch := range changes {
		restricted[ch.Incident] = s.restrictedOn(read, ch) || s.restrictedOn(readFrom(files), ch)
	}
	msg := change.BatchMessage(changes, func(id string) bool { return restricted[id] })
	author := gitstore.Signature{Name: c.Author.Name, Email: c.Author.Email, When: c.Author.When}
	next, _, err := s.commitFiles(base, files, author, s.signatureNow(), msg)
	return next, err
}

func renamed(ch *change.Change, id string) *change.Change {
	out := &change.Change{Incident: id, Entries: ch.Entries, Files: map[string][]byte{}}
	if ch.Create != nil {
		rec := *ch.Create
		rec.ID = id
		out.Create = &rec
	}
	for p, data := range ch.Files {
		out.Files[strings.Replace(p, layout.Dir(ch.Incident), layout.Dir(id), 1)] = data
	}
	return out
}

// messageOn is the commit message for re-applying ch on a version of the
// repository: the original one, unless the incident is restricted there
// (someone restricted it meanwhile), in which case it names only the ID
// and the entry types.
func (s *Store) messageOn(read change.ReadFunc, ch *change.Change, original string) string {
	if s.restrictedOn(read, ch) {
		return ch.Message(true)
	}
	return original
}

// restrictedOn reports whether ch's incident is restricted in the version
// read gives, or ch restricts it.
func (s *Store) restrictedOn(read change.ReadFunc, ch *change.Change) bool {
	if ch.Create != nil && ch.Create.Restricted() {
		return true
	}
	if data, ok, err := read(layout.Record(ch.Incident)); err == nil && ok {
		// fail closed: a record that does not parse may be restricted
		if rec, _, diags := incident.Parse(layout.Record(ch.Incident), data); diags.Errors() > 0 || rec.Restricted() {
			return true
		}
	}
	for _, e := range ch.Entries {
		if e.Type == timeline.Set && e.Field == "visibility" && e.Value != "public" && e.Value != "internal" {
			return true
		}
	}
	return false
}

// message is the commit message for the journal's change on the working
// tree, whose result is files. The subject names only the ID when the
// incident is restricted before or after the change, whatever the caller
// thought; a batch names only IDs anyway, and says what was recorded
// only when none of its incidents is restricted.
func (s *Store) message(j *journal, files map[string][]byte) string {
	if j.Change != nil {
		msg := s.messageOn(s.readWorktree, j.Change, j.Change.Message(j.Restricted))
		return s.messageOn(readFrom(files), j.Change, msg)
	}
	restricted := make([]bool, len(j.Batch))
	workers.Each(len(j.Batch), func(i int) {
		ch := j.Batch[i]
		restricted[i] = j.Restricted || s.restrictedOn(s.readWorktree, ch) || s.restrictedOn(readFrom(files), ch)
	})
	byID := map[string]bool{}
	for i, ch := range j.Batch {
		byID[ch.Incident] = restricted[i]
	}
	return change.BatchMessage(j.Batch, func(id string) bool { return byID[id] })
}

// reapplyPostmortem re-applies a commit that changed only one postmortem
// (sev postmortem, sev followup). A postmortem is prose, not an
// append-only list, so it is carried over whole, and only when nobody
// changed the same postmortem on the remote meanwhile; otherwise the
// person merges it with git. ok is false for any other kind of commit.
func (s *Store) reapplyPostmortem(base plumbing.Hash, c *object.Commit) (next plumbing.Hash, ok bool, err error) {
	if len(c.ParentHashes) != 1 {
		return base, false, nil
	}
	parent := c.ParentHashes[0]
	changed, err := s.git.Changed(parent, c.Hash, "")
	if err != nil || len(changed) != 1 {
		return base, false, err
	}
	var p string
	for p = range changed {
	}
	id, isMD := strings.CutSuffix(strings.TrimPrefix(p, layout.Postmortems+"/"), ".md")
	if !isMD || p != layout.Postmortem(id) || changed[p].IsZero() {
		return base, false, nil
	}
	read := func(commit plumbing.Hash) ([]byte, bool, error) {
		tree, err := s.git.Tree(commit)
		if err != nil {
			return nil, false, err
		}
		return s.git.ReadFile(tree, p)
	}
	before, existed, err := read(parent)
	if err != nil {
		return base, true, err
	}
	remote, onRemote, err := read(base)
	if err != nil {
		return base, true, err
	}
	after, _, err := read(c.Hash)
	if err != nil {
		return base, true, err
	}
	switch {
	case onRemote && string(remote) == string(after):
		return base, true, nil // the same change landed already
	case existed != onRemote || string(before) != string(remote):
		return base, true, fmt.Errorf("%s was also changed on the remote; run \"git pull --rebase\", merge the two versions, then \"sev push\"", p)
	}
	author := gitstore.Signature{Name: c.Author.Name, Email: c.Author.Email, When: c.Author.When}
	next, _, err = s.commitFiles(base, map[string][]byte{p: after}, author, s.signatureNow(), c.Message)
	return next, true, err
}
