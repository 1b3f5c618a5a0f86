package ghfake

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// handlers serve the operations ghapi uses, by operationId. They run with
// s.mu held, on requests that already passed validation, so the body has
// the documented shape.
var handlers = map[string]func(*Server, call) response{
	"issues/get":                              (*Server).getIssue,
	"issues/create":                           (*Server).createIssue,
	"issues/update":                           (*Server).updateIssue,
	"issues/list-comments":                    (*Server).listComments,
	"issues/list-for-repo":                    (*Server).listIssues,
	"issues/list-events":                      (*Server).listEvents,
	"issues/create-comment":                   (*Server).createComment,
	"issues/update-comment":                   (*Server).updateComment,
	"issues/add-labels":                       (*Server).addLabels,
	"reactions/create-for-issue-comment":      (*Server).createReaction,
	"pulls/request-reviewers":                 (*Server).requestReviewers,
	"repos/get-collaborator-permission-level": (*Server).permission,
	"users/get-authenticated":                 (*Server).authenticated,

	"repos/get":                                 (*Server).getRepo,
	"issues/get-label":                          (*Server).getLabel,
	"issues/create-label":                       (*Server).createLabel,
	"repos/get-pages":                           (*Server).getPages,
	"repos/create-pages-site":                   (*Server).createPages,
	"repos/update-information-about-pages-site": (*Server).updatePages,
	"repos/get-branch-protection":               (*Server).getProtection,
	"repos/get-branch-rules":                    (*Server).branchRules,
	"repos/get-repo-ruleset":                    (*Server).getRuleset,
	"actions/list-repo-secrets": func(s *Server, c call) response {
		return s.listSecrets(s.settings.Secrets, "actions/list-repo-secrets")
	},
	"actions/list-repo-organization-secrets": func(s *Server, c call) response {
		return s.listSecrets(s.settings.OrgSecrets, "actions/list-repo-organization-secrets")
	},
	"actions/list-repo-variables": func(s *Server, c call) response {
		return s.listVariables(s.settings.Variables, "actions/list-repo-variables")
	},
	"actions/list-repo-organization-variables": func(s *Server, c call) response {
		return s.listVariables(s.settings.OrgVariables, "actions/list-repo-organization-variables")
	},
	"actions/create-repo-variable":                                       (*Server).createVariable,
	"actions/get-github-actions-permissions-repository":                  (*Server).actionsPermissions,
	"actions/get-github-actions-default-workflow-permissions-repository": (*Server).workflowPermissions,
}

func (s *Server) getIssue(c call) response {
	is := s.issueParam(c, "issue_number")
	if is == nil {
		return notFound()
	}
	return response{status: http.StatusOK, body: s.issueJSON(is)}
}

func (s *Server) createIssue(c call) response {
	in := c.body.(map[string]any)
	is := Issue{Title: fmt.Sprint(in["title"]), Author: s.writer()}
	is.Body, _ = in["body"].(string)
	is.Labels = labelNames(in["labels"])
	is.Assignees = stringList(in["assignees"])
	n := s.addIssueLocked(is)
	return response{status: http.StatusCreated, body: s.issueJSON(s.issues[n])}
}

func (s *Server) updateIssue(c call) response {
	is := s.issueParam(c, "issue_number")
	if is == nil {
		return notFound()
	}
	in := c.body.(map[string]any)
	if v, ok := in["title"]; ok && v != nil {
		is.Title = fmt.Sprint(v)
	}
	if v, ok := in["body"]; ok {
		is.Body, _ = v.(string)
	}
	if v, ok := in["state"].(string); ok {
		reason, _ := in["state_reason"].(string)
		s.setStateLocked(is, v, reason, s.writer())
	}
	if v, ok := in["labels"]; ok {
		is.Labels = labelNames(v)
	}
	if v, ok := in["assignees"]; ok {
		is.Assignees = stringList(v)
	}
	is.updated = s.tick()
	return response{status: http.StatusOK, body: s.issueJSON(is)}
}

