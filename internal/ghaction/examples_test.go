package ghaction

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/ghfake"
)

// TestDecodeExamples decodes every push, pull_request, issues and
// issue_comment example and compares each field sev reads with the same
// field looked up by name in the generic JSON, so a wrong struct tag or a
// field GitHub renamed shows up as a difference rather than a zero.
func TestDecodeExamples(t *testing.T) {
	// The payloads GitHub's own SDK team collects from real webhooks
	// (@octokit/webhooks-examples), for every GitHub product.
	examples := map[string][]json.RawMessage{}
	for _, name := range []string{"push", "pull_request", "issues", "issue_comment"} {
		examples[name] = ghfake.Events(t, name)
	}
	for _, name := range []string{"push", "pull_request", "issues", "issue_comment"} {
		if len(examples[name]) < 5 {
			t.Fatalf("only %d %s examples; has the package's layout changed?", len(examples[name]), name)
		}
		for i, raw := range examples[name] {
			ev, err := Decode(name, name+".json", raw)
			if err != nil {
				t.Errorf("%s example %d: %v", name, i, err)
				continue
			}
			var m map[string]any
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Fatal(err)
			}
			for _, d := range compareExample(ev, m) {
				t.Errorf("%s example %d: %s", name, i, d)
			}
		}
	}
}

// compareExample lists the fields whose decoded value differs from the
// generic JSON's.
func compareExample(ev Event, m map[string]any) []string {
	var diffs []string
	eq := func(path string, got any) {
		want := lookup(m, path)
		switch w := want.(type) {
		case nil:
			want = zeroLike(got)
		case float64:
			want = int64(w)
		}
		if g, ok := got.(int); ok {
			got = int64(g)
		}
		if got != want {
			diffs = append(diffs, path+": decoded "+jsonText(got)+", the payload has "+jsonText(want))
		}
	}
	eqRepo := func(r Repository) {
		eq("repository.full_name", r.FullName)
		eq("repository.default_branch", r.DefaultBranch)
		eq("repository.html_url", r.HTMLURL)
		eq("repository.private", r.Private)
	}
	switch e := ev.(type) {
	case *PushEvent:
		eq("ref", e.Ref)
		eq("before", e.Before)
		eq("after", e.After)
		eq("created", e.Created)
		eq("deleted", e.Deleted)
		eq("forced", e.Forced)
		eq("pusher.name", e.Pusher.Name)
		eq("sender.login", e.Sender.Login)
		eqRepo(e.Repository)
		if n := len(lookup(m, "commits").([]any)); n != len(e.Commits) {
			diffs = append(diffs, "commits: decoded "+jsonText(len(e.Commits))+", the payload has "+jsonText(n))
		}
		for i, c := range e.Commits {
			if c.ID == "" || c.Timestamp.IsZero() || c.Author.Email == "" {
				diffs = append(diffs, "commit "+jsonText(i)+" lacks its id, timestamp or author")
			}
		}
		if e.HeadCommit != nil {
			eq("head_commit.id", e.HeadCommit.ID)
		}
		if e.OnDefaultBranch() != (e.Ref == "refs/heads/"+e.Repository.DefaultBranch) {
			diffs = append(diffs, "OnDefaultBranch disagrees with ref and default_branch")
		}
	case *PullRequestEvent:
		eq("action", e.Action)
		eq("number", e.Number)
		eq("pull_request.title", e.PullRequest.Title)
		eq("pull_request.html_url", e.PullRequest.HTMLURL)
		eq("pull_request.user.login", e.PullRequest.User.Login)
		eq("pull_request.head.ref", e.PullRequest.Head.Ref)
		eq("pull_request.head.sha", e.PullRequest.Head.SHA)
		eq("pull_request.base.ref", e.PullRequest.Base.Ref)
		eq("pull_request.base.sha", e.PullRequest.Base.SHA)
		eqRepo(e.Repository)
		fork := lookup(m, "pull_request.head.repo.full_name") != lookup(m, "repository.full_name")
		if e.FromFork() != fork {
			diffs = append(diffs, "FromFork is "+jsonText(e.FromFork())+", want "+jsonText(fork))
		}
	case *IssuesEvent:
		eq("action", e.Action)
		diffs = append(diffs, compareIssue(m, &e.Issue, eq)...)
		if e.Label != nil {
			eq("label.name", e.Label.Name)
		} else if lookup(m, "label") != nil {
			diffs = append(diffs, "label: not decoded")
		}
		eqRepo(e.Repository)
	case *IssueCommentEvent:
		eq("action", e.Action)
		eq("comment.id", e.Comment.ID)
		eq("comment.body", e.Comment.Body)
		eq("comment.html_url", e.Comment.HTMLURL)
		eq("comment.user.login", e.Comment.User.Login)
		eq("comment.user.type", e.Comment.User.Type)
		eq("comment.author_association", e.Comment.AuthorAssociation)
		diffs = append(diffs, compareIssue(m, &e.Issue, eq)...)
		eqRepo(e.Repository)
	}
	return diffs
}

func compareIssue(m map[string]any, i *Issue, eq func(string, any)) []string {
	eq("issue.number", i.Number)
	eq("issue.title", i.Title)
	eq("issue.body", i.Body)
	eq("issue.html_url", i.HTMLURL)
	eq("issue.user.login", i.User.Login)
	var diffs []string
	if i.IsPullRequest() != (lookup(m, "issue.pull_request") != nil) {
		diffs = append(diffs, "IsPullRequest is "+jsonText(i.IsPullRequest()))
	}
	labels, _ := lookup(m, "issue.labels").([]any)
	if len(labels) != len(i.Labels) {
		return append(diffs, "issue.labels: decoded "+jsonText(len(i.Labels))+" labels, the payload has "+jsonText(len(labels)))
	}
	for k, l := range labels {
		name := l.(map[string]any)["name"].(string)
		if i.Labels[k].Name != name || !i.HasLabel(strings.ToUpper(name)) {
			diffs = append(diffs, "issue.labels["+jsonText(k)+"]: decoded "+jsonText(i.Labels[k].Name)+", want "+jsonText(name))
		}
	}
	return diffs
}

// lookup follows a dotted path through decoded JSON objects.
func lookup(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// zeroLike is what a JSON null or a missing field decodes to.
func zeroLike(v any) any {
	switch v.(type) {
	case string:
		return ""
	case bool:
		return false
	case int, int64:
		return int64(0)
	}
	return nil
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
