// Package config is the organisation's settings file, sev.yaml: its
// severities, statuses, roles, orgs, tag vocabulary, people, time zone and
// check levels. Every field has a default, so a repository works with no
// sev.yaml at all, as it must during a first incident.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// File is the settings file's path, relative to the repository root.
const File = "sev.yaml"

// Phases of a status: active incidents are "on fire" (sev list --open),
// done ones are over, declined ones turned out not to be incidents and are
// left out of metrics.
const (
	PhaseActive   = "active"
	PhaseDone     = "done"
	PhaseDeclined = "declined"
)

// Checks are the check ids sev validate reports, which the checks section
// may set to error, warning or off.
var Checks = []string{
	"yaml-syntax", "yaml-strict", "yaml-type", "unknown-field", "required-field", "config", "read",
	"file-type", "file-size", "layout", "record-missing", "id-format", "id-folder", "id-unique",
	"title", "severity", "status", "kind", "visibility", "milestone-order", "link", "control",
	"unknown-org", "unknown-tag", "unknown-service", "unknown-role", "unknown-person",
	"entry-id", "entry-type", "entry-fields", "entry-time", "attachment-missing", "attachment-type", "append-only",
	"rotation", "rotation-gap", "rotation-past", "rotation-dst",
	"postmortem", "postmortem-link", "postmortem-overdue", "followup", "followup-overdue",
	"rule", "escalation", "precision", "source", "window",
}

// Postmortem statuses, in order: a draft is being written, in-review is
// out for review (usually as a pull request), published is final.
var PostmortemStatuses = []string{"draft", "in-review", "published"}

// FollowUpTypes are the kinds of follow-up action: mitigate (reduce the
// impact next time), prevent (stop it happening again), detect (notice
// sooner), repair (fix what the incident broke), process (change how we
// work) and other.
var FollowUpTypes = []string{"mitigate", "prevent", "detect", "repair", "process", "other"}

// FollowUpStatuses: open, done, or dropped (decided not to do it).
var FollowUpStatuses = []string{"open", "done", "dropped"}

// MaxSize is the largest sev.yaml that is read.
const MaxSize = 1 << 20

// Settings is sev.yaml.
type Settings struct {
	Name       string            `yaml:"name"`
	Timezone   string            `yaml:"timezone"`
	Push       string            `yaml:"push"`
	Remote     string            `yaml:"remote"`
	Severities []Severity        `yaml:"severities"`
	Statuses   []Status          `yaml:"statuses"`
	Roles      []Named           `yaml:"roles"`
	Orgs       []Named           `yaml:"orgs"`
	Tags       []Named           `yaml:"tags"`
	Services   []Named           `yaml:"services"`
	People     []Person          `yaml:"people"`
	Checks     map[string]string `yaml:"checks"`
	Limits     Limits            `yaml:"limits"`
	// Postmortems is the review practice that sev validate enforces.
	Postmortems Policy `yaml:"postmortems"`
	Search      Search `yaml:"search"`
	// Reports is the period the site's trend reports cover.
	Reports Reports `yaml:"reports"`
	// Notify holds the delivery channels notifications go through.
	Notify Notify `yaml:"notify"`
	// Alerts turn monitoring alerts into incidents (sev watch).
	Alerts Alerts `yaml:"alerts"`
	// StatusPage configures the public status page's components.
	StatusPage StatusPage `yaml:"status-page"`

	loc   *time.Location
	vocab map[string][]string // by reference kind, computed once by fill
}

// Severity is one level; 1 is the most severe.
type Severity struct {
	Level       int    `yaml:"level,required"`
	Name        string `yaml:"name,required"`
	Description string `yaml:"description"`
}

// Status is one step of the lifecycle, in order.
type Status struct {
	Name        string `yaml:"name,required"`
	Phase       string `yaml:"phase,required"`
	Description string `yaml:"description"`
}

// Named is a role, org, tag or service of the vocabulary.
type Named struct {
	Name        string `yaml:"name,required"`
	Description string `yaml:"description"`
}

