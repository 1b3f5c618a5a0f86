package importer

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// Mapping says how the rows of a CSV file or the objects of a JSON file
// become records (sev import csv|json PATH --mapping FILE): which column
// or key holds each field, how values translate, and optional files of
// timeline entries and follow-ups. docs/migrate.md describes it.
type Mapping struct {
	System     string                       `yaml:"system,required"`
	Records    string                       `yaml:"records"`
	TimeZone   string                       `yaml:"timezone"`
	Visibility string                       `yaml:"visibility"`
	Fields     map[string]string            `yaml:"fields,required"`
	Values     map[string]map[string]string `yaml:"values"`
	Sections   []SectionMapping             `yaml:"sections"`
	Entries    *SubMapping                  `yaml:"entries"`
	FollowUps  *SubMapping                  `yaml:"follow-ups"`

	loc *time.Location
}

// SectionMapping names the column or key that holds a postmortem
// section's Markdown.
type SectionMapping struct {
	Heading string `yaml:"heading,required"`
	Field   string `yaml:"field,required"`
}

// SubMapping maps a second file whose rows belong to records: timeline
// entries or follow-ups. Its "incident" field names the record's id.
type SubMapping struct {
	File    string                       `yaml:"file,required"`
	Records string                       `yaml:"records"`
	Fields  map[string]string            `yaml:"fields,required"`
	Values  map[string]map[string]string `yaml:"values"`
}

// The fields a mapping may name, for records, entries and follow-ups.
var (
	recordFields = []string{"id", "title", "declared", "started", "detected", "acknowledged", "mitigated", "resolved", "closed",
		"severity", "status", "kind", "visibility", "summary", "impact", "services", "tags", "orgs", "url", "author"}
	entryFields    = []string{"incident", "id", "at", "by", "text", "public"}
	followUpFields = []string{"incident", "title", "owner", "due", "type", "status", "link"}
)

// ParseMapping reads a mapping file strictly: unknown keys, unknown field
// names and a missing id, title or declared are errors with positions.
func ParseMapping(name string, data []byte) (*Mapping, diag.List) {
	root, diags := yamlfile.Parse(name, data)
	m := &Mapping{}
	if root == nil {
		if len(diags) == 0 {
			diags.Add(diag.Pos{Path: name, Line: 1}, "mapping", "the mapping is empty; it needs system and fields")
		}
		return m, diags
	}
	d := yamlfile.NewDecoder(name)
	d.Decode(root, m)
	diags.Append(d.Diags)
	checkFields(&diags, d, "fields", m.Fields, recordFields, "id", "title", "declared")
	if m.Entries != nil {
		checkFields(&diags, d, "entries.fields", m.Entries.Fields, entryFields, "incident", "at", "text")
	}
	if m.FollowUps != nil {
		checkFields(&diags, d, "follow-ups.fields", m.FollowUps.Fields, followUpFields, "incident", "title")
	}
	if m.System != "" && !sourceSystemOK(m.System) {
		diags.Add(d.At("system"), "mapping", "system %q must be lower-case letters, digits and dashes", m.System)
	}
	for field := range m.Values {
		if !slices.Contains([]string{"severity", "status", "kind", "visibility"}, field) {
			diags.Add(d.At("values."+field+"#key"), "mapping", "values can translate severity, status, kind and visibility, not %q", field)
		}
	}
	if m.Visibility != "" && !slices.Contains(incident.Visibilities, m.Visibility) {
		diags.Add(d.At("visibility"), "mapping", "visibility %q: use one of %s", m.Visibility, strings.Join(incident.Visibilities, ", "))
	}
	m.loc = time.UTC
	if m.TimeZone != "" {
		loc, err := time.LoadLocation(m.TimeZone)
		if err != nil {
			diags.Add(d.At("timezone"), "mapping", "timezone %q is not a time zone name (e.g. UTC, Europe/Berlin)", m.TimeZone)
		} else {
			m.loc = loc
		}
	}
	return m, diags
}

func checkFields(diags *diag.List, d *yamlfile.Decoder, at string, got map[string]string, known []string, required ...string) {
	for k := range got {
		if !slices.Contains(known, k) {
			diags.Add(d.At(at+"."+k+"#key"), "mapping", "unknown field %q; use %s", k, strings.Join(known, ", "))
		}
	}
	for _, k := range required {
		if got[k] == "" && d.Has(at) {
			diags.Add(d.At(at), "mapping", "%s needs %s: the column or key that holds it", at, k)
		}
	}
}

func sourceSystemOK(s string) bool { return incident.CheckSourceSystem(s) }

// Generic reads a CSV or JSON file with a mapping.
type Generic struct {
	Mapping *Mapping
	// Dir is where the mapping's entry and follow-up files are, in fsys.
	Dir string
}

