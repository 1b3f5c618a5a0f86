package rule

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"

	"github.com/sev-dev/sev/internal/timeline"
)

// Kind says what an action does, so that an executor is one switch.
type Kind string

// Action kinds.
const (
	// KindEntry appends Entry to the incident's timeline (a note, a tag, an
	// assignment, a page, a set).
	KindEntry Kind = "entry"
	// KindComment posts Body on Target, the incident's issue or pull
	// request.
	KindComment Kind = "comment"
	// KindLabels adds Labels to Target.
	KindLabels Kind = "labels"
	// KindReviewers requests Users and Teams as reviewers of Target, a
	// pull request.
	KindReviewers Kind = "reviewers"
	// KindIssue opens an issue (Title, Body, Labels, Assignees) in Repo,
	// or in the incident repository itself when Repo is empty.
	KindIssue Kind = "issue"
	// KindWebhook delivers Webhook.
	KindWebhook Kind = "webhook"
)

// Plan is what the rules want done for one incident.
type Plan struct {
	Incident   string   `json:"incident"`
	Restricted bool     `json:"restricted,omitzero"`
	Firings    []Firing `json:"firings"`
}

// Firing is one rule run on one event.
type Firing struct {
	Rule  string `json:"rule"`
	Event Event  `json:"event"`
	// Actions are in the order of the rule's steps.
	Actions []Action `json:"actions"`
	// Notes say why steps planned less than they are written to: their
	// effect already holds (the tag is there, the action was done), or a
	// person to mention has no GitHub login in sev.yaml.
	Notes []Note `json:"notes,omitzero"`
}

// Note is something a step did not plan, and why.
type Note struct {
	Step int    `json:"step"`
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// Action is one thing to do.
type Action struct {
	// Key is a short hash of the rule, the incident, the event's key and
	// the step (and the item, for a step that makes several actions):
	// the same whenever the plan is made again.
	Key  string `json:"key"`
	Kind Kind   `json:"kind"`
	// Step is the index of the rule's step that planned the action, and
	// StepKind its kind (note, assign, mention, ...).
	Step     int    `json:"step"`
	StepKind string `json:"step-kind"`
	// Skip, when set, says why the action cannot be done (no issue is
	// linked, nobody is on call); the executor leaves it out.
	Skip string `json:"skip,omitzero"`

	Entry     *timeline.Entry `json:"entry,omitzero"`
	Target    *Target         `json:"target,omitzero"`
	Repo      string          `json:"repo,omitzero"`
	Title     string          `json:"title,omitzero"`
	Body      string          `json:"body,omitzero"`
	Labels    []string        `json:"labels,omitzero"`
	Assignees []string        `json:"assignees,omitzero"`
	// Users are the GitHub logins a mention comment mentions, or the
	// reviewers to request; Teams the teams to request.
	Users   []string `json:"users,omitzero"`
	Teams   []string `json:"teams,omitzero"`
	Webhook *Webhook `json:"webhook,omitzero"`
	// Notify is the notification of a notify step.
	Notify *Notification `json:"notify,omitzero"`
	// Receipt is the note an executor appends to the timeline once an
	// action outside the repository succeeded; its id marks the action
	// as done for every later plan.
	Receipt *timeline.Entry `json:"receipt,omitzero"`
}

// Target is an issue or pull request on GitHub (or GitHub Enterprise).
type Target struct {
	URL    string `json:"url"`
	Host   string `json:"host"`
	Owner  string `json:"owner"`
	Repo   string `json:"repo"`
	Number int    `json:"number"`
	Pull   bool   `json:"pull,omitzero"`
}

// Webhook is one delivery: where it goes, how it is signed, its body.
type Webhook struct {
	Name string `json:"name"`
	// URL is written in the rule; URLEnv names the environment variable
	// that holds it instead (Slack and chat URLs are secrets).
	URL    string `json:"url,omitzero"`
	URLEnv string `json:"url-env,omitzero"`
	// SecretEnv names the environment variable holding the signing key.
	SecretEnv string `json:"secret-env,omitzero"`
	// Format is json (sev's payload) or slack (an incoming webhook's).
	Format string `json:"format"`
	// ID is the delivery id, the action's key: receivers drop repeats.
	ID      string          `json:"id"`
	Payload json.RawMessage `json:"payload"`
}

// MaxRounds bounds chaining: rules whose actions trigger rules whose
// actions trigger rules... are stopped after this many rounds.
const MaxRounds = 5

const idPrefix = "rule-"

// EntryID is the id of the entry (or receipt) an action with the key
// writes: "rule-" and the key, a valid timeline entry id.
func EntryID(key string) string { return idPrefix + key }

// actionKey hashes what identifies an action. 20 hexadecimal digits (80
// bits) keep keys short in ids and markers with no realistic collision.
func actionKey(rule, incident, event string, step int, item string) string {
	h := sha256.New()
	for _, part := range []string{rule, incident, event, strconv.Itoa(step), item} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:20]
}

// Actions returns every action of the plan, in order.
func (p *Plan) Actions() []Action {
	var out []Action
	for _, f := range p.Firings {
		out = append(out, f.Actions...)
	}
	return out
}

// Entries returns the timeline entries the plan appends (the entry
// actions that are not skipped), in order: what the executor applies with
// internal/change as one commit, before adding receipts.
func (p *Plan) Entries() []timeline.Entry {
	var out []timeline.Entry
	for _, a := range p.Actions() {
		if a.Kind == KindEntry && a.Skip == "" && a.Entry != nil {
			out = append(out, *a.Entry)
		}
	}
	return out
}
