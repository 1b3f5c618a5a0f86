package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/attachtext"
	"github.com/sev-dev/sev/internal/sandbox"
)

func (a *app) devAttachmentTextCmd() *cobra.Command {
	var child bool
	c := &cobra.Command{
		Use:   "attachment-text FILE",
		Short: "Print the text sev search and the site index for an attached file",
		Long: `attachment-text prints the searchable text of FILE as sev search and the site's
search read it from an incident's attachments: text as it is, Markdown's
prose, a PDF's pages (read in a child process); nothing for an image or
another binary file. A PDF that cannot be read is named with the reason.

With --child it is that child: it reads the file called FILE from stdin
and prints its text unescaped (sev runs it; docs/search.md).`,
		Example: "  sev dev attachment-text incidents/2026/2026-03-02-checkout-errors-in-eu/attachments/vendor-report.pdf",
		Args:    exactArgs("FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if child {
				if code := sandbox.Child(args[0], a.stdin, a.raw, a.rawErr); code != 0 {
					return exitCode(code)
				}
				return nil
			}
			return a.devAttachmentText(args[0])
		},
	}
	c.Flags().BoolVar(&child, "child", false, "read the file named FILE from stdin, as sev's child process")
	c.Flags().MarkHidden("child")
	return c
}

func (a *app) devAttachmentText(file string) error {
	p, err := a.path(file)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	text, err := a.attachmentText()(filepath.Base(p), data)
	if text != "" {
		fmt.Fprintln(a.stdout, strings.TrimRight(text, "\n"))
	}
	switch {
	case err != nil && text == "":
		return fmt.Errorf("%s: text not searchable: %w", file, err)
	case err != nil:
		a.warnf("%s: %v", file, err)
	case text == "" && attachtext.KindOf(p, data) == attachtext.None:
		fmt.Fprintf(a.stderr, "sev: %s has no searchable text (not text, Markdown or PDF)\n", file)
	}
	return nil
}

// attachmentText is how sev search and sev build read attachments: PDFs
// in a child process of this binary (internal/sandbox), the rest here.
// Where Main runs inside a Go test binary that is not sev (other
// packages' tests), there is no sev to start, and PDFs are read here too.
func (a *app) attachmentText() func(name string, data []byte) (string, error) {
	exe, err := os.Executable()
	if err != nil || strings.Contains(filepath.Base(os.Args[0]), ".test") {
		return attachtext.Extract
	}
	return sandbox.Runner{Exe: exe, Args: []string{"dev", "attachment-text", "--child", "--"}, Env: a.env}.Extract
}
