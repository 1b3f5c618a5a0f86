package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/ghaction"
	"github.com/sev-dev/sev/internal/ghapi"
	"github.com/sev-dev/sev/internal/ghflow"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/txn"
)

// The GitHub commands run inside a workflow (see docs/github.md): they read
// the event the runner saved, act through the GitHub API with the
// workflow's token, and record changes as commits like any other command.

func (a *app) githubCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "github",
		Short: "What sev's GitHub workflows run: ChatOps comments, issue-form intake, pull request reviews",
		Long: `These commands run inside GitHub Actions (the workflows that "sev init"
writes). They read the event from GITHUB_EVENT_PATH and call the GitHub API
with GITHUB_TOKEN; run them elsewhere with the same variables set to replay
an event.`,
	}
	c.AddCommand(a.githubCommentCmd(), a.githubIntakeCmd(), a.githubReviewCmd())
	return c
}

// ghRun is what every GitHub command starts from: the runner's
// description of the step, its event and an API client.
type ghRun struct {
	run   *ghaction.Run
	event ghaction.Event
	api   *ghapi.Client
}

func (a *app) githubRun() (*ghRun, error) {
	run, err := ghaction.FromEnv(a.getenv)
	if err != nil {
		return nil, err
	}
	ev, err := run.Event()
	if err != nil {
		return nil, err
	}
	repo, err := ghapi.ParseRepo(run.Repository)
	if err != nil {
		return nil, fmt.Errorf("GITHUB_REPOSITORY: %w", err)
	}
	token := a.getenv("GITHUB_TOKEN")
	if token == "" {
		return nil, fmt.Errorf("GITHUB_TOKEN is not set; pass the workflow's token to the step (env: GITHUB_TOKEN: ${{ github.token }})")
	}
	api, err := ghapi.New(ghapi.Options{Repo: repo, Token: token, BaseURL: run.APIURL, Now: a.now})
	if err != nil {
		return nil, err
	}
	return &ghRun{run: run, event: ev, api: api}, nil
}

// handleOf is the sev handle of a GitHub login: the person in sev.yaml whose
// github field it is, else the login itself.
func handleOf(ws *workspace, login string) string {
	if p, ok := ws.Settings.Person(login); ok && p.GitHub != "" {
		return p.Handle
	}
	return login
}

// seededID is the n-th entry ID of a seeded command: stable, and in the
// timeline's ID alphabet.
func seededID(seed string, n int) string {
	h := sha256.Sum256([]byte(seed + "\x00" + strconv.Itoa(n)))
	return "gh-" + hex.EncodeToString(h[:10])
}

// finishGitHub runs the rules on what a GitHub command recorded since
// start and sets the step's outputs: the incident, and whether anything
// was pushed (the workflow then rebuilds the site).
func (a *app) finishGitHub(gh *ghRun, id, start string, err error) error {
	if errors.Is(err, ghflow.ErrReplied) {
		return &findingsError{1}
	}
	if err != nil || id == "" {
		return err
	}
	ruleErr := a.automateSince(gh.run, start)
	if gh.run.OutputPath == "" {
		return ruleErr
	}
	if err := gh.run.SetOutput("incident", id); err != nil {
		return err
	}
	if err := gh.run.SetOutput("pushed", fmt.Sprint(a.headNow(nil) != start)); err != nil {
		return err
	}
	return ruleErr
}

func (a *app) ghDeps(gh *ghRun) ghflow.Deps {
	return ghflow.Deps{API: gh.api, Run: gh.run, Out: a.stdout, Err: a.stderr}
}

// ghRepo is the working tree as the GitHub events record into it.
func (a *app) ghRepo() ghflow.Repo { return &ghRepo{a: a} }

type ghRepo struct {
	a  *app
	ws *workspace
}

func (r *ghRepo) open() (*workspace, error) {
	if r.ws == nil {
		ws, err := r.a.open()
		if err != nil {
			return nil, err
		}
		r.ws = ws
	}
	return r.ws, nil
}

func (r *ghRepo) Settings() *config.Settings {
	ws, err := r.open()
	if err != nil {
		return config.Default()
	}
	return ws.Settings
}

func (r *ghRepo) Handle(login string) string {
	ws, err := r.open()
	if err != nil {
		return login
	}
	return handleOf(ws, login)
}

func (r *ghRepo) Head() string { return r.a.headNow(r.ws) }

// Linked finds the incident whose record links the issue or pull request
// at htmlURL, among those that pass the gate.
func (r *ghRepo) Linked(htmlURL string) (*incident.Incident, error) {
	ws, err := r.open()
	if err != nil {
		return nil, err
	}
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
func (r *ghRepo) seeded(ws *workspace, seed string) *ops.Env {
	env := r.a.opEnv(ws)
	n := 0
	env.NewID = func() string { n++; return seededID(seed, n-1) }
	return env
}

func (r *ghRepo) Record(id, by, seed string, op func(env *ops.Env, cur *ops.Incident) (*change.Change, error)) ([]timeline.Entry, error) {
	ws, err := r.open()
	if err != nil {
		return nil, err
	}
	me, err := r.a.whoami(ws, by)
	if err != nil {
		return nil, err
	}
	l, err := ws.Load(id)
	if err != nil {
		return nil, err
	}
	if timeline.Has(l.Entries, seededID(seed, 0)) {
		return nil, change.ErrNothing
	}
	ch, err := op(r.seeded(ws, seed), &ops.Incident{Record: l.Record, Entries: l.Entries})
	if err != nil {
		return nil, err
	}
	head, err := r.a.commit(ws, ch, me, writeFlags{push: true, fingerprint: seed}, l.Record.Restricted())
	if err != nil {
		return nil, err
	}
	r.a.reportChange(ch, head)
	return ch.Entries, nil
}

func (r *ghRepo) Declare(by, seed string, d ops.Declare) error {
	ws, err := r.open()
	if err != nil {
		return err
	}
	me, err := r.a.whoami(ws, by)
	if err != nil {
		return err
	}
	ch, err := r.seeded(ws, seed).Declare(me.Handle, d)
	if err != nil {
		return err
	}
	head, err := r.a.commit(ws, ch, me, writeFlags{push: true, fingerprint: seed}, ch.Create.Restricted())
	if err != nil {
		return err
	}
	rec := ch.Create
	fmt.Fprintf(r.a.stdout, "declared %s (%s, %s)\n", rec.ID, ws.Settings.SeverityName(rec.Severity), rec.Status)
	if !head.IsZero() {
		fmt.Fprintf(r.a.stdout, "committed %s\n", txn.Short(head))
	}
	return nil
}
