package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/browsertest"
)

// TestScreenshots takes every picture of the list into a temporary folder:
// each is a PNG of its window's size with a page drawn in it, and the
// pictures committed in docs/img are exactly the list's.
func TestScreenshots(t *testing.T) {
	browsertest.Chromium(t)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"-C", "../..", "-out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
	for _, s := range shots {
		data, err := os.ReadFile(filepath.Join(out, s.name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if b := img.Bounds(); int64(b.Dx()) != s.width || int64(b.Dy()) != s.height {
			t.Errorf("%s is %d×%d, want %d×%d", s.name, b.Dx(), b.Dy(), s.width, s.height)
		}
		if n := colours(img); n < 64 {
			t.Errorf("%s has %d colours: no page was drawn", s.name, n)
		}
		if !strings.Contains(stdout.String(), s.name+".png") {
			t.Errorf("the output does not name %s.png:\n%s", s.name, stdout.String())
		}
	}
	committed, _ := filepath.Glob("../../docs/img/*.png")
	var names, want []string
	for _, f := range committed {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".png"))
	}
	for _, s := range shots {
		want = append(want, s.name)
	}
	slices.Sort(names)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("docs/img holds %v, the list takes %v: run scripts/screenshots.sh", names, want)
	}
}

// colours counts the distinct colours of a picture, up to 1000.
func colours(img image.Image) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y && len(seen) < 1000; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
		}
	}
	return len(seen)
}

func TestUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-only", "now,nothing"}, `-only: no picture is called "nothing"`},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"-bogus"}, "flag provided but not defined: -bogus"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), c.args, &stdout, &stderr); code != 2 {
			t.Errorf("%v: exit %d, want 2", c.args, code)
		}
		if !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%v: stderr %q does not say %q", c.args, stderr.String(), c.want)
		}
	}
}
