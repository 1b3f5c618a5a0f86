// Package ghflow handles the GitHub events sev's workflows pass to it:
// /sev commands in comments (ChatOps) and incident reports from the issue
// form (intake). It checks who may act before anything is written, turns
// what they ask for into typed operations (package ops) and replies on
// the issue, recording into the workspace (workspace.Record, Declare)
// with entry IDs seeded from the event, so nothing here builds or runs a
// sev command line and handling an event twice records nothing twice.
package ghflow

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/ghaction"
	"github.com/sev-dev/sev/internal/ghapi"
	"github.com/sev-dev/sev/internal/layout"
)

// Deps are the event's surroundings.
type Deps struct {
	API *ghapi.Client
	Run *ghaction.Run
	// Out and Err receive what the step's log shows.
	Out, Err io.Writer
}

// ErrReplied means the event was refused or stopped, and the reply on the
// issue says why; the step fails.
var ErrReplied = errors.New("refused; the reply on the issue says why")

// IntakeLabel marks an issue as an incident report (ghaction.IntakeLabel).
const IntakeLabel = ghaction.IntakeLabel

// IncidentURL is where people read an incident on GitHub.
func IncidentURL(run *ghaction.Run, branch, id string) string {
	return strings.TrimSuffix(run.ServerURL, "/") + "/" + run.Repository + "/tree/" +
		url.PathEscape(branch) + "/" + path.Dir(layout.Record(id))
}

// FromEnv reads what a GitHub Actions step gives: the runner's description
// of the step, its event, and an API client for the repository with the
// workflow's token (GITHUB_TOKEN).
func FromEnv(getenv func(string) string, now func() time.Time) (*ghaction.Run, ghaction.Event, *ghapi.Client, error) {
	run, err := ghaction.FromEnv(getenv)
	if err != nil {
		return nil, nil, nil, err
	}
	ev, err := run.Event()
	if err != nil {
		return nil, nil, nil, err
	}
	repo, err := ghapi.ParseRepo(run.Repository)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("GITHUB_REPOSITORY: %w", err)
	}
	token := getenv("GITHUB_TOKEN")
	if token == "" {
		return nil, nil, nil, fmt.Errorf("GITHUB_TOKEN is not set; pass the workflow's token to the step (env: GITHUB_TOKEN: ${{ github.token }})")
	}
	api, err := ghapi.New(ghapi.Options{Repo: repo, Token: token, BaseURL: run.APIURL, Now: now})
	if err != nil {
		return nil, nil, nil, err
	}
	return run, ev, api, nil
}
