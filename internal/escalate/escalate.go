// Package escalate is sev's escalation policies (escalations/NAME.yaml):
// levels of people, rotations, roles and channels to notify, each after a
// delay, repeated a number of times, until someone acknowledges, the
// incident is resolved or someone takes the commander role.
//
// The package decides what is due, never sends: given a policy, when the
// escalation started, when it stopped (if it did) and the time now, Due
// lists the steps that should have happened by now and when the next one
// is. Whoever runs the clock (the scheduled workflow or sev watch)
// delivers each step once, by its ID, and records a receipt.
package escalate

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// Folder holds the policies.
const Folder = "escalations"

// CheckEscalation is the id of the findings about policy files.
const CheckEscalation = "escalation"

// Limits of a policy.
const (
	MaxLevels   = 20
	MaxRepeat   = 10
	MaxDelay    = 7 * 24 * time.Hour
	DefaultGap  = 10 * time.Minute // between the last level and a repeat, when repeat-after is not given
	MaxTargets  = 50
	targetKinds = "rotation, person, role or channel"
)

// Policy is one escalation policy.
type Policy struct {
	Name        string  `yaml:"name"`
	Description string  `yaml:"description"`
	Levels      []Level `yaml:"levels,required"`
	// Repeat is how many times the levels run again after the last one
	// when nobody acknowledges; RepeatAfter is the wait before each run
	// (default 10m).
	Repeat      int    `yaml:"repeat"`
	RepeatAfter string `yaml:"repeat-after"`

	repeatAfter time.Duration
}

// Level is one step of a policy.
type Level struct {
	// After is the wait after the previous level (for the first, after
	// the escalation starts): a Go duration such as 5m or 1h30m.
	After string `yaml:"after"`
	// Notify lists the targets: rotation:NAME (whoever is on call then),
	// person:HANDLE, role:ROLE (whoever holds it in the incident) and
	// channel:NAME (the channel itself: its room, topic or service).
	Notify []string `yaml:"notify,required"`
	// Via names the channels that reach this level's people; default:
	// every channel on which they have a contact.
	Via []string `yaml:"via"`

	after   time.Duration
	targets []Target
}

// Target is one thing a level notifies.
type Target struct {
	Kind string // rotation, person, role, channel
	Name string
}

func (t Target) String() string { return t.Kind + ":" + t.Name }

// Targets of the level, parsed.
func (l *Level) Targets() []Target { return l.targets }

// Delay is the level's wait after the previous one.
func (l *Level) Delay() time.Duration { return l.after }

// NameOf is the policy name of a file: its base name without .yaml.
func NameOf(file string) string { return strings.TrimSuffix(path.Base(file), path.Ext(file)) }

// Known is what the targets of a policy may name.
type Known struct {
	Settings  *config.Settings
	Rotations []string
}

// Parse reads a policy file. A policy with errors is nil: a half-read
// policy could page the wrong people or nobody.
func Parse(file string, data []byte, k Known) (*Policy, diag.List) {
	root, diags := yamlfile.Parse(file, data)
	if root == nil {
		if len(diags) == 0 {
			diags.Add(diag.Pos{Path: file, Line: 1}, yamlfile.CheckReq, "the escalation policy is empty; it needs levels")
		}
		return nil, diags
	}
	d := yamlfile.NewDecoder(file)
	p := &Policy{}
	d.Decode(root, p)
	diags.Append(d.Diags)
	diags.Append(p.prepare(file, d, k))
	if diags.Errors() > 0 {
		return nil, diags
	}
	return p, diags
}

func duration(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 || v > MaxDelay {
		return 0, fmt.Errorf("%q is not a wait from 0 to 168h, such as 5m or 1h30m", s)
	}
	return v, nil
}

