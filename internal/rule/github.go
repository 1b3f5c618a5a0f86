package rule

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

var (
	// compiled when first used: the counted repetitions make large
	// programs, which every sev command would otherwise pay for at start
	loginRE = lazyRE(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$`)
	teamRE  = lazyRE(`^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)
	repoRE  = lazyRE(`^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$`)
)

// who is someone a rule names for GitHub: a login or team written with @,
// a person of sev.yaml, whoever holds a role, or whoever is on call.
type who struct {
	login, person, role, rotation string
}

// whoList reads a list of people to mention, request or assign: "@login",
// "@org/team" (when teams are allowed), a handle of sev.yaml, or a mapping
// {person|role|rotation: name}.
func (p *parser) whoList(n *yaml.Node, where string, teams bool) ([]who, bool) {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		var ok bool
		if items, ok = p.sequence(n, where); !ok {
			return nil, false
		}
	}
	var out []who
	ok := true
	for i, it := range items {
		w, good := p.who(it, fmt.Sprintf("%s[%d]", where, i), teams)
		ok = ok && good
		out = append(out, w)
	}
	return out, ok
}

func (p *parser) who(n *yaml.Node, where string, teams bool) (who, bool) {
	if n.Kind == yaml.MappingNode {
		f, ok := p.single(n, where, "of person, role or rotation")
		if !ok {
			return who{}, false
		}
		name, ok := p.text(f.value, where+"."+f.key.Value)
		switch f.key.Value {
		case "person":
			p.vocabulary("person", item{name, f.value})
			return who{person: name}, ok
		case "role":
			p.vocabulary("role", item{name, f.value})
			return who{role: name}, ok
		case "rotation":
			rot, good := p.rotationName(f.value, where+".rotation")
			return who{rotation: rot}, ok && good
		}
		p.unknown(f.key, where, []string{"person", "role", "rotation"})
		return who{}, false
	}
	v, ok := p.text(n, where)
	if !ok {
		return who{}, false
	}
	login, isLogin := strings.CutPrefix(v, "@")
	switch {
	case !isLogin:
		p.vocabulary("person", item{v, n})
		return who{person: v}, true
	case loginRE().MatchString(login), teams && teamRE().MatchString(login):
		return who{login: login}, true
	case teamRE().MatchString(login):
		p.errorf(n, "%s: %q is a team; name people here (request-reviewers takes teams in teams)", where, v)
	default:
		p.errorf(n, "%s: %q is not a GitHub login or team (@login, @org/team)", where, v)
	}
	return who{}, false
}

// logins resolves people to GitHub logins, noting who could not be.
func (c *planCtx) logins(ws []who) []string {
	var out []string
	add := func(login string) {
		if !slices.ContainsFunc(out, func(x string) bool { return strings.EqualFold(x, login) }) {
			out = append(out, login)
		}
	}
	for _, w := range ws {
		switch {
		case w.login != "":
			add(w.login)
		case w.role != "":
			if h := c.st.Record.Roles[w.role]; h == "" {
				c.note("nobody holds %s", w.role)
			} else if l, ok := c.github(h); ok {
				add(l)
			}
		case w.rotation != "":
			if h, ok := c.env.onCall(w.rotation, c.at); !ok {
				c.note("nobody is on call in %s at %s", w.rotation, c.when())
			} else if l, ok := c.github(h); ok {
				add(l)
			}
		default:
			if l, ok := c.github(w.person); ok {
				add(l)
			}
		}
	}
	return out
}

// github is a person's GitHub login from sev.yaml's people.
func (c *planCtx) github(handle string) (string, bool) {
	p, ok := c.env.Settings.Person(handle)
	login := strings.TrimPrefix(p.GitHub, "@")
	if !ok || !loginRE().MatchString(login) {
		c.note("%s has no GitHub login in sev.yaml's people (people[].github)", handle)
		return "", false
	}
	return login, true
}

// target is the incident's issue or pull request: the first link of kind
// issue or pull that is a GitHub address.
func (c *planCtx) target() (*Target, string) {
	var odd []string
	for _, l := range c.st.Record.Links {
		if l.Kind != "issue" && l.Kind != "pull" {
			continue
		}
		if t, ok := ParseTarget(l.URL); ok {
			return t, ""
		}
		odd = append(odd, l.URL)
	}
	if len(odd) > 0 {
		return nil, fmt.Sprintf("the linked %s is not a GitHub issue or pull request address", strings.Join(odd, ", "))
	}
	return nil, "no issue or pull request linked"
}

// ParseTarget reads https://HOST/OWNER/REPO/issues/N or .../pull/N.
func ParseTarget(raw string) (*Target, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
		return nil, false
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) != 4 || !repoRE().MatchString(parts[0]+"/"+parts[1]) {
		return nil, false
	}
	n, err := strconv.Atoi(parts[3])
	if err != nil || n <= 0 || (parts[2] != "issues" && parts[2] != "pull") {
		return nil, false
	}
	return &Target{URL: raw, Host: u.Host, Owner: parts[0], Repo: parts[1], Number: n, Pull: parts[2] == "pull"}, true
}

// maxBody keeps comment and issue bodies under GitHub's 65,536
// characters with room for the marker.
const maxBody = 65000

// restrictedText is all a comment, issue or webhook says about a
// restricted incident.
func restrictedText(id string) string {
	return "Incident " + id + " is restricted: its details stay in the incident repository."
}

// commentStep comments on the incident's issue or pull request.
type commentStep struct{ body *tmpl }

func (s *commentStep) kind() string { return "comment" }

func (s *commentStep) plan(c *planCtx) {
	key := c.key("")
	if c.done(key) {
		return
	}
	a := c.action(key, KindComment)
	t, why := c.target()
	if t == nil {
		c.skip(a, why)
		return
	}
	body := restrictedText(c.st.Record.ID)
	if !c.st.restricted() {
		var err error
		if body, err = s.body.render(c.view(), markdown); err != nil {
			c.skip(a, fmt.Sprintf("comment: %v", err))
			return
		}
	}
	a.Target, a.Body = t, truncate(body, maxBody)
	c.external(a, "commented on "+t.URL)
}

// mentionStep mentions people on the incident's issue or pull request.
type mentionStep struct{ who []who }

func (s *mentionStep) kind() string { return "mention" }

func (s *mentionStep) plan(c *planCtx) {
	key := c.key("")
	if c.done(key) {
		return
	}
	a := c.action(key, KindComment)
	logins := c.logins(s.who)
	t, why := c.target()
	switch {
	case len(logins) == 0:
		c.skip(a, "nobody to mention")
		return
	case t == nil:
		c.skip(a, why)
		return
	}
	a.Target, a.Users, a.Body = t, logins, "cc @"+strings.Join(logins, " @")
	c.external(a, "mentioned @"+strings.Join(logins, ", @")+" on "+t.URL)
}

// lazyRE compiles expr on its first use.
func lazyRE(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
