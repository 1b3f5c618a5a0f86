package workspace

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/rotation"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/txn"
)

// Process is what a workspace needs of the process using it to write:
// the clock, the environment, where notices go.
type Process struct {
	Ctx context.Context
	Now func() time.Time
	// Getenv reads SEV_USER, GIT_AUTHOR_*, HOME, SEV_PUSH_TIMEOUT ...;
	// GitEnv is the git CLI's environment (nil: the process's).
	Getenv func(string) string
	GitEnv []string
	// Stderr receives notices (a rotation with nobody on call, a change
	// finished after an interruption); Debugf what --debug shows.
	Stderr io.Writer
	Debugf func(format string, args ...any)
	// AttachmentText reads an attachment's text for sev search and the
	// site's search; nil: attachtext.Extract, in this process.
	AttachmentText func(name string, data []byte) (string, error)
}

// Use sets the process the workspace writes from.
func (ws *Workspace) Use(p Process) {
	ws.proc = p
	if ws.proc.Ctx == nil {
		ws.proc.Ctx = context.Background()
	}
	if ws.proc.Now == nil {
		ws.proc.Now = time.Now
	}
	if ws.proc.Getenv == nil {
		ws.proc.Getenv = os.Getenv
	}
	if ws.proc.Stderr == nil {
		ws.proc.Stderr = io.Discard
	}
	if ws.proc.Debugf == nil {
		ws.proc.Debugf = func(string, ...any) {}
	}
}

// GitUser is git's identity for the repository (gitstore.User).
func (ws *Workspace) GitUser() (string, string) {
	repo, _ := ws.Git(ws.proc.GitEnv)
	return gitstore.User(ws.proc.Ctx, repo, ws.proc.Getenv)
}

// Whoami resolves who makes a change: by, then SEV_USER, then git's
// user.name/user.email (txn.Whoami).
func (ws *Workspace) Whoami(by string) (txn.Identity, error) {
	name, email := ws.GitUser()
	return txn.Whoami(ws.Settings, cmp.Or(by, ws.proc.Getenv("SEV_USER")), name, email, ws.proc.Now())
}

// Ops is the environment package ops works in for this workspace.
func (ws *Workspace) Ops() *ops.Env {
	return &ops.Env{
		Settings: ws.Settings, FS: ws.FS, Now: ws.proc.Now(),
		Rotations: func() ([]*rotation.Rotation, error) {
			rots, _ := ws.Rotations()
			return rots, nil
		},
		Warn: func(format string, args ...any) { fmt.Fprintf(ws.proc.Stderr, "sev: "+format+"\n", args...) },
	}
}

// Store opens the write transaction on the repository.
func (ws *Workspace) Store() (*txn.Store, error) {
	repo, err := ws.Git(ws.proc.GitEnv)
	if err != nil {
		return nil, err
	}
	name, email := ws.GitUser()
	p := ws.proc
	return txn.Open(repo, ws.Settings, txn.Options{Ctx: p.Ctx, Now: p.Now, Getenv: p.Getenv, Stderr: p.Stderr,
		Debugf: p.Debugf, Committer: gitstore.Signature{Name: name, Email: email}}), nil
}

// Write says how a change is recorded.
type Write struct {
	// NoCommit writes the files only.
	NoCommit bool
	// Push pushes at once (also when sev.yaml says push: auto).
	Push bool
	// Again and Fingerprint are the repeated-command guard's (txn.Commit);
	// without a Fingerprint the change's own is used (change.Fingerprint).
	Again       bool
	Fingerprint string
}

// Commit records ch as one commit by me (txn.Store.Commit), or only
// writes its files; restricted is what the caller read of the incident.
func (ws *Workspace) Commit(ch *change.Change, me txn.Identity, w Write, restricted bool) (gitstore.Hash, error) {
	if w.NoCommit {
		return gitstore.ZeroHash, txn.WriteFiles(ws.Root, ws.FS, ws.Settings, ch)
	}
	st, err := ws.Store()
	if err != nil {
		return gitstore.ZeroHash, err
	}
	return st.Commit(txn.Commit{Change: ch, Author: me.Author, Committer: me.Committer, Restricted: restricted,
		Fingerprint: cmp.Or(w.Fingerprint, ch.Fingerprint(me.Handle)), Again: w.Again, Push: w.Push || ws.Settings.Push == "auto"})
}

