package cli

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	sev "github.com/sev-dev/sev"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/ghaction"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/layout"
)

func (a *app) initCmd() *cobra.Command {
	var w writeFlags
	var name, tz, actionRef string
	var noGitHub bool
	c := &cobra.Command{
		Use:   "init",
		Short: "Set up an incident repository in the current git repository",
		Long: `init writes sev.yaml (the organisation's settings, every default spelled
out), the folders incidents/, postmortems/, rotations/ and rules/, and the
JSON Schemas under schema/ that editors use to check incident files, and
commits them. Files that already exist are left alone.`,
		Example: "  git init incidents && cd incidents && sev init --name \"Acme\" --timezone Europe/Berlin",
		Args:    exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			wd, err := a.workDir()
			if err != nil {
				return err
			}
			root, err := gitstore.Find(wd)
			if err != nil {
				return fmt.Errorf("%s is not inside a git repository; run \"git init\" first", wd)
			}
			files, err := skeleton(name, tz)
			if err != nil {
				return err
			}
			if !noGitHub {
				if err := a.githubFiles(files, actionRef); err != nil {
					return err
				}
			}
			for p := range files {
				if _, err := os.Lstat(filepath.Join(root, filepath.FromSlash(p))); err == nil {
					delete(files, p)
				}
			}
			if len(files) == 0 {
				fmt.Fprintln(a.stdout, "already set up: nothing to write")
				return nil
			}
			ws, err := a.open()
			if err != nil {
				return err
			}
			if w.noCommit {
				for _, p := range slices.Sorted(maps.Keys(files)) {
					if err := gitstore.WriteFile(root, p, files[p]); err != nil {
						return err
					}
				}
			} else {
				me, err := a.whoami(ws, w.by)
				if err != nil {
					return err
				}
				if _, err := a.commitPlain(ws, files, me, "sev: set up the incident repository\n"); err != nil {
					return err
				}
				if w.push {
					if err := a.pushNow(ws); err != nil {
						return err
					}
				}
			}
			for _, p := range slices.Sorted(maps.Keys(files)) {
				fmt.Fprintf(a.stdout, "wrote %s\n", p)
			}
			fmt.Fprintln(a.stdout, "next: sev declare \"What is on fire\" --sev 2")
			return nil
		},
	}
	w.register(c.Flags())
	c.Flags().StringVar(&name, "name", "", "the organisation's name")
	c.Flags().StringVar(&tz, "timezone", "", "the organisation's IANA time zone (default UTC)")
	c.Flags().StringVar(&actionRef, "action-ref", "", "the release tag or commit of sev's GitHub Action the workflows use (default: this build's)")
	c.Flags().BoolVar(&noGitHub, "no-github", false, "do not write the GitHub workflows and issue form (.github/)")
	return c
}

// githubFiles adds the workflows and the issue form to files. The
// workflows use sev's published action at ref: a release tag or a full
// commit id, which pins the action's code as every third-party action in
// them is pinned. Without one (a development build) they are left out.
func (a *app) githubFiles(files map[string][]byte, ref string) error {
	if ref == "" {
		ref = buildRef()
	}
	if ref == "" {
		fmt.Fprintln(a.stderr, "sev: this is a development build, so the GitHub workflows are not written; "+
			"run \"sev init --action-ref vX.Y.Z\" (a release tag or a full commit id of sev) to add them")
		return nil
	}
	commit, tag := ref, ""
	switch {
	case ghaction.IsCommit(ref):
	case ghaction.IsRelease(ref):
		var err error
		if commit, err = a.resolveTag(ref); err != nil {
			return fmt.Errorf("--action-ref %s: %w; pass the release's full commit id with --action-ref instead", ref, err)
		}
		tag = ref
	default:
		return usagef("--action-ref: %q is neither a full commit id nor a release tag such as v1.2.3", ref)
	}
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
				return usagef("--action-ref: %v", err)
			}
		}
		files[p] = data
		return nil
	})
}

// releaseVersion is a release's module version (not a pseudo-version).
var releaseVersion = regexp.MustCompile(`^v\d+\.\d+\.\d+$`)

// buildRef is the release or commit this binary was built from, or ""
// when it is neither (a build with local changes, or without VCS data).
func buildRef() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	if v := bi.Main.Version; releaseVersion.MatchString(v) {
		return v
	}
	var rev string
	modified := true
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if len(rev) == 40 && !modified {
		return rev
	}
	return ""
}

func skeleton(name, tz string) (map[string][]byte, error) {
	settings, err := config.Template(name, tz)
	if err != nil {
		return nil, usagef("%v", err)
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

// actionRepo is where sev's action is published, for resolving a release
// tag to its commit; SEV_ACTION_REPO (any git URL or path) replaces it.
const actionRepo = "https://github.com/" + ghaction.PublishedAction

// resolveTag asks the action's repository which commit a release tag
// names (the peeled commit of an annotated tag), so the workflows pin the
// action by commit id like every other action in them.
func (a *app) resolveTag(tag string) (string, error) {
	repo := actionRepo
	if r := a.getenv("SEV_ACTION_REPO"); r != "" {
		repo = r
	}
	ctx, cancel := context.WithTimeout(a.ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", "ls-remote", "--tags", "--end-of-options", repo, "refs/tags/"+tag, "refs/tags/"+tag+"^{}")
	cmd.Env = append(append([]string{}, a.env...), "GIT_TERMINAL_PROMPT=0")
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
