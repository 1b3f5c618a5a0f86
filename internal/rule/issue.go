package rule

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// labelStep adds labels to the incident's issue or pull request.
type labelStep struct{ labels []string }

func (s *labelStep) kind() string { return "label" }

// labels reads label names as GitHub takes them: one line, at most 50
// characters.
func (p *parser) labels(n *yaml.Node, where string) ([]string, bool) {
	items, ok := p.texts(n, where)
	var out []string
	for _, it := range items {
		if utf8.RuneCountInString(it.value) > 50 || strings.ContainsAny(it.value, "\n\r") {
			p.errorf(it.node, "%s: a label is one line of at most 50 characters", where)
			ok = false
		}
		out = append(out, it.value)
	}
	return out, ok
}

func (s *labelStep) plan(c *planCtx) {
	key := c.key("")
	if c.done(key) {
		return
	}
	a := c.action(key, KindLabels)
	t, why := c.target()
	if t == nil {
		c.skip(a, why)
		return
	}
	a.Target, a.Labels = t, s.labels
	c.external(a, fmt.Sprintf("labelled %s %s", t.URL, strings.Join(s.labels, ", ")))
}

// reviewersStep requests reviewers on the incident's pull request.
type reviewersStep struct {
	users []who
	teams []string
}

func (s *reviewersStep) kind() string { return "request-reviewers" }

func (p *parser) reviewersStep(n *yaml.Node, where string) step {
	f, ok := p.fields(n, where, StepFields["request-reviewers"])
	if !ok || !p.nonEmpty(n, f, where) {
		return nil
	}
	s := &reviewersStep{}
	if v, has := f["users"]; has {
		s.users, ok = p.whoList(v.value, where+".users", false)
	}
	if v, has := f["teams"]; has {
		items, good := p.texts(v.value, where+".teams")
		ok = ok && good
		for _, it := range items {
			team := strings.TrimPrefix(it.value, "@")
			if !teamRE().MatchString(team) {
				p.errorf(it.node, "%s: %q is not a team (@org/team)", where, it.value)
				ok = false
				continue
			}
			_, slug, _ := strings.Cut(team, "/")
			s.teams = append(s.teams, slug)
		}
	}
	return stepIf(ok, s)
}

func (s *reviewersStep) plan(c *planCtx) {
	key := c.key("")
	if c.done(key) {
		return
	}
	a := c.action(key, KindReviewers)
	users := c.logins(s.users)
	t, why := c.target()
	switch {
	case t == nil:
		c.skip(a, why)
		return
	case !t.Pull:
		c.skip(a, "reviewers can only be requested on a pull request, and "+t.URL+" is an issue")
		return
	case len(users) == 0 && len(s.teams) == 0:
		c.skip(a, "nobody to request")
		return
	}
	a.Target, a.Users, a.Teams = t, users, s.teams
	c.external(a, "requested reviewers on "+t.URL)
}

// issueStep opens a follow-up issue.
type issueStep struct {
	title, body *tmpl
	labels      []string
	assignees   []who
	repo        string
}

func (s *issueStep) kind() string { return "issue" }

var defaultIssueBody = mustTemplate("Follow-up of incident {{.ID}} ({{.Severity}}): {{.Title}}{{if .URL}}\n\n{{.URL}}{{end}}")

func (p *parser) issueStep(n *yaml.Node, where string) step {
	f, ok := p.fields(n, where, StepFields["issue"])
	if !ok || !p.require(n, where, f, "title") {
		return nil
	}
	s := &issueStep{title: p.template(f["title"].value, where+".title"), body: defaultIssueBody}
	ok = s.title != nil
	if v, has := f["body"]; has {
		s.body = p.template(v.value, where+".body")
		ok = ok && s.body != nil
	}
	if v, has := f["labels"]; has {
		var good bool
		s.labels, good = p.labels(v.value, where+".labels")
		ok = ok && good
	}
	if v, has := f["assignees"]; has {
		var good bool
		s.assignees, good = p.whoList(v.value, where+".assignees", false)
		ok = ok && good
	}
	if v, has := f["repo"]; has {
		repo, good := p.text(v.value, where+".repo")
		if good && !repoRE().MatchString(repo) {
			p.errorf(v.value, "%s.repo: %q is not a repository (owner/name)", where, repo)
			good = false
		}
		s.repo, ok = repo, ok && good
	}
	return stepIf(ok, s)
}

func (s *issueStep) plan(c *planCtx) {
	key := c.key("")
	if c.done(key) {
		return
	}
	a := c.action(key, KindIssue)
	id := c.st.Record.ID
	title, body := "Follow-up for incident "+id, restrictedText(id)
	if !c.st.restricted() {
		var err error
		title, err = s.title.render(c.view(), oneLine)
		if err == nil {
			body, err = s.body.render(c.view(), markdown)
		}
		if err != nil {
			c.skip(a, fmt.Sprintf("issue: %v", err))
			return
		}
	}
	if title == "" {
		c.skip(a, "issue: the title is empty")
		return
	}
	a.Repo, a.Title, a.Body = s.repo, truncate(title, 256), truncate(body, maxBody)
	a.Labels, a.Assignees = s.labels, c.logins(s.assignees)
	where := "the incident repository"
	if s.repo != "" {
		where = s.repo
	}
	c.external(a, "opened a follow-up issue in "+where)
}

// truncate cuts s to at most n characters.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
