package term

import (
	"io"
	"os"
)

// IsTerminal reports whether w is a terminal (a character device other
// than /dev/null).
func IsTerminal(w io.Writer) bool { return isTerminal(w) }

// IsTerminalInput reports whether r is a terminal a person types into
// (a character device other than /dev/null), so a command may ask them.
func IsTerminalInput(r io.Reader) bool { return isTerminal(r) }

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(fi, null)
}
