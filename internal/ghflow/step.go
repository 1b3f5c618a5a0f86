package ghflow

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/sev-dev/sev/internal/automation"
	"github.com/sev-dev/sev/internal/ghaction"
	"github.com/sev-dev/sev/internal/workspace"
)

// Step is one of sev's GitHub commands running in a workflow step: the
// runner's description of the step, its event, an API client with the
// workflow's token, and where the log goes. Its On methods handle the
// event if it is theirs, run the automation rules on what they recorded
// and set the step's outputs.
type Step struct {
	Deps
	Event  ghaction.Event
	Getenv func(string) string
}

// Start reads the step from the runner's environment (FromEnv).
func Start(getenv func(string) string, now func() time.Time, out, errw io.Writer) (*Step, error) {
	run, ev, api, err := FromEnv(getenv, now)
	if err != nil {
		return nil, err
	}
	return &Step{Deps: Deps{API: api, Run: run, Out: out, Err: errw}, Event: ev, Getenv: getenv}, nil
}

// OnComment handles a new comment's /sev commands (Comment).
func (s *Step) OnComment(ctx context.Context, ws *workspace.Workspace) error {
	ev, ok := s.Event.(*ghaction.IssueCommentEvent)
	if !ok || ev.Action != "created" {
		return s.notMine()
	}
	id, start, err := Comment(ctx, s.Deps, ws, ev)
	return s.finish(ctx, ws, id, start, err)
}

// OnIssue declares the incident an issue reports (Intake): an issue
// opened or reopened with the intake label or the incident form's
// headings (GitHub drops the form's label when the repository lacks it),
// or labeled with the intake label.
func (s *Step) OnIssue(ctx context.Context, ws *workspace.Workspace) error {
	ev, ok := s.Event.(*ghaction.IssuesEvent)
	if !ok || ev.Issue.IsPullRequest() {
		return s.notMine()
	}
	report := false
	switch ev.Action {
	case "opened", "reopened":
		report = ev.Issue.HasLabel(IntakeLabel) || IsIncidentForm(ev.Issue.Body)
	case "labeled":
		report = ev.Label != nil && ev.Label.Name == IntakeLabel
	}
	if !report {
		fmt.Fprintf(s.Out, "issue #%d: not an incident report (neither the %q label nor the incident form)\n", ev.Issue.Number, IntakeLabel)
		return nil
	}
	id, start, err := Intake(ctx, s.Deps, ws, ev)
	return s.finish(ctx, ws, id, start, err)
}

// OnPullRequest comments on a pull request that touches incidents (Review).
func (s *Step) OnPullRequest(ctx context.Context, ws *workspace.Workspace) error {
	ev, ok := s.Event.(*ghaction.PullRequestEvent)
	if !ok {
		return s.notMine()
	}
	return Review(ctx, s.Deps, ws, ev)
}

func (s *Step) notMine() error {
	fmt.Fprintf(s.Out, "nothing to do for a %s event\n", s.Run.EventName)
	return nil
}

// GitHubFromEnv gives automation the API client of the step the runner's
// environment describes, when an action first needs it.
func GitHubFromEnv(getenv func(string) string, now func() time.Time) func() (automation.GitHub, error) {
	return func() (automation.GitHub, error) {
		st, err := Start(getenv, now, io.Discard, io.Discard)
		if err != nil {
			return nil, err
		}
		return st.GitHub()
	}
}

// GitHub is the step's API client as automation uses it.
func (s *Step) GitHub() (automation.GitHub, error) { return automation.Client{Client: s.API}, nil }

// finish runs the rules on what the step committed since start (a push
// with the workflow's token starts no workflow, so the automate workflow
// never sees it) and sets the step's outputs: the incident, and whether
// anything was pushed (the workflow then rebuilds the site). Errors of
// the rules are automation's.
func (s *Step) finish(ctx context.Context, ws *workspace.Workspace, id, start string, err error) error {
	if err != nil || id == "" {
		return err
	}
	var ruleErr error
	if start != "" && start != ws.Head() {
		ruleErr = automation.Apply(ctx, ws, automation.Options{Before: start, After: "HEAD", Push: true, OnlyNew: true,
			Runner: s.Run, GitHub: s.GitHub, Getenv: s.Getenv, Out: s.Out, Err: s.Err})
	}
	if s.Run.OutputPath == "" {
		return ruleErr
	}
	if err := s.Run.SetOutput("incident", id); err != nil {
		return err
	}
	if err := s.Run.SetOutput("pushed", fmt.Sprint(ws.Head() != start)); err != nil {
		return err
	}
	return ruleErr
}
