package cli

import (
	"cmp"
	"fmt"
	"maps"
	"slices"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/ghaction"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/scaffold"
)

type initOptions struct {
	Write                     writeFlags
	Name, Timezone, ActionRef string
	NoGitHub                  bool
}

func (a *app) initCmd() *cobra.Command {
	var o initOptions
	c := &cobra.Command{
		Use:   "init",
		Short: "Set up an incident repository in the current git repository",
		Long: `init writes sev.yaml (the organisation's settings, every default spelled
out), the folders incidents/, postmortems/, rotations/ and rules/, and the
JSON Schemas under schema/ that editors use to check incident files, and
commits them. Files that already exist are left alone.`,
		Example: "  git init incidents && cd incidents && sev init --name \"Acme\" --timezone Europe/Berlin",
		Args:    exactArgs(),
		RunE:    func(cmd *cobra.Command, args []string) error { return a.runInit(o) },
	}
	o.Write.register(c.Flags())
	c.Flags().StringVar(&o.Name, "name", "", "the organisation's name")
	c.Flags().StringVar(&o.Timezone, "timezone", "", "the organisation's IANA time zone (default UTC)")
	c.Flags().StringVar(&o.ActionRef, "action-ref", "", "the release tag or commit of sev's GitHub Action the workflows use (default: this build's)")
	c.Flags().BoolVar(&o.NoGitHub, "no-github", false, "do not write the GitHub workflows and issue form (.github/)")
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
	files, err := scaffold.Files(o.Name, o.Timezone)
	if err != nil {
		return usagef("%v", err)
	}
	if !o.NoGitHub {
		if err := a.githubFiles(files, o.ActionRef); err != nil {
			return err
		}
	}
	scaffold.Missing(root, files)
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

// githubFiles adds the workflows and the issue form to files, pinned to
// sev's published action at ref (a release tag, resolved to its commit,
// or a full commit id). Without one (a development build) they are left
// out.
func (a *app) githubFiles(files map[string][]byte, ref string) error {
	if ref == "" {
		ref = scaffold.BuildRef()
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
		repo := cmp.Or(a.getenv("SEV_ACTION_REPO"), scaffold.ActionRepo)
		if commit, err = scaffold.ResolveTag(a.ctx, a.env, repo, ref); err != nil {
			return fmt.Errorf("--action-ref %s: %w; pass the release's full commit id with --action-ref instead", ref, err)
		}
		tag = ref
	default:
		return usagef("--action-ref: %q is neither a full commit id nor a release tag such as v1.2.3", ref)
	}
	if err := scaffold.AddGitHub(files, commit, tag); err != nil {
		return usagef("--action-ref: %v", err)
	}
	return nil
}
