package workspace

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/sev-dev/sev/internal/config"
)

// TestSettingsCache: the settings read from .git/sev/settings.json are
// exactly what parsing sev.yaml gives — findings, defaults, empty lists
// that mean "none" — and a changed sev.yaml is parsed again.
func TestSettingsCache(t *testing.T) {
	dir, _ := testRepo(t, "2026-03-02T10:00:00Z")
	template, err := config.Template("Acme", "Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	own, _ := os.ReadFile("../../sev.yaml")
	inputs := map[string]string{
		"template": string(template),
		"own":      string(own),
		"empty":    "",
		"nones":    "roles: []\norgs: []\nsearch:\n  synonyms: {}\npostmortems:\n  due: []\n",
		"broken":   "name: x\nstatuses: []\nunknown: 1\ntimezone: Mars/Olympus\nchecks:\n  unknown-tag: loud\nsearch:\n  synonyms:\n    k8s: [kubernetes, \"\"]\n",
		"people": "people:\n  - handle: alice\n    timezone: Asia/Tokyo\n    working-hours: {days: [mon, tue], from: \"08:00\", to: \"16:00\"}\n" +
			"  - handle: bob\n    orgs: [sre]\norgs:\n  - name: sre\nlimits:\n  timeline: 1000\n",
	}
	for name, text := range inputs {
		if err := os.WriteFile(filepath.Join(dir, config.File), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		want, wantDiags := config.Parse(config.File, []byte(text))
		for round := range 2 { // the first parses and writes the cache, the second reads it
			got, diags, err := readSettings(dir, os.DirFS(dir))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, round %d: the settings differ from Parse's:\n got %+v\nwant %+v", name, round, got, want)
			}
			if !reflect.DeepEqual(diags, wantDiags) && !(len(diags) == 0 && len(wantDiags) == 0) {
				t.Errorf("%s, round %d: findings %v, want %v", name, round, diags, wantDiags)
			}
		}
	}
	// the cache is what answers: a cache for these bytes is believed ...
	text := "name: cached\n"
	os.WriteFile(filepath.Join(dir, config.File), []byte(text), 0o644)
	if s, _, _ := readSettings(dir, os.DirFS(dir)); s.Name != "cached" {
		t.Fatalf("name %q", s.Name)
	}
	cache := filepath.Join(dir, ".git", "sev", settingsCache)
	b, _ := os.ReadFile(cache)
	os.WriteFile(cache, []byte(string(b[:len(b)-3])), 0o644) // torn
	if s, _, err := readSettings(dir, os.DirFS(dir)); err != nil || s.Name != "cached" {
		t.Errorf("a torn cache: %v, %v", s, err)
	}
	// ... and other bytes are parsed again
	os.WriteFile(filepath.Join(dir, config.File), []byte("name: changed\n"), 0o644)
	if s, _, _ := readSettings(dir, os.DirFS(dir)); s.Name != "changed" {
		t.Errorf("after an edit the name is %q", s.Name)
	}
}