func (s *Server) listComments(c call) response {
	is := s.issueParam(c, "issue_number")
	if is == nil {
		return notFound()
	}
	var all []map[string]any
	for _, cm := range s.comments {
		if cm.Issue == is.Number {
			all = append(all, s.commentJSON(cm))
		}
	}
	return paged(c, all)
}

// listIssues answers GET /repos/{owner}/{repo}/issues: issues and pull
// requests alike, filtered by state (open unless asked), labels (all of
// them), since (updated at or after), sorted by created or updated time.
func (s *Server) listIssues(c call) response {
	state := c.query.Get("state")
	if state == "" {
		state = "open"
	}
	var since time.Time
	if v := c.query.Get("since"); v != "" {
		since, _ = time.Parse(time.RFC3339, v)
	}
	var labels []string
	if v := c.query.Get("labels"); v != "" {
		labels = strings.Split(v, ",")
	}
	var list []*issue
	for _, is := range s.issues {
		if (state == "all" || is.State == state) && !is.updated.Before(since) && hasLabels(is.Labels, labels) {
			list = append(list, is)
		}
	}
	key := func(is *issue) time.Time { return is.created }
	if c.query.Get("sort") == "updated" {
		key = func(is *issue) time.Time { return is.updated }
	}
	slices.SortFunc(list, func(a, b *issue) int {
		return cmp.Or(key(a).Compare(key(b)), a.Number-b.Number)
	})
	if c.query.Get("direction") != "asc" {
		slices.Reverse(list)
	}
	all := []map[string]any{}
	for _, is := range list {
		all = append(all, s.issueJSON(is))
	}
	return paged(c, all)
}

// hasLabels reports whether have has every label of want, by name
// without regard to case, as GitHub keeps label names unique.
func hasLabels(have, want []string) bool {
	for _, w := range want {
		if !slices.ContainsFunc(have, func(h string) bool { return strings.EqualFold(h, strings.TrimSpace(w)) }) {
			return false
		}
	}
	return true
}

// listEvents answers GET /repos/{owner}/{repo}/issues/{issue_number}/events
// with the issue's closed and reopened events, oldest first.
func (s *Server) listEvents(c call) response {
	is := s.issueParam(c, "issue_number")
	if is == nil {
		return notFound()
	}
	all := []map[string]any{}
	for _, ev := range s.events {
		if ev.Issue == is.Number {
			all = append(all, s.eventJSON(ev))
		}
	}
	return paged(c, all)
}

// paged answers one page of all as the query asks (per_page, page), with
// GitHub's Link header: the request's own URL and query with the page
// changed, for the next and the last page.
func paged(c call, all []map[string]any) response {
	perPage := min(intQuery(c, "per_page", 30), 100)
	page := max(intQuery(c, "page", 1), 1)
	last := max((len(all)+perPage-1)/perPage, 1)
	from, to := min((page-1)*perPage, len(all)), min(page*perPage, len(all))
	resp := response{status: http.StatusOK, body: append([]map[string]any{}, all[from:to]...), header: http.Header{}}
	if page < last {
		link := func(p int, rel string) string {
			q := url.Values{}
			for k, v := range c.query {
				q[k] = v
			}
			q.Set("per_page", strconv.Itoa(perPage))
			q.Set("page", strconv.Itoa(p))
			return fmt.Sprintf(`<%s?%s>; rel="%s"`, c.url, q.Encode(), rel)
		}
		resp.header.Set("Link", link(page+1, "next")+", "+link(last, "last"))
	}
	return resp
}

func (s *Server) createComment(c call) response {
	is := s.issueParam(c, "issue_number")
	if is == nil {
		return notFound()
	}
	cm := s.addCommentLocked(is.Number, s.writer(), c.body.(map[string]any)["body"].(string))
	return response{status: http.StatusCreated, body: s.commentJSON(cm)}
}

func (s *Server) updateComment(c call) response {
	cm := s.commentParam(c)
	if cm == nil {
		return notFound()
	}
	cm.Body = c.body.(map[string]any)["body"].(string)
	cm.Edits++
	cm.updated = s.tick()
	return response{status: http.StatusOK, body: s.commentJSON(cm)}
}

