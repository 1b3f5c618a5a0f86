package cli

import (
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/timeline"
)

// pushPatience is how long a push keeps re-applying and retrying while
// others push to the same branch. A count of attempts is the wrong bound:
// with fifty responders pushing at once each attempt can lose the race,
// and giving up after a few seconds reported an entry as failed that the
// next attempt would have landed. SEV_PUSH_TIMEOUT (a Go duration) changes
// it.
const pushPatience = 2 * time.Minute

func (a *app) pushCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "push",
		Short: "Push what was committed, re-applying it on top of a remote that moved",
		Long: `push sends the current branch to the remote (sev.yaml's remote, default
origin). When others pushed first, it fetches their commits and re-applies
each local sev change on top of them — appending the same timeline entries
to the newer files — then tries again with a jittered backoff. It reports
success only when the remote accepted the push.`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.open()
			if err != nil {
				return err
			}
			if err := a.pushNow(ws); err != nil {
				return err
			}
			branch, head, _ := ws.repo.Head()
			fmt.Fprintf(a.stdout, "pushed %s to %s/%s\n", short(head), ws.settings.Remote, branch.Short())
			return nil
		},
	}
}

// pushNow pushes the current branch, re-applying local changes as needed.
func (a *app) pushNow(ws *workspace) error {
	repo, err := ws.gitRepo(a.env)
	if err != nil {
		return err
	}
	w := &writer{a: a, ws: ws, repo: repo, dir: path.Join(repo.GitDir, "sev")}
	unlock, err := w.lock()
	if err != nil {
		return err
	}
	defer unlock()
	return w.pushLoop()
}

func short(h plumbing.Hash) string { return h.String()[:7] }

// pushLoop pushes, and on rejection fetches, re-applies the local changes
// on the new remote tip and tries again.
func (w *writer) pushLoop() error {
	remote := w.ws.settings.Remote
	patience := pushPatience
	if v := w.a.getenv("SEV_PUSH_TIMEOUT"); v != "" {
		if d, err := time.ParseDuration(v); err == nil && d > 0 {
			patience = d
		}
	}
	start := time.Now()
	for attempt := 1; ; attempt++ {
		branch, head, err := w.repo.Head()
		if err != nil {
			return err
		}
		err = w.repo.Push(w.a.ctx, remote, branch)
		if err == nil {
			return nil
		}
		if !errors.Is(err, gitstore.ErrRejected) {
			return err
		}
		if time.Since(start) > patience {
			return fmt.Errorf("%w; still rejected after %d attempts in %s, as others kept pushing", err, attempt, patience)
		}
		tip, err := w.repo.Fetch(w.a.ctx, remote, branch)
		if err != nil {
			return err
		}
		if err := w.rebaseOnto(branch, head, tip); err != nil {
			return err
		}
		time.Sleep(jitter(attempt))
	}
}

// rebaseOnto re-applies the local commits after the merge base with tip on
// top of tip, then moves the branch, working tree and index there.
func (w *writer) rebaseOnto(branch plumbing.ReferenceName, head, tip plumbing.Hash) error {
	if ok, err := w.repo.IsAncestor(tip, head); err != nil || ok {
		return err // the remote was only busy; push again as is
	}
	local, err := w.localCommits(head, tip)
	if err != nil {
		return err
	}
	base := tip
	for _, c := range local {
		if next, ok, err := w.reapplyPostmortem(base, c); ok || err != nil {
			if err != nil {
				return err
			}
			base = next
			continue
		}
		ch, err := w.changeOf(c)
		if err != nil {
			return err
		}
		next, err := w.reapply(base, ch, c)
		if err != nil {
			return err
		}
		base = next
	}
	if err := w.repo.Sync(head, base, "", w.locker()); err != nil {
		return err
	}
	err = w.repo.UpdateRef(branch, head, base, w.signatureNow(), "sev push: re-apply on "+short(tip), w.locker())
	if err != nil {
		if serr := w.repo.Sync(base, head, "", w.locker()); serr != nil {
			return fmt.Errorf("%w (and restoring the working tree failed: %v)", err, serr)
		}
	}
	return err
}

func (w *writer) signatureNow() gitstore.Signature {
	name, email := w.a.gitUser(w.ws)
	return gitstore.Signature{Name: first(name, "sev"), Email: first(email, "sev@sev.invalid"), When: w.a.now()}
}

// localCommits lists the commits on head's first-parent line that tip does
// not have, oldest first.
func (w *writer) localCommits(head, tip plumbing.Hash) ([]*object.Commit, error) {
	hs, err := w.repo.Unmerged(w.a.ctx, head, tip, 1000)
	if err != nil {
		return nil, fmt.Errorf("%w; push them with git", err)
	}
	out := make([]*object.Commit, 0, len(hs))
	for _, h := range hs {
		c, err := w.repo.Commit(h)
		if err != nil {
			return nil, err
		}
		if len(c.ParentHashes) > 1 {
			return nil, fmt.Errorf("local commit %s is a merge; run \"git pull --rebase\", then \"sev push\"", short(h))
		}
		out = append(out, c)
	}
	return out, nil
}

