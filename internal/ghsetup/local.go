package ghsetup

import (
	"errors"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/sev-dev/sev/internal/rule"
)

// Local is what the doctor reads in the repository's working tree.
type Local struct {
	// Workflows are .github/workflows/*.yml and *.yaml, by file name.
	Workflows map[string]*Workflow
	// Needs are what rules/ needs; RulesBroken says rules/ has errors
	// (sev validate names them) and Needs may be incomplete.
	Needs       rule.Needs
	RulesBroken bool
}

// Workflow is what the doctor reads of a workflow file.
type Workflow struct {
	Name string
	// Events are the events in on:; Branches the push and pull_request
	// branch filters.
	Events       []string
	PushBranches []string
	PullBranches []string
	Jobs         []Job
	Uses         []string // every uses: of a step
	UsesComments []string // the comment after each uses:, same order
	ParseError   string
}

// Job is one job: its check name (name:, else its id) and the environment
// its steps that run sev get.
type Job struct {
	ID, Check string
	// RunsSev says a step uses sev's action; SevEnv are the environment
	// variables such steps get.
	RunsSev bool
	SevEnv  []string
}

// shipped are the workflows sev init writes, by file name.
var shipped = []string{"automate.yml", "chatops.yml", "intake.yml", "site.yml", "validate.yml"}

// ReadLocal reads the workflows under .github/workflows of fsys. needs
// and rulesBroken come from rules/ (rule.Set.Needs).
func ReadLocal(fsys fs.FS, needs rule.Needs, rulesBroken bool) (*Local, error) {
	l := &Local{Workflows: map[string]*Workflow{}, Needs: needs, RulesBroken: rulesBroken}
	entries, err := fs.ReadDir(fsys, ".github/workflows")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, e := range entries {
		if e.IsDir() || (path.Ext(e.Name()) != ".yml" && path.Ext(e.Name()) != ".yaml") {
			continue
		}
		data, err := fs.ReadFile(fsys, ".github/workflows/"+e.Name())
		if err != nil {
			return nil, err
		}
		l.Workflows[e.Name()] = parseWorkflow(data)
	}
	return l, nil
}

func parseWorkflow(data []byte) *Workflow {
	w := &Workflow{}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil || len(root.Content) == 0 {
		w.ParseError = "not YAML"
		if err != nil {
			w.ParseError = err.Error()
		}
		return w
	}
	doc := root.Content[0]
	w.Name = scalar(get(doc, "name"))
	on := get(doc, "on")
	switch {
	case on == nil:
	case on.Kind == yaml.ScalarNode:
		w.Events = []string{on.Value}
	case on.Kind == yaml.SequenceNode:
		for _, n := range on.Content {
			w.Events = append(w.Events, n.Value)
		}
	case on.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(on.Content); i += 2 {
			ev, body := on.Content[i].Value, on.Content[i+1]
			w.Events = append(w.Events, ev)
			switch ev {
			case "push":
				w.PushBranches = strings1(get(body, "branches"))
			case "pull_request", "pull_request_target":
				w.PullBranches = strings1(get(body, "branches"))
			}
		}
	}
	jobs := get(doc, "jobs")
	if jobs != nil && jobs.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(jobs.Content); i += 2 {
			id, body := jobs.Content[i].Value, jobs.Content[i+1]
			j := Job{ID: id, Check: cmpOr(scalar(get(body, "name")), id)}
			if steps := get(body, "steps"); steps != nil {
				for _, st := range steps.Content {
					uses := get(st, "uses")
					if uses == nil {
						continue
					}
					w.Uses = append(w.Uses, uses.Value)
					w.UsesComments = append(w.UsesComments, strings.TrimSpace(strings.TrimPrefix(uses.LineComment, "#")))
					if isSevAction(uses.Value) {
						j.RunsSev = true
						if env := get(st, "env"); env != nil && env.Kind == yaml.MappingNode {
							for k := 0; k+1 < len(env.Content); k += 2 {
								j.SevEnv = append(j.SevEnv, env.Content[k].Value)
							}
						}
					}
				}
			}
			w.Jobs = append(w.Jobs, j)
		}
	}
	return w
}

// sevAction matches a use of sev's action: the repository's own (./) or
// sev-dev/sev at some ref.
var sevAction = regexp.MustCompile(`^(\./?|sev-dev/sev@.+)$`)

func isSevAction(uses string) bool { return sevAction.MatchString(uses) }

// pinnedCommit matches sev's action pinned by commit.
var pinnedCommit = regexp.MustCompile(`^sev-dev/sev@[0-9a-f]{40}$`)

func get(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// strings1 reads a scalar or a sequence of scalars.
func strings1(n *yaml.Node) []string {
	switch {
	case n == nil:
		return nil
	case n.Kind == yaml.ScalarNode:
		return []string{n.Value}
	}
	var out []string
	for _, c := range n.Content {
		out = append(out, c.Value)
	}
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// checkNames are the check names of the jobs that run on pull requests.
func (l *Local) checkNames() []string {
	var out []string
	for _, w := range l.Workflows {
		if slices.Contains(w.Events, "pull_request") || slices.Contains(w.Events, "pull_request_target") {
			for _, j := range w.Jobs {
				out = append(out, j.Check)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
