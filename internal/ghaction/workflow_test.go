package ghaction

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUsePublished(t *testing.T) {
	in := `jobs:
  a:
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
      - uses: ./
        with:
          command: automate
      - name: Build
        uses:   ./  
      - uses: ./.github/actions/other
      - run: echo "uses: ./"
  b:
    uses: ./.github/workflows/site.yml
`
	want := strings.NewReplacer(
		"      - uses: ./\n", "      - uses: sev-dev/sev@v1.4.0\n",
		"        uses:   ./  \n", "        uses:   sev-dev/sev@v1.4.0\n",
	).Replace(in)
	got, err := UsePublished([]byte(in), "v1.4.0")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	for _, ref := range []string{"", "main", "v1", "v1.4", "latest", "3d3c42e", "v1.4.0\nuses: evil/action@main", strings.Repeat("A", 40)} {
		if _, err := UsePublished([]byte(in), ref); err == nil {
			t.Errorf("ref %q accepted", ref)
		}
	}
	if _, err := UsePublished([]byte(in), strings.Repeat("a", 40)); err != nil {
		t.Errorf("a full commit id: %v", err)
	}
}

// TestUsePublishedShipped rewrites the workflows sev ships: each uses the
// action, and afterwards none uses it from the checkout.
func TestUsePublishedShipped(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", ".github", "workflows", "*.yml"))
	if len(files) == 0 {
		t.Fatal("no workflows under .github/workflows")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := UsePublished(data, "v1.4.0")
		if err != nil {
			t.Fatal(err)
		}
		n := bytes.Count(got, []byte("uses: sev-dev/sev@v1.4.0\n"))
		if n == 0 || localUse.Match(got) || len(got) != len(data)+n*len("sev-dev/sev@v1.4.0")-n*len("./") {
			t.Errorf("%s: %d steps rewritten, and uses: ./ left: %v", f, n, localUse.Match(got))
		}
	}
}
