package cli

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/ghsetup"
	"github.com/sev-dev/sev/internal/present"
)

type githubDoctorOptions struct {
	Repo  string
	JSON  bool
	Pages bool // setup only
}

func (o *githubDoctorOptions) register(c *cobra.Command) {
	c.Flags().StringVar(&o.Repo, "repo", "", "the repository as OWNER/NAME (default: $GITHUB_REPOSITORY, else the origin remote)")
	c.Flags().BoolVar(&o.JSON, "json", false, "print JSON")
}

func (a *app) githubDoctorCmd() *cobra.Command {
	var o githubDoctorOptions
	c := &cobra.Command{
		Use:   "doctor [--repo OWNER/NAME]",
		Short: "Check the repository's GitHub settings against what sev's workflows need (read-only)",
		Long: `doctor compares the repository's settings on GitHub and its workflows with
what sev's workflows need and prints a checklist with the fix for each item:
workflow files and pins, issues, labels, Actions settings, Pages, branch
protection and rulesets against the pushing token, required check names,
the secrets and variables the workflows read (names only), the GitHub App.
It changes nothing. The token comes from GITHUB_TOKEN or GH_TOKEN; items it
may not read are marked "?". Exit 1 when something must be fixed.`,
		Example: "  GH_TOKEN=$(gh auth token) sev github doctor\n  sev github doctor --repo acme/incidents --json",
		Args:    exactArgs(),
		RunE:    func(cmd *cobra.Command, args []string) error { return a.runGitHubDoctor(o, false) },
	}
	o.register(c)
	return c
}

func (a *app) githubSetupCmd() *cobra.Command {
	var o githubDoctorOptions
	c := &cobra.Command{
		Use:   "setup [--repo OWNER/NAME] [--pages]",
		Short: "Create the labels and turn on GitHub Pages where the token may, then check the rest",
		Long: `setup does what a token may of what doctor checks: it creates the
"incident" label (with which the issue form's reports reach intake) and the
labels rules add, and, when the site is published (the variable SEV_PAGES
is true, or --pages sets it), makes GitHub Pages deploy the site workflow's
upload. Then it prints doctor's checklist for the rest, which needs a
person: branch protection, secrets, the GitHub App.`,
		Example: "  GH_TOKEN=$(gh auth token) sev github setup\n  sev github setup --pages",
		Args:    exactArgs(),
		RunE:    func(cmd *cobra.Command, args []string) error { return a.runGitHubDoctor(o, true) },
	}
	o.register(c)
	c.Flags().BoolVar(&o.Pages, "pages", false, "publish the site on GitHub Pages (sets SEV_PAGES=true; the site shows internal incidents)")
	return c
}

func (a *app) runGitHubDoctor(o githubDoctorOptions, setup bool) error {
	ws, err := a.open()
	if err != nil {
		return err
	}
	api, local, err := ws.GitHub(o.Repo)
	var ie *ghsetup.InputError
	if errors.As(err, &ie) {
		return usagef("%v", err)
	}
	if err != nil {
		return err
	}
	var steps []ghsetup.Step
	if setup {
		if steps, err = ghsetup.Setup(a.ctx, api, local, ghsetup.SetupOptions{Pages: o.Pages}); err != nil {
			return err
		}
	}
	report, err := ghsetup.Doctor(a.ctx, api, local)
	if err != nil {
		return err
	}
	if o.JSON {
		err = present.JSON(a.stdout, struct {
			Setup []ghsetup.Step `json:"setup,omitzero"`
			*ghsetup.Report
		}{steps, report})
	} else {
		present.SetupSteps(a.stdout, steps, setup)
		present.Doctor(a.stdout, report)
	}
	if err == nil && report.Count(ghsetup.Fix) > 0 {
		return &findingsError{report.Count(ghsetup.Fix)}
	}
	return err
}
