package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/sev-dev/sev/internal/yamlfile"
)

// flagError is the root's FlagErrorFunc: every flag mistake is a usage
// error, and an unknown long flag that is a likely typo of one the
// command has gets the suggestion (cobra suggests commands, not flags).
func flagError(c *cobra.Command, err error) error {
	if s := flagSuggestion(c, err); s != "" {
		return usagef("%v; did you mean --%s?", err, s)
	}
	return &usageError{msg: err.Error()}
}

// flagSuggestion is the visible flag of c closest to the unknown long flag
// err names, or "" when err is another mistake or nothing is close.
func flagSuggestion(c *cobra.Command, err error) string {
	var ne *pflag.NotExistError
	if !errors.As(err, &ne) || ne.GetSpecifiedShortnames() != "" {
		return ""
	}
	var names []string
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			names = append(names, f.Name)
		}
	})
	return yamlfile.Suggest(ne.GetSpecifiedName(), names)
}

// unknownCommand rewrites cobra's "unknown command" error (whose own
// suggestion spans several lines) as one line that names the closest
// command, so the usage line that follows stays readable.
func unknownCommand(cmd *cobra.Command, err error) error {
	var name, path string
	if cmd == nil || !strings.HasPrefix(err.Error(), "unknown command ") {
		return err
	}
	if _, scanErr := fmt.Sscanf(err.Error(), "unknown command %q for %q", &name, &path); scanErr != nil {
		return err
	}
	// the closest name, a swap of neighbouring letters counting as one
	// typo ("lsit" is list); then cobra's own, which also knows prefixes
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	if s := yamlfile.Suggest(name, names); s != "" {
		return usagef("unknown command %q for %q; did you mean %q?", name, path, s)
	}
	if s := cmd.SuggestionsFor(name); len(s) > 0 {
		return usagef("unknown command %q for %q; did you mean %q?", name, path, s[0])
	}
	return usagef("unknown command %q for %q; run \"%s --help\" for the list", name, path, path)
}
