package site

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/report"
)

var testNow = time.Date(2026, 3, 2, 14, 5, 0, 0, time.UTC)

const testSettings = `name: Test Org
timezone: Europe/Berlin
severities:
  - {level: 1, name: SEV1}
  - {level: 2, name: SEV2}
  - {level: 3, name: SEV3}
roles:
  - {name: commander}
  - {name: comms}
`

// repo writes files (path → content) into a fresh folder.
func repo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, c := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func settings(t *testing.T, dir string) *config.Settings { return settingsOf(t, dir) }

func settingsOf(t testing.TB, dir string) *config.Settings {
	t.Helper()
	s, diags, err := config.Read(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if diags.Errors() > 0 {
		t.Fatalf("settings: %v", diags)
	}
	return s
}

func build(t *testing.T, dir string, opts Options) (string, Summary) {
	t.Helper()
	if opts.Out == "" {
		opts.Out = filepath.Join(t.TempDir(), "public")
	}
	if opts.Now.IsZero() {
		opts.Now = testNow
	}
	_, sum, err := Build(os.DirFS(dir), settings(t, dir), opts)
	if err != nil {
		t.Fatal(err)
	}
	return opts.Out, sum
}

// tree reads every file under dir.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// incidentFiles is one incident: record, timeline and optional postmortem.
func incidentFiles(id, record, timeline string) map[string]string {
	dir := "incidents/" + id[:4] + "/" + id + "/"
	return map[string]string{dir + "incident.yaml": record, dir + "timeline.yaml": timeline}
}

func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

const plainRecord = `id: 2026-03-01-checkout-errors
title: Checkout errors in EU
severity: 1
status: open
visibility: public
summary: Checkout fails for some customers.
orgs: [payments]
services: [checkout-api]
tags: [payments, database]
roles: {commander: alice, comms: bob}
responders: [carol]
milestones:
  started: 2026-03-01T09:00:00Z
  declared: 2026-03-01T09:10:00Z
links:
  - {kind: chat, url: "https://chat.example/inc-1", title: "#inc-checkout"}
`

const plainTimeline = `- id: 01aaaaaaaaaaaaaa
  at: 2026-03-01T09:10:00Z
  by: alice
  type: declared
  status: open
  severity: 1
  key: true
- id: 01aaaaaaaaaaaaab
  at: 2026-03-01T09:20:00Z
  by: bob
  type: note
  text: We are investigating failed payments at checkout.
  public: true
- id: 01aaaaaaaaaaaaac
  at: 2026-03-01T09:31:00Z
  by: carol
  type: note
  text: Rolled back deploy 4411 on dev-cluster-105.
`

func TestDemoBuilds(t *testing.T) {
	if _, err := os.Stat("../../sev.yaml"); err != nil {
		t.Skip("no demo data")
	}
	out, sum := build(t, "../..", Options{})
	if sum.Incidents < 40 || len(sum.Problems) != 0 {
		t.Errorf("built %d incidents with %d problems", sum.Incidents, len(sum.Problems))
	}
	files := tree(t, out)
	for _, want := range []string{"index.html", "library/index.html", "postmortems/index.html", "people/index.html",
		"oncall/index.html", "status/index.html", "status/feed.xml", "404.html", "assets/style.css"} {
		if files[want] == nil {
			t.Errorf("%s is missing", want)
		}
	}
	if !bytes.Contains(files["index.html"], []byte("Checkout latency spikes in EU")) {
		t.Error("the Now page does not list the demo's open SEV2")
	}
	for p := range files {
		if strings.Contains(p, "security-review") {
			t.Errorf("a restricted demo incident has a file: %s", p)
		}
	}
}

// TestDeterministic: one repository builds byte-identical sites.
func TestDeterministic(t *testing.T) {
	dir := repo(t, merge(map[string]string{"sev.yaml": testSettings}, incidentFiles("2026-03-01-checkout-errors", plainRecord, plainTimeline)))
	a, _ := build(t, dir, Options{BaseURL: "https://example.github.io/incidents/"})
	b, _ := build(t, dir, Options{BaseURL: "https://example.github.io/incidents/"})
	ta, tb := tree(t, a), tree(t, b)
	if len(ta) != len(tb) {
		t.Fatalf("%d files, then %d", len(ta), len(tb))
	}
	for p, data := range ta {
		if !bytes.Equal(data, tb[p]) {
			t.Errorf("%s differs between two builds", p)
		}
	}
}

var attrURL = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

// TestLinksResolve: every relative link and asset of every page names a
// file of the site, so the site works under any base path.
func TestLinksResolve(t *testing.T) {
	var dir string
	if _, err := os.Stat("../../sev.yaml"); err == nil {
		dir = "../.."
	} else {
		dir = repo(t, merge(map[string]string{"sev.yaml": testSettings}, incidentFiles("2026-03-01-checkout-errors", plainRecord, plainTimeline)))
	}
	out, _ := build(t, dir, Options{BaseURL: "https://example.github.io/incidents/"})
	files := tree(t, out)
	checked := 0
	for p, data := range files {
		if !strings.HasSuffix(p, ".html") || p == "404.html" {
			continue
		}
		for _, m := range attrURL.FindAllSubmatch(data, -1) {
			u := string(m[1])
			if strings.HasPrefix(u, "http") || strings.HasPrefix(u, "#") || strings.HasPrefix(u, "mailto:") {
				continue
			}
			if strings.HasPrefix(u, "/") {
				t.Errorf("%s: root-absolute link %q breaks under a base path", p, u)
				continue
			}
			u = strings.SplitN(u, "#", 2)[0]
			target := filepath.ToSlash(filepath.Join(filepath.Dir(p), u))
			if strings.HasSuffix(u, "/") || u == "" {
				target = strings.TrimPrefix(target+"/index.html", "./")
			}
			if files[target] == nil {
				t.Errorf("%s: link %q names no file (%s)", p, m[1], target)
			}
			checked++
		}
	}
	if checked < 100 {
		t.Errorf("only %d links checked", checked)
	}
	if !bytes.Contains(files["sitemap.xml"], []byte("<loc>https://example.github.io/incidents/incidents/")) {
		t.Error("the sitemap does not use the base URL")
	}
	if !bytes.Contains(files["404.html"], []byte(`href="/incidents/assets/style.css"`)) {
		t.Error("404.html does not link from the base path")
	}
}

func TestOutputSafety(t *testing.T) {
	dir := repo(t, merge(map[string]string{"sev.yaml": testSettings}, incidentFiles("2026-03-01-checkout-errors", plainRecord, plainTimeline)))
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "keep.txt"), []byte("mine"), 0o644)
	if _, _, err := Build(os.DirFS(dir), settings(t, dir), Options{Out: other, Now: testNow}); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("building into a folder sev did not make: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(other, "keep.txt")); string(b) != "mine" {
		t.Error("a file of the user's was touched")
	}
	// a stale page of an earlier build is removed
	out, _ := build(t, dir, Options{})
	os.MkdirAll(filepath.Join(out, "incidents", "gone"), 0o755)
	os.WriteFile(filepath.Join(out, "incidents", "gone", "index.html"), []byte("old"), 0o644)
	build(t, dir, Options{Out: out})
	if _, err := os.Stat(filepath.Join(out, "incidents", "gone")); err == nil {
		t.Error("a stale page survived a rebuild")
	}
}

