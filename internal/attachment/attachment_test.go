package attachment

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestPublished(t *testing.T) {
	for name, want := range map[string]string{
		"error-rate.txt": "error-rate.txt.zip",
		"graph.PNG":      "graph.PNG",
		"report.pdf":     "report.pdf",
		"evil.html":      "evil.html.zip",
		"evil.HTM":       "evil.HTM.zip",
		"logo.svg":       "logo.svg.zip",
		"x.js":           "x.js.zip",
		"x.mjs":          "x.mjs.zip",
		"page.xhtml":     "page.xhtml.zip",
		"feed.xml":       "feed.xml.zip",
		"dump.zip":       "dump.zip.zip",
		"noextension":    "noextension.zip",
		"trailing.":      "trailing..zip",
		"data.json":      "data.json.zip",
	} {
		if got := Published(name); got != want {
			t.Errorf("Published(%q) = %q, want %q", name, got, want)
		}
	}
}

// What is shown inline is served, by Go's own table of types, as an
// image, a PDF or plain text: never a type a browser runs.
func TestInlineTypesAreInert(t *testing.T) {
	for ext, typ := range inline {
		got, ok := ContentType("x" + ext)
		if !ok || got != typ {
			t.Errorf("ContentType(x%s) = %q, %v", ext, got, ok)
		}
		if !strings.HasPrefix(typ, "image/") && typ != "application/pdf" {
			t.Errorf("%s is shown inline as %q, which is not an image or a PDF", ext, typ)
		}
	}
	if _, ok := ContentType("evil.html.zip"); ok {
		t.Error("a .bin file is shown inline")
	}
}

// A download is a ZIP archive that holds the file under its name, the same
// bytes each time, and that no sniffing host can take for HTML.
func TestContent(t *testing.T) {
	evil := []byte("<!DOCTYPE html><script>alert(1)</script>")
	a, err := Content("evil.html", evil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Content("evil.html", evil)
	if !bytes.Equal(a, b) {
		t.Error("two builds give different archives")
	}
	if got := http.DetectContentType(a); got != "application/zip" {
		t.Errorf("sniffed as %q", got)
	}
	zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	if err != nil || len(zr.File) != 1 || zr.File[0].Name != "evil.html" {
		t.Fatalf("archive: %v %v", err, zr)
	}
	rc, _ := zr.File[0].Open()
	got, _ := io.ReadAll(rc)
	if !bytes.Equal(got, evil) {
		t.Errorf("archive holds %q", got)
	}
	if plain, _ := Content("graph.png", evil); !bytes.Equal(plain, evil) {
		t.Error("an inline attachment was changed")
	}
}

func TestText(t *testing.T) {
	if !Text("x.log", []byte("GET / 500\n")) || Text("x.log", []byte("a\x00b")) || Text("x.bin", []byte{0xff, 0xfe}) || Text("x.png", []byte("text")) {
		t.Error("Text misjudges")
	}
}

func TestListed(t *testing.T) {
	for name, want := range map[string]bool{"error-rate.csv": true, "a.b.c": true, "sub/x.txt": false, ".hidden": false, "../x": false, "": false, "a/": false} {
		if got := Listed(name); got != want {
			t.Errorf("Listed(%q) = %v, want %v", name, got, want)
		}
	}
}
