package search

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/attachtext/pdftest"
)

const (
	checkoutDir   = "incidents/2026/2026-03-02-checkout-errors-in-eu/attachments/"
	restrictedDir = "incidents/2026/2026-03-04-restricted-k7qz/attachments/"
)

// attachRepo is testRepo with attachments: a log, Markdown notes, a PDF,
// an image, an encrypted PDF, and a dump attached to the restricted
// incident.
func attachRepo(t *testing.T) string {
	root := testRepo(t)
	write(t, root, map[string][]byte{
		checkoutDir + "gateway.log": []byte("14:31:02 ERROR zanzibar-gateway-7 refused the connection\n"),
		checkoutDir + "notes.md":    []byte("# Notes\n\nThe **quokka** runbook is [here](https://hidden-target.example.com/rb).\n"),
		checkoutDir + "report.pdf":  pdftest.PDF(pdftest.Options{Compress: true, Kerned: true}, "Vendor report", "The platypus overflow began at 14:02"),
		checkoutDir + "graph.png":   []byte("\x89PNG\r\n\x1a\nplatypus"),
		checkoutDir + "locked.pdf":  pdftest.PDF(pdftest.Options{Encrypted: true}, "the numbat secret"),
		checkoutDir + ".hidden.txt": []byte("wallaby\n"),
		restrictedDir + "dump.txt":  []byte("payroll bucket wombat-key-99\n"),
		"incidents/2026/2026-03-05-database-timeouts/attachments/slow.csv": []byte("query,ms\nselect-ledger,9000\n"),
	})
	return root
}

func write(t *testing.T, root string, files map[string][]byte) {
	t.Helper()
	for p, b := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSearchAttachments(t *testing.T) {
	root := attachRepo(t)
	var warnings []string
	x := openTest(t, root, &warnings)
	if _, err := x.Sync(false, false); err != nil {
		t.Fatal(err)
	}
	for q, name := range map[string]string{"zanzibar-gateway-7": "gateway.log", "quokka": "notes.md", "platypus overflow": "report.pdf", "select-ledger": "slow.csv"} {
		r := find(t, x, q, false)
		if len(r.Hits) != 1 {
			t.Errorf("%s: %d hits, want 1", q, len(r.Hits))
			continue
		}
		s := r.Hits[0].Snippets
		if len(s) == 0 || s[0].Field != "attachment" || s[0].Attachment != name || s[0].Where != `attachment "`+name+`"` || len(s[0].Highlights) == 0 {
			t.Errorf("%s: snippets %+v, want one from %s", q, s, name)
		}
	}
	// the words of a binary file, a hidden file, an encrypted PDF and a
	// link's target are not searchable
	for _, q := range []string{"png", "wallaby", "numbat", "hidden-target"} {
		if r := find(t, x, q, false); r.Total != 0 {
			t.Errorf("%s: %s", q, ids(r))
		}
	}
	if !hasWarning(warnings, checkoutDir+"locked.pdf: text not searchable: the PDF is encrypted") {
		t.Errorf("warnings: %q", warnings)
	}
	// restricted: like the rest of the incident's text, only when asked
	if r := find(t, x, "wombat-key-99", false); r.Total != 0 {
		t.Errorf("a restricted incident's attachment was found: %s", ids(r))
	}
	if _, err := x.Sync(true, false); err != nil {
		t.Fatal(err)
	}
	if r := find(t, x, "wombat-key-99", true); ids(r) != "2026-03-04-restricted-k7qz" {
		t.Errorf("with restricted: %q", ids(r))
	}
	if r := find(t, x, "wombat-key-99", false); r.Total != 0 {
		t.Errorf("the restricted index answered an ordinary search: %s", ids(r))
	}
}

func hasWarning(ws []string, want string) bool {
	for _, w := range ws {
		if strings.Contains(w, want) {
			return true
		}
	}
	return false
}

// TestSyncAttachments: an attachment added, edited or removed re-indexes
// its incident, and nothing else.
func TestSyncAttachments(t *testing.T) {
	root := attachRepo(t)
	x := openTest(t, root, nil)
	if _, err := x.Sync(false, false); err != nil {
		t.Fatal(err)
	}
	write(t, root, map[string][]byte{
		checkoutDir + "gateway.log":                                        []byte("14:31:02 ERROR kookaburra-gateway-8 refused the connection\n"),
		"incidents/2026/2026-03-05-database-timeouts/attachments/plan.txt": []byte("promote the echidna replica\n"),
	})
	if err := os.Remove(filepath.Join(root, checkoutDir, "report.pdf")); err != nil {
		t.Fatal(err)
	}
	st, err := x.Sync(false, true)
	if err != nil {
		t.Fatal(err)
	}
	if st.Changed != 2 {
		t.Errorf("changed %d, want 2", st.Changed)
	}
	for q, want := range map[string]string{"kookaburra-gateway-8": "2026-03-02-checkout-errors-in-eu", "zanzibar-gateway-7": "", "platypus": "", "echidna": "2026-03-05-database-timeouts"} {
		if got := ids(find(t, x, q, false)); got != want {
			t.Errorf("%s: %q, want %q", q, got, want)
		}
	}
	if st, err := x.Sync(false, true); err != nil || st.Changed != 0 {
		t.Errorf("nothing changed: %+v %v", st, err)
	}
	// a file added next to the others
	write(t, root, map[string][]byte{checkoutDir + "later.txt": []byte("the dingo report\n")})
	if st, err := x.Sync(false, true); err != nil || st.Changed != 1 || ids(find(t, x, "dingo", false)) != "2026-03-02-checkout-errors-in-eu" {
		t.Errorf("a file added: %+v %v", st, err)
	}
	// a new process reads the attachments' state from the manifest
	x.Close()
	y := openTest(t, root, nil)
	if st, err := y.Sync(false, true); err != nil || st.Changed != 0 {
		t.Errorf("reopened: %+v %v", st, err)
	}
}

// TestSnippetWithoutBreaks: text without spaces (a minified JSON file) is
// cut to about the snippet's length around the match.
func TestSnippetWithoutBreaks(t *testing.T) {
	text := strings.Repeat(`{"k":"v"},`, 5000) + `"needle"` + strings.Repeat(`,{"k":"é"}`, 5000)
	i := strings.Index(text, "needle")
	s, hs := window(text, [][2]int{{i, i + 6}})
	if len(s) > snippetLen+2*maxStretch+10 || len(hs) != 1 || s[hs[0][0]:hs[0][1]] != "needle" || !strings.HasPrefix(s, "… ") {
		t.Errorf("snippet of %d bytes, highlights %v", len(s), hs)
	}
}
