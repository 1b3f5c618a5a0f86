// Package yamlfile reads the YAML files of an incident repository strictly:
// exactly one document, no anchors, aliases or custom tags, no duplicate
// keys, known fields only and typed values. Every problem is reported with
// the file, line and column, all of them at once.
package yamlfile

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strconv"

	"github.com/sev-dev/sev/internal/diag"
	"go.yaml.in/yaml/v3"
)

// Check ids reported by this package.
const (
	CheckSyntax = "yaml-syntax"
	CheckStrict = "yaml-strict"
	CheckType   = "yaml-type"
	CheckField  = "unknown-field"
	CheckReq    = "required-field"
)

var lineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Parse parses data as a single YAML document and returns its content node
// (nil when the file holds only comments). Syntax errors, a second
// document, anchors, aliases, explicit tags and duplicate keys are reported.
func Parse(path string, data []byte) (*yaml.Node, diag.List) {
	var diags diag.List
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		diags.Add(diag.Pos{Path: path, Line: 1, Col: 1}, CheckStrict, "file starts with a byte order mark; save it as UTF-8 without BOM")
		return nil, diags
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		diags = append(diags, syntaxError(path, err))
		return nil, diags
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		diags.Add(diag.Pos{Path: path, Line: extra.Line, Col: extra.Column}, CheckStrict,
			"a second YAML document starts here; a file holds exactly one (remove the \"---\" separator)")
	} else if !errors.Is(err, io.EOF) {
		diags = append(diags, syntaxError(path, err))
	}
	if len(doc.Content) == 0 {
		return nil, diags
	}
	root := doc.Content[0]
	checkNodes(path, root, &diags)
	return root, diags
}

func syntaxError(path string, err error) diag.Diagnostic {
	msg := err.Error()
	line := 0
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else if len(msg) > 6 && msg[:6] == "yaml: " {
		msg = msg[6:]
	}
	return diag.Diagnostic{Pos: diag.Pos{Path: path, Line: line}, Check: CheckSyntax,
		Message: "invalid YAML: " + msg}
}

// checkNodes rejects the YAML features that make a file mean something other
// than what it shows: anchors and aliases, explicit tags, merge keys and
// duplicate keys.
func checkNodes(path string, n *yaml.Node, diags *diag.List) {
	pos := diag.Pos{Path: path, Line: n.Line, Col: n.Column}
	switch {
	case n.Kind == yaml.AliasNode:
		diags.Add(pos, CheckStrict, "aliases (*%s) are not allowed; write the value out", n.Value)
		return
	case n.Anchor != "":
		diags.Add(pos, CheckStrict, "anchors (&%s) are not allowed; write the value out", n.Anchor)
	case n.Style&yaml.TaggedStyle != 0:
		diags.Add(pos, CheckStrict, "explicit tags (%s) are not allowed", n.Tag)
	}
	if n.Kind == yaml.MappingNode {
		seen := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			kp := diag.Pos{Path: path, Line: k.Line, Col: k.Column}
			if k.Kind != yaml.ScalarNode {
				diags.Add(kp, CheckStrict, "mapping keys must be plain strings")
				continue
			}
			if k.Tag == "!!merge" {
				diags.Add(kp, CheckStrict, "merge keys (<<) are not allowed; write the fields out")
			}
			if first, dup := seen[k.Value]; dup {
				diags.Add(kp, CheckStrict, "duplicate key %q (first on line %d); keep one", k.Value, first)
			}
			seen[k.Value] = k.Line
		}
	}
	for _, c := range n.Content {
		checkNodes(path, c, diags)
	}
}
