package ghaction

import (
	"bytes"
	"io/fs"
	"strings"
	"testing"

	"github.com/sev-dev/sev"
)

const testCommit = "4f2e8a9c1b3d5e7f90a1b2c3d4e5f60718293a4b"

func TestUsePinned(t *testing.T) {
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
		"      - uses: ./\n", "      - uses: sev-dev/sev@"+testCommit+" # v1.4.0\n",
		"        uses:   ./  \n", "        uses:   sev-dev/sev@"+testCommit+" # v1.4.0\n",
	).Replace(in)
	got, err := UsePinned([]byte(in), testCommit, "v1.4.0")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	for _, ref := range []string{"", "main", "v1", "v1.4", "latest", "3d3c42e", "v1.4.0\nuses: evil/action@main", strings.Repeat("A", 40), "v1.4.0"} {
		if _, err := UsePinned([]byte(in), ref, ""); err == nil {
			t.Errorf("commit %q accepted", ref)
		}
		if _, err := UsePinned([]byte(in), testCommit, ref); err == nil && ref != "" && ref != "v1.4.0" {
			t.Errorf("tag %q accepted", ref)
		}
	}
	if _, err := UsePinned([]byte(in), strings.Repeat("a", 40), ""); err != nil {
		t.Errorf("a full commit id: %v", err)
	}
}

// TestUsePinnedShipped rewrites the workflows sev ships (sev init writes
// them; ci.yml and release.yml are sev's own): each uses the action, and
// afterwards none uses it from the checkout.
func TestUsePinnedShipped(t *testing.T) {
	files, _ := fs.Glob(sev.GitHub, ".github/workflows/*.yml")
	if len(files) == 0 {
		t.Fatal("no workflows under .github/workflows")
	}
	for _, f := range files {
		data, err := fs.ReadFile(sev.GitHub, f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := UsePinned(data, testCommit, "v1.4.0")
		if err != nil {
			t.Fatal(err)
		}
		use := "sev-dev/sev@" + testCommit + " # v1.4.0"
		n := bytes.Count(got, []byte("uses: "+use+"\n"))
		if n == 0 || localUse.Match(got) || len(got) != len(data)+n*len(use)-n*len("./") {
			t.Errorf("%s: %d steps rewritten, and uses: ./ left: %v", f, n, localUse.Match(got))
		}
	}
}
