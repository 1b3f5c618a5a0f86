// Package scaffold holds what sev init writes into a new incident
// repository: sev.yaml with every default spelled out, the folders, the
// JSON Schemas, and the GitHub workflows and issue form pinned to sev's
// published action by commit id.
package scaffold

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	sev "github.com/sev-dev/sev"
	"github.com/sev-dev/sev/internal/buildinfo"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/ghaction"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/layout"
)

// Files are the repository skeleton: sev.yaml for the organisation name
// and time zone, the folders (as .gitkeep files), the schemas and a
// .gitignore for the site sev build writes.
func Files(name, tz string) (map[string][]byte, error) {
	settings, err := config.Template(name, tz)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{config.File: settings,
		// sev build's default output: published by the site workflow, not committed
		".gitignore": []byte("# sev build writes the incident library here; the site workflow publishes it\npublic/\n")}
	for _, d := range []string{layout.Incidents, layout.Postmortems, layout.Rotations, layout.Rules} {
		files[path.Join(d, ".gitkeep")] = nil
	}
	err = fs.WalkDir(sev.Schemas, "schema", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(sev.Schemas, p)
		files[p] = data
		return err
	})
	return files, err
}

// GitHub is how sev init writes .github.
type GitHub struct {
	// Commit is the commit of sev's action every workflow pins; Tag, when
	// given, is its release, written as a comment (Dependabot reads it).
	Commit, Tag string
	// Branch is the default branch: automation runs on pushes to it and
	// pull requests into it are validated.
	Branch string
	// Schedule is the automate workflow's cron for time-based rules
	// (overdue postmortems): "" keeps the hourly default, "off" drops it.
	Schedule string
	// Dependabot adds .github/dependabot.yml, which keeps the actions the
	// workflows pin up to date.
	Dependabot bool
}

// Template lines AddGitHub rewrites; the workflows in .github are written
// with them (internal/cli/testdata/script/init-github.txtar checks the
// result).
const (
	branchLine   = "    branches: [main]\n"
	scheduleLine = "  schedule:\n    - cron: \"17 * * * *\"\n"
)

// cronField is one field of a cron expression as GitHub accepts it.
var cronField = regexp.MustCompile(`^[0-9A-Za-z*,/-]+$`)

// CheckSchedule checks a schedule for the automate workflow: "off" or a
// cron expression of five fields (minute hour day month weekday), which
// GitHub runs in UTC, at most every five minutes.
func CheckSchedule(cron string) error {
	if cron == "" || cron == "off" {
		return nil
	}
	f := strings.Fields(cron)
	if len(f) != 5 {
		return fmt.Errorf("schedule %q: write five cron fields (minute hour day month weekday), e.g. \"17 * * * *\" for hourly, or off", cron)
	}
	for _, x := range f {
		if !cronField.MatchString(x) {
			return fmt.Errorf("schedule %q: %q is not a cron field", cron, x)
		}
	}
	if f[0] == "*" || strings.HasPrefix(f[0], "*/") && len(f[0]) == 3 && f[0][2] < '5' {
		return fmt.Errorf("schedule %q: GitHub runs schedules at most every 5 minutes; use e.g. \"*/15 * * * *\"", cron)
	}
	return nil
}

// AddGitHub adds the workflows and the issue form to files, with every
// use of sev's action pinned to g.Commit, the triggers on g.Branch and
// the schedule g.Schedule; with g.Dependabot also dependabot.yml.
func AddGitHub(files map[string][]byte, g GitHub) error {
	if err := CheckSchedule(g.Schedule); err != nil {
		return err
	}
	branch := cmp.Or(g.Branch, "main")
	if strings.ContainsAny(branch, "\"\\\n") {
		return fmt.Errorf("branch %q cannot be written into a workflow", branch)
	}
	err := fs.WalkDir(sev.GitHub, ".github", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(sev.GitHub, p)
		if err != nil {
			return err
		}
		if strings.HasPrefix(p, ".github/workflows/") {
			if data, err = ghaction.UsePinned(data, g.Commit, g.Tag); err != nil {
				return err
			}
			data = bytes.ReplaceAll(data, []byte(branchLine), []byte(`    branches: ["`+branch+`"]`+"\n"))
			switch g.Schedule {
			case "":
			case "off":
				data = bytes.Replace(data, []byte(scheduleLine), nil, 1)
			default:
				data = bytes.Replace(data, []byte(scheduleLine), []byte("  schedule:\n    - cron: \""+strings.Join(strings.Fields(g.Schedule), " ")+"\"\n"), 1)
			}
		}
		files[p] = data
		return nil
	})
	if err == nil && g.Dependabot {
		files[".github/dependabot.yml"] = []byte(dependabot)
	}
	return err
}