// WriteFiles records files as given (sev init, postmortem edits) as one
// commit by whoever by names (Whoami), with no timeline entry, and pushes
// it when w.Push or sev.yaml's push: auto asks; with w.NoCommit it only
// writes them to the working tree. head is the commit (zero with
// NoCommit) and pushed whether it was pushed.
func (ws *Workspace) WriteFiles(files map[string][]byte, by string, w Write, msg string) (head gitstore.Hash, pushed bool, err error) {
	if w.NoCommit {
		for _, p := range slices.Sorted(maps.Keys(files)) {
			if err := gitstore.WriteFile(ws.Root, p, files[p]); err != nil {
				return head, false, err
			}
		}
		return head, false, nil
	}
	me, err := ws.Whoami(by)
	if err != nil {
		return head, false, err
	}
	st, err := ws.Store()
	if err != nil {
		return head, false, err
	}
	if head, err = st.CommitFiles(files, me.Author, me.Committer, msg); err != nil {
		return head, false, err
	}
	if !w.Push && ws.Settings.Push != "auto" {
		return head, false, nil
	}
	if err := st.Push(); err != nil {
		return head, false, fmt.Errorf("committed %s, but the push failed: %w", txn.Short(head), err)
	}
	return head, true, nil
}

// Push pushes the current branch, re-applying local changes as needed.
func (ws *Workspace) Push() error {
	st, err := ws.Store()
	if err != nil {
		return err
	}
	return st.Push()
}

// Head is the current commit ("" when there is none).
func (ws *Workspace) Head() string {
	repo, err := ws.Git(ws.proc.GitEnv)
	if err != nil {
		return ""
	}
	_, h, err := repo.Head()
	if err != nil || h.IsZero() {
		return ""
	}
	return h.String()
}

// Handle is the sev handle of a GitHub login: the person in sev.yaml
// whose github field it is, else the login itself.
func (ws *Workspace) Handle(login string) string {
	if p, ok := ws.Settings.Person(login); ok && p.GitHub != "" {
		return p.Handle
	}
	return login
}

// Linked finds the incident whose record links the issue or pull request
// at htmlURL (a link of kind issue or pull), among those that pass the
// gate.
func (ws *Workspace) Linked(htmlURL string) (*incident.Incident, error) {
	want := strings.TrimSuffix(htmlURL, "/")
	recs, _ := ws.LoadAll()
	for _, inc := range recs {
		for _, link := range inc.Links {
			if (link.Kind == "issue" || link.Kind == "pull") && strings.TrimSuffix(link.URL, "/") == want {
				return inc, nil
			}
		}
	}
	return nil, nil
}

// seeded is an ops environment whose entry IDs derive from seed.
func (ws *Workspace) seeded(seed string) *ops.Env {
	env := ws.Ops()
	n := 0
	env.NewID = func() string { n++; return timeline.SeededID(seed, n-1) }
	return env
}

// Record makes op's change on incident id as by, with entry IDs derived
// from seed, commits and pushes it. A change whose first entry is already
// in the timeline (the same event handled before) gives change.ErrNothing.
func (ws *Workspace) Record(id, by, seed string, op func(env *ops.Env, cur *ops.Incident) (*change.Change, error)) (*change.Change, gitstore.Hash, error) {
	me, err := ws.Whoami(by)
	if err != nil {
		return nil, gitstore.ZeroHash, err
	}
	cur, err := ws.Load(id)
	if err != nil {
		return nil, gitstore.ZeroHash, err
	}
	if timeline.Has(cur.Entries, timeline.SeededID(seed, 0)) {
		return nil, gitstore.ZeroHash, change.ErrNothing
	}
	ch, err := op(ws.seeded(seed), cur)
	if err != nil {
		return nil, gitstore.ZeroHash, err
	}
	head, err := ws.Commit(ch, me, Write{Push: true, Fingerprint: seed}, cur.Record.Restricted())
	return ch, head, err
}

