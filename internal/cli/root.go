// Package cli is the sev command line. It is the only package that wires
// the domain (incident, timeline, change, config) to the adapters (git,
// files): each command parses its flags into an options struct and its run
// function reads only those options and writes to injected streams, with an
// injected clock, so every command runs in-process in tests.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sev-dev/sev/internal/buildinfo"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/term"
	"github.com/sev-dev/sev/internal/txn"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// Exit codes.
const (
	exitOK       = 0
	exitFindings = 1 // validation findings, or a command that could not do its job
	exitUsage    = 2 // bad flags or arguments
)

// app is what every command shares: streams, environment and clock.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	raw, rawErr    io.Writer // stdout and stderr without escaping
	env            []string
	now            func() time.Time
	ctx            context.Context

	dir   string // -C
	debug bool
}

// usageError is a mistake in how a command was called: exit 2 with usage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// findingsError means diagnostics were already printed: exit 1 quietly.
type findingsError struct{ n int }

// exitCode ends a command with this exit code and prints nothing more:
// the child that reads a PDF for search tells its parent how it went so
// (internal/sandbox).
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func (e *findingsError) Error() string { return fmt.Sprintf("%d problem(s)", e.n) }

// Main runs sev with the given arguments and environment and returns the
// exit code. It never calls os.Exit and writes only to the given streams.
func Main(args, env []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// Everything printed for a person goes through term.Writer, so text
	// from incident files cannot drive the terminal; raw is for output
	// that must keep its bytes (an iCalendar file).
	out, errOut := term.NewWriter(stdout), term.NewWriter(stderr)
	defer out.Flush()
	defer errOut.Flush()
	a := &app{stdin: stdin, stdout: out, stderr: errOut, raw: stdout, rawErr: stderr, env: env, ctx: context.Background()}
	// colour only for a person at a terminal; --no-color turns it off
	// again while the flags are parsed, before anything is printed
	out.SetColor(term.WantColor(term.IsTerminal(stdout), a.getenv))
	errOut.SetColor(term.WantColor(term.IsTerminal(stderr), a.getenv))
	a.now = time.Now
	if v := a.getenv("SEV_NOW"); v != "" {
		// A fixed clock for tests and demos; documented in docs/format.md.
		t, err := yamlfile.ParseTime(v)
		if err != nil {
			fmt.Fprintf(a.stderr, "sev: SEV_NOW: %v\n", err)
			return exitUsage
		}
		a.now = func() time.Time { return t }
	}
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	cmd, err := root.ExecuteC()
	if err != nil {
		err = unknownCommand(cmd, err)
	}
	return a.report(cmd, err)
}

func (a *app) report(cmd *cobra.Command, err error) int {
	if err == nil {
		return exitOK
	}
	var ue *usageError
	var ie *txn.InputError
	var fe *findingsError
	var dl diag.List
	var ec exitCode
	switch {
	case errors.As(err, &ec):
		return int(ec)
	case errors.As(err, &fe):
		return exitFindings
	case errors.As(err, &ue) || ops.IsInput(err) || errors.As(err, &ie) || isCobraUsage(err):
		a.printError(err)
		if cmd != nil {
			fmt.Fprintf(a.stderr, "\nUsage:\n  %s\n\nRun \"%s --help\" for more.\n", cmd.UseLine(), cmd.CommandPath())
		}
		return exitUsage
	case errors.As(err, &dl):
		dl.WriteText(a.stderr)
		fmt.Fprintln(a.stderr, "sev: fix the problems above, then run the command again")
		return exitFindings
	}
	a.printError(err)
	return exitFindings
}

// printError prints the error a command ended with, red on a colour
// terminal.
func (a *app) printError(err error) {
	fmt.Fprintln(a.stderr, term.Paint(a.stderr, term.Red, "sev: "+err.Error()))
}

// warnf prints a warning, its label yellow on a colour terminal.
func (a *app) warnf(format string, args ...any) {
	fmt.Fprintf(a.stderr, "sev: %s %s\n", term.Paint(a.stderr, term.Yellow, "warning:"), fmt.Sprintf(format, args...))
}

// isCobraUsage recognises cobra's own argument errors.
func isCobraUsage(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "accepts ", "requires at least", "requires at most",
		"flag needs an argument", "invalid argument", "received "} {
		if strings.HasPrefix(s, p) || strings.Contains(s, " "+p) {
			return true
		}
	}
	return false
}

