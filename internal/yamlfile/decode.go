package yamlfile

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sev-dev/sev/internal/diag"
	"go.yaml.in/yaml/v3"
)

// Decoder maps a parsed node tree onto Go values strictly and remembers
// where each field's value was, so later checks can point at it.
//
// Supported targets: structs (fields named by `yaml:"name"` tags, with an
// optional ",required"), strings, ints, bools, time.Time (RFC 3339 with an
// offset), slices, map[string]T and pointers to any of these.
type Decoder struct {
	Path  string
	Diags diag.List
	root  *yaml.Node
}

// NewDecoder returns a decoder for the file at path.
func NewDecoder(path string) *Decoder {
	return &Decoder{Path: path}
}

// At returns the position of a field's value, given a path such as
// "milestones.mitigated", "tags[1]", "[3].id" or, for a mapping key
// itself, "roles.commander#key". It falls back to the file itself.
// Positions are found by walking the node tree on demand, which keeps
// decoding free of bookkeeping for the common case of no findings.
func (d *Decoder) At(field string) diag.Pos {
	if n := d.find(field); n != nil {
		return d.pos(n)
	}
	return diag.Pos{Path: d.Path}
}

// Has reports whether the document has the field, even if it is empty.
func (d *Decoder) Has(field string) bool { return d.find(field) != nil }

func (d *Decoder) find(field string) *yaml.Node {
	n := d.root
	field, wantKey := strings.CutSuffix(field, "#key")
	for field != "" && n != nil {
		var part string
		if strings.HasPrefix(field, "[") {
			end := strings.IndexByte(field, ']')
			if end < 0 || n.Kind != yaml.SequenceNode {
				return nil
			}
			i, err := strconv.Atoi(field[1:end])
			if err != nil || i < 0 || i >= len(n.Content) {
				return nil
			}
			n, field = n.Content[i], strings.TrimPrefix(field[end+1:], ".")
			continue
		}
		end := strings.IndexAny(field, ".[")
		if end < 0 {
			part, field = field, ""
		} else {
			part, field = field[:end], strings.TrimPrefix(field[end:], ".")
		}
		if n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == part {
				next = n.Content[i+1]
				if wantKey && field == "" {
					next = n.Content[i]
				}
			}
		}
		n = next
	}
	return n
}

// Decode fills v (a pointer) from n.
func (d *Decoder) Decode(n *yaml.Node, v any) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		panic("yamlfile: Decode needs a non-nil pointer")
	}
	d.root = n
	d.value(n, rv.Elem(), "")
}

func (d *Decoder) pos(n *yaml.Node) diag.Pos {
	return diag.Pos{Path: d.Path, Line: n.Line, Col: n.Column}
}

func (d *Decoder) typeErr(n *yaml.Node, field, want string) {
	got := Describe(n)
	name := field
	if name == "" {
		name = "the document"
	}
	d.Diags.Add(d.pos(n), CheckType, "%s must be %s, not %s", name, want, got)
}

// Describe names what a node holds for a type error ("a list", "the
// number 3", "empty", a quoted text).
func Describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.ShortTag() {
	case "!!null":
		return "empty"
	case "!!bool":
		return "the boolean " + n.Value
	case "!!int", "!!float":
		return "the number " + n.Value
	}
	return fmt.Sprintf("%q", n.Value)
}

var timeType = reflect.TypeOf(time.Time{})

func (d *Decoder) value(n *yaml.Node, v reflect.Value, field string) {
	if n.Kind == yaml.AliasNode {
		return // reported by Parse
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		v.Set(reflect.Zero(v.Type()))
		return
	}
	if v.Type() == timeType {
		d.time(n, v, field)
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		e := reflect.New(v.Type().Elem())
		d.value(n, e.Elem(), field)
		v.Set(e)
	case reflect.String:
		d.str(n, v, field)
	case reflect.Int, reflect.Int64:
		d.integer(n, v, field)
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
			d.typeErr(n, field, "true or false")
			return
		}
		v.SetBool(n.Value == "true" || n.Value == "True" || n.Value == "TRUE")
	case reflect.Slice:
		d.slice(n, v, field)
	case reflect.Map:
		d.mapping(n, v, field)
	case reflect.Struct:
		d.structure(n, v, field)
	default:
		panic("yamlfile: unsupported type " + v.Type().String())
	}
}

func (d *Decoder) str(n *yaml.Node, v reflect.Value, field string) {
	if n.Kind != yaml.ScalarNode {
		d.typeErr(n, field, "text")
		return
	}
	switch n.ShortTag() {
	case "!!str", "!!int", "!!float", "!!timestamp":
		v.SetString(n.Value)
	default:
		d.typeErr(n, field, "text (quote it to keep it as text)")
	}
}

func (d *Decoder) integer(n *yaml.Node, v reflect.Value, field string) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
		d.typeErr(n, field, "a whole number")
		return
	}
	i, err := strconv.ParseInt(n.Value, 10, 64) // decimal only: 0x1 or 1_0 is not what a person means
	if err != nil {
		d.typeErr(n, field, "a whole number")
		return
	}
	v.SetInt(i)
}

func (d *Decoder) time(n *yaml.Node, v reflect.Value, field string) {
	if n.Kind != yaml.ScalarNode {
		d.typeErr(n, field, "an RFC 3339 time")
		return
	}
	t, err := ParseTime(n.Value)
	if err != nil {
		d.Diags.Add(d.pos(n), CheckType, "%s: %v", field, err)
		return
	}
	v.Set(reflect.ValueOf(t))
}

