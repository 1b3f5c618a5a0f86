// Package scaffold holds what sev init writes into a new incident
// repository: sev.yaml with every default spelled out, the folders, the
// JSON Schemas, and the GitHub workflows and issue form pinned to sev's
// published action by commit id.
package scaffold

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"time"

	sev "github.com/sev-dev/sev"
	"github.com/sev-dev/sev/internal/buildinfo"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/ghaction"
	"github.com/sev-dev/sev/internal/layout"
)

// Files are the repository skeleton: sev.yaml for the organisation name
// and time zone, the folders (as .gitkeep files) and the schemas.
func Files(name, tz string) (map[string][]byte, error) {
	settings, err := config.Template(name, tz)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{config.File: settings}
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

// AddGitHub adds the workflows and the issue form to files, with every
// use of sev's action pinned to commit (tag, when given, as a comment).
func AddGitHub(files map[string][]byte, commit, tag string) error {
	return fs.WalkDir(sev.GitHub, ".github", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(sev.GitHub, p)
		if err != nil {
			return err
		}
		if strings.HasPrefix(p, ".github/workflows/") {
			if data, err = ghaction.UsePinned(data, commit, tag); err != nil {
				return err
			}
		}
		files[p] = data
		return nil
	})
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
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", "ls-remote", "--tags", "--end-of-options", repo, "refs/tags/"+tag, "refs/tags/"+tag+"^{}")
	cmd.Env = append(append([]string{}, env...), "GIT_TERMINAL_PROMPT=0")
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("cannot ask %s which commit the tag is: %v", repo, err)
	}
	direct, peeled := "", ""
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) != 2 || !ghaction.IsCommit(f[0]) {
			continue
		}
		switch f[1] {
		case "refs/tags/" + tag:
			direct = f[0]
		case "refs/tags/" + tag + "^{}":
			peeled = f[0]
		}
	}
	switch {
	case peeled != "":
		return peeled, nil
	case direct != "":
		return direct, nil
	}
	return "", fmt.Errorf("%s has no tag %s", repo, tag)
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