func (s *Server) addLabels(c call) response {
	is := s.issueParam(c, "issue_number")
	if is == nil {
		return notFound()
	}
	is.Labels = appendNew(is.Labels, labelNames(c.body.(map[string]any)["labels"])...)
	is.updated = s.tick()
	return response{status: http.StatusOK, body: labelsJSON(is.Labels)}
}

// createReaction answers 200 with the existing reaction when the user
// already reacted so, as GitHub does, and 201 otherwise.
func (s *Server) createReaction(c call) response {
	cm := s.commentParam(c)
	if cm == nil {
		return notFound()
	}
	content := c.body.(map[string]any)["content"].(string)
	for _, r := range cm.Reactions {
		if r.User == s.writer() && r.Content == content {
			return response{status: http.StatusOK, body: s.reactionJSON(r)}
		}
	}
	r := Reaction{ID: int64(len(cm.Reactions)+1) + cm.ID*100, User: s.writer(), Content: content}
	cm.Reactions = append(cm.Reactions, r)
	return response{status: http.StatusCreated, body: s.reactionJSON(r)}
}

func (s *Server) requestReviewers(c call) response {
	is := s.issueParam(c, "pull_number")
	if is == nil || !is.PR {
		return notFound()
	}
	in := c.body.(map[string]any)
	users, teams := stringList(in["reviewers"]), stringList(in["team_reviewers"])
	for _, u := range users {
		if u == is.Author {
			return errorResponse(http.StatusUnprocessableEntity, "Review cannot be requested from pull request author.")
		}
	}
	is.Reviewers = appendNew(is.Reviewers, users...)
	is.TeamReviewers = appendNew(is.TeamReviewers, teams...)
	is.updated = s.tick()
	return response{status: http.StatusCreated, body: s.pullJSON(is)}
}

func (s *Server) permission(c call) response {
	user := c.params["username"]
	role, ok := s.perms[user]
	if !ok {
		return notFound()
	}
	legacy := map[string]string{"maintain": "write", "triage": "read"}[role]
	if legacy == "" {
		legacy = role
	}
	rank := map[string]int{"none": 0, "read": 1, "triage": 2, "write": 3, "maintain": 4, "admin": 5}[role]
	u := userJSON(user)
	u["permissions"] = map[string]bool{"pull": rank >= 1, "triage": rank >= 2, "push": rank >= 3, "maintain": rank >= 4, "admin": rank >= 5}
	u["role_name"] = role
	return response{status: http.StatusOK, body: map[string]any{"permission": legacy, "role_name": role, "user": u}}
}

// authenticated answers GET /user: an installation token (no Login) may
// not read it.
func (s *Server) authenticated(call) response {
	if s.opts.Login == "" {
		return errorResponse(http.StatusForbidden, "Resource not accessible by integration")
	}
	return response{status: http.StatusOK, body: userJSON(s.opts.Login)}
}

func (s *Server) issueParam(c call, name string) *issue {
	n, err := strconv.Atoi(c.params[name])
	if err != nil {
		return nil
	}
	return s.issues[n]
}

func (s *Server) commentParam(c call) *comment {
	id, err := strconv.ParseInt(c.params["comment_id"], 10, 64)
	if err != nil {
		return nil
	}
	return s.commentLocked(id)
}

func intQuery(c call, name string, def int) int {
	if n, err := strconv.Atoi(c.query.Get(name)); err == nil {
		return n
	}
	return def
}

func notFound() response { return errorResponse(http.StatusNotFound, "Not Found") }

// labelNames reads labels given as names or as {"name": ...} objects.
func labelNames(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, l := range list {
		switch l := l.(type) {
		case string:
			out = append(out, l)
		case map[string]any:
			if name, ok := l["name"].(string); ok {
				out = append(out, name)
			}
		}
	}
	return out
}