// ParseTime reads an RFC 3339 time with an explicit offset, the only time
// format the repository accepts, and explains what is wrong otherwise.
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err == nil {
		return t, nil
	}
	if _, err2 := time.Parse("2006-01-02T15:04:05", s); err2 == nil {
		return time.Time{}, fmt.Errorf("%q has no time zone offset; add Z for UTC or an offset such as +01:00", s)
	}
	if _, err2 := time.Parse("2006-01-02", s); err2 == nil {
		return time.Time{}, fmt.Errorf("%q is a date without a time; write an RFC 3339 time such as %sT09:00:00Z", s, s)
	}
	return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time (for example 2026-03-02T14:31:00Z)", s)
}

func (d *Decoder) slice(n *yaml.Node, v reflect.Value, field string) {
	if n.Kind != yaml.SequenceNode {
		d.typeErr(n, field, "a list")
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, c := range n.Content {
		d.value(c, s.Index(i), field+"["+strconv.Itoa(i)+"]")
	}
	v.Set(s)
}

func (d *Decoder) mapping(n *yaml.Node, v reflect.Value, field string) {
	if n.Kind != yaml.MappingNode {
		d.typeErr(n, field, "a mapping")
		return
	}
	m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		e := reflect.New(v.Type().Elem()).Elem()
		sub := join(field, k.Value)
		d.value(val, e, sub)
		m.SetMapIndex(reflect.ValueOf(k.Value).Convert(v.Type().Key()), e)
	}
	v.Set(m)
}

func join(field, name string) string {
	if field == "" {
		return name
	}
	return field + "." + name
}

type fieldInfo struct {
	index    int
	required bool
}

type structInfo struct {
	fields map[string]fieldInfo
	names  []string
}

var structCache sync.Map // reflect.Type → *structInfo

func fieldsOf(t reflect.Type) (map[string]fieldInfo, []string) {
	if si, ok := structCache.Load(t); ok {
		return si.(*structInfo).fields, si.(*structInfo).names
	}
	m, names := parseFields(t)
	structCache.Store(t, &structInfo{fields: m, names: names})
	return m, names
}

func parseFields(t reflect.Type) (map[string]fieldInfo, []string) {
	m := map[string]fieldInfo{}
	var names []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		if tag == "-" || !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		m[name] = fieldInfo{index: i, required: strings.Contains(opts, "required")}
		names = append(names, name)
	}
	return m, names
}

func (d *Decoder) structure(n *yaml.Node, v reflect.Value, field string) {
	if n.Kind != yaml.MappingNode {
		d.typeErr(n, field, "a mapping")
		return
	}
	fields, names := fieldsOf(v.Type())
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		f, ok := fields[k.Value]
		if !ok {
			d.unknown(k, field, names)
			continue
		}
		if f.required && isEmpty(val) {
			d.Diags.Add(d.pos(val), CheckReq, "%s is required and must not be empty", join(field, k.Value))
			continue
		}
		seen[k.Value] = true
		sub := join(field, k.Value)
		d.value(val, v.Field(f.index), sub)
	}
	for _, name := range names {
		if fields[name].required && !seen[name] && !present(n, name) {
			where := "the document"
			if field != "" {
				where = field
			}
			d.Diags.Add(d.pos(n), CheckReq, "%s is missing the required field %q", where, name)
		}
	}
}

func (d *Decoder) unknown(k *yaml.Node, field string, names []string) {
	msg := fmt.Sprintf("unknown field %q", k.Value)
	if strings.HasPrefix(field, "[") {
		var n int
		fmt.Sscanf(field, "[%d]", &n)
		msg = fmt.Sprintf("unknown field %q in entry %d", k.Value, n+1)
	} else if field != "" {
		msg = fmt.Sprintf("unknown field %q in %s", k.Value, field)
	}
	if s := Suggest(k.Value, names); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	} else {
		sorted := append([]string(nil), names...)
		sort.Strings(sorted)
		msg += "; known fields: " + strings.Join(sorted, ", ")
	}
	d.Diags.Add(d.pos(k), CheckField, "%s", msg)
}

// Suggest returns the candidate closest to s when it is close enough to be
// a likely typo, and "" otherwise.
func Suggest(s string, candidates []string) string {
	best, bestD := "", 3
	if len(s) <= 4 {
		bestD = 2
	}
	for _, c := range candidates {
		// the distance is at least the difference in length
		if d := len(s) - len(c); d >= bestD || -d >= bestD {
			continue
		}
		if dist := levenshtein(s, c, bestD); dist < bestD {
			best, bestD = c, dist
		}
	}
	return best
}

// levenshtein is the edit distance between a and b, a swap of two
// neighbouring letters counting as one edit as typing makes it (optimal
// string alignment), or bound when it is bound or more: it stops once
// every way on is that far.
func levenshtein(a, b string, bound int) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			low = min(low, cur[j])
		}
		if low >= bound {
			return bound
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], bound)
}

func isEmpty(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && (n.ShortTag() == "!!null" || (n.ShortTag() == "!!str" && strings.TrimSpace(n.Value) == ""))
}

func present(n *yaml.Node, key string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}

// Decoded reports whether a document was decoded (the file was not empty).
func (d *Decoder) Decoded() bool { return d.root != nil }
