// Command hugoexport turns a sev repository into a Hugo site with the same
// pages sev build writes, so Hugo (and Pagefind over Hugo's output) can be
// measured against sev build on the same content:
//
//	go run ./bench/hugoexport REPO OUTDIR
//	hugo --source OUTDIR --destination OUTDIR/public
//	pagefind --site OUTDIR/public
//
// The repository is read with package library, as sev build reads it:
// restricted incidents are left out, and each incident's full timeline
// and postmortem come from Detail. Every incident becomes one content file
// with JSON front matter (record, roles, milestones, links, timeline) and
// its postmortem's Markdown as the body, which Hugo renders with goldmark.
// Tags, orgs, services, people and severity are taxonomies; years are
// sections; the postmortems page lists the incidents that have one. List
// pages show 100 incidents a page, as sev's do. The layout marks the
// incident's content with data-pagefind-body and its severity, status,
// tags, orgs and year with data-pagefind-filter, so Pagefind indexes the
// incident pages alone with the same filters as sev's search.
//
// Postmortem Markdown is copied as it is: a "{{<" in it would be read by
// Hugo as a shortcode. The generated repositories have none.
package main

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/library"
)

//go:embed all:site
var layout embed.FS

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) != 2 {
		fmt.Fprintln(stderr, "usage: hugoexport REPO OUTDIR (OUTDIR must be empty or not exist)")
		return 2
	}
	n, err := export(args[0], args[1])
	if err != nil {
		fmt.Fprintf(stderr, "hugoexport: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "hugoexport: %d incidents written to %s\n", n, args[1])
	return 0
}

// export writes the Hugo site of the repository at repo into out and
// returns the number of incident pages.
func export(repo, out string) (int, error) {
	if err := emptyDir(out); err != nil {
		return 0, err
	}
	settings, err := loadSettings(repo)
	if err != nil {
		return 0, err
	}
	lib, err := library.Load(os.DirFS(repo), settings)
	if err != nil {
		return 0, fmt.Errorf("load %s: %w", repo, err)
	}
	lib = lib.Visible(false)
	if err := copyLayout(out); err != nil {
		return 0, err
	}
	if err := writeConfig(out, settings); err != nil {
		return 0, err
	}
	if err := writeSections(out, lib); err != nil {
		return 0, err
	}
	return len(lib.Incidents), writeIncidents(out, lib)
}

func loadSettings(repo string) (*config.Settings, error) {
	s, diags, err := config.Read(os.DirFS(repo))
	if err == nil && diags.Errors() > 0 {
		err = fmt.Errorf("%s has problems, run sev validate: %w", config.File, diags.Err())
	}
	return s, err
}

func emptyDir(dir string) error {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return err
	}
	if len(ents) > 0 {
		return fmt.Errorf("%s is not empty", dir)
	}
	return nil
}

// copyLayout writes the embedded layouts and static files.
func copyLayout(out string) error {
	return fs.WalkDir(layout, "site", func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == "site" {
			return err
		}
		dst := filepath.Join(out, filepath.FromSlash(p[len("site/"):]))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := layout.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
}
