package search

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/searchtext"
)

// testRepo writes an incident repository: three incidents, a restricted
// one, a broken record, a postmortem and an orphan postmortem.
func testRepo(t *testing.T) string {
	root := t.TempDir()
	files := map[string]string{
		"incidents/2026/2026-03-02-checkout-errors-in-eu/incident.yaml": `id: 2026-03-02-checkout-errors-in-eu
title: Checkout errors in EU
severity: 1
status: resolved
summary: Deploy 4411 of checkout-api sent card payments to a retired endpoint.
tags: [payments]
services: [checkout-api]
roles:
  commander: alice
milestones:
  declared: 2026-03-02T14:05:00Z
`,
		"incidents/2026/2026-03-02-checkout-errors-in-eu/timeline.yaml": `- id: 01kjqdvnq0kr0rtg
  at: 2026-03-02T14:05:00Z
  by: alice
  type: declared
- id: 01kjqfvrg0r7z0nj
  at: 2026-03-02T14:31:00Z
  by: bob
  type: note
  text: Rolled back deploy 4411 on dev-cluster-105 after ERR_CONN_RESET from 10.20.3.14
`,
		"incidents/2026/2026-03-05-database-timeouts/incident.yaml": `id: 2026-03-05-database-timeouts
title: Database timeouts on ledger
severity: 2
status: open
summary: The ledger database times out under load from api.eu-west-1.
tags: [database]
milestones:
  declared: 2026-03-05T09:00:00Z
`,
		"incidents/2025/2025-06-10-dns-drill/incident.yaml": `id: 2025-06-10-dns-drill
title: DNS failover drill
severity: 3
status: closed
kind: drill
summary: Practised a DNS failover; the database kept its connection pool.
milestones:
  declared: 2025-06-10T10:00:00Z
`,
		"incidents/2026/2026-03-04-restricted-k7qz/incident.yaml": `id: 2026-03-04-restricted-k7qz
title: Leaked credential for the payroll bucket
severity: 1
status: open
visibility: restricted
summary: A database credential was posted in a public channel.
milestones:
  declared: 2026-03-04T08:00:00Z
`,
		"incidents/2026/2026-03-06-broken/incident.yaml": "id: 2026-03-06-broken\ntitle: [unclosed\n",
		"postmortems/2026-03-02-checkout-errors-in-eu.md": `---
incident: 2026-03-02-checkout-errors-in-eu
status: published
authors: [alice]
---

# Postmortem: Checkout errors in EU

## Summary

Card payments failed for 37 minutes.

<!-- sev:begin timeline abc123 -->
- 14:31 — rolled back deploy 4411
<!-- sev:end timeline -->

## Root cause

A stale feature flag pointed checkout at the retired **payment gateway**.
`,
		"postmortems/2026-01-01-nothing.md": "# Orphan\n",
	}
	for p, body := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func openTest(t *testing.T, root string, warnings *[]string) *Index {
	o := benchOptions(root, filepath.Join(root, ".git", "sev", "search"))
	o.Warnf = func(f string, args ...any) {
		if warnings != nil {
			*warnings = append(*warnings, fmt.Sprintf(f, args...))
		}
	}
	x, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

func ids(r *Result) string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	return strings.Join(out, " ")
}

func find(t *testing.T, x *Index, q string, restricted bool) *Result {
	t.Helper()
	pq, err := searchtext.ParseQuery(q, testVocab)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	r, err := x.Search(context.Background(), Request{Query: pq, Limit: 10, Restricted: restricted})
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return r
}

func TestSearch(t *testing.T) {
	root := testRepo(t)
	var warnings []string
	x := openTest(t, root, &warnings)
	st, err := x.Sync(false, false)
	if err != nil {
		t.Fatal(err)
	}
	if st.Changed != 3 || st.Docs != 3 {
		t.Errorf("indexed %d, %d documents; want 3 (the restricted and broken ones left out)", st.Changed, st.Docs)
	}
	if len(x.Broken()) != 2 || !strings.Contains(strings.Join(x.Broken(), "\n"), "2026-03-06-broken/incident.yaml:2:9:") {
		t.Errorf("broken: %q", x.Broken())
	}
	const checkout, db, drill = "2026-03-02-checkout-errors-in-eu", "2026-03-05-database-timeouts", "2025-06-10-dns-drill"
	for q, want := range map[string]string{
		"dev-cluster-105":            checkout,
		"dev cluster 105":            checkout,
		"cluster-105":                checkout, // not as written: its parts as a phrase
		"err_conn_reset":             checkout,
		"10.20.3.14":                 checkout,
		"api.eu-west-1":              db,
		"timeout":                    db, // stemmed: "timeouts", "times out"
		`"connection pool"`:          drill,
		"database -ledger":           drill,
		"database kind:drill":        drill,
		"database sev:2 status:open": db,
		"database after:2026-01-01":  db,
		"database before:2026-01-01": drill,
		"payment gateway":            checkout, // postmortem text
		"tag:payments":               checkout,
		"person:alice":               checkout,
		"credential":                 "",
		"payroll":                    "",
	} {
		if got := ids(find(t, x, q, false)); got != want {
			t.Errorf("%s: got %q, want %q", q, got, want)
		}
	}
	if got := ids(find(t, x, "database", false)); got != db+" "+drill && got != drill+" "+db {
		t.Errorf("database: got %q", got)
	}
	// a title match outranks a summary match
	if got := ids(find(t, x, "database", false)); !strings.HasPrefix(got, db) {
		t.Errorf("database: got %q, want the title match first", got)
	}
}

func TestSearchSnippets(t *testing.T) {
	x := openTest(t, testRepo(t), nil)
	if _, err := x.Sync(false, false); err != nil {
		t.Fatal(err)
	}
	for q, where := range map[string]string{
		"ERR_CONN_RESET":       "timeline entry at 14:31",
		`"stale feature flag"`: `postmortem section "Root cause"`,
		"root cause":           `postmortem section "Root cause"`,
		"retired endpoint":     "summary",
		"checkout errors":      "title",
		"rolled back 4411":     "timeline entry at 14:31",
	} {
		r := find(t, x, q, false)
		if len(r.Hits) == 0 || len(r.Hits[0].Snippets) == 0 {
			t.Errorf("%s: no snippet", q)
			continue
		}
		s := r.Hits[0].Snippets[0]
		if s.Where != where {
			t.Errorf("%s: where %q, want %q", q, s.Where, where)
		}
		if len(s.Highlights) == 0 {
			t.Errorf("%s: nothing highlighted in %q", q, s.Text)
		}
		for _, h := range s.Highlights {
			if h[0] < 0 || h[1] > len(s.Text) {
				t.Errorf("%s: highlight %v outside %q", q, h, s.Text)
			}
		}
	}
	r := find(t, x, "dev-cluster-105", false)
	s := r.Hits[0].Snippets[0]
	if h := s.Highlights[0]; s.Text[h[0]:h[1]] != "dev-cluster-105" {
		t.Errorf("highlighted %q, want the whole identifier", s.Text[h[0]:h[1]])
	}
	// comments around generated regions are not indexed
	if r := find(t, x, "abc123", false); len(r.Hits) != 0 {
		t.Errorf("the text of an HTML comment was indexed")
	}
}

func TestSearchRestricted(t *testing.T) {
	root := testRepo(t)
	x := openTest(t, root, nil)
	if _, err := x.Sync(false, false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, ".git", "sev", "search", "restricted")); err == nil {
		t.Error("a restricted index was built without being asked for")
	}
	if r := find(t, x, "database", false); r.Total != 2 {
		t.Errorf("database: %d results, want 2 without the restricted incident", r.Total)
	}
	if _, err := x.Sync(true, false); err != nil {
		t.Fatal(err)
	}
	r := find(t, x, "credential", true)
	if ids(r) != "2026-03-04-restricted-k7qz" || !r.Hits[0].Restricted {
		t.Errorf("credential with restricted: %+v", r.Hits)
	}
	if r := find(t, x, "database", false); r.Total != 2 {
		t.Errorf("database: %d results after building the restricted index, want 2", r.Total)
	}
}