// row is one record of the input: a value getter and where it is.
type row struct {
	get   func(key string) []string
	where string
}

// Read reads the records of name (a .csv or .json file).
func (g Generic) Read(fsys fs.FS, name string) ([]Record, []Problem, error) {
	m := g.Mapping
	rows, err := readRows(fsys, name, m.Records)
	if err != nil {
		return nil, nil, err
	}
	var recs []Record
	var probs []Problem
	byID := map[string]int{}
	for _, rw := range rows {
		r, ps := g.record(rw)
		probs = append(probs, ps...)
		if r.Source.ID != "" {
			byID[r.Source.ID] = len(recs)
		}
		recs = append(recs, r)
	}
	for _, sub := range []struct {
		m   *SubMapping
		add func(*Record, row, *[]Problem)
	}{{m.Entries, g.entry}, {m.FollowUps, g.followUp}} {
		if sub.m == nil {
			continue
		}
		rows, err := readRows(fsys, path.Join(g.Dir, sub.m.File), sub.m.Records)
		if err != nil {
			return nil, nil, err
		}
		for _, rw := range rows {
			id := first(rw.get(sub.m.Fields["incident"]))
			i, ok := byID[id]
			if !ok {
				probs = append(probs, Problem{Where: rw.where, Field: sub.m.Fields["incident"], Message: fmt.Sprintf("no record has the id %q; left out", id)})
				continue
			}
			sub.add(&recs[i], rw, &probs)
		}
	}
	return recs, probs, nil
}

func (g Generic) record(rw row) (Record, []Problem) {
	m := g.Mapping
	var probs []Problem
	bad := func(field, msg string) {
		probs = append(probs, Problem{Where: rw.where, Field: field, Message: msg})
	}
	val := func(field string) string { return first(rw.get(m.Fields[field])) }
	list := func(field string) []string {
		var out []string
		for _, v := range rw.get(m.Fields[field]) {
			out = append(out, splitList(v)...)
		}
		return out
	}
	r := Record{Where: rw.where, Title: val("title"), Summary: val("summary"), Impact: val("impact"), Author: val("author"),
		Services: list("services"), Tags: list("tags"), Orgs: list("orgs"), Milestones: map[string]Time{}}
	r.Source = incident.Source{System: m.System, ID: oneLine(val("id")), URL: val("url")}
	r.Visibility = cmp.Or(m.Visibility, "internal")
	if f := m.Fields["visibility"]; f != "" {
		r.Visibility = g.translate("visibility", val("visibility"), bad, "restricted")
	}
	if f := m.Fields["kind"]; f != "" {
		r.Kind = g.translate("kind", val("kind"), bad, "")
	}
	if v := val("severity"); v != "" {
		lvl := g.translate("severity", v, bad, "")
		if n, err := strconv.Atoi(lvl); err == nil {
			r.Severity = n
		} else if lvl != "" || m.Values["severity"] == nil {
			bad(m.Fields["severity"], fmt.Sprintf("severity %q is not a level; map it under values.severity", v))
		}
	}
	if v := val("status"); v != "" {
		st := g.translate("status", v, bad, "")
		switch st {
		case "done":
			r.Done = true
		case "active":
		default:
			r.Status = st // checked against sev.yaml's statuses
		}
	}
	at := func(field string) Time {
		v := val(field)
		if v == "" {
			return Time{}
		}
		t, err := ParseTime(v, m.loc)
		if err != nil {
			bad(m.Fields[field], err.Error())
		}
		return t
	}
	r.Declared = at("declared")
	for _, ms := range []string{"started", "detected", "acknowledged", "mitigated", "resolved", "closed"} {
		if t := at(ms); !t.IsZero() {
			r.Milestones[ms] = t
		}
	}
	if !r.Milestones["resolved"].IsZero() && m.Fields["status"] == "" {
		r.Done = true
	}
	for _, sec := range m.Sections {
		if text := strings.TrimSpace(first(rw.get(sec.Field))); text != "" {
			if r.Postmortem == nil {
				r.Postmortem = &Postmortem{}
			}
			r.Postmortem.Sections = append(r.Postmortem.Sections, Section{Heading: sec.Heading, Markdown: text})
		}
	}
	return r, probs
}

