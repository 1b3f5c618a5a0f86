package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/ops"
)

type attachOptions struct {
	ID, File, Name, Note string
	Write                writeFlags
}

func (a *app) attachCmd() *cobra.Command {
	var o attachOptions
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
			o.ID, o.File = args[0], args[1]
			return a.runAttach(o)
		},
	}
	o.Write.register(c.Flags())
	o.Write.registerAt(c.Flags())
	c.Flags().StringVar(&o.Name, "name", "", "the attachment's file name (default: the file's own)")
	c.Flags().StringVar(&o.Note, "note", "", "a caption for the timeline")
	return c
}

func (a *app) runAttach(o attachOptions) error {
	src := o.File
	src, err := a.path(src)
	if err != nil {
		return err
	}
	at, warning, err := ops.AttachFile(src, o.File, o.Name, o.Note)
	if err != nil {
		return err
	}
	if warning != "" {
		a.warnf("%s", warning)
	}
	return a.change(o.ID, o.Write, func(env *ops.Env, inc *ops.Incident, by string, when time.Time) (*change.Change, error) {
		at.At = when
		return env.Attach(inc, by, at)
	})
}