// Declare declares an incident as by, with entry IDs derived from seed,
// and commits and pushes it.
func (ws *Workspace) Declare(by, seed string, d ops.Declare) (*change.Change, gitstore.Hash, error) {
	me, err := ws.Whoami(by)
	if err != nil {
		return nil, gitstore.ZeroHash, err
	}
	ch, err := ws.seeded(seed).Declare(me.Handle, d)
	if err != nil {
		return nil, gitstore.ZeroHash, err
	}
	head, err := ws.Commit(ch, me, Write{Push: true, Fingerprint: seed}, ch.Create.Restricted())
	return ch, head, err
}

// Target is what every command that changes an incident starts with: the
// incident query names, read from the working tree for a change, and who
// is making it (by, else SEV_USER, else git's identity).
func (ws *Workspace) Target(query, by string) (*ops.Incident, txn.Identity, error) {
	id, err := ws.Resolve(query)
	if err != nil {
		return nil, txn.Identity{}, err
	}
	inc, err := ws.Load(id)
	if err != nil {
		return nil, txn.Identity{}, err
	}
	me, err := ws.Whoami(by)
	if err != nil {
		return nil, txn.Identity{}, err
	}
	return inc, me, nil
}

// LastCommitTime is the committer time of the current commit, the
// reference time of a build; ok is false without one.
func (ws *Workspace) LastCommitTime() (t time.Time, ok bool) {
	r, err := ws.Git(ws.proc.GitEnv)
	if err != nil {
		return t, false
	}
	_, h, err := r.Head()
	if err != nil || h.IsZero() {
		return t, false
	}
	c, err := r.Commit(h)
	if err != nil {
		return t, false
	}
	return c.Committer.When, true
}

// Repo is the git repository, with the process's git environment.
func (ws *Workspace) Repo() (*gitstore.Repo, error) { return ws.Git(ws.proc.GitEnv) }

// Verify fails when the git object store is damaged (gitstore.Verify);
// a folder outside git has nothing to check. again checks everything as
// if for the first time.
func (ws *Workspace) Verify(again bool) error {
	repo, err := ws.Repo()
	if err != nil {
		return nil
	}
	start := time.Now()
	err = repo.Verify(ws.proc.Ctx, again)
	ws.proc.Debugf("checked the git object store in %v", time.Since(start))
	return err
}

// Now is the clock of the process using the workspace.
func (ws *Workspace) Now() time.Time { return ws.proc.Now() }

// Change is what every command that changes an incident does: op makes
// the change on the incident query names, as whoever by names, and it is
// committed (Commit, with w).
func (ws *Workspace) Change(query, by string, w Write, op func(env *ops.Env, inc *ops.Incident, by string) (*change.Change, error)) (*change.Change, gitstore.Hash, error) {
	inc, me, err := ws.Target(query, by)
	if err != nil {
		return nil, gitstore.ZeroHash, err
	}
	ch, err := op(ws.Ops(), inc, me.Handle)
	if err != nil {
		return nil, gitstore.ZeroHash, err
	}
	head, err := ws.Commit(ch, me, w, inc.Record.Restricted())
	return ch, head, err
}

// DeclareAs declares an incident as whoever by names (Whoami) and commits
// it (Commit, with w).
func (ws *Workspace) DeclareAs(by string, w Write, d ops.Declare) (*change.Change, gitstore.Hash, error) {
	me, err := ws.Whoami(by)
	if err != nil {
		return nil, gitstore.ZeroHash, err
	}
	ch, err := ws.Ops().Declare(me.Handle, d)
	if err != nil {
		return nil, gitstore.ZeroHash, err
	}
	head, err := ws.Commit(ch, me, w, ch.Create.Restricted())
	return ch, head, err
}
