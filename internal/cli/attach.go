package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/attachment"
	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/ops"
	"github.com/spf13/cobra"
)

var attachNameRE = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func (a *app) attachCmd() *cobra.Command {
	var f writeFlags
	var name, note string
	c := &cobra.Command{
		Use:   "attach ID FILE",
		Short: "Add a file (a screenshot, a log excerpt) to an incident's attachments",
		Long: `attach copies a regular file into the incident's attachments/ folder and
records it in the timeline. On the site, attachments are data: images and
PDFs are shown as they are, text on a page sev renders, and everything else
only as a ZIP download, so an attached HTML or SVG file can never run there
(sev attach warns about such types).`,
		Example: "  sev attach checkout ~/Desktop/error-rate.png --note \"Error rate at the peak\"",
		Args:    exactArgs("ID", "FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			src := args[1]
			if !filepath.IsAbs(src) {
				wd, err := a.workDir()
				if err != nil {
					return err
				}
				src = filepath.Join(wd, src)
			}
			fi, err := os.Lstat(src)
			if err != nil {
				return fmt.Errorf("attach: %w", err)
			}
			if !fi.Mode().IsRegular() {
				return fmt.Errorf("attach: %s is not a regular file", args[1])
			}
			base := name
			if base == "" {
				base = filepath.Base(src)
			}
			base = strings.Trim(attachNameRE.ReplaceAllString(base, "-"), "-.")
			if base == "" {
				return usagef("attach: give the file a name with --name")
			}
			if attachment.Active(base) {
				fmt.Fprintf(a.stderr, "sev: warning: a browser would run script from %s, so the site shows it only as text or a download (%s); only %s are shown as they are\n",
					base, attachment.Published(base), attachment.Kinds)
			}
			return a.change(args[0], f, func(env *ops.Env, inc *ops.Incident, by string, at time.Time) (*change.Change, error) {
				return env.Attach(inc, by, ops.Attach{Name: base, Source: args[1], Note: note, Size: fi.Size(), At: at,
					Read: func() ([]byte, error) { return os.ReadFile(src) }})
			})
		},
	}
	f.register(c.Flags())
	f.registerAt(c.Flags())
	c.Flags().StringVar(&name, "name", "", "the attachment's file name (default: the file's own)")
	c.Flags().StringVar(&note, "note", "", "a caption for the timeline")
	return c
}