// Person is someone who can hold a role or write to a timeline.
type Person struct {
	Handle   string   `yaml:"handle,required"`
	Name     string   `yaml:"name"`
	Email    string   `yaml:"email"`
	GitHub   string   `yaml:"github"`
	Timezone string   `yaml:"timezone"`
	Orgs     []string `yaml:"orgs"`
	// WorkingHours are when the person normally works, in their own time
	// zone; on-call hours outside them count as off-hours load. Default:
	// Monday to Friday, 09:00 to 17:00.
	WorkingHours *Hours `yaml:"working-hours"`
	// Contacts are how to reach the person (notifications, escalation).
	Contacts Contacts `yaml:"contacts"`
}

// Hours is a weekly window: days (mon..sun) from a time of day to another.
type Hours struct {
	Days []string `yaml:"days"`
	From string   `yaml:"from,required"`
	To   string   `yaml:"to,required"`
}

// Policy says when postmortems and follow-ups are due.
type Policy struct {
	// Since is the date (YYYY-MM-DD) from which the policy applies:
	// incidents resolved earlier are not held to it.
	Since string `yaml:"since"`
	// Due lists, per severity, how many days after an incident is
	// resolved its postmortem must be published. Severities not listed
	// need no postmortem.
	Due []PostmortemDue `yaml:"due"`
	// FollowUps lists, per follow-up type, how many weeks after the
	// incident is resolved a follow-up of that type must be done.
	FollowUps []FollowUpDue `yaml:"follow-ups"`
}

// PostmortemDue is one severity's postmortem deadline.
type PostmortemDue struct {
	Severity int `yaml:"severity,required"`
	Days     int `yaml:"days,required"`
}

// FollowUpDue is one follow-up type's deadline.
type FollowUpDue struct {
	Type  string `yaml:"type,required"`
	Weeks int    `yaml:"weeks,required"`
}

// PostmortemDays returns the days after resolution within which an
// incident of the given severity needs a published postmortem.
func (p *Policy) PostmortemDays(severity int) (int, bool) {
	for _, d := range p.Due {
		if d.Severity == severity {
			return d.Days, true
		}
	}
	return 0, false
}

// FollowUpWeeks returns the weeks after resolution within which a
// follow-up of the given type must be done.
func (p *Policy) FollowUpWeeks(typ string) (int, bool) {
	for _, d := range p.FollowUps {
		if d.Type == typ {
			return d.Weeks, true
		}
	}
	return 0, false
}

// Applies reports whether an incident resolved at t is held to the policy.
func (p *Policy) Applies(resolved time.Time, loc *time.Location) bool {
	if p.Since == "" {
		return true
	}
	since, err := time.ParseInLocation("2006-01-02", p.Since, loc)
	return err != nil || !resolved.Before(since)
}

// Limits caps file sizes, in bytes.
type Limits struct {
	Incident   int64 `yaml:"incident"`
	Timeline   int64 `yaml:"timeline"`
	Postmortem int64 `yaml:"postmortem"`
	Attachment int64 `yaml:"attachment"`
	Other      int64 `yaml:"other"`
}

// Search is how sev search reads queries.
type Search struct {
	// Synonyms are groups of words and phrases that mean the same in a
	// query: a key and its list; any of them finds the others. Absent:
	// the defaults (DefaultSynonyms); {}: none.
	Synonyms map[string][]string `yaml:"synonyms"`
}