func (p *Policy) prepare(file string, d *yamlfile.Decoder, k Known) diag.List {
	var diags diag.List
	base := NameOf(file)
	if p.Name == "" {
		p.Name = base
	} else if p.Name != base {
		diags.Add(d.At("name"), CheckEscalation, "name %q does not match the file name %q; rename one of them", p.Name, base)
	}
	switch {
	case len(p.Levels) == 0 && d.Has("levels"):
		diags.Add(d.At("levels"), CheckEscalation, "a policy needs at least one level")
	case len(p.Levels) > MaxLevels:
		diags.Add(d.At("levels"), CheckEscalation, "a policy has at most %d levels", MaxLevels)
	}
	if p.Repeat < 0 || p.Repeat > MaxRepeat {
		diags.Add(d.At("repeat"), CheckEscalation, "repeat must be from 0 to %d", MaxRepeat)
	}
	var err error
	if p.repeatAfter, err = duration(p.RepeatAfter); err != nil {
		diags.Add(d.At("repeat-after"), CheckEscalation, "repeat-after: %v", err)
	}
	if p.RepeatAfter == "" {
		p.repeatAfter = DefaultGap
	}
	channels := map[string]bool{}
	for _, c := range k.Settings.Notify.Channels {
		channels[c.Name] = true
	}
	for i := range p.Levels {
		l := &p.Levels[i]
		at := func(f string) diag.Pos { return d.At(fmt.Sprintf("levels[%d].%s", i, f)) }
		if l.after, err = duration(l.After); err != nil {
			diags.Add(at("after"), CheckEscalation, "after: %v", err)
		}
		if len(l.Notify) == 0 && d.Has(fmt.Sprintf("levels[%d].notify", i)) {
			diags.Add(at("notify"), CheckEscalation, "a level notifies at least one target")
		}
		if len(l.Notify) > MaxTargets {
			diags.Add(at("notify"), CheckEscalation, "a level has at most %d targets", MaxTargets)
		}
		for j, raw := range l.Notify {
			pos := d.At(fmt.Sprintf("levels[%d].notify[%d]", i, j))
			kind, name, ok := strings.Cut(strings.TrimSpace(raw), ":")
			if !ok || name == "" {
				diags.Add(pos, CheckEscalation, "%q is not a target; write rotation:NAME, person:HANDLE, role:ROLE or channel:NAME", raw)
				continue
			}
			t := Target{Kind: kind, Name: name}
			switch kind {
			case "rotation":
				if !slices.Contains(k.Rotations, name) {
					diags.Add(pos, CheckEscalation, "no rotation %q in rotations/ (or it has errors)%s", name, suggest(name, k.Rotations))
				}
			case "person":
				p, ok := k.Settings.Person(name)
				if !ok {
					diags.Add(pos, CheckEscalation, "no person %q in sev.yaml's people", name)
				} else {
					t.Name = p.Handle
				}
			case "role":
				if roles := k.Settings.Vocabulary("role"); !slices.Contains(roles, name) {
					diags.Add(pos, CheckEscalation, "no role %q in sev.yaml's roles%s", name, suggest(name, roles))
				}
			case "channel":
				if !channels[name] {
					diags.Add(pos, CheckEscalation, "no channel %q in sev.yaml's notify.channels", name)
				}
			default:
				diags.Add(pos, CheckEscalation, "unknown target kind %q; use %s", kind, targetKinds)
				continue
			}
			if slices.Contains(l.targets, t) {
				diags.Warn(pos, CheckEscalation, "%s is listed twice in this level", t)
				continue
			}
			l.targets = append(l.targets, t)
		}
		for j, v := range l.Via {
			if !channels[v] {
				diags.Add(d.At(fmt.Sprintf("levels[%d].via[%d]", i, j)), CheckEscalation, "no channel %q in sev.yaml's notify.channels", v)
			}
		}
	}
	return diags
}

func suggest(name string, known []string) string {
	if s := yamlfile.Suggest(name, known); s != "" {
		return fmt.Sprintf("; did you mean %q?", s)
	}
	return ""
}

// State is what Due needs of an incident.
type State struct {
	Incident string    // the incident's ID
	Start    time.Time // when the escalation started
	// Stop is when it stopped — acknowledged, resolved or a commander
	// assigned, whichever came first after Start — zero while it runs.
	Stop time.Time
}

// Step is one level of one pass, when it is due.
type Step struct {
	ID    string // stable: the same incident, start, pass and level give the same ID
	Pass  int    // 0 for the first run through the levels, 1.. for repeats
	Level int    // from 0
	At    time.Time
}

// Steps lists every step of the policy for an escalation that started at
// start, in time order, whether or not it will be reached.
func (p *Policy) Steps(incident string, start time.Time) []Step {
	var out []Step
	t := start
	for pass := 0; pass <= p.Repeat; pass++ {
		if pass > 0 {
			t = t.Add(p.repeatAfter)
		}
		for i, l := range p.Levels {
			if i > 0 || pass == 0 {
				t = t.Add(l.after)
			}
			out = append(out, Step{ID: stepID(incident, p.Name, start, pass, i), Pass: pass, Level: i, At: t})
		}
	}
	return out
}

// Due is the steps due by now (At not after now, and before the
// escalation stopped) and the time of the next step (zero when none is
// left or it stopped).
func (p *Policy) Due(st State, now time.Time) (due []Step, next time.Time) {
	for _, s := range p.Steps(st.Incident, st.Start) {
		if !st.Stop.IsZero() && !s.At.Before(st.Stop) {
			return due, time.Time{}
		}
		if s.At.After(now) {
			return due, s.At
		}
		due = append(due, s)
	}
	return due, time.Time{}
}

// stepID derives a step's ID: "esc-" and 16 hex digits of a hash of what
// identifies it, so two processes that compute the same step name it the
// same (and the second finds the first's receipt).
func stepID(incident, policy string, start time.Time, pass, level int) string {
	h := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%s\x00%d\x00%d\x00%d", incident, policy, start.UTC().Unix(), pass, level)))
	return "esc-" + hex.EncodeToString(h[:8])
}
