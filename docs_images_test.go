package sev

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// mdImage is a Markdown image: ![alt](path).
var mdImage = regexp.MustCompile(`!\[([^\]]*)\]\(([^)\s]+)\)`)

// TestDocsImages holds the pictures in README.md and docs/*.md to the
// files: each one shown from the repository exists and says in its alt text what it shows,
// and each picture in docs/img is shown somewhere.
func TestDocsImages(t *testing.T) {
	docs, _ := filepath.Glob("docs/*.md")
	shown := map[string]bool{}
	for _, doc := range append([]string{"README.md"}, docs...) {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mdImage.FindAllStringSubmatch(string(text), -1) {
			alt, ref := strings.TrimSpace(m[1]), m[2]
			if strings.Contains(ref, "://") {
				continue // an example of an address elsewhere
			}
			file := filepath.Join(filepath.Dir(doc), filepath.FromSlash(ref))
			if _, err := os.Stat(file); err != nil {
				t.Errorf("%s shows %s, which is not there", doc, ref)
			}
			if len(alt) < 10 {
				t.Errorf("%s shows %s with the alt text %q; say what it shows", doc, ref, alt)
			}
			shown[filepath.ToSlash(filepath.Clean(file))] = true
		}
	}
	pictures, _ := filepath.Glob("docs/img/*.png")
	if len(pictures) == 0 {
		t.Fatal("no pictures in docs/img")
	}
	for _, p := range pictures {
		if !shown[filepath.ToSlash(p)] {
			t.Errorf("%s is shown nowhere in README.md or docs/*.md", p)
		}
	}
}