// dependabot keeps the actions the workflows pin by commit up to date: a
// pull request a week that moves the commit and its version comment.
const dependabot = `# Dependabot keeps the actions the workflows use (pinned by commit, with the
# release as a comment) up to date: a pull request a week. Written by sev
# init; see docs/github.md.
version: 2
updates:
  - package-ecosystem: github-actions
    directory: /
    schedule:
      interval: weekly
    groups:
      actions:
        patterns: ["*"]
`

// RefError is an --action-ref that is neither a release tag nor a commit.
type RefError struct{ Ref string }

func (e *RefError) Error() string {
	return fmt.Sprintf("--action-ref: %q is neither a full commit id, a release tag such as v1.2.3, nor latest", e.Ref)
}

// ErrDevelopment means there is nothing to pin to: no ref was given and
// this build is neither a release nor a clean commit.
var ErrDevelopment = errors.New("this is a development build of sev")

// Latest is the ref that asks Pin for the latest release.
const Latest = "latest"

// Pin works out the commit (and release tag) of sev's action the
// workflows use: ref, a release tag (resolved to its commit at repo), a
// full commit id or "latest" (the newest release at repo); without one
// this build's own release or commit, else ErrDevelopment. env is git's
// environment.
func Pin(ctx context.Context, env []string, repo, ref string) (commit, tag string, err error) {
	ref = cmp.Or(ref, BuildRef())
	switch {
	case ref == "":
		return "", "", ErrDevelopment
	case ref == Latest:
		return LatestRelease(ctx, env, repo)
	case ghaction.IsCommit(ref):
		return ref, "", nil
	case ghaction.IsRelease(ref):
		commit, err := ResolveTag(ctx, env, repo, ref)
		return commit, ref, err
	}
	return "", "", &RefError{ref}
}

// BuildRef is the release or commit this binary was built from, or ""
// when it is neither (a build with local changes, or without VCS data).
func BuildRef() string { return buildinfo.Read().Ref() }

// ActionRepo is where sev's action is published, for resolving a release
// tag to its commit (SEV_ACTION_REPO, any git URL or path, replaces it).
const ActionRepo = "https://github.com/" + ghaction.PublishedAction

// ResolveTag asks repo which commit a release tag names (the peeled
// commit of an annotated tag), so the workflows pin the action by commit
// id like every other action in them. env is git's environment.
func ResolveTag(ctx context.Context, env []string, repo, tag string) (string, error) {
	tags, err := releaseTags(ctx, env, repo, "refs/tags/"+tag, "refs/tags/"+tag+"^{}")
	if err != nil {
		return "", err
	}
	if c, ok := tags[tag]; ok {
		return c, nil
	}
	return "", fmt.Errorf("%s has no tag %s", repo, tag)
}

// LatestRelease is the newest release at repo (the highest version that
// is not a pre-release) and its commit.
func LatestRelease(ctx context.Context, env []string, repo string) (commit, tag string, err error) {
	tags, err := releaseTags(ctx, env, repo, "refs/tags/v*")
	if err != nil {
		return "", "", err
	}
	var best []int
	for t, c := range tags {
		v, ok := releaseNumbers(t)
		if ok && (best == nil || slices.Compare(v, best) > 0) {
			best, tag, commit = v, t, c
		}
	}
	if tag == "" {
		return "", "", fmt.Errorf("%s has no release yet", repo)
	}
	return commit, tag, nil
}

