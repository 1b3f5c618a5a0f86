package ghaction

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

// outputName is what GitHub accepts as an output's id: a letter or _
// first, then letters, digits, - and _. Anything else could never be read
// as steps.<id>.outputs.<name>, and a name with = or << in it would change
// how the runner splits the line.
var outputName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// SetOutput sets the step output name to value by appending to the file at
// OutputPath (GITHUB_OUTPUT).
func (r *Run) SetOutput(name, value string) error {
	f, err := os.OpenFile(r.OutputPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("ghaction: set output %s: %w", name, err)
	}
	werr := WriteOutput(f, rand.Reader, name, value)
	if err := f.Close(); werr == nil && err != nil {
		werr = fmt.Errorf("ghaction: set output %s: %w", name, err)
	}
	return werr
}

// WriteOutput writes one output in the runner's heredoc form:
//
//	name<<ghadelimiter_RANDOM
//	value
//	ghadelimiter_RANDOM
//
// The runner ends the value at the first line that equals the delimiter,
// so the delimiter is drawn from random until it does not occur anywhere
// in the value: no line of the value can end it early and start an output
// of its own. Line endings in the value are written as \n (a \r\n or lone
// \r becomes \n), because the runner drops a \r before the delimiter's
// line and the value would otherwise not come back unchanged.
func WriteOutput(w io.Writer, random io.Reader, name, value string) error {
	if !outputName.MatchString(name) {
		return fmt.Errorf("ghaction: output name %q is not a letter or _ followed by letters, digits, - and _", name)
	}
	value = normalizeNewlines(value)
	delim, err := delimiter(random, value)
	if err != nil {
		return fmt.Errorf("ghaction: set output %s: %w", name, err)
	}
	if _, err := fmt.Fprintf(w, "%s<<%s\n%s\n%s\n", name, delim, value, delim); err != nil {
		return fmt.Errorf("ghaction: set output %s: %w", name, err)
	}
	return nil
}

// delimiter draws a delimiter that does not occur in value. With 128
// random bits a collision is astronomically unlikely, but a value may
// quote an earlier delimiter (a title copied from a log), so it is checked
// and redrawn rather than assumed.
func delimiter(random io.Reader, value string) (string, error) {
	buf := make([]byte, 16)
	for range 8 {
		if _, err := io.ReadFull(random, buf); err != nil {
			return "", fmt.Errorf("draw a delimiter: %w", err)
		}
		d := "ghadelimiter_" + hex.EncodeToString(buf)
		if !strings.Contains(value, d) {
			return d, nil
		}
	}
	return "", fmt.Errorf("every delimiter drawn occurs in the value; is the random source broken?")
}

func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}
