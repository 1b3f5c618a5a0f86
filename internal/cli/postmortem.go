package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/present"
)

type postmortemOptions struct {
	ID    string
	Write writeFlags
	ops.Review
	// Section, From, Text and Append write one section (--section);
	// HasText says --text was given, even empty.
	Section, From, Text string
	HasText, Append     bool
}

func (a *app) postmortemCmd() *cobra.Command {
	var o postmortemOptions
	c := &cobra.Command{
		Use:   "postmortem ID",
		Short: "Write or refresh an incident's postmortem draft",
		Long: `postmortem writes postmortems/<id>.md, a draft pre-filled from the
incident's record and timeline: an overview (severity, milestones, time to
detect, mitigate and resolve, roles and responders), the summary and impact,
the timeline as a table with milestones and key moments marked, and the
sections a review fills in (root cause and contributing factors, detection
and response, what went well and badly, where we got lucky, lessons,
follow-ups). The layout comes from postmortems/TEMPLATE.md when the
repository has one.

Run it again at any time: the generated parts (between <!-- sev:begin -->
and <!-- sev:end --> markers) are brought up to date, unless someone edited
them, and nothing a person wrote anywhere else is touched.

--section HEADING writes one section from the command line instead (and
drafts the postmortem first if there is none): its content, up to the next
heading of the same or a higher level, becomes the Markdown of --from FILE
(- for standard input) or --text; --append adds it after the section's own
text instead. The heading is matched without regard to case, or by its
first words ("root cause" is "Root cause and contributing factors"); a
heading no section has becomes a new "## HEADING" section, before the
follow-ups. Nothing else in the file changes. Sections that hold generated
parts (overview, summary, impact, timeline, follow-ups) can only be
appended to, and headings in the text must be deeper than the section's.`,
		Example: `  sev postmortem checkout
  sev postmortem checkout --status in-review --reviewer bob
  sev postmortem checkout --section "Root cause" --from root-cause.md
  pbpaste | sev postmortem checkout --section "What went well" --append --from -
  sev postmortem checkout --section "Where we got lucky" --text "The acquirer's backup was idle."`,
		Args: exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ID = args[0]
			o.HasText = cmd.Flags().Changed("text")
			if cmd.Flags().Changed("from") && o.From == "" {
				return usagef("--from needs a file name, or - for standard input")
			}
			return a.runPostmortem(o)
		},
	}
	o.Write.registerCommit(c.Flags())
	c.Flags().StringVar(&o.Status, "status", "", "set the review's status: draft, in-review or published")
	c.Flags().StringSliceVar(&o.Authors, "author", nil, "add an author (handle; repeat or comma-separate)")
	c.Flags().StringSliceVar(&o.Reviewers, "reviewer", nil, "add a reviewer (handle; repeat or comma-separate)")
	c.Flags().StringVar(&o.Section, "section", "", "write the section with this heading (with --from or --text)")
	c.Flags().StringVar(&o.From, "from", "", "the section's Markdown: a file, or - for standard input")
	c.Flags().StringVar(&o.Text, "text", "", "the section's Markdown, given on the command line")
	c.Flags().BoolVar(&o.Append, "append", false, "add to the section instead of replacing its content")
	return c
}

func (a *app) runPostmortem(o postmortemOptions) error {
	if o.Section != "" || o.From != "" || o.HasText || o.Append {
		return a.runSection(o)
	}
	if err := ops.CheckReview(o.Review); err != nil {
		return err
	}
	return a.editPostmortem(o.ID, o.Write, true, func(env *ops.Env, inc *ops.Incident, by string) (*ops.PostmortemChange, error) {
		return env.Review(inc, by, o.Review)
	})
}

// runSection writes one section: sev postmortem ID --section HEADING.
func (a *app) runSection(o postmortemOptions) error {
	switch {
	case o.Section == "":
		return usagef("--from, --text and --append write a section: name it with --section HEADING")
	case o.From != "" && o.HasText:
		return usagef("give the section's text with --from or with --text, not both")
	case o.From == "" && !o.HasText:
		return usagef("--section needs the text: --from FILE, --from - (standard input) or --text MARKDOWN")
	case o.Status != "" || len(o.Authors) > 0 || len(o.Reviewers) > 0:
		return usagef("--section writes only the section; set --status, --author and --reviewer with a command of their own")
	}
	return a.editPostmortem(o.ID, o.Write, false, func(env *ops.Env, inc *ops.Incident, by string) (*ops.PostmortemChange, error) {
		text, source, err := a.sectionText(o, env.Settings.Limits.Postmortem)
		if err != nil {
			return nil, err
		}
		return env.SetSection(inc, by, ops.Section{Heading: o.Section, Text: text, Source: source, Append: o.Append})
	})
}

// sectionText reads the section's Markdown, at most limit bytes (a
// postmortem is no bigger), and names where it came from.
func (a *app) sectionText(o postmortemOptions, limit int64) (text, source string, err error) {
	var r io.Reader
	switch o.From {
	case "":
		r, source = strings.NewReader(o.Text), "--text"
	case "-":
		r, source = a.stdin, "<stdin>"
	default:
		p, err := a.path(o.From)
		if err != nil {
			return "", "", err
		}
		f, err := os.Open(p)
		if err != nil {
			return "", "", fmt.Errorf("--from: %w", err)
		}
		defer f.Close()
		r, source = f, o.From
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return "", "", fmt.Errorf("read %s: %w", source, err)
	}
	if int64(len(b)) > limit {
		return "", "", fmt.Errorf("%s is over limits.postmortem in sev.yaml (%d bytes), the most a postmortem may hold", source, limit)
	}
	return string(b), source, nil
}

// editPostmortem runs a postmortem operation on the incident query names
// and writes the result as one commit (workspace.EditPostmortem). refresh
// says the user asked for the refresh, so parts kept because of their
// edits are worth a mention.
func (a *app) editPostmortem(query string, f writeFlags, refresh bool,
	op func(env *ops.Env, inc *ops.Incident, by string) (*ops.PostmortemChange, error)) error {
	ws, err := a.open()
	if err != nil {
		return err
	}
	a.warnSettings(ws)
	pc, head, pushed, err := ws.EditPostmortem(query, f.by, f.write(), op)
	var pe *ops.ProblemsError
	if errors.As(err, &pe) {
		_ = pe.Diags.WriteText(a.stderr)
		return errors.New(pe.Msg)
	}
	if err != nil {
		return err
	}
	present.Postmortem(a.stdout, a.stderr, pc, head, pushed, refresh, ws.Settings.Remote)
	return nil
}
