package ghfake

import (
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
	State     string
	Labels    []string
	Assignees []string
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
	created, updated time.Time
}

type comment struct {
	Comment
	created, updated time.Time
}

// firstComment keeps comment ids apart from issue numbers, so a test
// that mixes them up fails.
const firstComment = 1_000_000

// tick advances the fake's clock by a minute and returns it.
func (s *Server) tick() time.Time {
	s.seq++
	return epoch.Add(time.Duration(s.seq) * time.Minute)
}

// AddIssue adds an issue (a pull request if is.PR) and returns its
// number, the next free one unless is.Number is set.
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
	if is.State == "" {
		is.State = "open"
	}
	if is.Author == "" {
		is.Author = "octocat"
	}
	now := s.tick()
	s.issues[is.Number] = &issue{Issue: cloneIssue(is), created: now, updated: now}
	return is.Number
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
