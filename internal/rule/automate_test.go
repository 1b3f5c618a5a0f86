package rule_test

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/ghapi"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/rule"
	"github.com/sev-dev/sev/internal/timeline"
)

// execute does what an executor does with a plan, without GitHub or
// webhooks: it applies the plan's entries with internal/change, then the
// receipts of the actions outside the repository, and returns the
// repository's files afterwards. It fails the test if a second
// application of the same entries is not change.ErrNothing.
func execute(t *testing.T, f *fixture, files map[string][]byte, plan *rule.Plan) map[string][]byte {
	t.Helper()
	read := func(p string) ([]byte, bool, error) { b, ok := files[p]; return b, ok, nil }
	var entries []timeline.Entry
	for _, a := range plan.Actions() {
		switch {
		case a.Skip != "":
		case a.Kind == rule.KindEntry:
			entries = append(entries, *a.Entry)
		case a.Receipt != nil:
			entries = append(entries, *a.Receipt)
		}
	}
	if len(entries) == 0 {
		return files
	}
	c := &change.Change{Incident: plan.Incident, Entries: entries}
	out, err := c.Apply(f.env.Settings, read)
	if err != nil {
		t.Fatalf("applying the plan of %s: %v", plan.Incident, err)
	}
	next := map[string][]byte{}
	for p, b := range files {
		next[p] = b
	}
	for p, b := range out {
		next[p] = b
	}
	again := func(p string) ([]byte, bool, error) { b, ok := next[p]; return b, ok, nil }
	if _, err := c.Apply(f.env.Settings, again); !errors.Is(err, change.ErrNothing) {
		t.Fatalf("applying the same plan twice: got %v, want change.ErrNothing", err)
	}
	return next
}

// TestAutomateTwice: automation that runs twice on the same push plans
// nothing the second time: no entry, no comment, no webhook.
func TestAutomateTwice(t *testing.T) {
	for _, name := range []string{"kintaba", "hostile", "chain"} {
		t.Run(name, func(t *testing.T) {
			f := loadFixture(t, "testdata/plan/"+name+".txtar")
			files := f.files
			for _, in := range f.inputs(t) {
				fresh := ids(in.Timeline)
				now := f.now
				first, _ := f.set.Automate(f.env, in, fresh, now)
				if len(first.Actions()) == 0 {
					continue
				}
				files = execute(t, f, files, first)
				again := reload(t, f, files, in.Record.ID)
				second, _ := f.set.Automate(f.env, again, fresh, now.Add(time.Minute))
				// Skipped actions are planned again (they were not done) but
				// never performed.
				for _, a := range second.Actions() {
					if a.Skip == "" {
						t.Errorf("%s: the second run plans %s", in.Record.ID, a.Describe(false))
					}
				}
				if got, want := skipped(second), skipped(first); !slices.Equal(got, want) {
					t.Errorf("%s: the second run skips %v, the first %v", in.Record.ID, got, want)
				}
			}
		})
	}
}

func skipped(p *rule.Plan) []string {
	var out []string
	for _, a := range p.Actions() {
		if a.Skip != "" {
			out = append(out, a.Key)
		}
	}
	return out
}

func ids(entries []timeline.Entry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.ID
	}
	return out
}

// reload reads an incident back from the files an execution wrote.
func reload(t *testing.T, f *fixture, files map[string][]byte, id string) rule.Input {
	t.Helper()
	g := &fixture{files: map[string][]byte{layout.Record(id): files[layout.Record(id)], layout.Timeline(id): files[layout.Timeline(id)]}}
	ins := g.inputs(t)
	if len(ins) != 1 {
		t.Fatalf("reloading %s: %d incidents", id, len(ins))
	}
	return ins[0]
}

var entryIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{3,63}$`)

// TestKeys: keys are stable, differ by every part they are made of, and
// make valid entry ids; markers cannot be closed early.
func TestKeys(t *testing.T) {
	f := loadFixture(t, "testdata/plan/kintaba.txtar")
	in := f.inputs(t)[0]
	a, _ := f.set.Replay(f.env, in, f.now)
	b, _ := f.set.Replay(f.env, in, f.now.Add(time.Hour))
	ka, kb := keysOf(a), keysOf(b)
	if len(ka) == 0 || !slices.Equal(ka, kb) {
		t.Fatalf("keys differ between two replays: %v and %v", ka, kb)
	}
	seen := map[string]bool{}
	for _, k := range ka {
		if seen[k] {
			t.Errorf("key %s is used twice", k)
		}
		seen[k] = true
		if id := rule.EntryID(k); !entryIDRE.MatchString(id) {
			t.Errorf("entry id %q is not a valid timeline entry id", id)
		}
		if m := ghapi.Marker(k); strings.Count(m, "-->") != 1 || !strings.HasSuffix(m, "-->") {
			t.Errorf("marker %q", m)
		}
	}
	other := in
	other.Record = cloneRecord(in.Record)
	other.Record.ID = "2026-03-02-another"
	c, _ := f.set.Replay(f.env, other, f.now)
	for _, k := range keysOf(c) {
		if seen[k] {
			t.Errorf("another incident got the same key %s", k)
		}
	}
}

func keysOf(p *rule.Plan) []string {
	var out []string
	for _, a := range p.Actions() {
		out = append(out, a.Key)
	}
	return out
}

func cloneRecord(r *incident.Incident) *incident.Incident {
	c := *r
	return &c
}