// defaultSynonyms are the groups sev knows without sev.yaml saying
// otherwise (search.synonyms): words and phrases incident reports use for
// the same thing. Each key and its list are one group; any of them in a
// query finds the others, so a group holds only words that mean the same
// both ways ("aws" is a cloud, but a search for aws should not find gcp).
var defaultSynonyms = map[string][]string{
	"oom":         {"out of memory", "oomkilled", "oom-killed", "memory exhausted"},
	"login":       {"log in", "sign in", "signin", "sign-in", "logon"},
	"logout":      {"log out", "sign out", "signout", "sign-out"},
	"outage":      {"downtime", "unavailable", "unreachable"},
	"database":    {"db"},
	"kubernetes":  {"k8s"},
	"5xx":         {"500", "502", "503", "504", "internal server error", "bad gateway", "service unavailable"},
	"timeout":     {"timed out", "time out", "deadline exceeded"},
	"latency":     {"slow", "slowness", "slowdown", "response time"},
	"certificate": {"cert", "tls certificate", "ssl certificate"},
	"dns":         {"name resolution", "nxdomain", "servfail"},
	"deploy":      {"deployment", "rollout", "release"},
	"rollback":    {"roll back", "rolled back", "revert", "reverted"},
	"crash":       {"crashloop", "crashloopbackoff", "crashed", "panic"},
	"disk full":   {"no space left on device", "out of disk", "disk space"},
	"customers":   {"users"},
	"cannot":      {"can't", "cant", "unable to", "can not"},
	"config":      {"configuration", "misconfiguration", "misconfigured"},
	"auth":        {"authentication", "authorization", "authn", "authz"},
	"rate limit":  {"throttled", "throttling", "429", "too many requests"},
	"queue":       {"backlog"},
}

// DefaultSynonyms is a copy of the synonyms sev uses when sev.yaml has
// none.
func DefaultSynonyms() map[string][]string {
	out := make(map[string][]string, len(defaultSynonyms))
	for k, v := range defaultSynonyms {
		out[k] = slices.Clone(v)
	}
	return out
}

// Default returns the settings used when sev.yaml is absent or leaves a
// field out.
func Default() *Settings {
	s := &Settings{}
	s.fill()
	return s
}

func (s *Settings) fill() {
	if s.Timezone == "" {
		s.Timezone = "UTC"
	}
	if s.Push == "" {
		s.Push = "manual"
	}
	if s.Remote == "" {
		s.Remote = "origin"
	}
	if len(s.Severities) == 0 {
		s.Severities = []Severity{
			{1, "SEV1", "Critical: customers are broadly affected, or data or money is at risk. All hands."},
			{2, "SEV2", "Major: a key feature is degraded or a subset of customers is affected."},
			{3, "SEV3", "Minor: limited impact, a workaround exists; handle in working hours."},
		}
	}
	if s.Postmortems.FollowUps == nil {
		s.Postmortems.FollowUps = []FollowUpDue{{Type: "mitigate", Weeks: 4}, {Type: "prevent", Weeks: 12}}
	}
	if s.Postmortems.Due == nil {
		for _, d := range []PostmortemDue{{Severity: 1, Days: 5}, {Severity: 2, Days: 10}} {
			if slices.ContainsFunc(s.Severities, func(x Severity) bool { return x.Level == d.Severity }) {
				s.Postmortems.Due = append(s.Postmortems.Due, d)
			}
		}
	}
	if len(s.Statuses) == 0 {
		s.Statuses = []Status{
			{"open", PhaseActive, "Impact is ongoing; responders are working on it."},
			{"mitigated", PhaseActive, "Impact has stopped, but the cause is not fixed yet."},
			{"resolved", PhaseDone, "The cause is fixed; the incident is over."},
			{"closed", PhaseDone, "The follow-up work is done and the record is final."},
			{"declined", PhaseDeclined, "It turned out not to be an incident; left out of metrics."},
		}
	}
	if s.Roles == nil {
		s.Roles = []Named{
			{"commander", "Leads the response and makes the calls."},
			{"deputy", "Backs up the commander."},
			{"scribe", "Keeps the timeline."},
			{"comms", "Keeps stakeholders and customers informed."},
			{"legal", "Legal liaison."},
			{"pr", "Public relations liaison."},
		}
	}
	if s.Search.Synonyms == nil {
		s.Search.Synonyms = DefaultSynonyms()
	}
	d := Limits{Incident: 64 << 10, Timeline: 4 << 20, Postmortem: 1 << 20, Attachment: 10 << 20, Other: 1 << 20}
	fillLimit(&s.Limits.Incident, d.Incident)
	fillLimit(&s.Limits.Timeline, d.Timeline)
	fillLimit(&s.Limits.Postmortem, d.Postmortem)
	fillLimit(&s.Limits.Attachment, d.Attachment)
	fillLimit(&s.Limits.Other, d.Other)
	s.vocab = map[string][]string{
		"role":    names(s.Roles, func(x Named) string { return x.Name }),
		"org":     names(s.Orgs, func(x Named) string { return x.Name }),
		"tag":     names(s.Tags, func(x Named) string { return x.Name }),
		"service": names(s.Services, func(x Named) string { return x.Name }),
		"person":  names(s.People, func(x Person) string { return x.Handle }),
	}
	if loc, err := LoadLocation(s.Timezone); err == nil {
		s.loc = loc
	} else {
		s.loc = time.UTC
	}
}

