package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"time"
)

// readJSON decodes a JSON file into v, with the line and column of a
// syntax or type error.
func readJSON(fsys fs.FS, name string, v any) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	return decodeJSON(name, data, v)
}

func decodeJSON(name string, data []byte, v any) error {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	err := json.Unmarshal(data, v)
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &syn):
		l, c := lineCol(data, syn.Offset)
		return fmt.Errorf("%s:%d:%d: %v", name, l, c, syn)
	case errors.As(err, &typ):
		l, c := lineCol(data, typ.Offset)
		return fmt.Errorf("%s:%d:%d: %s must be %s, not %s", name, l, c, cmpField(typ.Field), typ.Type, typ.Value)
	}
	return fmt.Errorf("%s: %w", name, err)
}

func cmpField(f string) string {
	if f == "" {
		return "the value"
	}
	return f
}

// lineCol turns a byte offset into a 1-based line and column.
func lineCol(data []byte, off int64) (int, int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// stamp reads an RFC 3339 time from an API; an empty one is zero, a bad
// one is reported through bad.
func stamp(s, field string, bad func(field, msg string)) Time {
	if s == "" {
		return Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		bad(field, fmt.Sprintf("%q is not an RFC 3339 time", s))
		return Time{}
	}
	return Time{At: t}
}

// named is the {"summary": ...} or {"name": ...} reference objects APIs
// use for people, services and teams.
type named struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Summary string `json:"summary"`
	Email   string `json:"email"`
}

func (n *named) label() string {
	if n == nil {
		return ""
	}
	if n.Name != "" {
		return n.Name
	}
	return n.Summary
}
