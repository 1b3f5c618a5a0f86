package sev

// TestActionInstall runs scripts/action.sh — how action.yml gets the sev it
// runs — against a fake release server and a local git remote: which
// release a ref means, the download for each runner, the refusal of an
// archive that does not match checksums.txt, and a cache key for source
// builds that follows what goes into the binary and nothing else.

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// fakeRelease is v1.2.3's files as GoReleaser names them.
func fakeRelease(t *testing.T) map[string][]byte {
	t.Helper()
	script := []byte("#!/bin/sh\necho 'sev v1.2.3 (from the release)'\n")
	files := map[string][]byte{}
	for _, p := range []string{"linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64"} {
		var buf bytes.Buffer
		gz := gzip.NewWriter(&buf)
		tw := tar.NewWriter(gz)
		for name, data := range map[string][]byte{"sev": script, "README.md": []byte("# sev\n"), "LICENSE": []byte("Apache\n")} {
			tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(data)), Typeflag: tar.TypeReg})
			tw.Write(data)
		}
		tw.Close()
		gz.Close()
		files["sev_1.2.3_"+p+".tar.gz"] = buf.Bytes()
	}
	for _, p := range []string{"windows_amd64", "windows_arm64"} {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("sev.exe")
		w.Write(script)
		zw.Close()
		files["sev_1.2.3_"+p+".zip"] = buf.Bytes()
	}
	var sums strings.Builder
	for name, data := range files {
		fmt.Fprintf(&sums, "%x  %s\n", sha256.Sum256(data), name)
	}
	files["checksums.txt"] = []byte(sums.String())
	return files
}

// releaseServer serves files under /sev-dev/sev/releases/download/v1.2.3/.
type releaseServer struct {
	*httptest.Server
	mu    sync.Mutex
	files map[string][]byte
}

func newReleaseServer(t *testing.T) *releaseServer {
	rs := &releaseServer{files: fakeRelease(t)}
	rs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := strings.CutPrefix(r.URL.Path, "/sev-dev/sev/releases/download/v1.2.3/")
		rs.mu.Lock()
		data, found := rs.files[name]
		rs.mu.Unlock()
		if !ok || !found {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	}))
	t.Cleanup(rs.Close)
	return rs
}

// gitRemote is a repository whose annotated tag v1.2.3 points at tagged;
// untagged is a later commit.
func gitRemote(t *testing.T) (dir, tagged, untagged string) {
	t.Helper()
	dir = t.TempDir()
	run := func(args ...string) string {
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir, "GIT_AUTHOR_NAME=a", "GIT_AUTHOR_EMAIL=a@example.com",
			"GIT_COMMITTER_NAME=a", "GIT_COMMITTER_EMAIL=a@example.com")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	run("init", "-q")
	run("commit", "-q", "--allow-empty", "-m", "release")
	run("tag", "-a", "-m", "v1.2.3", "v1.2.3")
	run("tag", "not-a-release")
	tagged = run("rev-parse", "HEAD")
	run("commit", "-q", "--allow-empty", "-m", "later")
	untagged = run("rev-parse", "HEAD")
	return dir, tagged, untagged
}

// actionScript runs scripts/action.sh step with env; it returns the
// outputs it wrote, what it printed, and whether it succeeded.
func actionScript(t *testing.T, step string, env map[string]string) (map[string]string, string, bool) {
	t.Helper()
	script, err := filepath.Abs("scripts/action.sh")
	if err != nil {
		t.Fatal(err)
	}
	outFile := filepath.Join(t.TempDir(), "output")
	cmd := exec.Command("bash", script, step)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "GITHUB_OUTPUT=" + outFile, "RUNNER_OS=Linux", "RUNNER_ARCH=X64"}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	outputs := map[string]string{}
	data, _ := os.ReadFile(outFile)
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			outputs[k] = v
		}
	}
	return outputs, string(out), err == nil
}

