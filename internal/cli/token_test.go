package cli_test

import (
	"encoding/base64"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestPushWithGitHubToken: in GitHub Actions the only credential is
// GITHUB_TOKEN. Against a real smart-HTTP git server (git http-backend
// behind an httptest server that demands the token the way GitHub does),
// `sev note --push` authenticates with it, and without it the push fails
// with git's own message.
func TestPushWithGitHubToken(t *testing.T) {
	env := gitEnv(t)
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Skip("git --exec-path:", err)
	}
	backend := filepath.Join(strings.TrimSpace(string(out)), "git-http-backend")
	root := t.TempDir()
	git(t, env, root, "init", "-q", "--bare", "remote.git")
	git(t, env, filepath.Join(root, "remote.git"), "config", "http.receivepack", "true")
	const token = "ghs_exampletoken123"
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("x-access-token:"+token))
	var authorised atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, cred, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if !strings.EqualFold(scheme, "basic") || "Basic "+cred != want { // the scheme is case-insensitive (RFC 7235)
			w.Header().Set("WWW-Authenticate", `Basic realm="GitHub"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		authorised.Add(1)
		h := &cgi.Handler{Path: backend, Env: []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1"}}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()

	// the token is only ever sent over https; trust the test server's certificate
	env = append(env, "GIT_SSL_NO_VERIFY=1")
	seed := filepath.Join(root, "seed")
	git(t, env, root, "init", "-q", seed)
	git(t, env, seed, "remote", "add", "origin", srv.URL+"/remote.git")
	withToken := append(append([]string{}, env...), "GITHUB_TOKEN="+token)
	if _, e, code := sev(t, withToken, seed, "init", "--push"); code != 0 {
		t.Fatalf("init --push with GITHUB_TOKEN: %s", e)
	}
	if _, e, code := sev(t, withToken, seed, "declare", "Checkout errors in EU", "--push"); code != 0 {
		t.Fatalf("declare --push with GITHUB_TOKEN: %s", e)
	}
	if authorised.Load() == 0 {
		t.Fatal("the server never saw the token")
	}
	if _, e, code := sev(t, env, seed, "note", "checkout", "no token", "--push"); code == 0 {
		t.Error("a push without credentials succeeded")
	} else if !strings.Contains(e, "the push failed") || strings.Contains(e, token) {
		t.Errorf("unexpected message without a token:\n%s", e)
	}
	log := git(t, env, filepath.Join(root, "remote.git"), "log", "--format=%s")
	if !strings.Contains(log, "declare \"Checkout errors in EU\"") {
		t.Errorf("remote log:\n%s", log)
	}
}
