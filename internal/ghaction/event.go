package ghaction

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Event is the decoded payload of the event that started the run: one of
// *PushEvent, *PullRequestEvent, *IssuesEvent, *IssueCommentEvent,
// *DispatchEvent or *ScheduleEvent. Commands switch on its type.
type Event interface {
	// Name is the event's name as in GITHUB_EVENT_NAME.
	Name() string
}

// Repository is the repository an event happened in, or a pull request's
// head or base repository.
type Repository struct {
	FullName      string `json:"full_name"`
	DefaultBranch string `json:"default_branch"`
	HTMLURL       string `json:"html_url"`
	Private       bool   `json:"private"`
	// Visibility is public, private or internal (an enterprise's own).
	Visibility string `json:"visibility"`
}

// User is a GitHub account: a person, an organisation or an app's bot.
type User struct {
	Login string `json:"login"`
	// Type is "User", "Organization" or "Bot".
	Type string `json:"type"`
}

// IsBot says whether the account is an app's bot (such as
// github-actions[bot]), whose comments ChatOps ignores.
func (u User) IsBot() bool { return u.Type == "Bot" }

// Label is an issue or pull request label.
type Label struct {
	Name string `json:"name"`
}

// PushEvent is a push of commits or a ref's creation or deletion.
type PushEvent struct {
	// Ref is the full ref pushed to, e.g. refs/heads/main.
	Ref string `json:"ref"`
	// Before and After are the ref's commits before and after the push;
	// Before is all zeros when the push created the ref, After when it
	// deleted it.
	Before string `json:"before"`
	After  string `json:"after"`
	// Created, Deleted and Forced describe how the ref moved.
	Created bool `json:"created"`
	Deleted bool `json:"deleted"`
	Forced  bool `json:"forced"`
	// Commits lists the pushed commits, oldest first. GitHub caps the list
	// (2,048 commits), so code that must see every change diffs
	// Before..After in git instead.
	Commits    []Commit `json:"commits"`
	HeadCommit *Commit  `json:"head_commit"`
	// Pusher is the git identity that pushed; Sender is the account.
	Pusher     Identity   `json:"pusher"`
	Sender     User       `json:"sender"`
	Repository Repository `json:"repository"`
}

// Name implements Event.
func (*PushEvent) Name() string { return "push" }

// Commit is one pushed commit.
type Commit struct {
	ID        string    `json:"id"`
	Message   string    `json:"message"`
	Timestamp time.Time `json:"timestamp"`
	Author    Identity  `json:"author"`
	Added     []string  `json:"added"`
	Removed   []string  `json:"removed"`
	Modified  []string  `json:"modified"`
}

// Identity is a git author, committer or pusher.
type Identity struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	// Username is the GitHub login when GitHub knows it.
	Username string `json:"username"`
}

// Branch is the name of the branch the push went to, and false for a tag.
func (e *PushEvent) Branch() (string, bool) {
	b, ok := strings.CutPrefix(e.Ref, "refs/heads/")
	if !ok {
		return "", false
	}
	return b, true
}

// OnDefaultBranch says whether the push went to the repository's default
// branch, the only branch sev automates.
func (e *PushEvent) OnDefaultBranch() bool {
	b, ok := e.Branch()
	return ok && b == e.Repository.DefaultBranch
}

// Base is the commit to diff from (Before), or "" when the push created
// the ref and there is nothing before it.
func (e *PushEvent) Base() string {
	if strings.Trim(e.Before, "0") == "" {
		return ""
	}
	return e.Before
}

// PullRequestEvent is activity on a pull request.
type PullRequestEvent struct {
	// Action is what happened: opened, synchronize, reopened, closed, …
	Action      string      `json:"action"`
	Number      int         `json:"number"`
	PullRequest PullRequest `json:"pull_request"`
	Repository  Repository  `json:"repository"`
	Sender      User        `json:"sender"`
}

// Name implements Event.
func (*PullRequestEvent) Name() string { return "pull_request" }

// PullRequest is a pull request as the pull_request event carries it.
type PullRequest struct {
	Number  int     `json:"number"`
	Title   string  `json:"title"`
	Body    string  `json:"body"`
	HTMLURL string  `json:"html_url"`
	State   string  `json:"state"`
	Draft   bool    `json:"draft"`
	Merged  bool    `json:"merged"`
	User    User    `json:"user"`
	Labels  []Label `json:"labels"`
	Head    Branch  `json:"head"`
	Base    Branch  `json:"base"`
}

// Branch is one side of a pull request.
type Branch struct {
	Ref string `json:"ref"`
	SHA string `json:"sha"`
	// Repo is nil when the head repository (a fork) has been deleted.
	Repo *Repository `json:"repo"`
}

// FromFork says whether the pull request's head is in another repository
// than the one the workflow runs in. A head whose repository is gone
// counts as a fork: sev only trusts what it can see is its own.
func (e *PullRequestEvent) FromFork() bool {
	head := e.PullRequest.Head.Repo
	return head == nil || !strings.EqualFold(head.FullName, e.Repository.FullName)
}

// IssuesEvent is activity on an issue (GitHub also reports some activity on
// pull requests as issues events; see Issue.IsPullRequest).
type IssuesEvent struct {
	Action string `json:"action"`
	Issue  Issue  `json:"issue"`
	// Label is the label added or removed, for labeled and unlabeled.
	Label      *Label     `json:"label"`
	Repository Repository `json:"repository"`
	Sender     User       `json:"sender"`
}