func TestActionInstall(t *testing.T) {
	for _, tool := range []string{"bash", "git", "curl", "tar", "unzip"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	rs := newReleaseServer(t)
	remote, tagged, untagged := gitRemote(t)
	actions := filepath.Join(t.TempDir(), "_actions", "sev-dev", "sev")
	base := map[string]string{"SEV_DOWNLOAD_URL": rs.URL, "SEV_GIT_URL": remote}
	with := func(kv ...string) map[string]string {
		env := map[string]string{}
		for k, v := range base {
			env[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			env[kv[i]] = kv[i+1]
		}
		return env
	}

	t.Run("plan", func(t *testing.T) {
		for _, c := range []struct {
			name       string
			env        map[string]string
			mode, tag  string
			keyHas     string
			fails      string
			actionPath string
		}{
			{name: "pinned to a release tag", env: with("GITHUB_ACTION_PATH", filepath.Join(actions, "v1.2.3")), mode: "release", tag: "v1.2.3",
				keyHas: "sev-Linux-X64-release-sev-dev-sev-v1.2.3"},
			{name: "pinned to a release's commit", env: with("GITHUB_ACTION_PATH", filepath.Join(actions, tagged)), mode: "release", tag: "v1.2.3"},
			{name: "the version input", env: with("GITHUB_ACTION_PATH", "/home/runner/work/repo/repo", "SEV_VERSION", "v1.2.3"), mode: "release", tag: "v1.2.3"},
			{name: "the version input names a release's commit", env: with("SEV_VERSION", tagged), mode: "release", tag: "v1.2.3"},
			{name: "a commit without a release", env: with("SEV_VERSION", untagged), mode: "module", keyHas: "module-" + untagged},
			{name: "not a version", env: with("SEV_VERSION", "main"), fails: "must be a release tag such as v1.2.3 or a full commit id"},
		} {
			out, log, ok := actionScript(t, "plan", c.env)
			if c.fails != "" {
				if ok || !strings.Contains(log, c.fails) {
					t.Errorf("%s: succeeded=%v, printed %q; want a failure saying %q", c.name, ok, log, c.fails)
				}
				continue
			}
			if !ok || out["mode"] != c.mode || out["tag"] != c.tag || !strings.Contains(out["key"], c.keyHas) {
				t.Errorf("%s: %v %q; want mode %s, tag %q, key with %q", c.name, ok, out, c.mode, c.tag, c.keyHas)
				t.Log(log)
			}
		}
	})

	t.Run("source builds", func(t *testing.T) {
		// a ref without a release builds the action's own files; the cache
		// key follows the sources and what they embed, not tests
		src := filepath.Join(actions, untagged)
		for p, data := range map[string]string{"go.mod": "module x\n", "go.sum": "", "assets.go": "package x\n", "actionlint_test.go": "package x\n",
			"internal/site/site.go": "package site\n", "internal/site/site_test.go": "package site\n", "internal/site/theme/page.html": "<p>\n",
			"internal/site/testdata/golden.html": "<p>\n", ".github/workflows/automate.yml": "on: push\n", "docs/x.md": "# x\n"} {
			os.MkdirAll(filepath.Dir(filepath.Join(src, p)), 0o755)
			os.WriteFile(filepath.Join(src, p), []byte(data), 0o644)
		}
		key := func() string {
			out, log, ok := actionScript(t, "plan", with("GITHUB_ACTION_PATH", src))
			if !ok || out["mode"] != "source" {
				t.Fatalf("plan: %v %q\n%s", ok, out, log)
			}
			return out["key"]
		}
		first := key()
		for _, p := range []string{"actionlint_test.go", "internal/site/site_test.go", "internal/site/testdata/golden.html", "docs/x.md"} {
			os.WriteFile(filepath.Join(src, p), []byte("changed\n"), 0o644)
			if k := key(); k != first {
				t.Errorf("changing %s changed the cache key; it does not go into the binary", p)
			}
		}
		prev := first
		for _, p := range []string{"internal/site/theme/page.html", ".github/workflows/automate.yml", "assets.go", "go.sum"} {
			os.WriteFile(filepath.Join(src, p), []byte("changed\n"), 0o644)
			if k := key(); k == prev {
				t.Errorf("changing %s kept the cache key; the binary embeds or builds from it", p)
			} else {
				prev = k
			}
		}
	})

	install := func(t *testing.T, kv ...string) (string, string, bool) {
		bin := filepath.Join(t.TempDir(), "bin")
		_, log, ok := actionScript(t, "install", with(append([]string{"SEV_MODE", "release", "SEV_TAG", "v1.2.3", "SEV_REPO", "sev-dev/sev", "SEV_BIN", bin}, kv...)...))
		return bin, log, ok
	}

	t.Run("download", func(t *testing.T) {
		for _, runner := range [][2]string{{"Linux", "X64"}, {"Linux", "ARM64"}, {"macOS", "ARM64"}, {"macOS", "X64"}} {
			bin, log, ok := install(t, "RUNNER_OS", runner[0], "RUNNER_ARCH", runner[1])
			if !ok || !strings.Contains(log, "verified against checksums.txt") {
				t.Fatalf("%v: %v\n%s", runner, ok, log)
			}
			out, err := exec.Command(filepath.Join(bin, "sev")).Output()
			if err != nil || !strings.Contains(string(out), "sev v1.2.3 (from the release)") {
				t.Errorf("%v: the installed sev says %q, %v", runner, out, err)
			}
		}
		bin, log, ok := install(t, "RUNNER_OS", "Windows", "RUNNER_ARCH", "X64")
		if _, err := os.Stat(filepath.Join(bin, "sev.exe")); !ok || err != nil {
			t.Errorf("Windows: %v %v\n%s", ok, err, log)
		}
	})

	t.Run("refusals", func(t *testing.T) {
		name := "sev_1.2.3_linux_amd64.tar.gz"
		good := rs.files[name]
		set := func(name string, data []byte) {
			rs.mu.Lock()
			defer rs.mu.Unlock()
			if data == nil {
				delete(rs.files, name)
			} else {
				rs.files[name] = data
			}
		}
		tampered := append(append([]byte{}, good...), 0)
		sums := rs.files["checksums.txt"]
		for _, c := range []struct {
			name  string
			setup func()
			env   []string
			want  string
		}{
			{name: "a tampered archive", setup: func() { set(name, tampered) }, want: name + " does not match checksums.txt of v1.2.3"},
			{name: "an archive checksums.txt does not list", setup: func() {
				set("checksums.txt", bytes.ReplaceAll(sums, []byte(name), []byte("other.tar.gz")))
			}, want: "checksums.txt of v1.2.3 lists no " + name},
			{name: "no checksums.txt", setup: func() { set("checksums.txt", nil) }, want: "cannot download"},
			{name: "no archive", setup: func() { set(name, nil) }, want: "cannot download"},
			{name: "an unknown runner", env: []string{"RUNNER_ARCH", "ARM"}, want: `no release for runner architecture "ARM"`},
		} {
			if c.setup != nil {
				c.setup()
			}
			bin, log, ok := install(t, c.env...)
			if ok || !strings.Contains(log, c.want) {
				t.Errorf("%s: succeeded=%v, printed %q; want a refusal saying %q", c.name, ok, log, c.want)
			}
			if _, err := os.Stat(filepath.Join(bin, "sev")); err == nil {
				t.Errorf("%s: sev was installed anyway", c.name)
			}
			set(name, good)
			set("checksums.txt", sums)
		}
	})
}
