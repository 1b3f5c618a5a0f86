// Package rule is sev's automation: rules read from rules/*.yaml that say
// what should happen when something happens to an incident, evaluated into
// a plan of actions without doing any of them.
//
// A rule has triggers (on), a condition (if) and ordered steps. Triggers
// are events, and events come from timeline entries: a declared entry is
// the declared event, a tag entry that adds a tag is tag-added, any entry
// that changes the status is status-changed, and so on; postmortem-overdue
// comes from the clock and the postmortem policy. The event's key is the
// entry's id (or "postmortem-overdue"), so it is the same however often it
// is looked at.
//
// Evaluating a rule for an event never does anything: it returns Actions,
// each with a Key that is a hash of the rule's name, the incident, the
// event's key and the step. Everything that makes automation idempotent
// follows from that key. Actions that change the incident are timeline
// entries whose id is "rule-" and the key, so applying them twice is
// change.ErrNothing. Actions outside the repository (a comment, labels,
// reviewers, an issue, a webhook) carry a receipt: a note entry with the
// same kind of id that the executor appends once the action succeeded, so
// the next evaluation finds it and plans nothing; comments and issues also
// carry the key in a hidden marker, and webhooks send it as their delivery
// id, so a receiver can drop a repeat. Steps whose effect already holds (a
// tag that is there, a role held) produce no action at all.
//
// Entries written by rules do not start events of their own when they are
// read back: Cascade applies them to the state as it plans them and turns
// them into events there, round after round, until nothing new happens (at
// most MaxRounds rounds; more is reported as a loop naming the rules).
// Automate (the executor's entry point) and Replay (sev rules test) both
// run every event through Cascade, so what the test shows is what the
// automation does.
//
// Text from incidents never becomes live markup: templates are Go
// text/template over a view whose values are escaped for where they end
// up (GitHub Markdown, Slack, plain text), with mentions and issue
// references broken and HTML escaped, and a template cannot glue "@" to a
// value. Comments, issues and webhooks about a restricted incident carry
// only its ID.
//
// The package does no I/O: rule files arrive as bytes with their path,
// incidents as parsed records and timelines.
package rule

import (
	"slices"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/rotation"
)

// Check is the check id of every problem in a rule file that is not a
// YAML or vocabulary problem shared with the other files.
const Check = "rule"

// Folder is where rule files live, relative to the repository root.
const Folder = "rules"

// Triggers, as written in a rule's on list.
const (
	Declared          = "declared"
	StatusChanged     = "status-changed"
	SeverityChanged   = "severity-changed"
	TagAdded          = "tag-added"
	TagRemoved        = "tag-removed"
	RoleAssigned      = "role-assigned"
	NoteAdded         = "note-added"
	PostmortemOverdue = "postmortem-overdue"
	// Timed triggers: a wait after something, while the incident is active.
	UnacknowledgedFor = "unacknowledged-for"
	NoUpdateFor       = "no-update-for"
	OpenFor           = "open-for"
	MitigatedFor      = "mitigated-for"
)

// Triggers lists every trigger, in the order the documentation gives them.
var Triggers = []string{Declared, StatusChanged, SeverityChanged, TagAdded, TagRemoved, RoleAssigned, NoteAdded, PostmortemOverdue,
	UnacknowledgedFor, NoUpdateFor, OpenFor, MitigatedFor}

// Timed are the triggers that fire after a wait (unacknowledged-for: 5m).
var Timed = []string{UnacknowledgedFor, NoUpdateFor, OpenFor, MitigatedFor}

// Env is what rules may use besides the incident: the settings, the
// rotations (for whoever is on call), the site's address and the name the
// automation writes entries as.
type Env struct {
	Settings  *config.Settings
	Rotations []*rotation.Rotation
	// SiteURL is the address the incident library is served from
	// ("https://example.github.io/incidents/"); empty when unknown.
	SiteURL string
	// Author is the by of the entries rules write; "sev" when empty.
	Author string
	// Escalations are the names of the escalation policies that pass
	// validation, which escalate steps may start.
	Escalations []string
}

