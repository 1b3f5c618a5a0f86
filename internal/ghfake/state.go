package ghfake

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Issue is an issue or pull request in the Server's state.
type Issue struct {
	Number int
	Title  string
	Body   string
	// State is "open" (the default) or "closed".
	State string
	// StateReason is why it is in its state: completed, not_planned or
	// duplicate when closed, reopened when opened again; empty otherwise.
	StateReason string
	Labels      []string
	Assignees   []string
	// PR makes it a pull request.
	PR bool
	// Author defaults to "octocat".
	Author string
	// Reviewers and TeamReviewers are the requested reviewers of a pull
	// request: logins and team slugs.
	Reviewers     []string
	TeamReviewers []string
}

// Comment is a comment in the Server's state.
type Comment struct {
	ID        int64
	Issue     int
	Author    string
	Body      string
	Reactions []Reaction
	// Edits counts the times the body was changed.
	Edits int
}

// Reaction is one person's reaction to a comment.
type Reaction struct {
	ID      int64
	User    string
	Content string
}

type issue struct {
	Issue
	created, updated, closed time.Time
}

type comment struct {
	Comment
	created, updated time.Time
}

// event is an issue being closed or reopened, as the issue events
// endpoint lists it.
type event struct {
	ID     int64
	Issue  int
	Event  string // closed or reopened
	Actor  string
	Reason string
	at     time.Time
}

// firstComment and firstEvent keep comment and event ids apart from
// issue numbers and each other, so a test that mixes them up fails.
const (
	firstComment = 1_000_000
	firstEvent   = 2_000_000
)

// tick advances the fake's clock by a minute and returns it.
func (s *Server) tick() time.Time {
	s.seq++
	return epoch.Add(time.Duration(s.seq) * time.Minute)
}

// AddIssue adds an issue (a pull request if is.PR) and returns its
// number, the next free one unless is.Number is set. A closed one is
// closed (with is.StateReason) a minute after it is opened.
func (s *Server) AddIssue(is Issue) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addIssueLocked(is)
}

func (s *Server) addIssueLocked(is Issue) int {
	if is.Number == 0 {
		is.Number = 1
		for n := range s.issues {
			is.Number = max(is.Number, n+1)
		}
	}
	if _, ok := s.issues[is.Number]; ok {
		s.t.Errorf("ghfake: AddIssue: #%d exists already", is.Number)
	}
	if is.Author == "" {
		is.Author = "octocat"
	}
	// a closed issue is opened and then closed by its author, a minute
	// later, so that it has its event
	state, reason := is.State, is.StateReason
	is.State, is.StateReason = "open", ""
	now := s.tick()
	s.issues[is.Number] = &issue{Issue: cloneIssue(is), created: now, updated: now}
	if state == "closed" {
		s.setStateLocked(s.issues[is.Number], state, reason, is.Author)
	}
	return is.Number
}

// SetState closes (state "closed", with a reason: completed, not_planned
// or duplicate) or reopens (state "open") issue number as actor did, a
// minute after the last change: GitHub records an event, sets or clears
// closed_at and the state reason.
func (s *Server) SetState(number int, state, reason, actor string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	is, ok := s.issues[number]
	if !ok {
		s.t.Errorf("ghfake: SetState: no issue #%d", number)
		return
	}
	s.setStateLocked(is, state, reason, actor)
}

// setStateLocked changes an issue's state and records the event; a state
// it already has changes nothing, as on GitHub.
func (s *Server) setStateLocked(is *issue, state, reason, actor string) {
	if state == is.State {
		return
	}
	now := s.tick()
	ev := &event{ID: firstEvent + int64(len(s.events)) + 1, Issue: is.Number, Actor: actor, at: now}
	switch state {
	case "closed":
		ev.Event, ev.Reason = "closed", cmp.Or(reason, "completed")
		is.closed = now
	default:
		ev.Event, ev.Reason = "reopened", "reopened"
		is.closed = time.Time{}
	}
	is.State, is.StateReason, is.updated = state, ev.Reason, now
	s.events = append(s.events, ev)
}

// AddComment adds a comment by author to issue number and returns its id.
// A login ending in "[bot]" is a bot, as on GitHub.
func (s *Server) AddComment(number int, author, body string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addCommentLocked(number, author, body).ID
}

func (s *Server) addCommentLocked(number int, author, body string) *comment {
	now := s.tick()
	c := &comment{Comment: Comment{ID: firstComment + int64(len(s.comments)) + 1, Issue: number, Author: author, Body: body}, created: now, updated: now}
	s.comments = append(s.comments, c)
	// a comment updates its issue, as on GitHub (what since= filters on)
	if is, ok := s.issues[number]; ok {
		is.updated = now
	}
	return c
}

// Issue returns issue (or pull request) number.
func (s *Server) Issue(number int) (Issue, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	is, ok := s.issues[number]
	if !ok {
		return Issue{}, false
	}
	return cloneIssue(is.Issue), true
}

// Issues returns every issue and pull request by number.
func (s *Server) Issues() []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Issue
	for _, is := range s.issues {
		out = append(out, cloneIssue(is.Issue))
	}
	slices.SortFunc(out, func(a, b Issue) int { return a.Number - b.Number })
	return out
}

// Comments returns the comments on issue number, oldest first.
func (s *Server) Comments(number int) []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Comment
	for _, c := range s.comments {
		if c.Issue == number {
			out = append(out, cloneComment(c.Comment))
		}
	}
	return out
}

// Comment returns comment id.
func (s *Server) Comment(id int64) (Comment, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.commentLocked(id)
	if c == nil {
		return Comment{}, false
	}
	return cloneComment(c.Comment), true
}

func (s *Server) commentLocked(id int64) *comment {
	i := id - firstComment - 1
	if i < 0 || i >= int64(len(s.comments)) {
		return nil
	}
	return s.comments[i]
}

// writer is who the token's writes are by.
func (s *Server) writer() string {
	if s.opts.Login != "" {
		return s.opts.Login
	}
	return "github-actions[bot]"
}

func isBot(login string) bool { return strings.HasSuffix(login, "[bot]") }

func cloneIssue(is Issue) Issue {
	is.Labels = slices.Clone(is.Labels)
	is.Assignees = slices.Clone(is.Assignees)
	is.Reviewers = slices.Clone(is.Reviewers)
	is.TeamReviewers = slices.Clone(is.TeamReviewers)
	return is
}

func cloneComment(c Comment) Comment {
	c.Reactions = slices.Clone(c.Reactions)
	return c
}

// appendNew appends the values not in list yet.
func appendNew(list []string, vals ...string) []string {
	for _, v := range vals {
		if !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}