func stringList(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func (s *Server) htmlURL(kind string, n int) string {
	return fmt.Sprintf("https://github.com/%s/%s/%s/%d", s.opts.Owner, s.opts.Repo, kind, n)
}

func (s *Server) apiURL(format string, args ...any) string {
	return s.URL + fmt.Sprintf("repos/%s/%s/", s.opts.Owner, s.opts.Repo) + fmt.Sprintf(format, args...)
}

func (s *Server) issueJSON(is *issue) map[string]any {
	kind := "issues"
	if is.PR {
		kind = "pull"
	}
	out := map[string]any{
		"id": int64(is.Number) * 7, "node_id": fmt.Sprintf("I_%d", is.Number), "number": is.Number,
		"title": is.Title, "body": is.Body, "state": is.State, "locked": false,
		"user": userJSON(is.Author), "labels": labelsJSON(is.Labels), "assignees": usersJSON(is.Assignees),
		"comments": s.countComments(is.Number), "html_url": s.htmlURL(kind, is.Number),
		"url": s.apiURL("issues/%d", is.Number), "created_at": stamp(is.created), "updated_at": stamp(is.updated),
		"closed_at": nil, "state_reason": nil,
	}
	if !is.closed.IsZero() {
		out["closed_at"] = stamp(is.closed)
	}
	if is.StateReason != "" {
		out["state_reason"] = is.StateReason
	}
	if is.PR {
		out["pull_request"] = map[string]any{"url": s.apiURL("pulls/%d", is.Number), "html_url": s.htmlURL("pull", is.Number)}
	}
	return out
}

func (s *Server) pullJSON(is *issue) map[string]any {
	out := s.issueJSON(is)
	delete(out, "pull_request")
	out["url"] = s.apiURL("pulls/%d", is.Number)
	out["requested_reviewers"] = usersJSON(is.Reviewers)
	var teams []map[string]any
	for _, t := range is.TeamReviewers {
		teams = append(teams, map[string]any{"slug": t, "name": t})
	}
	out["requested_teams"] = teams
	return out
}

func (s *Server) countComments(number int) int {
	n := 0
	for _, c := range s.comments {
		if c.Issue == number {
			n++
		}
	}
	return n
}

func (s *Server) commentJSON(c *comment) map[string]any {
	return map[string]any{
		"id": c.ID, "node_id": fmt.Sprintf("IC_%d", c.ID), "body": c.Body, "user": userJSON(c.Author),
		"author_association": "NONE", "html_url": fmt.Sprintf("%s#issuecomment-%d", s.htmlURL("issues", c.Issue), c.ID),
		"url": s.apiURL("issues/comments/%d", c.ID), "issue_url": s.apiURL("issues/%d", c.Issue),
		"created_at": stamp(c.created), "updated_at": stamp(c.updated),
	}
}

// eventJSON is a state change issue event.
func (s *Server) eventJSON(ev *event) map[string]any {
	return map[string]any{
		"id": ev.ID, "node_id": fmt.Sprintf("SCE_%d", ev.ID), "url": s.apiURL("issues/events/%d", ev.ID),
		"actor": userJSON(ev.Actor), "event": ev.Event, "commit_id": nil, "commit_url": nil,
		"created_at": stamp(ev.at), "performed_via_github_app": nil, "state_reason": ev.Reason,
	}
}

func (s *Server) reactionJSON(r Reaction) map[string]any {
	return map[string]any{"id": r.ID, "node_id": fmt.Sprintf("REA_%d", r.ID), "user": userJSON(r.User), "content": r.Content, "created_at": stamp(epoch)}
}

func labelsJSON(names []string) []map[string]any {
	out := []map[string]any{}
	for _, n := range names {
		out = append(out, map[string]any{"id": id(n), "node_id": "LA_" + n, "name": n, "color": "ededed", "default": false})
	}
	return out
}

func usersJSON(logins []string) []map[string]any {
	out := []map[string]any{}
	for _, l := range logins {
		out = append(out, userJSON(l))
	}
	return out
}

func userJSON(login string) map[string]any {
	typ := "User"
	if isBot(login) {
		typ = "Bot"
	}
	return map[string]any{"login": login, "id": id(login), "node_id": "U_" + login, "type": typ, "site_admin": false,
		"html_url": "https://github.com/" + login}
}

// id is a stable number for a name.
func id(name string) int64 {
	h := fnv.New32a()
	h.Write([]byte(name))
	return int64(h.Sum32())
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