// changeOf recovers the sev change a local commit made: the timeline
// entries it appended, the record it created and the files it added.
// Commits that changed anything else cannot be re-applied safely.
func (w *writer) changeOf(c *object.Commit) (*change.Change, error) {
	var parent plumbing.Hash
	if len(c.ParentHashes) == 1 {
		parent = c.ParentHashes[0]
	}
	changed, err := w.repo.Changed(parent, c.Hash, "")
	if err != nil {
		return nil, err
	}
	notSev := fmt.Errorf("local commit %s (%q) is not a sev change; run \"git pull --rebase\", then \"sev push\"",
		short(c.Hash), firstLine(c.Message))
	id := ""
	for p := range changed {
		parts := strings.Split(p, "/")
		if len(parts) < 4 || parts[0] != layout.Incidents || (id != "" && parts[2] != id) {
			return nil, notSev
		}
		id = parts[2]
	}
	if id == "" {
		return nil, notSev
	}
	newTree, err := w.repo.Tree(c.Hash)
	if err != nil {
		return nil, err
	}
	oldTree, err := w.repo.Tree(parent)
	if err != nil {
		return nil, err
	}
	ch := &change.Change{Incident: id, Files: map[string][]byte{}}
	for p, h := range changed {
		data, _, err := w.repo.ReadFile(newTree, p)
		if err != nil {
			return nil, err
		}
		_, existed, err := w.repo.ReadFile(oldTree, p)
		if err != nil {
			return nil, err
		}
		switch {
		case h.IsZero():
			return nil, notSev
		case p == layout.Timeline(id):
			before, _, _ := w.repo.ReadFile(oldTree, p)
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
	// Only a commit that is exactly its entries applied to its parent can be
	// re-applied; anything else (a hand edit of the record, say) would be
	// lost, so it is refused.
	redo, err := ch.Apply(w.ws.settings, func(p string) ([]byte, bool, error) { return w.repo.ReadFile(oldTree, p) })
	if err != nil {
		return nil, notSev
	}
	for p := range changed {
		data, _, err := w.repo.ReadFile(newTree, p)
		if err != nil {
			return nil, err
		}
		if string(redo[p]) != string(data) {
			return nil, notSev
		}
	}
	return ch, nil
}

// reapply applies ch on top of base as a new commit with c's author and
// message. A declaration whose ID was taken on the remote meanwhile moves
// to the next free ID (-2, -3, ...).
func (w *writer) reapply(base plumbing.Hash, ch *change.Change, c *object.Commit) (plumbing.Hash, error) {
	tree, err := w.repo.Tree(base)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	read := func(p string) ([]byte, bool, error) { return w.repo.ReadFile(tree, p) }
	msg := w.messageOn(read, ch, c.Message)
	for n := 2; ; n++ {
		files, err := ch.Apply(w.ws.settings, read)
		if errors.Is(err, change.ErrNothing) {
			return base, nil
		}
		if errors.Is(err, change.ErrExists) && n < 100 {
			oldID := ch.Incident
			ch = renamed(ch, fmt.Sprintf("%s-%d", strings.TrimSuffix(oldID, fmt.Sprintf("-%d", n-1)), n))
			msg = w.messageOn(read, ch, strings.ReplaceAll(msg, oldID, ch.Incident))
			fmt.Fprintf(w.a.stderr, "sev: %s was declared by someone else meanwhile; yours is now %s\n", oldID, ch.Incident)
			continue
		}
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("re-apply %s on the remote: %w", short(c.Hash), err)
		}
		author := gitstore.Signature{Name: c.Author.Name, Email: c.Author.Email, When: c.Author.When}
		next, _, err := w.commitFiles(base, files, author, msg)
		return next, err
	}
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
func (w *writer) messageOn(read change.ReadFunc, ch *change.Change, original string) string {
	restricted := ch.Create != nil && ch.Create.Restricted()
	if data, ok, err := read(layout.Record(ch.Incident)); err == nil && ok {
		// fail closed: a record that does not parse may be restricted
		if rec, _, diags := incident.Parse(layout.Record(ch.Incident), data); diags.Errors() > 0 || rec.Restricted() {
			restricted = true
		}
	}
	for _, e := range ch.Entries {
		if e.Type == timeline.Set && e.Field == "visibility" && e.Value != "public" && e.Value != "internal" {
			restricted = true
		}
	}
	if restricted {
		return ch.Message(true)
	}
	return original
}

// reapplyPostmortem re-applies a commit that changed only one postmortem
// (sev postmortem, sev followup). A postmortem is prose, not an
// append-only list, so it is carried over whole, and only when nobody
// changed the same postmortem on the remote meanwhile; otherwise the
// person merges it with git. ok is false for any other kind of commit.
func (w *writer) reapplyPostmortem(base plumbing.Hash, c *object.Commit) (next plumbing.Hash, ok bool, err error) {
	if len(c.ParentHashes) != 1 {
		return base, false, nil
	}
	parent := c.ParentHashes[0]
	changed, err := w.repo.Changed(parent, c.Hash, "")
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
		tree, err := w.repo.Tree(commit)
		if err != nil {
			return nil, false, err
		}
		return w.repo.ReadFile(tree, p)
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
	next, _, err = w.commitFiles(base, map[string][]byte{p: after}, author, c.Message)
	return next, true, err
}
