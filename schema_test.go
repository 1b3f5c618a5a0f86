package sev

// These tests keep the JSON Schemas under schema/ in step with the Go types
// that define the file format: the editor's view of a file (hover text,
// completion, red squiggles) must be the one `sev validate` has. Where
// possible a rule is checked against the Go code's behaviour (the decoder,
// the checks, Apply) rather than against a copy of it.

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/escalate"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/postmortem"
	"github.com/sev-dev/sev/internal/rotation"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/yamlfile"
)

const (
	incidentSchema   = "incident.schema.json"
	timelineSchema   = "timeline.schema.json"
	settingsSchema   = "sev.schema.json"
	rotationSchema   = "rotation.schema.json"
	escalationSchema = "escalation.schema.json"
	postmortemSchema = "postmortem.schema.json"
	ruleSchema       = "rule.schema.json"
)

var schemaNames = []string{incidentSchema, timelineSchema, settingsSchema, rotationSchema, postmortemSchema, ruleSchema, escalationSchema}

// object is a JSON Schema (or any JSON object) as decoded by encoding/json.
type object = map[string]any

// schemaFile is one decoded schema.
type schemaFile struct {
	name string
	root object
}

func loadSchema(t *testing.T, name string) *schemaFile {
	t.Helper()
	data, err := fs.ReadFile(Schemas, path.Join("schema", name))
	if err != nil {
		t.Fatal(err)
	}
	var root object
	if err := json.Unmarshal(data, &root); err != nil {
		t.Fatalf("%s is not a JSON object: %v", name, err)
	}
	return &schemaFile{name: name, root: root}
}

// resolve follows a local "$ref" ("#/$defs/x") and returns the schema it
// names, with its JSON pointer.
func (f *schemaFile) resolve(t *testing.T, s object, ptr string) (object, string) {
	t.Helper()
	for range 10 {
		ref, ok := s["$ref"].(string)
		if !ok {
			return s, ptr
		}
		if !strings.HasPrefix(ref, "#/") {
			t.Fatalf("%s%s: only local references are used, not %q", f.name, ptr, ref)
		}
		ptr = ref[1:]
		s = f.pointer(t, ptr)
	}
	t.Fatalf("%s%s: $ref loop", f.name, ptr)
	return nil, ""
}

// pointer returns the schema at a JSON pointer such as /$defs/entry.
func (f *schemaFile) pointer(t *testing.T, ptr string) object {
	t.Helper()
	var cur any = f.root
	for _, part := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		if part == "" {
			continue
		}
		m, ok := cur.(object)
		if !ok {
			t.Fatalf("%s: %s does not name an object", f.name, ptr)
		}
		if cur, ok = m[part]; !ok {
			t.Fatalf("%s: %s does not exist", f.name, ptr)
		}
	}
	m, ok := cur.(object)
	if !ok {
		t.Fatalf("%s: %s does not name an object", f.name, ptr)
	}
	return m
}

// at walks keywords from the root ("properties/links/items"), following
// references at every step, and returns the schema and its canonical
// pointer.
func (f *schemaFile) at(t *testing.T, walk string) (object, string) {
	t.Helper()
	s, ptr := f.resolve(t, f.root, "")
	for _, part := range strings.Split(walk, "/") {
		if part == "" {
			continue
		}
		next, ok := s[part].(object)
		if !ok {
			t.Fatalf("%s: %s/%s is missing or not an object", f.name, ptr, part)
		}
		s, ptr = f.resolve(t, next, ptr+"/"+part)
	}
	return s, ptr
}

