package main

import (
	"bytes"
	"encoding/json"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/gen"
)

func TestExport(t *testing.T) {
	repo := filepath.Join(t.TempDir(), "repo")
	if _, err := gen.Generate(repo, gen.Options{Incidents: 60, Seed: 2,
		Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "site")
	n, err := export(repo, out)
	if err != nil {
		t.Fatal(err)
	}
	pages, _ := filepath.Glob(filepath.Join(out, "content", "incidents", "*", "*-*.md"))
	if n == 0 || len(pages) != n {
		t.Fatalf("%d incidents exported, %d incident pages", n, len(pages))
	}
	withTimeline := 0
	for _, p := range pages {
		fm := frontMatterOf(t, p)
		if fm.Title == "" || fm.ID != strings.TrimSuffix(filepath.Base(p), ".md") || len(fm.Severities) != 1 {
			t.Errorf("%s: front matter %+v", p, fm)
		}
		if len(fm.Timeline) > 0 {
			withTimeline++
		}
	}
	if withTimeline != n {
		t.Errorf("%d of %d pages have a timeline", withTimeline, n)
	}
	if _, err := export(repo, out); err == nil {
		t.Error("export into a folder that is not empty: no error")
	}
	if _, err := exec.LookPath("hugo"); err == nil {
		checkHugo(t, out, frontMatterOf(t, pages[0]))
	}
}

func frontMatterOf(t *testing.T, file string) page {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var fm page
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&fm); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return fm
}

// checkHugo builds the site and looks for what Pagefind reads on an
// incident page: the body to index and the filters.
func checkHugo(t *testing.T, site string, fm page) {
	cmd := exec.Command("hugo", "--source", site, "--destination", filepath.Join(site, "public"), "--quiet")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("hugo: %v\n%s", err, b)
	}
	out, err := os.ReadFile(filepath.Join(site, "public", "incidents", fm.ID, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<article data-pagefind-body>",
		`data-pagefind-filter="severity">` + fm.SeverityName + "<",
		`data-pagefind-filter="status">` + fm.Status + "<",
		"<h1>" + html.EscapeString(fm.Title) + "</h1>",
		fm.Timeline[0].Show,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the page of %s lacks %q", fm.ID, want)
		}
	}
	if _, err := os.Stat(filepath.Join(site, "public", "severities", strings.ToLower(fm.SeverityName), "index.html")); err != nil {
		t.Errorf("no severity page: %v", err)
	}
}
