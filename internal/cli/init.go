package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/spf13/cobra"

	sev "github.com/sev-dev/sev"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/gitstore"
	"github.com/sev-dev/sev/internal/layout"
)

func (a *app) initCmd() *cobra.Command {
	var w writeFlags
	var name, tz string
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
				for _, p := range sortedKeys(files) {
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
			for _, p := range sortedKeys(files) {
				fmt.Fprintf(a.stdout, "wrote %s\n", p)
			}
			fmt.Fprintln(a.stdout, "next: sev declare \"What is on fire\" --sev 2")
			return nil
		},
	}
	w.register(c.Flags())
	c.Flags().StringVar(&name, "name", "", "the organisation's name")
	c.Flags().StringVar(&tz, "timezone", "", "the organisation's IANA time zone (default UTC)")
	return c
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
