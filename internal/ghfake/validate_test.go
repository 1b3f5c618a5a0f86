package ghfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/golden"
)

// validationCases are requests with the problems the validator must find
// (or none); their report is compared with testdata/problems.golden.
var validationCases = []struct {
	name, method, target, contentType, body string
}{
	{"comment body of the wrong type", "POST", "/repos/o/r/issues/1/comments", "", `{"body": 5}`},
	{"comment without its required body property", "POST", "/repos/o/r/issues/1/comments", "", `{}`},
	{"comment with no request body at all", "POST", "/repos/o/r/issues/1/comments", "", ``},
	{"unknown path", "GET", "/repos/o/r/nonsense", "", ``},
	{"undocumented method", "DELETE", "/repos/o/r/issues/1", "", ``},
	{"path parameter of the wrong type", "GET", "/repos/o/r/issues/abc", "", ``},
	{"labels as a bare array, as go-github sends them", "POST", "/repos/o/r/issues/1/labels", "", `["bug"]`},
	{"no labels", "POST", "/repos/o/r/issues/1/labels", "", `{"labels": []}`},
	{"a label object with a name of the wrong type", "POST", "/repos/o/r/issues/1/labels", "", `{"labels": [{"name": 3}]}`},
	{"labels as names and objects", "POST", "/repos/o/r/issues/1/labels", "", `{"labels": ["bug", {"name": "sev1", "confidence": "high"}]}`},
	{"reaction outside the enum", "POST", "/repos/o/r/issues/comments/5/reactions", "", `{"content": "thumbsup"}`},
	{"undocumented query parameter", "GET", "/repos/o/r/issues/1/comments?sort=created&page=2", "", ``},
	{"query parameter of the wrong type", "GET", "/repos/o/r/issues/1/comments?per_page=lots", "", ``},
	{"query parameter that is not a date-time", "GET", "/repos/o/r/issues/1/comments?since=yesterday", "", ``},
	{"documented query parameters", "GET", "/repos/o/r/issues?labels=bug,sev1&per_page=5&state=open", "", ``},
	{"query parameter outside its enum", "GET", "/repos/o/r/issues?state=sleeping", "", ``},
	{"unknown property where additionalProperties is false", "POST", "/repos/o/r/issues", "", `{"title": "x", "issue_field_values": [{"field_id": 1, "value": "a", "extra": true}]}`},
	{"title that matches no alternative", "POST", "/repos/o/r/issues", "", `{"title": ["x"]}`},
	{"title as an integer, which oneOf allows", "POST", "/repos/o/r/issues", "", `{"title": 42, "labels": ["a", {"name": "b"}], "assignees": ["ana"]}`},
	{"nulls where nullable", "PATCH", "/repos/o/r/issues/1", "", `{"body": null, "state": "closed", "state_reason": null}`},
	{"null where not nullable", "PATCH", "/repos/o/r/issues/1", "", `{"state": null}`},
	{"reviewers as a string", "POST", "/repos/o/r/pulls/1/requested_reviewers", "", `{"reviewers": "ana"}`},
	{"not JSON", "POST", "/repos/o/r/issues/1/comments", "", `{"body": `},
	{"two JSON values", "POST", "/repos/o/r/issues/1/comments", "", `{"body": "a"} {"body": "b"}`},
	{"not sent as JSON", "POST", "/repos/o/r/issues/1/comments", "text/plain", `{"body": "a"}`},
	{"a body where none is taken", "GET", "/repos/o/r/issues/1", "", `{"x": 1}`},
	{"the literal path wins over a parameter", "PATCH", "/repos/o/r/issues/comments/7", "", `{"body": "edited"}`},
}

func testSpec(t testing.TB) *spec {
	t.Helper()
	sp, err := loadSpec()
	return requireSpec(t, sp, err)
}

func TestValidation(t *testing.T) {
	sp := testSpec(t)
	var out bytes.Buffer
	for _, tc := range validationCases {
		u, err := url.Parse(tc.target)
		if err != nil {
			t.Fatal(err)
		}
		ct := tc.contentType
		if ct == "" && tc.body != "" {
			ct = "application/json; charset=utf-8"
		}
		c := sp.checkRequest(tc.method, u.Path, u.Query(), ct, []byte(tc.body))
		fmt.Fprintf(&out, "# %s\n%s %s %s\n", tc.name, tc.method, tc.target, tc.body)
		if tc.contentType != "" {
			fmt.Fprintf(&out, "Content-Type: %s\n", tc.contentType)
		}
		if c.op != nil {
			fmt.Fprintf(&out, "operation: %s\n", c.op.id)
		}
		for _, p := range c.problems {
			fmt.Fprintf(&out, "  %s\n", p)
		}
		if len(c.problems) == 0 {
			fmt.Fprintf(&out, "  ok\n")
		}
		out.WriteString("\n")
	}
	golden.Check(t, "problems.golden", out.Bytes())
}

// Every operation the fake serves must be one GitHub documents.
func TestHandlersAreDocumented(t *testing.T) {
	sp := testSpec(t)
	ids := map[string]bool{}
	for _, methods := range sp.raw.Paths {
		for _, raw := range methods {
			for id := range handlers {
				if bytes.Contains(raw, []byte(`"operationId":"`+id+`"`)) || bytes.Contains(raw, []byte(`"operationId": "`+id+`"`)) {
					ids[id] = true
				}
			}
		}
	}
	for id := range handlers {
		if !ids[id] {
			t.Errorf("ghfake serves %s, which GitHub's description does not document", id)
		}
	}
}

func TestSchemaRefusesToRecurseForever(t *testing.T) {
	sp := &spec{schemas: map[string]*schema{}}
	sp.raw.Components.Schemas = map[string]json.RawMessage{}
	loop := &schema{Ref: "#/components/schemas/loop"}
	sp.schemas["loop"] = &schema{AllOf: []*schema{loop}}
	if probs := sp.validate(loop, "x", "body"); len(probs) != 1 || !strings.Contains(probs[0], "nests too deeply") {
		t.Errorf("problems: %q", probs)
	}
}

func BenchmarkLoadSpec(b *testing.B) {
	root, err := moduleRoot()
	if err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, specFile))
	if err != nil {
		b.Skip(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := parseSpec(data); err != nil {
			b.Fatal(err)
		}
	}
}