func TestThemeOverride(t *testing.T) {
	files := merge(map[string]string{"sev.yaml": testSettings,
		"site/templates/now.html": `{{define "main"}}<p class="mine">{{len .Data.Open}} open at {{.Site.Name}}</p>{{end}}`,
		"site/assets/extra.css":   "p{}"},
		incidentFiles("2026-03-01-checkout-errors", plainRecord, plainTimeline))
	out, _ := build(t, repo(t, files), Options{})
	got := tree(t, out)
	if !bytes.Contains(got["index.html"], []byte(`<p class="mine">1 open at Test Org</p>`)) {
		t.Errorf("the override of now.html was not used:\n%s", got["index.html"])
	}
	if string(got["assets/extra.css"]) != "p{}" || got["assets/style.css"] == nil {
		t.Error("override assets are not laid over the default ones")
	}
	files["site/templates/now.html"] = "{{define \"main\"}}\n{{.Nope}"
	dir := repo(t, files)
	_, _, err := Build(os.DirFS(dir), settings(t, dir), Options{Out: filepath.Join(t.TempDir(), "p"), Now: testNow})
	if err == nil || !strings.Contains(err.Error(), "site/templates/now.html:2") {
		t.Errorf("a broken template: %v", err)
	}
}

// TestRebuildMatchesBuild: after a note is appended to one incident, an
// incremental rebuild leaves the same files as a full build, except the
// other incidents' own pages (whose "similar incidents" may lag).
func TestRebuildMatchesBuild(t *testing.T) {
	if _, err := os.Stat("../../sev.yaml"); err != nil {
		t.Skip("no demo data")
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../..")); err != nil {
		t.Fatal(err)
	}
	s := settings(t, dir)
	out := filepath.Join(t.TempDir(), "public")
	st, _, err := Build(os.DirFS(dir), s, Options{Out: out, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	id := "2026-11-20-leipzig-warehouse-inventory-feed-delayed"
	tl := filepath.Join(dir, "incidents", "2026", id, "timeline.yaml")
	f, err := os.OpenFile(tl, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("- id: 01zzzznewnote0001\n  at: 2026-11-21T10:00:00Z\n  by: grace\n  type: note\n  text: Importer caught up with the outbox\n")
	f.Close()
	// and its status, which its listing rows show
	rec := filepath.Join(dir, "incidents", "2026", id, "incident.yaml")
	b, err := os.ReadFile(rec)
	if err != nil || !bytes.Contains(b, []byte("\nstatus: open\n")) {
		t.Fatalf("the demo incident changed: %v", err)
	}
	os.WriteFile(rec, bytes.Replace(b, []byte("\nstatus: open\n"), []byte("\nstatus: closed\n"), 1), 0o644)
	sum, err := st.Rebuild(s, []string{id})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Changed) == 0 || len(sum.Changed) > 40 {
		t.Errorf("the rebuild changed %d files", len(sum.Changed))
	}
	full, _ := build(t, dir, Options{})
	got, want := tree(t, out), tree(t, full)
	for p, data := range want {
		if strings.HasPrefix(p, "incidents/") && !strings.HasPrefix(p, "incidents/"+id+"/") {
			continue
		}
		if !bytes.Equal(got[p], data) {
			t.Errorf("%s differs from a full build", p)
		}
	}
	for p := range got {
		if want[p] == nil {
			t.Errorf("%s is left over", p)
		}
	}
	if !bytes.Contains(got["incidents/"+id+"/index.html"], []byte("Importer caught up with the outbox")) {
		t.Error("the note is not on the incident's page")
	}
}

// TestReportsRange: sev.yaml's reports period bounds the reports, a flag
// overrides one bound, and every other page still has every incident.
func TestReportsRange(t *testing.T) {
	older := func(s string) string { return strings.ReplaceAll(s, "2026-03-01", "2024-05-01") }
	dir := repo(t, merge(map[string]string{"sev.yaml": testSettings + "reports:\n  since: 2024-01-01\n  until: 2024-12-31\n"},
		incidentFiles("2026-03-01-checkout-errors", plainRecord, plainTimeline),
		incidentFiles("2024-05-01-checkout-errors", older(plainRecord), older(plainTimeline))))
	out, _ := build(t, dir, Options{})
	files := tree(t, out)
	monthly := string(files["reports/incidents-monthly.json"])
	for _, want := range []string{`"unit": "month"`, `"from": "2024-01-01"`, `"to": "2024-12-31"`, `"total": 1`} {
		if !strings.Contains(monthly, want) {
			t.Errorf("the monthly report has no %s:\n%s", want, monthly)
		}
	}
	page := string(files["reports/index.html"])
	if !strings.Contains(page, "These reports cover the incidents declared from 1 Jan 2024 to 31 Dec 2024.") {
		t.Errorf("the reports page does not say its period:\n%s", page)
	}
	for _, id := range []string{"2026-03-01-checkout-errors", "2024-05-01-checkout-errors"} {
		if files["incidents/"+id+"/index.html"] == nil || !bytes.Contains(files["library/index.html"], []byte(id)) {
			t.Errorf("%s is not in the library, whatever the reports' period", id)
		}
	}

	out, _ = build(t, dir, Options{Reports: report.Range{Until: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)}})
	monthly = string(tree(t, out)["reports/incidents-monthly.json"])
	for _, want := range []string{`"unit": "month"`, `"from": "2024-01-01"`, `"to": "2026-03-02"`, `"total": 2`} {
		if !strings.Contains(monthly, want) {
			t.Errorf("with --until the monthly report has no %s:\n%s", want, monthly)
		}
	}
}
