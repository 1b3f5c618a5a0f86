package cli

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal: what is written to master is what a
// person types into the terminal tty.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	if err := unix.IoctlSetPointerInt(int(master.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlock the pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(int(master.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Skipf("name the pseudo-terminal: %v", err)
	}
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open the pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { tty.Close() })
	return master, tty
}

// TestBulkAsksOnATerminal: on a terminal a bulk edit asks before it
// records; anything but y or yes writes nothing, and --yes does not ask.
func TestBulkAsksOnATerminal(t *testing.T) {
	repo, env := gitRepo(t)
	env = append(env, "SEV_NOW=2026-03-02T14:05:00Z")
	run := func(stdin *os.File, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(append([]string{"-C", repo}, args...), env, stdin, &out, &errb)
		return code, out.String(), errb.String()
	}
	none, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer none.Close()
	for _, args := range [][]string{{"init"}, {"declare", "Checkout errors", "--service", "checkout-api"}, {"declare", "Checkout latency", "--service", "checkout-api"}} {
		if code, _, errs := run(none, args...); code != 0 {
			t.Fatalf("%v: %s", args, errs)
		}
	}
	commits := func() int {
		out, err := exec.Command("git", "-C", repo, "rev-list", "--count", "HEAD").Output()
		if err != nil {
			t.Fatal(err)
		}
		var n int
		fmt.Sscan(string(out), &n)
		return n
	}
	before := commits()
	master, tty := openPTY(t)

	master.Write([]byte("n\n"))
	code, out, errs := run(tty, "tag", "--where", "service:checkout-api", "legacy")
	if code != exitFindings || !strings.Contains(errs, "Record this on 2 incident(s) in one commit? [y/N] ") || !strings.Contains(errs, "nothing was written") {
		t.Errorf("answered n: exit %d\n%s", code, errs)
	}
	if !strings.Contains(out, "tagged legacy") || commits() != before {
		t.Errorf("answered n: %d commits (was %d), listed:\n%s", commits(), before, out)
	}

	master.Write([]byte("yes\n"))
	if code, _, errs := run(tty, "tag", "--where", "service:checkout-api", "legacy"); code != 0 || commits() != before+1 {
		t.Errorf("answered yes: exit %d, %d commits (was %d)\n%s", code, commits(), before, errs)
	}

	code, _, errs = run(tty, "tag", "--where", "service:checkout-api", "pci", "--yes")
	if code != 0 || strings.Contains(errs, "[y/N]") || commits() != before+2 {
		t.Errorf("--yes: exit %d, %d commits (was %d)\n%s", code, commits(), before, errs)
	}
	// a dry run never asks
	if code, _, errs := run(tty, "tag", "--where", "service:checkout-api", "x", "--dry-run"); code != 0 || strings.Contains(errs, "[y/N]") {
		t.Errorf("--dry-run: exit %d\n%s", code, errs)
	}
}
