package ops

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/postmortem"
	"github.com/sev-dev/sev/internal/rotation"
	"github.com/sev-dev/sev/internal/timeline"
)

var now = time.Date(2026, 3, 2, 14, 5, 0, 0, time.UTC)

func testEnv(t *testing.T, files fstest.MapFS) *Env {
	t.Helper()
	rot, diags := rotation.Parse("rotations/legal.yaml", []byte("org: legal\ntimezone: UTC\nlayers:\n  - name: all\n    members: [carol]\n    shift: 1w\n    start: 2026-01-05T09:00:00Z\n"))
	if diags.Errors() > 0 {
		t.Fatal(diags)
	}
	n := 0
	var warnings []string
	return &Env{Settings: config.Default(), FS: files, Now: now,
		NewID:     func() string { n++; return fmt.Sprintf("01test%010d", n) },
		Rotations: func() ([]*rotation.Rotation, error) { return []*rotation.Rotation{rot}, nil },
		Warn:      func(f string, a ...any) { warnings = append(warnings, fmt.Sprintf(f, a...)) }}
}

func open() *Incident {
	return &Incident{Record: &incident.Incident{ID: "2026-03-02-checkout", Title: "Checkout", Status: "open", Severity: 3,
		Tags: []string{"payments"}, Roles: map[string]string{"commander": "alice"},
		Links:      []incident.Link{{Kind: "chat", URL: "https://chat.example/c"}},
		Milestones: incident.Times{Declared: now.Add(-time.Hour)}},
		Entries: []timeline.Entry{{ID: "01earlier0000000", Type: timeline.Note, Text: "x"}}}
}

// TestOperationsRefuse: each operation refuses what cannot be recorded,
// as an input error (exit 2) where the request itself is wrong.
func TestOperationsRefuse(t *testing.T) {
	env := testEnv(t, fstest.MapFS{})
	inc := open()
	for name, c := range map[string]struct {
		err   error
		input bool
		want  string
	}{
		"unknown milestone":   {first(env.Note(inc, "bob", Note{Text: "x", Milestone: "fixed"})), true, "unknown milestone"},
		"empty note":          {first(env.Note(inc, "bob", Note{Text: "  "})), true, "the note is empty"},
		"correct missing":     {first(env.Note(inc, "bob", Note{Text: "x", Corrects: "nope"})), false, "no timeline entry"},
		"unknown status":      {first(env.Status(inc, "bob", Status{Status: "fixed"})), true, "unknown status"},
		"same status":         {first(env.Status(inc, "bob", Status{Status: "open"})), false, "already open"},
		"bad severity":        {first(env.Severity(inc, "bob", Severity{Level: "SEV9"})), true, ""},
		"same severity":       {first(env.Severity(inc, "bob", Severity{Level: "3"})), false, "already"},
		"unassign missing":    {first(env.Assign(inc, "bob", Assign{Role: "comms", Remove: true})), false, "has no comms"},
		"assign same":         {first(env.Assign(inc, "bob", Assign{Role: "commander", Person: "@alice"})), false, "already commander"},
		"oncall unknown":      {first(env.Assign(inc, "bob", Assign{Role: "comms", OnCall: "sre"})), true, "no rotation"},
		"tag bad name":        {first(env.Tag(inc, "bob", Tags{Tags: []string{"Bad Tag"}})), true, "not a valid tag"},
		"tag present":         {first(env.Tag(inc, "bob", Tags{Tags: []string{"payments"}})), false, "already has"},
		"untag absent":        {first(env.Tag(inc, "bob", Tags{Tags: []string{"x"}, Remove: true})), false, "none of those"},
		"set unknown field":   {first(env.Set(inc, "bob", Set{Field: "severity", Value: "1"})), true, "cannot set"},
		"set bad visibility":  {first(env.Set(inc, "bob", Set{Field: "visibility", Value: "Restricted"})), true, "unknown visibility"},
		"add to a non-list":   {first(env.Add(inc, "bob", Add{Field: "tags", Values: []string{"x"}})), true, "cannot add"},
		"link bad kind":       {first(env.Link(inc, "bob", Link{Kind: "wiki", URL: "https://x.example"})), true, "unknown link kind"},
		"link script":         {first(env.Link(inc, "bob", Link{Kind: "chat", URL: "javascript:alert(1)"})), true, ""},
		"unlink missing":      {first(env.Link(inc, "bob", Link{Kind: "chat", URL: "https://y.example", Remove: true})), false, "has no link"},
		"page nobody":         {first(env.Page(inc, "bob", Page{Rotations: []string{"sre"}})), true, "no rotation"},
		"back-dated future":   {first(env.Note(inc, "bob", Note{Text: "x", At: now.Add(time.Hour)})), true, "in the future"},
		"attach too big":      {first(env.Attach(inc, "bob", Attach{Name: "a.png", Size: 1 << 40})), false, "limited to"},
		"follow-up no title":  {first(env.AddFollowUp(inc, "bob", postmortem.FollowUp{Type: "other"})), true, "one non-empty line"},
		"follow-up bad type":  {first(env.AddFollowUp(inc, "bob", postmortem.FollowUp{Title: "x", Type: "someday"})), true, "--type"},
		"review bad status":   {first(env.Review(inc, "bob", Review{Status: "done"})), true, "--status"},
		"declare bad kind":    {first(env.Declare("bob", Declare{Title: "x", Kind: "exercise"})), true, "--kind"},
		"declare bad role":    {first(env.Declare("bob", Declare{Title: "x", Roles: []string{"comms"}})), true, "ROLE=PERSON"},
		"declare bad order":   {first(env.Declare("bob", Declare{Title: "x", Started: "2026-03-02T15:00:00Z", Detected: "2026-03-02T14:00:00Z"})), true, "must not be before"},
		"declare bad slug":    {first(env.Declare("bob", Declare{Title: "x", Slug: "a--b"})), true, "--slug"},
		"declare bad link":    {first(env.Declare("bob", Declare{Title: "x", Links: []string{"chat"}})), true, "KIND=URL"},
		"declare bad sev":     {first(env.Declare("bob", Declare{Title: "x", Severity: "9", SeveritySet: true})), true, "--sev"},
		"declare bad tag":     {first(env.Declare("bob", Declare{Title: "x", Tags: []string{"A"}})), true, "not a valid tag"},
		"set empty title":     {first(env.Set(inc, "bob", Set{Field: "title", Value: " "})), true, "cannot be empty"},
		"implausible back-at": {first(env.Note(inc, "bob", Note{Text: "x", At: time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)})), true, "plausible"},
	} {
		if c.err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if IsInput(c.err) != c.input {
			t.Errorf("%s: input error %v, want %v (%v)", name, IsInput(c.err), c.input, c.err)
		}
		if !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: %q does not say %q", name, c.err, c.want)
		}
	}
}

