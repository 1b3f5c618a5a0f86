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
	"strings"

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
		diags = append(diags, syntaxError(path, data, err))
		return nil, diags
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		diags.Add(diag.Pos{Path: path, Line: extra.Line, Col: extra.Column}, CheckStrict,
			"a second YAML document starts here; a file holds exactly one (remove the \"---\" separator)")
	} else if !errors.Is(err, io.EOF) {
		diags = append(diags, syntaxError(path, data, err))
	}
	if len(doc.Content) == 0 {
		return nil, diags
	}
	root := doc.Content[0]
	checkNodes(path, root, &diags)
	return root, diags
}

// syntaxError places a syntax error the YAML parser reports. The parser
// gives a line only, and inside a construct (a flow list, a quoted
// string) the one before the line at fault; so the place is found again
// (locate) in files small enough to parse a few more times.
func syntaxError(path string, data []byte, err error) diag.Diagnostic {
	msg := err.Error()
	line := 0
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else if len(msg) > 6 && msg[:6] == "yaml: " {
		msg = msg[6:]
	}
	pos := diag.Pos{Path: path, Line: line}
	if len(data) <= locateMax {
		pos.Line, pos.Col = locate(data, line, msg)
	}
	return diag.Diagnostic{Pos: pos, Check: CheckSyntax,
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

// locateMax bounds the files whose syntax errors locate places; larger
// ones keep the parser's line. locateLines is how far past that line it
// looks, and columnMax bounds the column search, one parse per byte of
// the line.
const (
	locateMax   = 1 << 20
	locateLines = 50
	columnMax   = 64 << 10
)

// locate finds a syntax error's line and column: the first line, from
// the one the parser named (reported) on, where the text up to its end
// fails to parse with the same message, and on it the first byte up to
// which the text fails that way. It keeps the parser's line, without a
// column, when no such line is near.
func locate(data []byte, reported int, msg string) (line, col int) {
	starts := []int{0} // where each line starts; YAML breaks lines at \n, \r\n and \r
	for i, b := range data {
		if b == '\n' || b == '\r' && (i+1 == len(data) || data[i+1] != '\n') {
			starts = append(starts, i+1)
		}
	}
	end := func(l int) int { // the end of line l (1-based), without its newline
		if l < len(starts) {
			return starts[l] - 1
		}
		return len(data)
	}
	line = 0
	for l := max(1, reported); l <= min(len(starts), reported+locateLines); l++ {
		if fails(data[:end(l)], msg) {
			line = l
			break
		}
	}
	if line == 0 {
		return reported, 0
	}
	if len(data) > columnMax {
		return line, 0
	}
	first, last := starts[line-1], end(line)
	for c := first + 1; c <= last; c++ {
		if fails(data[:c], msg) {
			return line, c - first
		}
	}
	return line, 0
}

// fails reports whether text fails to parse as YAML documents with the
// message msg.
func fails(text []byte, msg string) bool {
	dec := yaml.NewDecoder(bytes.NewReader(text))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		switch {
		case errors.Is(err, io.EOF):
			return false
		case err != nil:
			got := err.Error()
			if m := lineRE.FindStringSubmatch(got); m != nil {
				got = m[2]
			}
			return strings.TrimPrefix(got, "yaml: ") == msg
		}
	}
}