func fillLimit(v *int64, d int64) {
	if *v <= 0 {
		*v = d
	}
}

// Read reads the repository's sev.yaml from fsys: the defaults when there
// is none, else what parses, with the file's problems.
//
// sev.yaml must be a regular file of at most 1 MiB: anything else (a
// symbolic link, a named pipe that would block the read, a huge file) is
// an error, never followed.
func Read(fsys fs.FS) (*Settings, diag.List, error) {
	data, err := ReadBytes(fsys)
	if err != nil {
		return nil, nil, err
	}
	if data == nil {
		return Default(), nil, nil
	}
	s, diags := Parse(File, data)
	return s, diags, nil
}

// ReadBytes reads sev.yaml as Read does — a regular file of at most
// MaxSize — and returns its bytes; nil and no error when there is none.
func ReadBytes(fsys fs.FS) ([]byte, error) {
	fi, err := fs.Lstat(fsys, File)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s); replace it with the settings file itself", File, fi.Mode().Type())
	}
	if fi.Size() > MaxSize {
		return nil, fmt.Errorf("%s is %d bytes; the limit is %d", File, fi.Size(), MaxSize)
	}
	data, err := fs.ReadFile(fsys, File)
	if data == nil && err == nil {
		data = []byte{} // an empty file is a file
	}
	return data, err
}

// Restore recomputes what settings decoded from JSON (the settings
// cache) do not carry: the time zone and the vocabulary. Settings that
// Parse returned need nothing else, so Restore changes no field.
func (s *Settings) Restore() { s.fill() }

// Parse reads sev.yaml. The returned settings are usable (defaults filled
// in) even when diagnostics are returned.
func Parse(path string, data []byte) (*Settings, diag.List) {
	s := &Settings{}
	root, diags := yamlfile.Parse(path, data)
	d := yamlfile.NewDecoder(path)
	if root != nil {
		d.Decode(root, s)
	}
	diags.Append(d.Diags)
	if d.Has("severities") && len(s.Severities) == 0 {
		diags.Add(d.At("severities"), "config", "severities must list at least one level (or be left out for the defaults)")
	}
	if d.Has("statuses") && len(s.Statuses) == 0 {
		diags.Add(d.At("statuses"), "config", "statuses must list at least one status (or be left out for the defaults)")
	}
	s.fill()
	diags.Append(s.check(d))
	return s, diags
}

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// LabelRE is the rule for the names of tags, orgs and services, in
// sev.yaml, incident files and commands alike: lower-case letters and
// digits, with dots, dashes and underscores inside (ci.jenkins.io,
// payments_api), at most 100 characters.
var LabelRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9._-]{0,98}[a-z0-9])?$`)

var remoteRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._/-]*$`)

