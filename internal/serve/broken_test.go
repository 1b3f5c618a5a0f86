package serve

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/site"
)

const (
	okID     = "2026-03-02-checkout-errors"
	secretID = "2026-03-03-restricted-thing"
)

func finding(id, msg string, line int) diag.Diagnostic {
	return diag.Diagnostic{Pos: diag.Pos{Path: "incidents/2026/" + id + "/incident.yaml", Line: line, Col: 11}, Check: "severity", Message: msg}
}

// TestBrokenPrintsOnlyNewFindings: each rebuild prints the findings the
// last one did not have, nothing for unchanged ones, and says when every
// file builds again.
func TestBrokenPrintsOnlyNewFindings(t *testing.T) {
	b := newBroken(t.TempDir())
	var out bytes.Buffer
	first := finding(okID, "severity 9 is not configured", 4)
	b.update(site.Summary{Problems: diag.List{first}}, &out, false)
	if out.Len() != 0 {
		t.Fatalf("the first build's findings were printed again: %q", out.String())
	}
	b.update(site.Summary{Problems: diag.List{first}}, &out, true)
	if out.Len() != 0 {
		t.Fatalf("an unchanged finding was printed again: %q", out.String())
	}
	moved := finding(okID, "severity 9 is not configured", 5)
	b.update(site.Summary{Problems: diag.List{moved}}, &out, true)
	if got, want := out.String(), "sev: incidents/2026/"+okID+"/incident.yaml:5:11: severity 9 is not configured [severity]\n"; got != want {
		t.Fatalf("printed %q, want %q", got, want)
	}
	out.Reset()
	b.update(site.Summary{}, &out, true)
	if out.String() != "sev: every file builds again\n" {
		t.Fatalf("printed %q", out.String())
	}
	out.Reset()
	b.update(site.Summary{}, &out, true)
	if out.Len() != 0 {
		t.Fatalf("printed %q with nothing changed", out.String())
	}
}

// TestBrokenPage: an incident whose page was built and whose file broke
// since gets an error page naming file, line, column and check, and none
// of the finding's text; an incident that never had a page (restricted,
// or broken from the start) gets the ordinary 404.
func TestBrokenPage(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "incidents", okID, "index.html")
	os.MkdirAll(filepath.Dir(page), 0o755)
	os.WriteFile(page, []byte("the page"), 0o644)
	os.WriteFile(filepath.Join(dir, "404.html"), []byte("Not found"), 0o644)
	b := newBroken(dir)
	b.update(site.Summary{}, io.Discard, false)
	os.RemoveAll(filepath.Dir(page)) // the rebuild left it out
	b.update(site.Summary{Problems: diag.List{
		finding(okID, "unknown customer \"Acme <script>\"", 7),
		finding(secretID, "unknown tag \"secret-merger\"", 3),
	}}, io.Discard, true)

	srv := httptest.NewServer(handler(dir, b))
	t.Cleanup(srv.Close)
	get := func(p string) (int, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	for _, p := range []string{"/incidents/" + okID + "/", "/incidents/" + okID + "/index.html"} {
		code, body := get(p)
		if code != http.StatusInternalServerError || !strings.Contains(body, "incidents/2026/"+okID+"/incident.yaml:7:11</code> [severity]") {
			t.Errorf("GET %s: %d\n%s", p, code, body)
		}
		if strings.Contains(body, "Acme") || strings.Contains(body, "<script>") {
			t.Errorf("GET %s: the error page shows the finding's text:\n%s", p, body)
		}
	}
	if code, body := get("/incidents/" + secretID + "/"); code != http.StatusNotFound || strings.Contains(body, "secret") {
		t.Errorf("an incident never built: %d\n%s", code, body)
	}
	b.update(site.Summary{}, io.Discard, true)
	if code, _ := get("/incidents/" + okID + "/"); code != http.StatusNotFound {
		t.Errorf("after the fix the error page stays: %d", code)
	}
}
