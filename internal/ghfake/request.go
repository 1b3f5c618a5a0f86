package ghfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/url"
	"slices"
	"strings"
)

// checked is a request matched to its documented operation.
type checked struct {
	path     string
	op       *operation
	params   map[string]string // path parameters by name
	body     any               // decoded JSON body, nil when none
	problems []string
}

// checkRequest matches a request to a documented operation and checks its
// path parameters, query parameters and JSON body against it.
func (sp *spec) checkRequest(method, path string, query url.Values, contentType string, body []byte) checked {
	t, params := sp.match(path)
	if t == nil {
		return checked{problems: []string{"no operation in GitHub's OpenAPI description has this path"}}
	}
	op, err := sp.operation(method, t)
	if err != nil {
		return checked{problems: []string{err.Error()}}
	}
	if op == nil {
		return checked{problems: []string{fmt.Sprintf("%s is documented for %s only, not %s",
			t.path, strings.Join(sp.methods(t), ", "), method)}}
	}
	c := checked{op: op, params: params}
	c.problems = append(c.problems, sp.checkParams(op, params, query)...)
	var bodyProblems []string
	c.body, bodyProblems = sp.checkBody(op, contentType, body)
	c.problems = append(c.problems, bodyProblems...)
	return c
}

func (sp *spec) checkParams(op *operation, path map[string]string, query url.Values) []string {
	var probs []string
	declared := map[string]bool{}
	for _, p := range op.params {
		switch p.In {
		case "path":
			probs = append(probs, sp.checkParam(p, []string{path[p.Name]}, "path parameter "+p.Name)...)
		case "query":
			declared[p.Name] = true
			vals, ok := query[p.Name]
			if !ok && p.Required {
				probs = append(probs, fmt.Sprintf("query parameter %s: required but missing", p.Name))
			}
			if ok {
				probs = append(probs, sp.checkParam(p, vals, "query parameter "+p.Name)...)
			}
		}
	}
	documented := strings.Join(slices.Sorted(maps.Keys(declared)), ", ")
	if documented == "" {
		documented = "none"
	}
	for _, name := range slices.Sorted(maps.Keys(query)) {
		if !declared[name] {
			probs = append(probs, fmt.Sprintf("query parameter %s: not documented for %s (documented: %s)", name, op.id, documented))
		}
	}
	return probs
}

// checkParam reads a parameter's text as the type its schema declares
// (form style: an array is repeated or comma-separated) and validates it.
func (sp *spec) checkParam(p *parameter, vals []string, at string) []string {
	s, err := sp.deref(p.Schema)
	if err != nil {
		return []string{at + ": " + err.Error()}
	}
	if s == nil {
		return nil
	}
	if s.Type == "array" {
		var items []any
		for _, v := range vals {
			for part := range strings.SplitSeq(v, ",") {
				items = append(items, scalar(s.Items, part, sp))
			}
		}
		return sp.validate(s, items, at)
	}
	var probs []string
	for _, v := range vals {
		probs = append(probs, sp.validate(s, scalar(s, v, sp), at)...)
	}
	return probs
}

// scalar turns a parameter's text into the JSON value it stands for when
// it can; text that does not parse stays a string and fails the type
// check with a message that shows it.
func scalar(s *schema, text string, sp *spec) any {
	s, _ = sp.deref(s)
	if s == nil {
		return text
	}
	switch s.Type {
	case "integer", "number":
		var n json.Number
		if json.Unmarshal([]byte(text), &n) == nil {
			return n
		}
	case "boolean":
		switch text {
		case "true":
			return true
		case "false":
			return false
		}
	}
	return text
}

func (sp *spec) checkBody(op *operation, contentType string, body []byte) (any, []string) {
	if len(bytes.TrimSpace(body)) == 0 {
		if op.body != nil && op.body.Required {
			return nil, []string{"body: required by " + op.id + " but missing"}
		}
		return nil, nil
	}
	if op.body == nil {
		return nil, []string{"body: " + op.id + " takes no request body"}
	}
	media, _, _ := mime.ParseMediaType(contentType)
	content, ok := op.body.Content[media]
	if !ok || media != "application/json" {
		return nil, []string{fmt.Sprintf("body: content type %q is not application/json (documented: %s)", contentType, strings.Join(slices.Sorted(maps.Keys(op.body.Content)), ", "))}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var val any
	if err := dec.Decode(&val); err != nil {
		return nil, []string{"body: not JSON: " + err.Error()}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, []string{"body: more than one JSON value"}
	}
	return val, sp.validate(content.Schema, val, "body")
}
