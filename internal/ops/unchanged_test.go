package ops

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/sev-dev/sev/internal/change"
)

// TestNothingToDo: a change that is made already, or a removal of what is
// not there, is an AlreadyError (a bulk edit skips the incident); other
// refusals are not.
func TestNothingToDo(t *testing.T) {
	env := testEnv(t, fstest.MapFS{})
	inc := open()
	for name, c := range map[string]struct {
		err     error
		already bool
	}{
		"same status":      {first(env.Status(inc, "bob", Status{Status: "open"})), true},
		"same severity":    {first(env.Severity(inc, "bob", Severity{Level: "3"})), true},
		"assign same":      {first(env.Assign(inc, "bob", Assign{Role: "commander", Person: "alice"})), true},
		"unassign missing": {first(env.Assign(inc, "bob", Assign{Role: "comms", Remove: true})), true},
		"tag present":      {first(env.Tag(inc, "bob", Tags{Tags: []string{"payments"}})), true},
		"untag absent":     {first(env.Tag(inc, "bob", Tags{Tags: []string{"x"}, Remove: true})), true},
		"unlink missing":   {first(env.Link(inc, "bob", Link{Kind: "chat", URL: "https://y.example", Remove: true})), true},
		"unknown status":   {first(env.Status(inc, "bob", Status{Status: "fixed"})), false},
		"correct missing":  {first(env.Note(inc, "bob", Note{Text: "x", Corrects: "nope"})), false},
	} {
		var already *AlreadyError
		if errors.As(c.err, &already) != c.already {
			t.Errorf("%s: %v is an AlreadyError: %v, want %v", name, c.err, !c.already, c.already)
		}
	}
}

// TestUnchanged: entries that leave the record as it is are unchanged;
// notes and real changes are not.
func TestUnchanged(t *testing.T) {
	env := testEnv(t, fstest.MapFS{})
	inc := open()
	inc.Record.Kind, inc.Record.Services = "normal", []string{"checkout-api"}
	for name, c := range map[string]struct {
		op   func() error
		want bool
	}{
		"set the same kind": {func() error { return unchanged(env, inc)(env.Set(inc, "bob", Set{Field: "kind", Value: "normal"})) }, true},
		"set another kind":  {func() error { return unchanged(env, inc)(env.Set(inc, "bob", Set{Field: "kind", Value: "drill"})) }, false},
		"add a listed service": {func() error {
			return unchanged(env, inc)(env.Add(inc, "bob", Add{Field: "services", Values: []string{"checkout-api"}}))
		}, true},
		"add a new service": {func() error {
			return unchanged(env, inc)(env.Add(inc, "bob", Add{Field: "services", Values: []string{"ledger"}}))
		}, false},
		"remove an absent org": {func() error {
			return unchanged(env, inc)(env.Add(inc, "bob", Add{Field: "orgs", Values: []string{"legal"}, Remove: true}))
		}, true},
		"link the same link": {func() error {
			return unchanged(env, inc)(env.Link(inc, "bob", Link{Kind: "chat", URL: "https://chat.example/c"}))
		}, true},
		"link with another title": {func() error {
			return unchanged(env, inc)(env.Link(inc, "bob", Link{Kind: "chat", URL: "https://chat.example/c", Title: "#c"}))
		}, false},
		"a note":    {func() error { return unchanged(env, inc)(env.Note(inc, "bob", Note{Text: "checked"})) }, false},
		"a new tag": {func() error { return unchanged(env, inc)(env.Tag(inc, "bob", Tags{Tags: []string{"legacy"}})) }, false},
	} {
		err := c.op()
		if got := errors.Is(err, errUnchanged); got != c.want {
			t.Errorf("%s: unchanged %v, want %v (%v)", name, got, c.want, err)
		}
	}
	if inc.Record.Kind != "normal" || len(inc.Record.Services) != 1 || len(inc.Record.Tags) != 1 {
		t.Errorf("Unchanged changed the record it looked at: %+v", inc.Record)
	}
}

var errUnchanged = errors.New("unchanged")

// unchanged turns an operation's result into errUnchanged when Unchanged
// says so.
func unchanged(env *Env, inc *Incident) func(ch *change.Change, err error) error {
	return func(ch *change.Change, err error) error {
		if err != nil {
			return err
		}
		if Unchanged(env.Settings, inc, ch) {
			return errUnchanged
		}
		return nil
	}
}