// debugf prints a line for --debug.
func (a *app) debugf(format string, args ...any) {
	if a.debug {
		fmt.Fprintf(a.stderr, "sev: "+format+"\n", args...)
	}
}

func (a *app) getenv(key string) string {
	for i := len(a.env) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(a.env[i], "="); ok && k == key {
			return v
		}
	}
	return ""
}

// workDir is where the command runs: -C, else the process's directory.
func (a *app) workDir() (string, error) {
	if a.dir != "" {
		return filepath.Abs(a.dir)
	}
	if pwd := a.getenv("PWD"); pwd != "" {
		if wd, err := os.Getwd(); err == nil {
			return wd, nil
		}
		return pwd, nil
	}
	return os.Getwd()
}

// path is p as given on the command line, relative to workDir.
func (a *app) path(p string) (string, error) {
	if filepath.IsAbs(p) {
		return p, nil
	}
	wd, err := a.workDir()
	return filepath.Join(wd, p), err
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "sev",
		Short: "Incidents as code: declare, respond to and learn from incidents in a git repository",
		Long: `sev keeps a company's incidents, their append-only timelines and postmortems
as YAML and Markdown files in a git repository, and makes every change a
commit by the person who made it.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       buildinfo.Read().String(),
	}
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetFlagErrorFunc(flagError)
	// unknownCommand words the suggestion; cobra's would span lines.
	root.DisableSuggestions = true
	root.SuggestionsMinimumDistance = 2
	pf := root.PersistentFlags()
	pf.StringVarP(&a.dir, "dir", "C", "", "run as if sev was started in this folder")
	root.Flags().Bool("version", false, "print which sev this is (the same as sev version)")
	pf.BoolFunc("no-color", "never colour the output (it is coloured only on a terminal, and not when NO_COLOR is set or TERM is dumb)", func(string) error {
		for _, w := range []io.Writer{a.stdout, a.stderr} {
			if t, ok := w.(*term.Writer); ok {
				t.SetColor(false)
			}
		}
		return nil
	})
	pf.BoolVar(&a.debug, "debug", false, "print what sev does on the way and how long it takes (caches, the search index, the object store check, locks it recovered)")
	root.AddCommand(
		a.initCmd(),
		a.declareCmd(),
		a.noteCmd(),
		a.ackCmd(),
		a.statusCmd(),
		a.assignCmd(),
		a.tagCmd(),
		a.severityCmd(),
		a.setCmd(),
		a.addCmd(),
		a.linkCmd(),
		a.attachCmd(),
		a.listCmd(),
		a.showCmd(),
		a.validateCmd(),
		a.fmtCmd(),
		a.pushCmd(),
		a.devCmd(),
		a.oncallCmd(),
		a.searchCmd(),
		a.similarCmd(),
		a.postmortemCmd(),
		a.followupCmd(),
		a.followupsCmd(),
		a.buildCmd(),
		a.serveCmd(),
		a.pageCmd(),
		a.escalateCmd(),
		a.watchCmd(),
		a.githubCmd(),
		a.automateCmd(),
		a.rulesCmd(),
		a.importCmd(),
		a.mcpCmd(),
		a.versionCmd(),
	)
	groupsSuggest(root)
	return root
}

// groupsSuggest makes every command that only groups others (sev github,
// sev dev, ...) refuse an unknown subcommand with a suggestion, as the
// root does: cobra checks subcommand names only at the root and would
// print the group's help for "sev github decalre" and exit 0.
func groupsSuggest(c *cobra.Command) {
	for _, sub := range c.Commands() {
		groupsSuggest(sub)
	}
	if !c.HasParent() || !c.HasSubCommands() || c.Runnable() {
		return
	}
	c.Args = cobra.ArbitraryArgs
	c.SuggestionsMinimumDistance = 2
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return cmd.Help()
		}
		return unknownCommand(cmd, fmt.Errorf("unknown command %q for %q", args[0], cmd.CommandPath()))
	}
}

// exactArgs is cobra.ExactArgs with a message that names the arguments.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != len(names) {
			return usagef("%s needs %d argument(s): %s (got %d)", cmd.Name(), len(names), strings.Join(names, " "), len(args))
		}
		return nil
	}
}

func minArgs(n int, names string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usagef("%s needs %s", cmd.Name(), names)
		}
		return nil
	}
}
