package cli

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sev-dev/sev/internal/attachment"
	"github.com/sev-dev/sev/internal/browsertest"
	"github.com/sev-dev/sev/internal/serve"
)

// TestServe starts sev serve on a fresh repository, checks the pages and
// headers it serves, and that a note written by another sev process shows
// on the incident's page without a restart.
func TestServe(t *testing.T) {
	repo, env := gitRepo(t)
	run := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if code := Main(append([]string{"-C", repo}, args...), env, strings.NewReader(""), &out, &errb); code != 0 {
			t.Fatalf("sev %v: exit %d\n%s", args, code, errb.String())
		}
		return out.String()
	}
	run("init")
	run("declare", "Checkout errors in EU", "--sev", "1")

	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	a := &app{stdin: strings.NewReader(""), stdout: pw, raw: pw, stderr: io.Discard, env: env, ctx: ctx, now: time.Now}
	go func() {
		root := a.rootCmd()
		root.SetArgs([]string{"-C", repo, "serve", "--addr", "127.0.0.1:0"})
		_, err := root.ExecuteC()
		done <- a.report(nil, err)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	base := ""
	for lines.Scan() {
		if u, ok := strings.CutPrefix(lines.Text(), "serving "); ok {
			base = strings.Fields(u)[0]
			break
		}
	}
	if base == "" {
		t.Fatal("sev serve did not say where it serves")
	}
	go io.Copy(io.Discard, pr)

	get := func(path string) (int, http.Header, string) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(b)
	}
	code, h, body := get("")
	if code != 200 || !strings.Contains(body, "Checkout errors in EU") {
		t.Fatalf("GET /: %d\n%s", code, body)
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("Content-Security-Policy: %q", csp)
	}
	if code, _, body := get("no/such/page/"); code != 404 || !strings.Contains(body, "Not found") {
		t.Errorf("a missing page: %d", code)
	}

	run("note", "checkout", "Rolled back deploy 4411")
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, _, body := get("")
		if strings.Contains(body, "Rolled back deploy 4411") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the note did not reach the Now page within 10 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("sev serve exited %d after its context ended", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("sev serve did not stop")
	}
}

// TestServeAttachmentsAreData: sev serve sends the attachment policy's
// types, and in Chromium no published attachment runs script, even when
// a file was put into the output folder under a name the policy would
// never give it.
func TestServeAttachmentsAreData(t *testing.T) {
	out := t.TempDir()
	att := filepath.Join(out, "incidents", "2026-03-01-x", "attachments")
	os.MkdirAll(att, 0o755)
	evil := `<!DOCTYPE html><script>alert("ran")</script><svg onload="alert('svg')"></svg>`
	zipped, err := attachment.Content("evil.html", []byte(evil))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"evil.html.zip": zipped, "notes.txt": []byte(evil), "fake.png": []byte(evil),
		"evil.html": []byte(evil), "evil.svg": []byte(evil), "noext": []byte(evil)}
	for name, b := range files {
		os.WriteFile(filepath.Join(att, name), b, 0o644)
	}
	srv := httptest.NewServer(serve.Handler(out))
	t.Cleanup(srv.Close)
	for name, want := range map[string]string{"evil.html.zip": "application/zip", "notes.txt": "application/octet-stream",
		"fake.png": "image/png", "evil.html": "application/octet-stream", "evil.svg": "application/octet-stream", "noext": "application/octet-stream"} {
		resp, err := http.Get(srv.URL + "/incidents/2026-03-01-x/attachments/" + name)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		if got := h.Get("Content-Type"); got != want {
			t.Errorf("%s: Content-Type %q, want %q", name, got, want)
		}
		inline := strings.HasPrefix(want, "image/") || strings.HasPrefix(want, "text/plain")
		if !inline && (h.Get("Content-Disposition") != "attachment" || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox")) {
			t.Errorf("%s: a download without Content-Disposition: attachment and a sandbox: %v", name, h)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", name)
		}
	}
	b := browsertest.New(t)
	for name := range files {
		ctx, cancel := context.WithTimeout(b.Ctx, 10*time.Second)
		chromedp.Run(ctx, chromedp.Navigate(srv.URL+"/incidents/2026-03-01-x/attachments/"+name))
		cancel()
		time.Sleep(100 * time.Millisecond)
	}
	if d := b.Dialogs(); len(d) > 0 {
		t.Errorf("an attachment ran script under sev serve: %q", d)
	}
}
