package yamlfile

import (
	"bytes"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Encode writes v canonically: struct fields in declaration order, map keys
// sorted, zero values left out, times in RFC 3339 with their own offset,
// multi-line text as literal blocks, two-space indentation and LF endings.
// Strings are quoted exactly when a plain scalar would read back as
// something else, so decoding the output gives v again.
func Encode(v any) ([]byte, error) {
	n := Node(v)
	if n == nil {
		return nil, nil
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, fmt.Errorf("encode yaml: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode yaml: %w", err)
	}
	return buf.Bytes(), nil
}

// Node builds the canonical node tree for v, or nil when v is zero.
func Node(v any) *yaml.Node {
	return node(reflect.ValueOf(v))
}

func scalar(tag, value string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
	switch {
	case tag != "!!str":
	case strings.Contains(value, "\n") && literalSafe(value):
		n.Style = yaml.LiteralStyle
	case strings.ContainsAny(value, "\n\t\r"):
		n.Style = yaml.DoubleQuotedStyle
	case yaml11Words[strings.ToLower(value)]:
		// YAML 1.2 reads these as text, but YAML 1.1 readers (many editors,
		// PyYAML) read them as booleans or null: quote them for everyone.
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

var yaml11Words = map[string]bool{"y": true, "n": true, "yes": true, "no": true, "on": true, "off": true,
	"true": true, "false": true, "null": true, "~": true}

func node(v reflect.Value) *yaml.Node {
	if !v.IsValid() || v.IsZero() {
		return nil
	}
	if v.Type() == timeType {
		return scalar("!!timestamp", v.Interface().(time.Time).Format(time.RFC3339Nano))
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return node(v.Elem())
	case reflect.String:
		return scalar("!!str", v.String())
	case reflect.Int, reflect.Int64:
		return scalar("!!int", strconv.FormatInt(v.Int(), 10))
	case reflect.Bool:
		return scalar("!!bool", strconv.FormatBool(v.Bool()))
	case reflect.Slice:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		short := true
		for i := 0; i < v.Len(); i++ {
			c := node(v.Index(i))
			if c == nil {
				c = scalar("!!null", "null")
			}
			if c.Kind != yaml.ScalarNode || strings.Contains(c.Value, "\n") || len(c.Value) > 40 {
				short = false
			}
			n.Content = append(n.Content, c)
		}
		if short && v.Len() <= 8 {
			n.Style = yaml.FlowStyle
		}
		return n
	case reflect.Map:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			c := node(v.MapIndex(k))
			if c == nil {
				continue
			}
			n.Content = append(n.Content, scalar("!!str", k.String()), c)
		}
		return n
	case reflect.Struct:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("yaml")
			if tag == "-" || !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if name == "" {
				name = strings.ToLower(f.Name)
			}
			c := node(v.Field(i))
			if c == nil {
				continue
			}
			n.Content = append(n.Content, scalar("!!str", name), c)
		}
		return n
	}
	panic("yamlfile: cannot encode " + v.Type().String())
}

// literalSafe reports whether a multi-line text reads back unchanged from
// a literal block: no tabs or carriage returns, no line that starts with a
// space (it would set or break the indentation) and no trailing spaces.
func literalSafe(v string) bool {
	if strings.ContainsAny(v, "\t\r") {
		return false
	}
	for _, line := range strings.Split(v, "\n") {
		if strings.HasPrefix(line, " ") || strings.HasSuffix(line, " ") {
			return false
		}
	}
	return true
}
