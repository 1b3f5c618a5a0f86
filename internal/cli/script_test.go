package cli_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/sev-dev/sev/internal/attachtext/pdftest"
	"github.com/sev-dev/sev/internal/cli"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"sev": func() { os.Exit(cli.Main(os.Args[1:], os.Environ(), os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the txtar scripts in testdata/script: each sets up files,
// runs sev and git, and asserts output and exit codes.
func TestScripts(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       os.Getenv("UPDATE_SCRIPTS") == "1",
		Setup:               setupScript,
		Condition:           scriptCondition,
		Cmds:                map[string]func(*testscript.TestScript, bool, []string){"mkpdf": mkpdf},
	})
}

// mkpdf writes a PDF for a script: mkpdf [-encrypted] FILE PAGE... (a
// page's lines separated by \n; words placed by kerning, content
// compressed, as producers write them).
func mkpdf(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! mkpdf")
	}
	o := pdftest.Options{Compress: true, Kerned: true}
	if len(args) > 0 && args[0] == "-encrypted" {
		o.Encrypted, args = true, args[1:]
	}
	if len(args) < 2 {
		ts.Fatalf("usage: mkpdf [-encrypted] FILE PAGE...")
	}
	var pages []string
	for _, p := range args[1:] {
		pages = append(pages, strings.ReplaceAll(p, `\n`, "\n"))
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), pdftest.PDF(o, pages...), 0o644))
}

// watchmanHook is where Debian's git keeps its fsmonitor-watchman hook.
const watchmanHook = "/usr/share/git-core/templates/hooks/fsmonitor-watchman.sample"

// scriptCondition adds [watchman]: Watchman and git's hook for it are
// installed.
func scriptCondition(cond string) (bool, error) {
	if cond != "watchman" {
		return false, fmt.Errorf("unknown condition %q", cond)
	}
	_, err := exec.LookPath("watchman")
	_, herr := os.Stat(watchmanHook)
	return err == nil && herr == nil, nil
}

// setupScript gives every script a home with a git identity, so commits
// work and nothing is read from the machine's own configuration.
func setupScript(env *testscript.Env) error {
	home := filepath.Join(env.WorkDir, ".home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		return err
	}
	gitconfig := "[user]\n\tname = Alice Example\n\temail = alice@example.com\n[init]\n\tdefaultBranch = main\n[protocol \"file\"]\n\tallow = always\n"
	if err := os.WriteFile(filepath.Join(home, ".gitconfig"), []byte(gitconfig), 0o644); err != nil {
		return err
	}
	env.Setenv("HOME", home)
	env.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	env.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	env.Setenv("GIT_TERMINAL_PROMPT", "0")
	env.Setenv("SEV_NOW", "2026-03-02T14:05:00Z")
	return nil
}

// TestReadmeWalkthrough keeps README.md honest: every command of its
// marked blocks is run, as written, by a script (the lifecycle walkthrough
// by readme.txtar, the on-call examples by oncall.txtar, the postmortem
// and search examples by readme-postmortem.txtar and readme-search.txtar, the
// site's by readme-site.txtar).
func TestReadmeWalkthrough(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for block, scriptFile := range map[string]string{"walkthrough": "readme.txtar", "oncall": "oncall.txtar", "postmortem": "readme-postmortem.txtar", "search": "readme-search.txtar", "site": "readme-site.txtar", "rules": "readme-rules.txtar", "paging": "watch.txtar", "status": "readme-status.txtar"} {
		script, err := os.ReadFile("testdata/script/" + scriptFile)
		if err != nil {
			t.Fatal(err)
		}
		commands := readmeBlock(string(readme), block)
		if len(commands) < 5 {
			t.Fatalf("found %d commands in README.md's %s block; the <!-- %s --> markers are missing", len(commands), block, block)
		}
		for _, c := range commands {
			// testscript quotes with single quotes where the shell takes
			// double, and a redirection becomes a cp of stdout
			c = strings.ReplaceAll(c, `"`, `'`)
			c, _, _ = strings.Cut(c, " > ")
			if !strings.Contains(string(script), "exec "+c+"\n") {
				t.Errorf("README command %q is not run by testdata/script/%s", c, scriptFile)
			}
		}
	}
}

func readmeBlock(readme, name string) []string {
	var commands []string
	in := false
	sc := bufio.NewScanner(strings.NewReader(readme))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text()) // a block may be indented in a list item
		switch {
		case strings.Contains(line, "<!-- "+name+" -->"):
			in = true
		case strings.Contains(line, "<!-- /"+name+" -->"):
			in = false
		case in && strings.HasPrefix(line, "sev "):
			cmd, _, _ := strings.Cut(line, "  #")
			commands = append(commands, strings.TrimSpace(cmd))
		}
	}
	return commands
}
