package change_test

import (
	"bytes"
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/timeline"
)

// declared is the files of a new incident.
func declared(t *testing.T, id, title, visibility string) map[string][]byte {
	t.Helper()
	c := &change.Change{Incident: id, Create: &incident.Incident{ID: id, Title: title, Severity: 2, Status: "open", Visibility: visibility},
		Entries: []timeline.Entry{{ID: "a" + id[len(id)-4:], At: t0, By: "alice", Type: timeline.Declared}}}
	out, err := c.Apply(config.Default(), files(nil))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func tagged(id, eid, tag string) *change.Change {
	return &change.Change{Incident: id, Entries: []timeline.Entry{{ID: eid, At: t0, By: "bob", Type: timeline.Tag, Tag: tag}}}
}

func TestApplyAll(t *testing.T) {
	s := config.Default()
	repo := declared(t, "2026-03-02-aaaa", "Checkout errors", "")
	maps.Copy(repo, declared(t, "2026-03-02-bbbb", "Search slow", ""))
	batch := []*change.Change{tagged("2026-03-02-aaaa", "e0000001", "legacy"), tagged("2026-03-02-bbbb", "e0000002", "legacy")}
	out, err := change.ApplyAll(batch, s, files(repo))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"2026-03-02-aaaa", "2026-03-02-bbbb"} {
		if !strings.Contains(string(out[layout.Record(id)]), "tags: [legacy]") || !strings.Contains(string(out[layout.Timeline(id)]), "e000000") {
			t.Errorf("%s was not tagged:\n%s", id, out[layout.Record(id)])
		}
	}
	// applied again on its own result: one change landed, one did not
	half := maps.Clone(repo)
	half[layout.Record("2026-03-02-aaaa")], half[layout.Timeline("2026-03-02-aaaa")] = out[layout.Record("2026-03-02-aaaa")], out[layout.Timeline("2026-03-02-aaaa")]
	again, err := change.ApplyAll(batch, s, files(half))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := again[layout.Record("2026-03-02-aaaa")]; ok || len(again) != 2 {
		t.Errorf("the change that landed is written again: %d files", len(again))
	}
	maps.Copy(half, again)
	if _, err := change.ApplyAll(batch, s, files(half)); !errors.Is(err, change.ErrNothing) {
		t.Errorf("a batch that landed whole: %v, want ErrNothing", err)
	}
	// one failing change fails the batch and is named
	missing := append(batch, tagged("2026-03-02-cccc", "e0000003", "legacy"))
	if _, err := change.ApplyAll(missing, s, files(repo)); err == nil || !strings.HasPrefix(err.Error(), "2026-03-02-cccc: ") {
		t.Errorf("a batch with a missing incident: %v", err)
	}
	if _, err := change.ApplyAll(append(batch, tagged("2026-03-02-aaaa", "e0000004", "x")), s, files(repo)); err == nil {
		t.Error("two changes to one incident in a batch are accepted")
	}
}

func TestBatchMessage(t *testing.T) {
	batch := []*change.Change{tagged("2026-03-02-aaaa", "e1", "legacy"), tagged("2026-03-02-restricted-k7qz", "e2", "legacy")}
	none := func(string) bool { return false }
	msg := change.BatchMessage(batch, none)
	want := "2 incidents: tagged legacy\n\nSev-Incident: 2026-03-02-aaaa\nSev-Incident: 2026-03-02-restricted-k7qz\n"
	if msg != want {
		t.Errorf("message:\n%s\nwant:\n%s", msg, want)
	}
	// a restricted incident in the batch: only the kinds of entries
	msg = change.BatchMessage(batch, func(id string) bool { return strings.Contains(id, "restricted") })
	if !strings.HasPrefix(msg, "2 incidents: tag\n\n") {
		t.Errorf("with a restricted incident: %q", msg)
	}
	// different changes: the kinds
	batch[1] = &change.Change{Incident: "2026-03-02-bbbb", Entries: []timeline.Entry{{Type: timeline.Note, Text: "checked"}, {Type: timeline.Tag, Tag: "x"}}}
	if msg = change.BatchMessage(batch, none); !strings.HasPrefix(msg, "2 incidents: tag; note\n\n") {
		t.Errorf("different changes: %q", msg)
	}
}

func TestBatchFingerprint(t *testing.T) {
	a := []*change.Change{tagged("2026-03-02-aaaa", "e1", "legacy"), tagged("2026-03-02-bbbb", "e2", "legacy")}
	b := []*change.Change{tagged("2026-03-02-aaaa", "e3", "legacy"), tagged("2026-03-02-bbbb", "e4", "legacy")}
	if change.BatchFingerprint(a, "bob") != change.BatchFingerprint(b, "bob") {
		t.Error("the same bulk edit twice has two fingerprints")
	}
	if change.BatchFingerprint(a, "bob") == change.BatchFingerprint(a[:1], "bob") || change.BatchFingerprint(a, "bob") == change.BatchFingerprint(a, "carol") {
		t.Error("another batch or author has the same fingerprint")
	}
}

// TestPrepare: a prepared change is applied again from what it remembered
// while its files are unchanged, and afresh when they changed.
func TestPrepare(t *testing.T) {
	s := config.Default()
	id := "2026-03-02-aaaa"
	repo := declared(t, id, "Checkout errors", "")
	ch := tagged(id, "e0000001", "legacy")
	first, err := ch.Prepare(s, files(repo))
	if err != nil {
		t.Fatal(err)
	}
	again, err := ch.Apply(s, files(repo))
	if err != nil || !maps.EqualFunc(first, again, bytes.Equal) {
		t.Fatalf("applied again on the same files: %v\n%s", err, again[layout.Record(id)])
	}
	// someone tagged it meanwhile: applied afresh, both tags are there
	moved := maps.Clone(repo)
	other, err := tagged(id, "e0000002", "pci").Apply(s, files(repo))
	if err != nil {
		t.Fatal(err)
	}
	maps.Copy(moved, other)
	out, err := ch.Apply(s, files(moved))
	if err != nil {
		t.Fatal(err)
	}
	if rec := string(out[layout.Record(id)]); !strings.Contains(rec, "tags: [pci, legacy]") {
		t.Errorf("applied on a newer version, the record is:\n%s", rec)
	}
	// the remembered result is the one Apply computes
	fresh, err := tagged(id, "e0000001", "legacy").Apply(s, files(repo))
	if err != nil || !maps.EqualFunc(first, fresh, bytes.Equal) {
		t.Errorf("Prepare and Apply differ: %v", err)
	}
}