func TestSyncIncremental(t *testing.T) {
	root := testRepo(t)
	x := openTest(t, root, nil)
	if _, err := x.Sync(false, false); err != nil {
		t.Fatal(err)
	}
	tl := filepath.Join(root, "incidents/2026/2026-03-05-database-timeouts/timeline.yaml")
	if err := os.WriteFile(tl, []byte("- id: 01kjqfvrg0r7z0nz\n  at: 2026-03-05T09:10:00Z\n  by: bob\n  type: note\n  text: Zanzibar replica promoted\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(root, "incidents/2025"))
	st, err := x.Sync(false, true)
	if err != nil {
		t.Fatal(err)
	}
	if st.Changed != 1 || st.Removed != 1 {
		t.Errorf("changed %d, removed %d; want 1 and 1", st.Changed, st.Removed)
	}
	if got := ids(find(t, x, "zanzibar", false)); got != "2026-03-05-database-timeouts" {
		t.Errorf("zanzibar: %q", got)
	}
	if got := ids(find(t, x, "drill", false)); got != "" {
		t.Errorf("drill: %q after the incident was removed", got)
	}
	st, err = x.Sync(false, true)
	if err != nil {
		t.Fatal(err)
	}
	if st.Changed != 0 || st.Removed != 0 {
		t.Errorf("nothing changed, but %d changed and %d removed", st.Changed, st.Removed)
	}
	// another process opens the index: the manifest and state carry over
	x.Close()
	y := openTest(t, root, nil)
	if st, err := y.Sync(false, true); err != nil || st.Changed != 0 {
		t.Errorf("reopened: %+v %v", st, err)
	}
}

func TestRebuildOtherFormat(t *testing.T) {
	root := testRepo(t)
	x := openTest(t, root, nil)
	if _, err := x.Sync(false, false); err != nil {
		t.Fatal(err)
	}
	x.Close()
	state := filepath.Join(root, ".git", "sev", "search", stateFile)
	if err := os.WriteFile(state, []byte(`{"format":0}`), 0o644); err != nil {
		t.Fatal(err)
	}
	y := openTest(t, root, nil)
	st, err := y.Sync(false, false)
	if err != nil || st.Changed != 3 {
		t.Errorf("after a format change: %+v %v; want a rebuild of 3", st, err)
	}
}

func TestSimilar(t *testing.T) {
	x := openTest(t, testRepo(t), nil)
	if _, err := x.Sync(false, false); err != nil {
		t.Fatal(err)
	}
	r, err := x.Similar(context.Background(), "2026-03-05-database-timeouts", Request{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	got := ids(r)
	if strings.Contains(got, "2026-03-05-database-timeouts") {
		t.Errorf("similar lists the incident itself: %q", got)
	}
	if !strings.HasPrefix(got, "2025-06-10-dns-drill") {
		t.Errorf("similar: %q, want the other database incident first", got)
	}
}

// testVocab is the query vocabulary of sev.yaml's defaults.
var testVocab = searchtext.Vocabulary{Severity: config.Default().ParseSeverity, Statuses: config.Default().StatusNames()}

// An index that is up to date is queried read-only: nothing under the
// index folder changes. One whose files are damaged is built again by
// the next sync.
func TestQueryWritesNothing(t *testing.T) {
	root := testRepo(t)
	// files written within the last second are looked at again
	old := time.Now().Add(-time.Hour)
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil {
			os.Chtimes(p, old, old)
		}
		return err
	})
	x := openTest(t, root, nil)
	if _, err := x.Sync(true, false); err != nil {
		t.Fatal(err)
	}
	x.Close()
	dir := filepath.Join(root, ".git", "sev", "search")
	before := treeState(t, dir)
	y := openTest(t, root, nil)
	if st, err := y.Sync(true, false); err != nil || !st.Fresh {
		t.Fatalf("second sync: %+v %v; want fresh", st, err)
	}
	if got := ids(find(t, y, "timeouts", true)); got == "" {
		t.Error("no hits read-only")
	}
	y.Close()
	if after := treeState(t, dir); after != before {
		t.Errorf("a query of a fresh index changed its files:\n%s\nthen\n%s", before, after)
	}
	if err := os.WriteFile(filepath.Join(dir, "main", "store", "root.bolt"), []byte("not bolt"), 0o644); err != nil {
		t.Fatal(err)
	}
	z := openTest(t, root, nil)
	st, err := z.Sync(false, false)
	if err != nil || st.Changed != 3 {
		t.Fatalf("damaged index: %+v %v; want a rebuild of 3", st, err)
	}
	if got := ids(find(t, z, "timeouts", false)); got == "" {
		t.Error("no hits after the rebuild")
	}
}

// treeState lists every file under dir with its size and modification time.
func treeState(t *testing.T, dir string) string {
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %d %d\n", p[len(dir):], fi.Size(), fi.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