// releaseNumbers are the numbers of a release tag (v1.2.3), not of a
// pre-release.
func releaseNumbers(tag string) ([]int, bool) {
	if !buildinfo.IsRelease(tag) {
		return nil, false
	}
	var v []int
	for _, p := range strings.Split(tag[1:], ".") {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, false
		}
		v = append(v, n)
	}
	return v, true
}

// releaseTags asks repo (git ls-remote) for the tags the patterns match,
// each with its commit (an annotated tag's peeled commit).
func releaseTags(ctx context.Context, env []string, repo string, patterns ...string) (map[string]string, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", append([]string{"ls-remote", "--tags", "--end-of-options", repo}, patterns...)...)
	cmd.Env = append(append([]string{}, env...), "GIT_TERMINAL_PROMPT=0")
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("cannot ask %s for sev's releases: %v", repo, err)
	}
	direct, peeled := map[string]string{}, map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) != 2 || !ghaction.IsCommit(f[0]) {
			continue
		}
		name, ok := strings.CutPrefix(f[1], "refs/tags/")
		if !ok {
			continue
		}
		if base, ok := strings.CutSuffix(name, "^{}"); ok {
			peeled[base] = f[0]
		} else {
			direct[name] = f[0]
		}
	}
	maps.Copy(direct, peeled)
	return direct, nil
}

// Missing removes from files those that exist under root already (sev
// init leaves them alone).
func Missing(root string, files map[string][]byte) {
	for p := range files {
		if _, err := os.Lstat(filepath.Join(root, filepath.FromSlash(p))); err == nil {
			delete(files, p)
		}
	}
}

// Request is what sev init asks for.
type Request struct {
	// Root is the working tree's root.
	Root           string
	Name, Timezone string
	// ActionRef, Branch, Schedule and Dependabot are the GitHub files'
	// (Pin, GitHub); NoGitHub leaves them out.
	ActionRef, Branch, Schedule string
	NoGitHub, NoDependabot      bool
	// ActionRepo is where sev's action is published (ActionRepo when
	// empty); GitEnv is git's environment for asking it.
	ActionRepo string
	GitEnv     []string
}

// InputError is a mistake in the request (exit 2 on the command line).
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Init is what sev init writes into the repository at r.Root: the
// skeleton and the GitHub files, without the files that exist already.
// notice, when not empty, says why the GitHub files were left out.
func Init(ctx context.Context, r Request) (files map[string][]byte, notice string, err error) {
	files, err = Files(r.Name, r.Timezone)
	if err != nil {
		return nil, "", &InputError{err}
	}
	if !r.NoGitHub {
		if notice, err = r.addGitHub(ctx, files); err != nil {
			return nil, "", err
		}
	}
	Missing(r.Root, files)
	return files, notice, nil
}

func (r Request) addGitHub(ctx context.Context, files map[string][]byte) (string, error) {
	if err := CheckSchedule(r.Schedule); err != nil {
		return "", &InputError{fmt.Errorf("--%w", err)}
	}
	commit, tag, err := Pin(ctx, r.GitEnv, cmp.Or(r.ActionRepo, ActionRepo), r.ActionRef)
	var re *RefError
	switch {
	case errors.Is(err, ErrDevelopment):
		return "this is a development build, so the GitHub workflows are not written; " +
			"run \"sev init --action-ref latest\" (or a release tag such as v1.2.3, or a full commit id of sev) to add them", nil
	case errors.As(err, &re):
		return "", &InputError{err}
	case err != nil:
		return "", fmt.Errorf("--action-ref %s: %w; pass the release's full commit id with --action-ref instead", r.ActionRef, err)
	}
	branch := r.Branch
	if branch == "" {
		if branch, err = gitstore.CurrentBranch(r.Root); err != nil {
			return "", err
		}
	}
	return "", AddGitHub(files, GitHub{Commit: commit, Tag: tag, Branch: branch, Schedule: r.Schedule, Dependabot: !r.NoDependabot})
}
