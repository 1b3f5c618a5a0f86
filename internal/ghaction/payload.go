package ghaction

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/sev-dev/sev/internal/diag"
)

// payloadCheck is the check id of every problem with an event payload.
const payloadCheck = "event-payload"

// decodeJSON unmarshals data into v and turns encoding/json's byte offsets
// into a diagnostic with the file's line and column.
func decodeJSON(path string, data []byte, v any) error {
	err := json.Unmarshal(data, v)
	if err == nil {
		return nil
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return payloadError(path, data, syntax.Offset, "the payload is not valid JSON: %v", syntax)
	case errors.As(err, &typ) && typ.Field == "":
		return payloadError(path, data, typ.Offset, "the payload is a JSON %s, not an object", typ.Value)
	case errors.As(err, &typ):
		return payloadError(path, data, typ.Offset, "%s is a JSON %s where sev expects a %s", typ.Field, typ.Value, typ.Type)
	}
	return fmt.Errorf("ghaction: %s: %w", path, err)
}

// payloadError is a diagnostic at the byte just before offset, where
// encoding/json stopped.
func payloadError(path string, data []byte, offset int64, format string, args ...any) error {
	line, col := position(data, int(max(offset-1, 0)))
	var l diag.List
	l.Add(diag.Pos{Path: path, Line: line, Col: col}, payloadCheck, format, args...)
	return l
}

// position is the 1-based line and column (in characters) of byte i.
func position(data []byte, i int) (line, col int) {
	i = min(i, len(data))
	start := bytes.LastIndexByte(data[:i], '\n') + 1
	return bytes.Count(data[:i], []byte{'\n'}) + 1, utf8.RuneCount(data[start:i]) + 1
}

// checkRequired reports the fields GitHub always sends for the event but
// the payload lacks: such a file is not this run's event (a wrong
// GITHUB_EVENT_PATH, or a hand-written payload), and sev stops before
// acting on half an event.
func checkRequired(path string, ev Event) error {
	var l diag.List
	for _, f := range requiredFields(ev) {
		if f.missing {
			l.Add(diag.Pos{Path: path}, payloadCheck, "the %s payload has no %s; GitHub always sends it, "+
				"so this file is not the payload of a %s event (check GITHUB_EVENT_PATH)", ev.Name(), f.name, ev.Name())
		}
	}
	return l.Err()
}

type field struct {
	name    string
	missing bool
}

func requiredFields(ev Event) []field {
	switch e := ev.(type) {
	case *RepositoryDispatchEvent:
		return []field{{"action", e.Action == ""}}
	case *PushEvent:
		return []field{
			{"ref", e.Ref == ""}, {"before", e.Before == ""}, {"after", e.After == ""},
			{"repository.full_name", e.Repository.FullName == ""},
			{"repository.default_branch", e.Repository.DefaultBranch == ""},
		}
	case *PullRequestEvent:
		pr := e.PullRequest
		return []field{
			{"action", e.Action == ""}, {"number", e.Number <= 0},
			{"pull_request.head.ref", pr.Head.Ref == ""}, {"pull_request.head.sha", pr.Head.SHA == ""},
			{"pull_request.base.ref", pr.Base.Ref == ""}, {"pull_request.base.sha", pr.Base.SHA == ""},
			{"repository.full_name", e.Repository.FullName == ""},
		}
	case *IssuesEvent:
		return append([]field{{"action", e.Action == ""}, {"repository.full_name", e.Repository.FullName == ""}},
			issueFields(&e.Issue)...)
	case *IssueCommentEvent:
		return append([]field{
			{"action", e.Action == ""}, {"comment.id", e.Comment.ID <= 0},
			{"comment.user.login", e.Comment.User.Login == ""},
			{"comment.author_association", e.Comment.AuthorAssociation == ""},
			{"repository.full_name", e.Repository.FullName == ""},
		}, issueFields(&e.Issue)...)
	}
	return nil
}

func issueFields(i *Issue) []field {
	return []field{
		{"issue.number", i.Number <= 0}, {"issue.title", i.Title == ""},
		{"issue.html_url", i.HTMLURL == ""}, {"issue.user.login", i.User.Login == ""},
	}
}