// Name implements Event.
func (*IssuesEvent) Name() string { return "issues" }

// Issue is an issue, or a pull request seen as an issue.
type Issue struct {
	Number  int     `json:"number"`
	Title   string  `json:"title"`
	Body    string  `json:"body"`
	HTMLURL string  `json:"html_url"`
	State   string  `json:"state"`
	User    User    `json:"user"`
	Labels  []Label `json:"labels"`
	// AuthorAssociation is the author's relation to the repository:
	// OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE, ...
	AuthorAssociation string `json:"author_association"`
	// PullRequest is set when the issue is a pull request.
	PullRequest *PullRequestLink `json:"pull_request"`
}

// PullRequestLink is what an issue carries when it is a pull request.
type PullRequestLink struct {
	HTMLURL string `json:"html_url"`
}

// IsPullRequest says whether the issue is a pull request.
func (i *Issue) IsPullRequest() bool { return i.PullRequest != nil }

// HasLabel says whether the issue carries the label. GitHub label names
// are unique regardless of case, so the comparison ignores case.
func (i *Issue) HasLabel(name string) bool {
	for _, l := range i.Labels {
		if strings.EqualFold(l.Name, name) {
			return true
		}
	}
	return false
}

// IssueCommentEvent is a comment created, edited or deleted on an issue or
// a pull request.
type IssueCommentEvent struct {
	Action     string     `json:"action"`
	Comment    Comment    `json:"comment"`
	Issue      Issue      `json:"issue"`
	Repository Repository `json:"repository"`
	Sender     User       `json:"sender"`
}

// Name implements Event.
func (*IssueCommentEvent) Name() string { return "issue_comment" }

// Comment is an issue or pull request comment.
type Comment struct {
	ID      int64  `json:"id"`
	Body    string `json:"body"`
	HTMLURL string `json:"html_url"`
	User    User   `json:"user"`
	// AuthorAssociation is the author's relation to the repository: OWNER,
	// MEMBER, COLLABORATOR, CONTRIBUTOR, FIRST_TIMER, FIRST_TIME_CONTRIBUTOR,
	// MANNEQUIN or NONE.
	AuthorAssociation string `json:"author_association"`
}

// DispatchEvent is a run started by hand (workflow_dispatch). sev reads
// nothing from its payload.
type DispatchEvent struct{}

// Name implements Event.
func (*DispatchEvent) Name() string { return "workflow_dispatch" }

// ScheduleEvent is a run started by the workflow's schedule. sev reads
// nothing from its payload.
type ScheduleEvent struct{}

// Name implements Event.
func (*ScheduleEvent) Name() string { return "schedule" }

// RepositoryDispatchEvent is a POST to the repository's dispatches
// endpoint: Action is its event_type, ClientPayload what the sender put
// in client_payload (GitHub allows at most 10 top-level properties).
type RepositoryDispatchEvent struct {
	Action        string          `json:"action"`
	ClientPayload json.RawMessage `json:"client_payload"`
	Repository    Repository      `json:"repository"`
}

// Name implements Event.
func (*RepositoryDispatchEvent) Name() string { return "repository_dispatch" }

// maxPayload bounds what Run.Event reads; GitHub caps webhook payloads at
// 25 MB.
const maxPayload = 32 << 20

// Events lists the event names Decode understands.
var Events = []string{"push", "pull_request", "issues", "issue_comment", "workflow_dispatch", "schedule", "repository_dispatch"}

// Event reads and decodes the payload at EventPath. Runs started by hand
// or by the schedule get their event without the file being read.
func (r *Run) Event() (Event, error) {
	if r.EventName == "workflow_dispatch" || r.EventName == "schedule" {
		return Decode(r.EventName, r.EventPath, nil)
	}
	f, err := os.Open(r.EventPath)
	if err != nil {
		return nil, fmt.Errorf("ghaction: read the %s event's payload (GITHUB_EVENT_PATH): %w", r.EventName, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxPayload+1))
	if err != nil {
		return nil, fmt.Errorf("ghaction: read the %s event's payload: %w", r.EventName, err)
	}
	if len(data) > maxPayload {
		return nil, fmt.Errorf("ghaction: %s: the payload is larger than %d MiB, more than GitHub ever sends", r.EventPath, maxPayload>>20)
	}
	return Decode(r.EventName, r.EventPath, data)
}

// Decode decodes the payload of the named event read from path (the path
// only names the file in errors). It fails for an event sev does not
// handle, for JSON that does not parse or has a value of the wrong type
// (a diag.List with the line and column), and for a payload that lacks a
// field GitHub always sends.
func Decode(name, path string, data []byte) (Event, error) {
	var ev Event
	switch name {
	case "workflow_dispatch":
		return &DispatchEvent{}, nil
	case "schedule":
		return &ScheduleEvent{}, nil
	case "push":
		ev = &PushEvent{}
	case "pull_request":
		ev = &PullRequestEvent{}
	case "issues":
		ev = &IssuesEvent{}
	case "issue_comment":
		ev = &IssueCommentEvent{}
	case "repository_dispatch":
		ev = &RepositoryDispatchEvent{}
	default:
		return nil, fmt.Errorf("ghaction: sev does not handle %q events; a workflow runs it on %s",
			name, strings.Join(Events, ", "))
	}
	if err := decodeJSON(path, data, ev); err != nil {
		return nil, err
	}
	if err := checkRequired(path, ev); err != nil {
		return nil, err
	}
	return ev, nil
}