func first[T any](v T, err error) error { return err }

// TestOperationsRecord: what each operation records, by whom, when.
func TestOperationsRecord(t *testing.T) {
	env := testEnv(t, fstest.MapFS{})
	inc := open()
	back := now.Add(-30 * time.Minute)
	ch, err := env.Note(inc, "bob", Note{Text: "rolled back", Milestone: "mitigated", At: back})
	if err != nil {
		t.Fatal(err)
	}
	e := ch.Entries[0]
	if ch.Incident != inc.Record.ID || e.By != "bob" || !e.Key || !e.At.Equal(back) || !e.Recorded.Equal(now) || e.Milestone != "mitigated" {
		t.Errorf("note: %+v", e)
	}
	ch, err = env.Assign(inc, "bob", Assign{Role: "comms", OnCall: "legal"})
	if err != nil || ch.Entries[0].Person != "carol" || ch.Entries[0].Rotation != "legal" {
		t.Errorf("assign --oncall: %+v %v", ch, err)
	}
	ch, err = env.Page(inc, "bob", Page{Rotations: []string{"legal"}})
	if err != nil || len(ch.Entries) != 1 || ch.Entries[0].Person != "carol" || ch.Entries[0].Type != timeline.Page {
		t.Errorf("page: %+v %v", ch, err)
	}
	ch, err = env.Tag(inc, "bob", Tags{Tags: []string{"payments", "pii", "db"}})
	if err != nil || len(ch.Entries) != 2 {
		t.Errorf("tag skips the tag it has: %+v %v", ch, err)
	}
	data := []byte("log line\n")
	ch, err = env.Attach(inc, "bob", Attach{Name: "err.log", Size: int64(len(data)), Read: func() ([]byte, error) { return data, nil }, Note: "the error"})
	if err != nil || string(ch.Files["incidents/2026/2026-03-02-checkout/attachments/err.log"]) != "log line\n" || ch.Entries[0].File != "err.log" {
		t.Errorf("attach: %+v %v", ch, err)
	}
}

// TestDeclare: the ID is the declaration date in sev.yaml's zone and a
// slug of the title, -2 when taken; a restricted incident's slug tells
// nothing about it.
func TestDeclare(t *testing.T) {
	files := fstest.MapFS{"incidents/2026/2026-03-02-checkout-errors/incident.yaml": {Data: []byte("id: x\n")}}
	env := testEnv(t, files)
	ch, err := env.Declare("bob", Declare{Title: "Checkout   errors", Commander: "@alice", Page: []string{"legal"}})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Create.ID != "2026-03-02-checkout-errors-2" || ch.Create.Title != "Checkout errors" || ch.Create.Roles["commander"] != "alice" {
		t.Errorf("declare: %+v", ch.Create)
	}
	if len(ch.Entries) != 2 || ch.Entries[0].Type != timeline.Declared || ch.Entries[1].Person != "carol" {
		t.Errorf("entries: %+v", ch.Entries)
	}
	ch, err = env.Declare("bob", Declare{Title: "Leaked signing key zqx", Visibility: "restricted"})
	if err != nil || strings.Contains(ch.Create.ID, "leaked") || !strings.HasPrefix(ch.Create.ID, "2026-03-02-restricted-") {
		t.Errorf("restricted: %v %v", ch.Create.ID, err)
	}
}

// TestEditPostmortemRefusesBrokenFrontMatter: a postmortem whose front
// matter has errors is not edited, and the findings say why.
func TestEditPostmortemRefusesBrokenFrontMatter(t *testing.T) {
	env := testEnv(t, fstest.MapFS{"postmortems/2026-03-02-checkout.md": {Data: []byte("---\nincident: 2026-03-02-checkout\nstatus: finished\n---\n# Review\n")}})
	_, err := env.Review(open(), "bob", Review{})
	var pe *ProblemsError
	if !errors.As(err, &pe) || pe.Diags.Errors() == 0 || !strings.Contains(err.Error(), "front matter") {
		t.Fatalf("%v", err)
	}
	env = testEnv(t, fstest.MapFS{})
	pc, err := env.AddFollowUp(open(), "bob", postmortem.FollowUp{Title: "Alert on expiry", Type: "prevent", Owner: "dave"})
	if err != nil || !pc.Created || !strings.Contains(string(pc.Data), "Alert on expiry") || pc.What != "added FU-1" {
		t.Fatalf("%+v %v", pc, err)
	}
}