func (s *Settings) check(d *yamlfile.Decoder) diag.List {
	var diags diag.List
	if _, err := LoadLocation(s.Timezone); err != nil {
		diags.Add(d.At("timezone"), "config", "unknown time zone %q; use an IANA name such as Europe/Berlin", s.Timezone)
	}
	if !remoteRE.MatchString(s.Remote) {
		diags.Add(d.At("remote"), "config", "remote %q is not a git remote name (letters, digits, . _ -, not starting with -)", s.Remote)
		s.Remote = "origin"
	}
	if s.Push != "manual" && s.Push != "auto" {
		diags.Add(d.At("push"), "config", "push must be manual or auto, not %q", s.Push)
	}
	for i, sv := range s.Severities {
		if sv.Level != i+1 {
			diags.Add(d.At(fmt.Sprintf("severities[%d].level", i)), "config",
				"severity levels must count up from 1 in order; expected %d here", i+1)
		}
	}
	active := false
	for i, st := range s.Statuses {
		switch st.Phase {
		case PhaseActive:
			active = true
		case PhaseDone, PhaseDeclined:
		default:
			diags.Add(d.At(fmt.Sprintf("statuses[%d].phase", i)), "config",
				"phase must be active, done or declined, not %q", st.Phase)
		}
	}
	if !active && len(s.Statuses) > 0 {
		diags.Add(d.At("statuses"), "config", "at least one status must have phase active (the status a new incident starts in)")
	}
	checkNames(&diags, d, "statuses", names(s.Statuses, func(x Status) string { return x.Name }))
	checkNames(&diags, d, "roles", names(s.Roles, func(x Named) string { return x.Name }))
	checkLabels(&diags, d, "orgs", names(s.Orgs, func(x Named) string { return x.Name }))
	checkLabels(&diags, d, "tags", names(s.Tags, func(x Named) string { return x.Name }))
	checkLabels(&diags, d, "services", names(s.Services, func(x Named) string { return x.Name }))
	checkNames(&diags, d, "people", names(s.People, func(x Person) string { return x.Handle }))
	for i, p := range s.People {
		for field, v := range map[string]string{"name": p.Name, "email": p.Email, "github": p.GitHub} {
			if strings.ContainsAny(v, "<>\n\r\t\x00") {
				diags.Add(d.At(fmt.Sprintf("people[%d].%s", i, field)), "config", "%s must not contain <, > or control characters", field)
			}
		}
		if h := p.WorkingHours; h != nil {
			for _, f := range []struct{ name, v string }{{"from", h.From}, {"to", h.To}} {
				if _, err := time.Parse("15:04", f.v); err != nil || len(f.v) != 5 {
					diags.Add(d.At(fmt.Sprintf("people[%d].working-hours.%s", i, f.name)), "config", "%q is not a time of day such as 09:00", f.v)
				}
			}
			for j, day := range h.Days {
				if !slices.Contains([]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}, strings.ToLower(day)) {
					diags.Add(d.At(fmt.Sprintf("people[%d].working-hours.days[%d]", i, j)), "config", "unknown day %q; use sun, mon, tue, wed, thu, fri, sat", day)
				}
			}
		}
		if p.Timezone == "" {
			continue
		}
		if _, err := LoadLocation(p.Timezone); err != nil {
			diags.Add(d.At(fmt.Sprintf("people[%d].timezone", i)), "config", "unknown time zone %q", p.Timezone)
		}
	}
	diags.Append(s.checkPolicy(d))
	diags.Append(s.checkReports(d))
	for check, level := range s.Checks {
		if !slices.Contains(Checks, check) {
			msg := fmt.Sprintf("unknown check %q", check)
			if sug := yamlfile.Suggest(check, Checks); sug != "" {
				msg += fmt.Sprintf("; did you mean %q?", sug)
			}
			diags.Warn(d.At("checks."+check+"#key"), "config", "%s", msg)
		}
		if _, ok := diag.ParseSeverity(level); !ok {
			diags.Add(d.At("checks."+check), "config", "check level must be error, warning or off, not %q", level)
		} else if FixedCheck(check) && level != "error" {
			diags.Warn(d.At("checks."+check), "config", "%s is always an error: a record that fails it cannot be read safely, so it is never published, whatever its level here", check)
		}
	}
	diags.Append(s.checkSynonyms(d))
	diags.Append(s.checkNotify(d))
	diags.Append(s.checkStatusPage(d))
	return diags
}

