package cli

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServe starts sev serve on a fresh repository, checks the pages and
// headers it serves, and that a note written by another sev process shows
// on the incident's page without a restart.
func TestServe(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	os.MkdirAll(home, 0o755)
	os.WriteFile(filepath.Join(home, ".gitconfig"), []byte("[user]\n\tname = Alice Example\n\temail = alice@example.com\n[init]\n\tdefaultBranch = main\n"), 0o644)
	repo := filepath.Join(dir, "repo")
	os.MkdirAll(repo, 0o755)
	env := []string{"HOME=" + home, "GIT_CONFIG_NOSYSTEM=1", "PATH=" + os.Getenv("PATH")}
	run := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if code := Main(append([]string{"-C", repo}, args...), env, strings.NewReader(""), &out, &errb); code != 0 {
			t.Fatalf("sev %v: exit %d\n%s", args, code, errb.String())
		}
		return out.String()
	}
	if out, err := exec.Command("git", "-C", repo, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
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
