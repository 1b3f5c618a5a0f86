// Package sandbox reads the text of PDF attachments in a child process.
//
// attachtext reads a PDF on its own goroutine, recovers every panic and
// gives up on a reading that overruns its time; but a Go program cannot
// stop a goroutine from outside, nor survive running out of memory or
// stack, and a PDF is a format a damaged or hostile file can make a
// reader loop or allocate without end on. So sev search and sev build run
// sev itself (`sev dev attachment-text -`) for each PDF: the child reads
// the file from stdin and prints its text, within a memory limit (on
// Linux) and a smaller maximum stack, and the parent kills it when it
// runs too long. A child that crashes or is killed costs that PDF its
// text, with a note that says so, and nothing else. Text and Markdown
// files are read in the process itself: their readers are linear.
package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime/debug"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/attachtext"
)

// Exit codes of the child, besides 0 (the text, complete).
const (
	exitPartial = 3 // the text printed is partial; stderr says why
	exitNone    = 4 // no text; stderr says why
)

// Runner runs the child.
type Runner struct {
	Exe  string   // the sev binary
	Args []string // the command that reads stdin and prints its text (the file's name is appended)
	Env  []string // the child's environment
	// Limit is how long a child may run before it is killed; 0:
	// twice attachtext.PDFTime.
	Limit time.Duration
}

// Extract is attachtext.Extract with PDFs read by a child process.
func (r Runner) Extract(name string, data []byte) (string, error) {
	if attachtext.KindOf(name, data) != attachtext.PDF {
		return attachtext.Extract(name, data)
	}
	limit := r.Limit
	if limit <= 0 {
		limit = 2 * attachtext.PDFTime
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.Exe, append(append([]string(nil), r.Args...), name)...)
	// the test binary dispatches on its name (testscript), sev ignores it
	cmd.Args[0] = "sev"
	cmd.Env = r.Env
	cmd.WaitDelay = time.Second // a grandchild holding the pipes does not hold the parent
	cmd.Stdin = bytes.NewReader(data)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &capped{w: &stdout, n: attachtext.MaxText + 4096}
	cmd.Stderr = &capped{w: &stderr, n: 4096}
	err := cmd.Run()
	text, note := stdout.String(), strings.TrimSpace(stderr.String())
	var exit *exec.ExitError
	switch {
	case err == nil:
		return attachtext.Truncate(text, attachtext.MaxText), nil
	case ctx.Err() != nil:
		return "", fmt.Errorf("reading the PDF took longer than %s; its text is not searchable", limit)
	case errors.As(err, &exit) && exit.ExitCode() == exitPartial:
		return attachtext.Truncate(text, attachtext.MaxText), errors.New(note)
	case errors.As(err, &exit) && exit.ExitCode() == exitNone:
		return "", errors.New(note)
	case errors.As(err, &exit):
		return "", fmt.Errorf("the PDF reader failed on this file (%s)", lastLine(note, exit))
	}
	return "", fmt.Errorf("the PDF reader could not be started: %w", err)
}

// lastLine is the gist of a crashed child's stderr: Go's fatal errors say
// what happened on their first line.
func lastLine(stderr string, exit *exec.ExitError) string {
	first, _, _ := strings.Cut(stderr, "\n")
	if first = strings.TrimSpace(first); first != "" {
		return first
	}
	return exit.String()
}

// capped keeps the first n bytes written and drops the rest, so a child
// cannot make the parent buffer without end.
type capped struct {
	w io.Writer
	n int
}

func (c *capped) Write(p []byte) (int, error) {
	if c.n > 0 {
		k := min(len(p), c.n)
		c.w.Write(p[:k])
		c.n -= k
	}
	return len(p), nil
}

// Child is the child's side: it reads the file named name from stdin,
// within limits, and prints its text to stdout; the result is the exit
// code Runner expects.
func Child(name string, stdin io.Reader, stdout, stderr io.Writer) int {
	limitMemory()
	debug.SetMaxStack(maxStack)
	data, err := io.ReadAll(io.LimitReader(stdin, maxInput))
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitNone
	}
	text, err := attachtext.Extract(name, data)
	io.WriteString(stdout, text)
	switch {
	case err != nil && text != "":
		fmt.Fprintln(stderr, err)
		return exitPartial
	case err != nil:
		fmt.Fprintln(stderr, err)
		return exitNone
	}
	return 0
}

const (
	// maxStack is the child's largest goroutine stack: deep recursion in
	// the reader ends the child early instead of at Go's 1 GB default.
	maxStack = 64 << 20
	// maxInput is the most the child reads: more than any attachment
	// limit a repository would set.
	maxInput = 1 << 30
	// maxMemory is the child's address space where the system can limit
	// it (Linux): a Go program has about a gigabyte of it reserved before
	// it allocates, so this leaves about 1.4 GB for the reader.
	maxMemory = 5 << 29
)