// maxSynonym bounds a synonym's length, and maxSynonyms the words and
// phrases of all groups: every query is compared with each.
const (
	maxSynonym  = 100
	maxSynonyms = 2000
)

// checkSynonyms checks search.synonyms: each key and each of its words
// and phrases is one line of at most 100 characters; a bad one is left
// out.
func (s *Settings) checkSynonyms(d *yamlfile.Decoder) diag.List {
	var diags diag.List
	n := 0
	for _, key := range slices.Sorted(maps.Keys(s.Search.Synonyms)) {
		bad := func(v string) bool {
			return strings.TrimSpace(v) == "" || len(v) > maxSynonym || strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '"' })
		}
		if bad(key) {
			diags.Add(d.At("search.synonyms."+key+"#key"), "config", "search.synonyms: %q is not a word or phrase (one line, at most %d characters, no quotes); left out", key, maxSynonym)
			delete(s.Search.Synonyms, key)
			continue
		}
		vals := s.Search.Synonyms[key]
		var kept []string
		for i, v := range vals {
			if bad(v) {
				diags.Add(d.At(fmt.Sprintf("search.synonyms.%s[%d]", key, i)), "config", "search.synonyms.%s: %q is not a word or phrase (one line, at most %d characters, no quotes); left out", key, v, maxSynonym)
				continue
			}
			kept = append(kept, v)
		}
		s.Search.Synonyms[key] = kept
		n += 1 + len(kept)
	}
	if n > maxSynonyms {
		diags.Add(d.At("search.synonyms"), "config", "search.synonyms has %d words and phrases; at most %d (each query is compared with all of them)", n, maxSynonyms)
		s.Search.Synonyms = DefaultSynonyms()
	}
	return diags
}

// FixedCheck reports whether a check's level cannot be changed: the checks
// a record must pass to be read at all (syntax, types, fields, file kinds
// and sizes, IDs, severity and visibility values, control characters).
func FixedCheck(check string) bool {
	switch check {
	case "yaml-syntax", "yaml-strict", "yaml-type", "unknown-field", "required-field", "read",
		"file-type", "file-size", "id-format", "id-folder", "id-unique", "severity", "visibility", "control":
		return true
	}
	return false
}

func (s *Settings) checkPolicy(d *yamlfile.Decoder) diag.List {
	var diags diag.List
	p := &s.Postmortems
	if p.Since != "" {
		if _, err := time.Parse("2006-01-02", p.Since); err != nil {
			diags.Add(d.At("postmortems.since"), "config", "since must be a date such as 2026-01-01, not %q", p.Since)
		}
	}
	seen := map[int]bool{}
	for i, due := range p.Due {
		at := fmt.Sprintf("postmortems.due[%d]", i)
		if !slices.ContainsFunc(s.Severities, func(x Severity) bool { return x.Level == due.Severity }) {
			diags.Add(d.At(at+".severity"), "config", "there is no severity level %d (see severities)", due.Severity)
		}
		if seen[due.Severity] {
			diags.Add(d.At(at+".severity"), "config", "severity %d is listed twice", due.Severity)
		}
		seen[due.Severity] = true
		if due.Days < 0 || due.Days > 3650 {
			diags.Add(d.At(at+".days"), "config", "days must be between 0 and 3650")
		}
	}
	seenType := map[string]bool{}
	for i, due := range p.FollowUps {
		at := fmt.Sprintf("postmortems.follow-ups[%d]", i)
		if !slices.Contains(FollowUpTypes, due.Type) {
			diags.Add(d.At(at+".type"), "config", "unknown follow-up type %q; use one of %s", due.Type, strings.Join(FollowUpTypes, ", "))
		}
		if seenType[due.Type] {
			diags.Add(d.At(at+".type"), "config", "follow-up type %q is listed twice", due.Type)
		}
		seenType[due.Type] = true
		if due.Weeks < 0 || due.Weeks > 520 {
			diags.Add(d.At(at+".weeks"), "config", "weeks must be between 0 and 520")
		}
	}
	return diags
}

