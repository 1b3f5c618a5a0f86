package cli

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/scaffold"
)

type initOptions struct {
	Write                                       writeFlags
	Name, Timezone, ActionRef, Branch, Schedule string
	NoGitHub, NoDependabot                      bool
}

func (a *app) initCmd() *cobra.Command {
	var o initOptions
	c := &cobra.Command{
		Use:   "init",
		Short: "Set up an incident repository in the current git repository",
		Long: `init writes sev.yaml (the organisation's settings, every default spelled
out), the folders incidents/, postmortems/, rotations/ and rules/, and the
JSON Schemas under schema/ that editors use to check incident files, and
commits them, with a .gitignore for the site sev build writes. Files that
already exist are left alone.

Unless --no-github is given it also writes the GitHub workflows and the
incident issue form (docs/github.md): every use of sev's action pinned to
a commit with its release as a comment (this build's release or commit,
or --action-ref) — and .github/dependabot.yml, which keeps those pins up to
date. The workflows run on the repository's current branch (--branch) and
automation's time-based rules hourly (--schedule).`,
		Example: "  git init incidents && cd incidents && sev init --name \"Acme\" --timezone Europe/Berlin",
		Args:    exactArgs(),
		RunE:    func(cmd *cobra.Command, args []string) error { return a.runInit(o) },
	}
	o.Write.register(c.Flags())
	c.Flags().StringVar(&o.Name, "name", "", "the organisation's name")
	c.Flags().StringVar(&o.Timezone, "timezone", "", "the organisation's IANA time zone (default UTC)")
	c.Flags().StringVar(&o.ActionRef, "action-ref", "", "the release tag or commit of sev's GitHub Action the workflows use, or latest (default: this build's)")
	c.Flags().StringVar(&o.Branch, "branch", "", "the default branch the workflows serve (default: the current branch)")
	c.Flags().StringVar(&o.Schedule, "schedule", "", `when automation checks time-based rules, as cron in UTC (default "17 * * * *", hourly), or off`)
	c.Flags().BoolVar(&o.NoGitHub, "no-github", false, "do not write the GitHub workflows and issue form (.github/)")
	c.Flags().BoolVar(&o.NoDependabot, "no-dependabot", false, "do not write .github/dependabot.yml")
	return c
}

func (a *app) runInit(o initOptions) error {
	wd, err := a.workDir()
	if err != nil {
		return err
	}
	root, err := gitstore.Find(wd)
	if err != nil {
		return fmt.Errorf("%s is not inside a git repository; run \"git init\" first", wd)
	}
	files, notice, err := scaffold.Init(a.ctx, scaffold.Request{Root: root, Name: o.Name, Timezone: o.Timezone,
		ActionRef: o.ActionRef, Branch: o.Branch, Schedule: o.Schedule, NoGitHub: o.NoGitHub, NoDependabot: o.NoDependabot,
		ActionRepo: a.getenv("SEV_ACTION_REPO"), GitEnv: a.env})
	var ie *scaffold.InputError
	if errors.As(err, &ie) {
		return usagef("%v", err)
	}
	if err != nil {
		return err
	}
	if notice != "" {
		fmt.Fprintln(a.stderr, "sev: "+notice)
	}
	if len(files) == 0 {
		fmt.Fprintln(a.stdout, "already set up: nothing to write")
		return nil
	}
	ws, err := a.open()
	if err != nil {
		return err
	}
	if _, _, err := ws.WriteFiles(files, o.Write.by, o.Write.write(), "sev: set up the incident repository\n"); err != nil {
		return err
	}
	for _, p := range slices.Sorted(maps.Keys(files)) {
		fmt.Fprintf(a.stdout, "wrote %s\n", p)
	}
	fmt.Fprintln(a.stdout, "next: sev declare \"What is on fire\" --sev 2")
	return nil
}
