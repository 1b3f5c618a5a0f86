package cli

import (
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/sev-dev/sev/internal/buildinfo"
)

func (a *app) devManCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "man DIR",
		Short: "Write a man page for every command into DIR (for release archives)",
		Long: `man writes sev.1, sev-note.1, ... into DIR from the commands' own help. The
pages are dated by SEV_NOW when it is set (the release uses the commit's
date, so the same commit gives the same pages), else today.`,
		Example: "  sev dev man dist/man",
		Args:    exactArgs("DIR"),
		RunE:    func(cmd *cobra.Command, args []string) error { return a.devMan(cmd.Root(), args[0]) },
	}
}

func (a *app) devMan(root *cobra.Command, dir string) error {
	dir, err := a.path(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	now := a.now()
	root.DisableAutoGenTag = true
	return doc.GenManTree(root, &doc.GenManHeader{Title: "SEV", Section: "1", Date: &now,
		Source: "sev " + buildinfo.Read().Version, Manual: "sev manual"}, dir)
}