func names[T any](xs []T, f func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// Name rules and how a mistake against each is explained.
var (
	nameRule  = nameCheck{nameRE, "lower-case letters, digits and dashes"}
	labelRule = nameCheck{LabelRE, "lower-case letters and digits, with dots, dashes or underscores inside"}
)

type nameCheck struct {
	re   *regexp.Regexp
	want string
}

// checkLabels checks the names of tags, orgs or services (LabelRE).
func checkLabels(diags *diag.List, d *yamlfile.Decoder, list string, ns []string) {
	checkList(diags, d, list, ns, labelRule)
}

func checkNames(diags *diag.List, d *yamlfile.Decoder, list string, ns []string) {
	checkList(diags, d, list, ns, nameRule)
}

// checkList reports each name of a list that breaks the rule or is there twice.
func checkList(diags *diag.List, d *yamlfile.Decoder, list string, ns []string, rule nameCheck) {
	seen := map[string]bool{}
	for i, n := range ns {
		field := fmt.Sprintf("%s[%d]", list, i)
		switch {
		case !rule.re.MatchString(n):
			diags.Add(d.At(field), "config", "%q is not a valid name: use %s", n, rule.want)
		case seen[n]:
			diags.Add(d.At(field), "config", "%q is listed twice in %s", n, list)
		}
		seen[n] = true
	}
}

// Location is the organisation's time zone.
func (s *Settings) Location() *time.Location { return s.loc }

// Levels returns the configured per-check severities.
func (s *Settings) Levels() map[string]diag.Severity {
	out := map[string]diag.Severity{}
	for k, v := range s.Checks {
		if sv, ok := diag.ParseSeverity(v); ok {
			out[k] = sv
		}
	}
	return out
}

// SeverityName returns "SEV1" for 1, or a generic name for unknown levels.
func (s *Settings) SeverityName(level int) string {
	for _, sv := range s.Severities {
		if sv.Level == level {
			return sv.Name
		}
	}
	return fmt.Sprintf("SEV%d", level)
}

// ParseSeverity accepts a level ("1") or a configured name ("SEV1", any case).
func (s *Settings) ParseSeverity(v string) (int, error) {
	for _, sv := range s.Severities {
		if strings.EqualFold(v, sv.Name) || v == fmt.Sprint(sv.Level) {
			return sv.Level, nil
		}
	}
	var known []string
	for _, sv := range s.Severities {
		known = append(known, fmt.Sprintf("%d (%s)", sv.Level, sv.Name))
	}
	return 0, fmt.Errorf("unknown severity %q; use one of %s", v, strings.Join(known, ", "))
}

// Status returns the named status.
func (s *Settings) Status(name string) (Status, bool) {
	for _, st := range s.Statuses {
		if st.Name == name {
			return st, true
		}
	}
	return Status{}, false
}

// StatusNames lists the statuses in lifecycle order.
func (s *Settings) StatusNames() []string {
	return names(s.Statuses, func(x Status) string { return x.Name })
}

// InitialStatus is the status a new incident starts in: the first active one.
func (s *Settings) InitialStatus() string {
	for _, st := range s.Statuses {
		if st.Phase == PhaseActive {
			return st.Name
		}
	}
	return "open"
}

// StatusRank is a status's position in the lifecycle, or -1.
func (s *Settings) StatusRank(name string) int {
	return slices.IndexFunc(s.Statuses, func(x Status) bool { return x.Name == name })
}

// Vocabulary lists what is known for a reference kind: "role", "org",
// "tag", "service" or "person". Nil means nothing is configured.
func (s *Settings) Vocabulary(kind string) []string { return s.vocab[kind] }

// Person finds someone by handle, email or GitHub login.
func (s *Settings) Person(key string) (Person, bool) {
	for _, p := range s.People {
		if p.Handle == key || (p.Email != "" && strings.EqualFold(p.Email, key)) ||
			(p.GitHub != "" && strings.EqualFold(p.GitHub, strings.TrimPrefix(key, "@"))) {
			return p, true
		}
	}
	return Person{}, false
}