// translate maps a value through values.FIELD; a value the map does not
// hold is used as it is when the map has no entry for it, unless fallback
// says otherwise (visibility: an unknown value is restricted).
func (g Generic) translate(field, v string, bad func(string, string), fallback string) string {
	vals := g.Mapping.Values[field]
	if out, ok := vals[v]; ok {
		return out
	}
	for k, out := range vals {
		if strings.EqualFold(k, strings.TrimSpace(v)) {
			return out
		}
	}
	if fallback != "" {
		if field == "visibility" && slices.Contains(incident.Visibilities, v) {
			return v
		}
		if v != "" {
			bad(g.Mapping.Fields[field], fmt.Sprintf("%s %q is not in values.%s; imported as %s", field, v, field, fallback))
		}
		return fallback
	}
	return v
}

func (g Generic) entry(r *Record, rw row, probs *[]Problem) {
	f := g.Mapping.Entries.Fields
	get := func(k string) string { return first(rw.get(f[k])) }
	t, err := ParseTime(get("at"), g.Mapping.loc)
	if err != nil {
		*probs = append(*probs, Problem{Where: rw.where, Field: f["at"], Message: err.Error() + "; entry left out"})
		return
	}
	text := get("text")
	if strings.TrimSpace(text) == "" {
		return
	}
	key := get("id")
	if key == "" {
		key = fmt.Sprintf("%s:%d", t.At.Format(time.RFC3339Nano), len(r.Entries))
	}
	pub, _ := strconv.ParseBool(get("public"))
	r.Entries = append(r.Entries, Entry{Key: "row:" + key, At: t, By: get("by"), Text: text, Public: pub})
}

func (g Generic) followUp(r *Record, rw row, probs *[]Problem) {
	sm := g.Mapping.FollowUps
	get := func(k string) string { return strings.TrimSpace(first(rw.get(sm.Fields[k]))) }
	fu := FollowUp{Title: get("title"), Owner: get("owner"), Due: get("due"), Type: get("type"), Status: get("status"), Link: get("link")}
	if v, ok := sm.Values["status"][fu.Status]; ok {
		fu.Status = v
	}
	if v, ok := sm.Values["type"][fu.Type]; ok {
		fu.Type = v
	}
	if fu.Due != "" {
		if t, err := ParseTime(fu.Due, g.Mapping.loc); err == nil {
			fu.Due = t.Date()
		} else {
			*probs = append(*probs, Problem{Where: rw.where, Field: sm.Fields["due"], Message: err.Error() + "; imported without a due date"})
			fu.Due = ""
		}
	}
	if r.Postmortem == nil {
		r.Postmortem = &Postmortem{}
	}
	r.Postmortem.FollowUps = append(r.Postmortem.FollowUps, fu)
}

// readRows reads a CSV file (a header row, then one row per record) or a
// JSON file (an array of objects, at the dot path records when given).
func readRows(fsys fs.FS, name, records string) ([]row, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".csv":
		return csvRows(name, data)
	case ".json":
		return jsonRows(name, data, records)
	}
	return nil, fmt.Errorf("%s: the file must end in .csv or .json", name)
}

func csvRows(name string, data []byte) ([]row, error) {
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	var rows []row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		rows = append(rows, row{where: fmt.Sprintf("%s:%d", name, line), get: func(key string) []string {
			if i, ok := col[key]; ok && i < len(rec) && key != "" {
				return []string{rec[i]}
			}
			return nil
		}})
	}
}

func jsonRows(name string, data []byte, records string) ([]row, error) {
	var doc any
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, decodeJSON(name, data, &doc)
	}
	if records != "" {
		doc = lookup(doc, records)
	} else if obj, ok := doc.(map[string]any); ok {
		doc = obj["incidents"]
	}
	items, ok := doc.([]any)
	if !ok {
		return nil, fmt.Errorf("%s: no array of records at %q; set records in the mapping to its dot path", name, cmp.Or(records, "the top level or incidents"))
	}
	rows := make([]row, 0, len(items))
	for i, it := range items {
		rows = append(rows, row{where: fmt.Sprintf("%s: [%d]", name, i), get: func(key string) []string {
			if key == "" {
				return nil
			}
			return texts(lookup(it, key))
		}})
	}
	return rows, nil
}

// lookup follows a dot path (a.b.c) through JSON objects.
func lookup(v any, dotted string) any {
	for _, k := range strings.Split(dotted, ".") {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = obj[k]
	}
	return v
}

// texts is a JSON value as text: a list's items each, objects' "name".
func texts(v any) []string {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return []string{x}
	case json.Number:
		return []string{x.String()}
	case bool:
		return []string{strconv.FormatBool(x)}
	case []any:
		var out []string
		for _, it := range x {
			out = append(out, texts(it)...)
		}
		return out
	case map[string]any:
		for _, k := range []string{"name", "summary", "value", "id"} {
			if s, ok := x[k].(string); ok {
				return []string{s}
			}
		}
	}
	return nil
}

func first(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[0]
}

// splitList splits a cell that holds a list: "a, b; c".
func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