// walk calls fn for every schema object in the file with its pointer.
func walk(v any, ptr string, fn func(object, string)) {
	switch v := v.(type) {
	case object:
		fn(v, ptr)
		for _, k := range sortedKeys(v) {
			walk(v[k], ptr+"/"+k, fn)
		}
	case []any:
		for i, x := range v {
			walk(x, fmt.Sprintf("%s/%d", ptr, i), fn)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func strs(t *testing.T, v any, what string) []string {
	t.Helper()
	list, ok := v.([]any)
	if !ok {
		t.Fatalf("%s is not a list", what)
	}
	out := make([]string, len(list))
	for i, x := range list {
		if out[i], ok = x.(string); !ok {
			t.Fatalf("%s[%d] is not a string", what, i)
		}
	}
	return out
}

// sameSet reports the difference between what the schema says and what Go
// says, or "" when they hold the same names.
func sameSet(schema, goNames []string) string {
	var extra, missing []string
	for _, s := range schema {
		if !slices.Contains(goNames, s) {
			extra = append(extra, s)
		}
	}
	for _, g := range goNames {
		if !slices.Contains(schema, g) {
			missing = append(missing, g)
		}
	}
	if len(extra) == 0 && len(missing) == 0 {
		return ""
	}
	sort.Strings(extra)
	sort.Strings(missing)
	return fmt.Sprintf("only in the schema: %v; only in Go: %v", extra, missing)
}

// sameList is sameSet that also wants the same order, so editors offer
// values in the order the Go code lists them.
func sameList(schema, goNames []string) string {
	if d := sameSet(schema, goNames); d != "" {
		return d
	}
	if !slices.Equal(schema, goNames) {
		return fmt.Sprintf("same values in another order: schema %v, Go %v", schema, goNames)
	}
	return ""
}

// yamlField is a struct field as the strict decoder in internal/yamlfile
// reads it.
type yamlField struct {
	name     string
	required bool // tagged ",required"
	index    int
	typ      reflect.Type
}

func yamlFields(t reflect.Type) []yamlField {
	var out []yamlField
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
		out = append(out, yamlField{name, slices.Contains(strings.Split(opts, ","), "required"), i, f.Type})
	}
	return out
}

func fieldNames(fields []yamlField, onlyRequired bool) []string {
	var out []string
	for _, f := range fields {
		if f.required || !onlyRequired {
			out = append(out, f.name)
		}
	}
	return out
}

// goObjects maps each closed object of the schemas to the Go struct that
// defines it.
var goObjects = []struct {
	file, walk string
	typ        reflect.Type
}{
	{incidentSchema, "", reflect.TypeFor[incident.Incident]()},
	{incidentSchema, "properties/milestones", reflect.TypeFor[incident.Times]()},
	{incidentSchema, "properties/links/items", reflect.TypeFor[incident.Link]()},
	{incidentSchema, "properties/paged/items", reflect.TypeFor[incident.Page]()},
	{incidentSchema, "properties/source", reflect.TypeFor[incident.Source]()},
	{incidentSchema, "properties/window", reflect.TypeFor[incident.Window]()},
	{timelineSchema, "items", reflect.TypeFor[timeline.Entry]()},
	{settingsSchema, "", reflect.TypeFor[config.Settings]()},
	{settingsSchema, "properties/severities/items", reflect.TypeFor[config.Severity]()},
	{settingsSchema, "properties/statuses/items", reflect.TypeFor[config.Status]()},
	{settingsSchema, "properties/roles/items", reflect.TypeFor[config.Named]()},
	{settingsSchema, "properties/orgs/items", reflect.TypeFor[config.Named]()},
	{settingsSchema, "properties/tags/items", reflect.TypeFor[config.Named]()},
	{settingsSchema, "properties/services/items", reflect.TypeFor[config.Named]()},
	{settingsSchema, "properties/people/items", reflect.TypeFor[config.Person]()},
	{settingsSchema, "properties/people/items/properties/working-hours", reflect.TypeFor[config.Hours]()},
	{settingsSchema, "properties/limits", reflect.TypeFor[config.Limits]()},
	{settingsSchema, "properties/search", reflect.TypeFor[config.Search]()},
	{settingsSchema, "properties/reports", reflect.TypeFor[config.Reports]()},
	{settingsSchema, "properties/people/items/properties/contacts", reflect.TypeFor[config.Contacts]()},
	{settingsSchema, "properties/notify", reflect.TypeFor[config.Notify]()},
	{settingsSchema, "properties/notify/properties/channels/items", reflect.TypeFor[config.Channel]()},
	{settingsSchema, "properties/alerts", reflect.TypeFor[config.Alerts]()},
	{settingsSchema, "properties/alerts/properties/routes/items", reflect.TypeFor[config.AlertRoute]()},
	{settingsSchema, "properties/status-page", reflect.TypeFor[config.StatusPage]()},
	{settingsSchema, "properties/status-page/properties/components/items", reflect.TypeFor[config.Component]()},
	{rotationSchema, "", reflect.TypeFor[rotation.Rotation]()},
	{escalationSchema, "", reflect.TypeFor[escalate.Policy]()},
	{escalationSchema, "properties/levels/items", reflect.TypeFor[escalate.Level]()},
	{rotationSchema, "properties/layers/items", reflect.TypeFor[rotation.Layer]()},
	{rotationSchema, "properties/layers/items/properties/restrictions/items", reflect.TypeFor[rotation.Restriction]()},
	{rotationSchema, "properties/layers/items/properties/changes/items", reflect.TypeFor[rotation.Change]()},
	{rotationSchema, "properties/overrides/items", reflect.TypeFor[rotation.Override]()},
	{settingsSchema, "properties/postmortems", reflect.TypeFor[config.Policy]()},
	{settingsSchema, "properties/postmortems/properties/due/items", reflect.TypeFor[config.PostmortemDue]()},
	{settingsSchema, "properties/postmortems/properties/follow-ups/items", reflect.TypeFor[config.FollowUpDue]()},
	{postmortemSchema, "", reflect.TypeFor[postmortem.Meta]()},
	{postmortemSchema, "properties/follow-ups/items", reflect.TypeFor[postmortem.FollowUp]()},
}

func TestSchemaFiles(t *testing.T) {
	names, err := fs.Glob(Schemas, "schema/*.json")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, n := range schemaNames {
		want = append(want, "schema/"+n)
	}
	if d := sameSet(names, want); d != "" {
		t.Errorf("embedded schema files: %s", d)
	}
	for _, name := range names {
		data, err := fs.ReadFile(Schemas, name)
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(data) {
			t.Errorf("%s is not valid JSON", name)
			continue
		}
		f := loadSchema(t, path.Base(name))
		if got := f.root["$schema"]; got != "https://json-schema.org/draft/2020-12/schema" {
			t.Errorf("%s: $schema is %v, want draft 2020-12", name, got)
		}
		if got, want := f.root["$id"], "https://sev.dev/schema/"+path.Base(name); got != want {
			t.Errorf("%s: $id is %v, want %s", name, got, want)
		}
		checkSchemaShape(t, f)
	}
}

// checkSchemaShape checks what every schema must do for editors and for
// strictness: references resolve, objects say what they allow beyond their
// properties, and every property has a title and a description for hover
// text.
func checkSchemaShape(t *testing.T, f *schemaFile) {
	walk(f.root, "", func(s object, ptr string) {
		if strings.Contains(ptr, "/enum") || strings.Contains(ptr, "/examples") {
			return
		}
		if ref, ok := s["$ref"].(string); ok {
			f.resolve(t, object{"$ref": ref}, ptr)
		}
		if s["type"] != "object" {
			return
		}
		if _, ok := s["additionalProperties"]; !ok {
			t.Errorf("%s%s: an object without additionalProperties lets typos through", f.name, ptr)
		}
		props, _ := s["properties"].(object)
		for _, name := range sortedKeys(props) {
			p, _ := props[name].(object)
			for _, k := range []string{"title", "description"} {
				if v, _ := p[k].(string); v == "" {
					t.Errorf("%s%s/properties/%s has no %s", f.name, ptr, name, k)
				}
			}
		}
	})
}

func TestSchemaObjectsMatchGoTypes(t *testing.T) {
	covered := map[string]map[string]bool{}
	for _, o := range goObjects {
		f := loadSchema(t, o.file)
		s, ptr := f.at(t, o.walk)
		if covered[o.file] == nil {
			covered[o.file] = map[string]bool{}
		}
		covered[o.file][ptr] = true
		where := fmt.Sprintf("%s%s (%s)", o.file, ptr, o.typ)
		if s["additionalProperties"] != false {
			t.Errorf("%s: additionalProperties must be false: unknown fields are errors", where)
		}
		fields := yamlFields(o.typ)
		props, _ := s["properties"].(object)
		if d := sameSet(sortedKeys(props), fieldNames(fields, false)); d != "" {
			t.Errorf("%s: properties differ from the yaml tags: %s", where, d)
		}
		var req []string
		if r, ok := s["required"]; ok {
			req = strs(t, r, where+" required")
		}
		if d := sameSet(req, fieldNames(fields, true)); d != "" {
			t.Errorf("%s: required differs from the \",required\" tags: %s", where, d)
		}
		for _, fl := range fields {
			if p, ok := props[fl.name].(object); ok {
				p, _ = f.resolve(t, p, ptr+"/properties/"+fl.name)
				checkType(t, where+" "+fl.name, p, fl.typ)
			}
		}
	}
	// Every closed object of a schema is one of the Go structs above.
	for _, file := range schemaNames {
		if file == ruleSchema {
			continue // rule files are read node by node; internal/rule's tests check this schema against its parser
		}
		f := loadSchema(t, file)
		walk(f.root, "", func(s object, ptr string) {
			if s["type"] == "object" && s["additionalProperties"] == false && !covered[file][ptr] {
				t.Errorf("%s%s: a closed object with no Go type in goObjects", file, ptr)
			}
		})
	}
	// Every struct the Go types reach has a schema object.
	seen := map[reflect.Type]bool{}
	for _, o := range goObjects {
		seen[o.typ] = true
	}
	roots := []reflect.Type{reflect.TypeFor[incident.Incident](), reflect.TypeFor[timeline.Entry](), reflect.TypeFor[config.Settings](),
		reflect.TypeFor[rotation.Rotation](), reflect.TypeFor[escalate.Policy]()}
	for _, root := range roots {
		for _, st := range reachableStructs(root) {
			if !seen[st] {
				t.Errorf("%s is part of the file format but has no schema object in goObjects", st)
			}
		}
	}
}

var timeType = reflect.TypeFor[time.Time]()

func reachableStructs(t reflect.Type) []reflect.Type {
	var out []reflect.Type
	var visit func(reflect.Type)
	visit = func(t reflect.Type) {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map:
			visit(t.Elem())
		case reflect.Struct:
			if t == timeType || slices.Contains(out, t) {
				return
			}
			out = append(out, t)
			for _, f := range yamlFields(t) {
				visit(f.typ)
			}
		}
	}
	visit(t)
	return out
}

// checkType compares a property's JSON type with the Go field's type as
// the decoder reads it.
func checkType(t *testing.T, where string, p object, typ reflect.Type) {
	t.Helper()
	want := ""
	switch {
	case typ.Kind() == reflect.Pointer: // an optional object: absent is nil
		checkType(t, where, p, typ.Elem())
		return
	case typ == timeType:
		want = "string"
		if p["format"] != "date-time" {
			t.Errorf("%s: a time needs format date-time", where)
		}
	case typ.Kind() == reflect.String:
		want = "string"
	case typ.Kind() == reflect.Int || typ.Kind() == reflect.Int64:
		want = "integer"
	case typ.Kind() == reflect.Bool:
		want = "boolean"
	case typ.Kind() == reflect.Slice:
		want = "array"
	case typ.Kind() == reflect.Map || typ.Kind() == reflect.Struct:
		want = "object"
	default:
		t.Fatalf("%s: no JSON type for %s", where, typ)
	}
	if p["type"] != want {
		t.Errorf("%s: type is %v, want %s for Go %s", where, p["type"], want, typ)
	}
}

func TestSchemaEnums(t *testing.T) {
	inc := loadSchema(t, incidentSchema)
	tl := loadSchema(t, timelineSchema)
	settings := loadSchema(t, settingsSchema)
	pm := loadSchema(t, postmortemSchema)
	phases := []string{config.PhaseActive, config.PhaseDone, config.PhaseDeclined}
	for _, c := range []struct {
		f    *schemaFile
		walk string
		want []string
	}{
		{inc, "properties/kind", incident.Kinds},
		{inc, "properties/visibility", incident.Visibilities},
		{inc, "properties/links/items/properties/kind", incident.LinkKinds},
		{tl, "items/properties/type", timeline.Types},
		{tl, "items/properties/milestone", incident.Milestones},
		{settings, "properties/statuses/items/properties/phase", phases},
		{settings, "properties/postmortems/properties/follow-ups/items/properties/type", config.FollowUpTypes},
		{pm, "properties/status", config.PostmortemStatuses},
		{pm, "properties/follow-ups/items/properties/type", config.FollowUpTypes},
		{pm, "properties/follow-ups/items/properties/status", config.FollowUpStatuses},
	} {
		s, ptr := c.f.at(t, c.walk)
		if d := sameList(strs(t, s["enum"], c.f.name+ptr+"/enum"), c.want); d != "" {
			t.Errorf("%s%s/enum: %s", c.f.name, ptr, d)
		}
	}
	ms, ptr := inc.at(t, "properties/milestones")
	if d := sameSet(sortedKeys(ms["properties"].(object)), incident.Milestones); d != "" {
		t.Errorf("%s%s: milestones differ from incident.Milestones: %s", inc.name, ptr, d)
	}
	if got, want := mustAt(t, inc, "properties/kind")["default"], (&incident.Incident{}).EffectiveKind(); got != want {
		t.Errorf("kind default is %v, want %s", got, want)
	}
	if got, want := mustAt(t, inc, "properties/visibility")["default"], (&incident.Incident{}).EffectiveVisibility(); got != want {
		t.Errorf("visibility default is %v, want %s", got, want)
	}
	checkLevels(t, settings)
}

func mustAt(t *testing.T, f *schemaFile, walk string) object {
	t.Helper()
	s, _ := f.at(t, walk)
	return s
}

// checkLevels ties the check levels to diag.ParseSeverity, the function
// that reads them.
func checkLevels(t *testing.T, f *schemaFile) {
	s, ptr := f.at(t, "properties/checks/additionalProperties")
	levels := strs(t, s["enum"], ptr)
	var goLevels []string
	for _, sv := range []diag.Severity{diag.Error, diag.Warning, diag.Off} {
		goLevels = append(goLevels, sv.String())
	}
	if d := sameList(levels, goLevels); d != "" {
		t.Errorf("%s%s/enum: %s", f.name, ptr, d)
	}
	for _, l := range levels {
		if _, ok := diag.ParseSeverity(l); !ok {
			t.Errorf("check level %q is not accepted by diag.ParseSeverity", l)
		}
	}
}

// TestSchemaDefaults keeps the defaults editors show equal to the ones
// sev uses when sev.yaml leaves a field out.
func TestSchemaDefaults(t *testing.T) {
	f := loadSchema(t, settingsSchema)
	d := config.Default()
	for _, c := range []struct {
		walk string
		v    reflect.Value
	}{
		{"", reflect.ValueOf(d).Elem()},
		{"properties/limits", reflect.ValueOf(d.Limits)},
	} {
		s, ptr := f.at(t, c.walk)
		props := s["properties"].(object)
		for _, fl := range yamlFields(c.v.Type()) {
			p, _ := props[fl.name].(object)
			def, ok := p["default"]
			if !ok {
				continue
			}
			got := c.v.Field(fl.index).Interface()
			if n, ok := got.(int64); ok {
				got = float64(n) // encoding/json's number
			}
			if got != def {
				t.Errorf("%s%s/properties/%s: default is %v, sev uses %v", f.name, ptr, fl.name, def, got)
			}
		}
	}
}

// TestSchemaPatterns checks each pattern against the Go code that
// enforces the same rule, on strings near its edges.
func TestSchemaPatterns(t *testing.T) {
	inc := loadSchema(t, incidentSchema)
	tl := loadSchema(t, timelineSchema)
	settings := loadSchema(t, settingsSchema)
	rot := loadSchema(t, rotationSchema)
	idRule := func(s string) bool { return incident.IDPattern.MatchString(s) && len(s) <= 80 }
	// An empty optional field is the same as leaving it out, so "" is a
	// sample only where the time of day is required.
	clocks := []string{"09:00", "00:00", "23:59", "24:00", "24:01", "25:00", "9:00", "09:0", "09:60", "0900", "09.00", " 09:00", "09:00 ", "noon"}
	for _, c := range []struct {
		f       *schemaFile
		walk    string
		goRule  func(string) bool
		samples []string
		// validateOnly are samples the schema accepts and only sev
		// validate refuses: rules a pattern cannot say.
		validateOnly []string
	}{
		{inc, "properties/id", idRule, []string{
			"2026-03-02-checkout", "2026-03-02-checkout-errors-in-eu-2", "2026-03-02-500", "2026-03-02-", "2026-03-02-Checkout",
			"2026-03-02-check--out", "2026-03-02-checkout-", "26-03-02-checkout", "2026-3-2-checkout", "2026-03-02-ünïcode",
			"2026-03-02-" + strings.Repeat("a", 69), "2026-03-02-" + strings.Repeat("a", 70)}, nil},
		{tl, "items/properties/id", entryIDOK, []string{
			"01kjqdvnq072e4sy", "abcd", "abc", "a-bc", "-abc", "ABCD", "ab_cd", strings.Repeat("a", 64), strings.Repeat("a", 65), "0000"}, nil},
		{tl, "items/properties/at", timeOK, []string{
			"2026-03-02T14:31:00Z", "2026-03-02T15:31:00+01:00", "2026-03-02T14:31:00.123456789-07:00", "2026-03-02T14:31:00,5Z",
			"2026-03-02T14:31:00", "2026-03-02", "2026-03-02 14:31:00Z", "2026-03-02t14:31:00z", "2026-03-02T14:31Z", "2026-03-02T14:31:00+0100"}, nil},
		{inc, "$defs/link/properties/url", func(s string) bool { return incident.CheckURL(s) == nil }, []string{
			"https://chat.example.com/c/inc", "http://grafana.internal:3000/d/x", "HTTPS://example.com", "mailto:oncall@example.com",
			"https:///nohost", "https://", "javascript:alert(1)", "data:text/html,x", "ftp://example.com", "example.com", "//example.com"}, nil},
		{settings, "$defs/labelled/properties/name", nameOK, []string{
			"payments", "checkout-api", "sev1", "1st", "-x", "Payments", "pay_ments", "pay ments", "x-", "ü",
			"ci.jenkins.io", "a", "a.", ".a", "a..b", "a_b-c.d"}, nil},
		{settings, "$defs/named/properties/name", roleNameOK, []string{
			"commander", "on-call", "x", "-x", "Lead", "a.b", "a_b", "x-"}, nil},
		{rot, "$defs/layer/properties/start", timeOK, []string{
			"2026-11-30T09:00:00+01:00", "2026-11-30T08:00:00Z", "2026-11-30T09:00:00", "2026-11-30", "2026-11-30 09:00:00Z"}, nil},
		{rot, "$defs/layer/properties/shift", shiftOK, []string{
			"1w", "2d", "12h", "90m", "3d12h", "1w2d3h4m", "52w2d", "0w1m", "", "0", "0d", "0w0d0h0m", "1", "1h1d", "1W", "1.5h", "-1h",
			"1 h", "1d 12h", "1s", "2w2w"}, []string{"53w", "367d", "8785h", "99999999999999999999w"}},
		{rot, "$defs/layer/properties/handoff", handoffOK, clocks, nil},
		{rot, "$defs/restriction/properties/from", restrictionOK, append(clocks, ""), nil},
		{rot, "$defs/change/properties/handoff", changeHandoffOK, clocks, nil},
		// config.Parse does not check working-hours yet; they are meant to
		// take the same times of day as rotations.
		{settings, "$defs/hours/properties/from", handoffOK, clocks, nil},
		{settings, "$defs/hours/properties/to", handoffOK, clocks, nil},
	} {
		s, ptr := c.f.at(t, c.walk)
		p, _ := s["pattern"].(string)
		re, err := regexp.Compile(p)
		if err != nil {
			t.Errorf("%s%s: pattern %q: %v", c.f.name, ptr, p, err)
			continue
		}
		for _, sample := range c.samples {
			schemaOK := stringOK(t, s, re, sample)
			if goOK := c.goRule(sample); schemaOK != goOK {
				t.Errorf("%s%s: %q: the schema says valid=%v, sev says valid=%v", c.f.name, ptr, sample, schemaOK, goOK)
			}
		}
		for _, sample := range c.validateOnly {
			if !stringOK(t, s, re, sample) || c.goRule(sample) {
				t.Errorf("%s%s: %q: want the schema to accept it and sev validate to refuse it", c.f.name, ptr, sample)
			}
		}
	}
}

// stringOK evaluates the string keywords the schemas use: pattern (re),
// minLength, maxLength and a not with a pattern.
func stringOK(t *testing.T, s object, re *regexp.Regexp, v string) bool {
	t.Helper()
	n := float64(len([]rune(v)))
	if minLen, ok := s["minLength"].(float64); ok && n < minLen {
		return false
	}
	if maxLen, ok := s["maxLength"].(float64); ok && n > maxLen {
		return false
	}
	if not, ok := s["not"].(object); ok {
		p, _ := not["pattern"].(string)
		if len(not) != 1 || p == "" {
			t.Fatalf("a not other than {pattern} needs an extension of stringOK: %v", not)
		}
		if regexp.MustCompile(p).MatchString(v) {
			return false
		}
	}
	return re.MatchString(v)
}

// rotationOK asks rotation.Parse whether a rotation is free of errors.
func rotationOK(doc object) bool {
	data, err := yaml.Marshal(doc)
	if err != nil {
		panic(err)
	}
	r, diags := rotation.Parse("rotations/test.yaml", data)
	return r != nil && diags.Errors() == 0
}

// testRotation is a rotation that uses every field; layer 0 carries one
// restriction and one change.
func testRotation() object {
	return object{
		"name": "test", "org": "engineering", "timezone": "Europe/Berlin", "description": "Test",
		"layers": []any{object{
			"name": "weekly", "members": []any{"alice", "bob"}, "shift": "1w", "start": "2026-11-30T09:00:00+01:00",
			"handoff":      "09:00",
			"restrictions": []any{object{"days": []any{"mon", "tue"}, "from": "09:00", "to": "17:00"}},
			"changes": []any{object{"from": "2027-01-04T09:00:00+01:00", "members": []any{"carol"}, "shift": "1d",
				"handoff": "10:00"}},
		}},
		"overrides": []any{object{"person": "dave", "from": "2026-12-24T00:00:00+01:00", "to": "2026-12-27T00:00:00+01:00",
			"note": "Holidays"}},
	}
}

// rotationWith is testRotation with one field of layer 0 set (a
// restriction's or change's field when part is "restrictions" or
// "changes").
func rotationWith(part, field string, v any) object {
	doc := testRotation()
	target := doc["layers"].([]any)[0].(object)
	if part != "" {
		target = target[part].([]any)[0].(object)
	}
	target[field] = v
	return doc
}

func shiftOK(s string) bool         { return rotationOK(rotationWith("", "shift", s)) }
func handoffOK(s string) bool       { return rotationOK(rotationWith("", "handoff", s)) }
func changeHandoffOK(s string) bool { return rotationOK(rotationWith("changes", "handoff", s)) }

// restrictionOK tries s as the start of a window that ends at 12:34 (a
// window may not start and end at the same time, a rule the schema leaves
// to sev validate).
func restrictionOK(s string) bool {
	doc := rotationWith("restrictions", "from", s)
	doc["layers"].([]any)[0].(object)["restrictions"].([]any)[0].(object)["to"] = "12:34"
	return rotationOK(doc)
}

func timeOK(s string) bool {
	_, err := yamlfile.ParseTime(s)
	return err == nil
}

// entryIDOK asks the timeline check whether an entry id is acceptable.
func entryIDOK(id string) bool {
	e := timeline.Entry{ID: id, At: time.Date(2026, 3, 2, 14, 5, 0, 0, time.UTC), By: "alice", Type: timeline.Declared}
	diags := incident.CheckTimeline([]timeline.Entry{e}, yamlfile.NewDecoder("timeline.yaml"), config.Default())
	return !hasCheck(diags, "entry-id")
}

// roleNameOK asks the settings check whether a role name is acceptable.
func roleNameOK(name string) bool {
	_, diags := config.Parse("sev.yaml", []byte("roles:\n  - name: "+strconv.Quote(name)+"\n"))
	return !hasCheck(diags, "config")
}

// nameOK asks the settings check whether a tag name is acceptable.
func nameOK(name string) bool {
	_, diags := config.Parse("sev.yaml", []byte("tags:\n  - name: "+strconv.Quote(name)+"\n"))
	return !hasCheck(diags, "config")
}

func hasCheck(diags diag.List, check string) bool {
	return slices.ContainsFunc(diags, func(d diag.Diagnostic) bool { return d.Check == check && d.Severity == diag.Error })
}

// TestTimelineSchemaRules compares the schema's per-type rules (the allOf
// of if/then on type) with the timeline check: for every entry type, an
// entry with every field set, and the same entry with one field left out,
// must be accepted by the schema exactly when sev validate accepts it.
func TestTimelineSchemaRules(t *testing.T) {
	f := loadSchema(t, timelineSchema)
	entry, _ := f.at(t, "items")
	rules := object{"allOf": entry["allOf"]}
	optional := []string{"recorded", "text", "milestone", "status", "severity", "role", "person", "tag",
		"field", "value", "url", "file", "corrects", "key", "public"}
	for _, typ := range timeline.Types {
		for _, milestone := range []bool{false, true} {
			full := fullEntry(typ, milestone)
			for _, leave := range append([]string{""}, optional...) {
				e := object{}
				for k, v := range full {
					if k != leave {
						e[k] = v
					}
				}
				goOK := entryAccepted(t, e)
				if schemaOK := satisfies(t, rules, e); schemaOK != goOK {
					t.Errorf("a %s entry (milestone set: %v) without %q: the schema says valid=%v, sev says valid=%v",
						typ, milestone, leave, schemaOK, goOK)
				}
			}
		}
	}
}

// fullEntry is an entry of the type with every field set to a value that
// suits the type.
func fullEntry(typ string, milestone bool) object {
	field := map[string]string{timeline.Add: "orgs", timeline.Remove: "orgs", timeline.Link: "chat", timeline.Unlink: "chat"}[typ]
	if field == "" {
		field = "summary"
	}
	e := object{"id": "01kjqh0cc03rny8r", "at": "2026-03-02T14:31:00Z", "recorded": "2026-03-02T15:00:00Z", "by": "alice",
		"type": typ, "text": "Rolled back deploy 4411", "status": "mitigated", "severity": 2, "role": "comms", "person": "carol",
		"tag": "payments", "field": field, "value": "payments", "url": "https://chat.example.com/c/inc", "file": "graph.png",
		"corrects": "01kjqdvnq072e4sy", "key": true, "public": true}
	if milestone {
		e["milestone"] = "mitigated"
	}
	return e
}

// entryAccepted writes the entry after a declared one into a timeline file
// and asks the decoder and the timeline check about it.
func entryAccepted(t *testing.T, e object) bool {
	t.Helper()
	first := object{"id": "01kjqdvnq072e4sy", "at": "2026-03-02T14:05:00Z", "by": "alice", "type": "declared"}
	data, err := yaml.Marshal([]object{first, e})
	if err != nil {
		t.Fatal(err)
	}
	entries, dec, diags := timeline.Parse("timeline.yaml", data)
	diags.Append(incident.CheckTimeline(entries, dec, config.Default()))
	return diags.Errors() == 0
}

// satisfies evaluates the few JSON Schema keywords the timeline's rules
// use. It fails the test on any other keyword rather than ignore it.
func satisfies(t *testing.T, s object, v any) bool {
	t.Helper()
	m, _ := v.(object)
	for _, k := range sortedKeys(s) {
		arg := s[k]
		ok := true
		switch k {
		case "allOf":
			for _, sub := range arg.([]any) {
				ok = ok && satisfies(t, sub.(object), v)
			}
		case "if":
		case "then":
			ok = !satisfies(t, s["if"].(object), v) || satisfies(t, arg.(object), v)
		case "not":
			ok = !satisfies(t, arg.(object), v)
		case "required":
			for _, name := range strs(t, arg, "required") {
				_, has := m[name]
				ok = ok && has
			}
		case "properties":
			props := arg.(object)
			for _, name := range sortedKeys(props) {
				if val, has := m[name]; has {
					ok = ok && satisfies(t, props[name].(object), val)
				}
			}
		case "const":
			ok = v == arg
		case "enum":
			ok = slices.Contains(arg.([]any), v)
		case "minLength":
			str, isStr := v.(string)
			ok = !isStr || float64(len([]rune(str))) >= arg.(float64)
		default:
			t.Fatalf("the timeline rules use %q, which this test cannot evaluate; extend satisfies", k)
		}
		if !ok {
			return false
		}
	}
	return true
}

// TestTimelineSchemaFields ties the field values the schema allows per
// entry type to what incident.Apply accepts.
func TestTimelineSchemaFields(t *testing.T) {
	f := loadSchema(t, timelineSchema)
	entry, _ := f.at(t, "items")
	fieldEnum := func(typ string) []string {
		for _, r := range entry["allOf"].([]any) {
			r := r.(object)
			if !satisfies(t, r["if"].(object), object{"type": typ}) {
				continue
			}
			if p, ok := r["then"].(object)["properties"].(object)["field"].(object); ok {
				return strs(t, p["enum"], typ+" field enum")
			}
		}
		t.Fatalf("the timeline schema has no field enum for %s entries", typ)
		return nil
	}
	if d := sameList(fieldEnum(timeline.Set), incident.SettableFields); d != "" {
		t.Errorf("set entries' field: %s", d)
	}
	for _, typ := range []string{timeline.Link, timeline.Unlink} {
		if d := sameList(fieldEnum(typ), incident.LinkKinds); d != "" {
			t.Errorf("%s entries' field: %s", typ, d)
		}
	}
	names := fieldNames(yamlFields(reflect.TypeFor[incident.Incident]()), false)
	for _, typ := range []string{timeline.Set, timeline.Add, timeline.Remove} {
		allowed := fieldEnum(typ)
		for _, name := range names {
			value := "x"
			if name == "window" {
				value = "2026-12-10T02:00:00Z/2026-12-10T04:00:00Z" // a window has its own syntax
			}
			e := timeline.Entry{ID: "01kjqh0cc03rny8r", By: "alice", Type: typ, Field: name, Value: value}
			err := incident.Apply(&incident.Incident{}, e, config.Default())
			if schemaOK := slices.Contains(allowed, name); schemaOK != (err == nil) {
				t.Errorf("a %s entry with field %q: the schema says valid=%v, incident.Apply says %v", typ, name, schemaOK, err)
			}
		}
	}
}

// TestSchemaCheckIDs: the checks section of sev.yaml's schema offers
// exactly the check ids sev validate knows.
func TestSchemaCheckIDs(t *testing.T) {
	data, err := Schemas.ReadFile("schema/sev.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Properties struct {
			Checks struct {
				Properties map[string]any `json:"properties"`
			} `json:"checks"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	inSchema := map[string]bool{}
	for k := range doc.Properties.Checks.Properties {
		inSchema[k] = true
	}
	for _, c := range config.Checks {
		if !inSchema[c] {
			t.Errorf("check %q is missing from schema/sev.schema.json", c)
		}
		delete(inSchema, c)
	}
	for c := range inSchema {
		t.Errorf("schema/sev.schema.json lists check %q, which config.Checks does not know", c)
	}
}

// TestSchemaDays ties the day enums to what a rotation's restrictions
// accept. sev also accepts other cases (Mon, MON); the schemas offer the
// canonical lower-case spelling that docs/format.md uses.
func TestSchemaDays(t *testing.T) {
	days := func(d string) bool { return rotationOK(rotationWith("restrictions", "days", []any{d})) }
	for _, f := range []*schemaFile{loadSchema(t, rotationSchema), loadSchema(t, settingsSchema)} {
		s, ptr := f.at(t, "$defs/day")
		enum := strs(t, s["enum"], f.name+ptr+"/enum")
		if d := sameList(enum, []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}); d != "" {
			t.Errorf("%s%s/enum: %s", f.name, ptr, d)
		}
		for _, sample := range append(enum, "Mon", "SUN", "monday", "mo", "1", "") {
			schemaOK := slices.Contains(enum, sample)
			if goOK := days(sample); schemaOK != goOK && !(goOK && slices.Contains(enum, strings.ToLower(sample))) {
				t.Errorf("%s%s: day %q: the schema says valid=%v, sev says valid=%v", f.name, ptr, sample, schemaOK, goOK)
			}
		}
	}
}

// TestRotationSchemaLists: a list the schema requires to be non-empty
// (minItems) is exactly one whose empty value rotation.Parse refuses.
func TestRotationSchemaLists(t *testing.T) {
	if !rotationOK(testRotation()) {
		t.Fatal("the test rotation itself is refused")
	}
	f := loadSchema(t, rotationSchema)
	for _, c := range []struct {
		walk        string
		part, field string
	}{
		{"properties/layers", "", ""},
		{"properties/overrides", "", ""},
		{"$defs/layer/properties/members", "", "members"},
		{"$defs/layer/properties/restrictions", "", "restrictions"},
		{"$defs/layer/properties/changes", "", "changes"},
		{"$defs/restriction/properties/days", "restrictions", "days"},
		{"$defs/change/properties/members", "changes", "members"},
	} {
		var doc object
		if c.field == "" {
			doc = testRotation()
			doc[path.Base(c.walk)] = []any{}
		} else {
			doc = rotationWith(c.part, c.field, []any{})
		}
		s, ptr := f.at(t, c.walk)
		schemaOK := s["minItems"] == nil || s["minItems"].(float64) < 1
		if goOK := rotationOK(doc); schemaOK != goOK {
			t.Errorf("%s%s: an empty list: the schema says valid=%v, sev says valid=%v", f.name, ptr, schemaOK, goOK)
		}
	}
}
