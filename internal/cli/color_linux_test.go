package cli

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
)

// onTerminal runs sev with stdout on a pseudo-terminal and returns what
// the terminal showed.
func onTerminal(t *testing.T, env []string, args ...string) string {
	t.Helper()
	master, tty := openPTY(t)
	got := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(master) // ends with EIO once the tty is closed
		got <- b
	}()
	none, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer none.Close()
	var errb bytes.Buffer
	if code := Main(args, env, none, tty, &errb); code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, errb.String())
	}
	tty.Close()
	return string(<-got)
}

// TestColourOnATerminal: sev list colours a SEV1 red and the heading bold
// on a terminal, and not at all with NO_COLOR, TERM=dumb or --no-color.
// (That data cannot bring its own colour is term's TestDataCannotForgeAMark.)
func TestColourOnATerminal(t *testing.T) {
	repo, env := gitRepo(t)
	env = append(env, "SEV_NOW=2026-03-02T14:05:00Z", "TERM=xterm")
	var out, errb bytes.Buffer
	for _, args := range [][]string{{"init"}, {"declare", "Checkout down", "--sev", "1"}} {
		if code := Main(append([]string{"-C", repo}, args...), env, strings.NewReader(""), &out, &errb); code != 0 {
			t.Fatalf("%v: %s", args, errb.String())
		}
	}
	if strings.Contains(out.String(), "\x1b") {
		t.Errorf("colour or ESC in output that is not a terminal: %q", out.String())
	}
	shown := onTerminal(t, env, "-C", repo, "list")
	for _, want := range []string{"\x1b[31mSEV1\x1b[0m", "\x1b[1mID\x1b[0m", "\x1b[33mopen\x1b[0m", "Checkout down"} {
		if !strings.Contains(shown, want) {
			t.Errorf("terminal shows %q, lacks %q", shown, want)
		}
	}
	for name, run := range map[string]func() string{
		"NO_COLOR":   func() string { return onTerminal(t, append(env, "NO_COLOR=1"), "-C", repo, "list") },
		"TERM=dumb":  func() string { return onTerminal(t, append(env, "TERM=dumb"), "-C", repo, "list") },
		"--no-color": func() string { return onTerminal(t, env, "-C", repo, "list", "--no-color") },
	} {
		shown := run()
		if !strings.Contains(shown, "SEV1") || strings.Contains(shown, "\x1b") {
			t.Errorf("%s: terminal shows %q, want SEV1 and no escape sequence", name, shown)
		}
	}
}