func (env *Env) author() string {
	if env.Author == "" {
		return "sev"
	}
	return env.Author
}

func (env *Env) rotation(name string) *rotation.Rotation {
	for _, r := range env.Rotations {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// onCall is who is on call in a rotation at t, and false when nobody is
// (or the rotation is gone).
func (env *Env) onCall(name string, t time.Time) (string, bool) {
	r := env.rotation(name)
	if r == nil {
		return "", false
	}
	p, _, _, ok := r.At(t)
	return p, ok
}

// Rule is one file under rules/.
type Rule struct {
	// Name is the file's base name without .yaml.
	Name        string
	Path        string
	Description string
	once        bool // run at most once per incident
	triggers    []trigger
	cond        condition // nil: always
	steps       []step
}

// Once reports whether the rule runs at most once per incident.
func (r *Rule) Once() bool { return r.once }

// Triggers returns the events the rule is written to run on.
func (r *Rule) Triggers() []string {
	out := make([]string, len(r.triggers))
	for i, t := range r.triggers {
		out[i] = t.event
	}
	return out
}

// Steps returns the kinds of the rule's steps, in order.
func (r *Rule) Steps() []string {
	out := make([]string, len(r.steps))
	for i, s := range r.steps {
		out[i] = s.kind()
	}
	return out
}

// Set is a repository's rules, sorted by name.
type Set struct {
	Rules []*Rule
}

// timers lists the distinct timed triggers of the set's rules.
func (s *Set) timers() []timer {
	var out []timer
	for _, r := range s.Rules {
		for _, t := range r.triggers {
			if t.timer != nil && !slices.Contains(out, *t.timer) {
				out = append(out, *t.timer)
			}
		}
	}
	return out
}

// Rule returns the named rule, or nil.
func (s *Set) Rule(name string) *Rule {
	for _, r := range s.Rules {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// Names lists the rules' names.
func (s *Set) Names() []string {
	out := make([]string, len(s.Rules))
	for i, r := range s.Rules {
		out[i] = r.Name
	}
	return out
}

// File is one rule file's path and content.
type File struct {
	Path string
	Data []byte
}

// ParseSet parses every file. Rules with errors are left out of the set
// (a rule that is half understood must not run); every problem of every
// file is returned.
func ParseSet(files []File, env *Env) (*Set, diag.List) {
	set := &Set{}
	var diags diag.List
	for _, f := range files {
		r, d := Parse(f.Path, f.Data, env)
		diags.Append(d)
		if r != nil {
			set.Rules = append(set.Rules, r)
		}
	}
	sortRules(set.Rules)
	diags.Sort()
	return set, diags
}

// Needs is what a set of rules needs from where automation runs: the
// environment variables their webhooks read (url-env, secret-env), the
// labels they add, whether they request team reviewers, and the other
// repositories they open issues in. sev github doctor checks them.
type Needs struct {
	Env    []string
	Labels []string
	Teams  bool
	Repos  []string
}

// Needs collects what the rules need, each name once, sorted.
func (s *Set) Needs() Needs {
	var n Needs
	for _, r := range s.Rules {
		for _, st := range r.steps {
			switch st := st.(type) {
			case *webhookStep:
				n.Env = appendOnce(n.Env, st.urlEnv, st.secretEnv)
			case *labelStep:
				n.Labels = appendOnce(n.Labels, st.labels...)
			case *issueStep:
				n.Labels = appendOnce(n.Labels, st.labels...)
				n.Repos = appendOnce(n.Repos, st.repo)
			case *reviewersStep:
				n.Teams = n.Teams || len(st.teams) > 0
			}
		}
	}
	slices.Sort(n.Env)
	slices.Sort(n.Labels)
	slices.Sort(n.Repos)
	return n
}

func appendOnce(list []string, vals ...string) []string {
	for _, v := range vals {
		if v != "" && !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}
