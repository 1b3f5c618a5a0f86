package sev

// These tests hold .goreleaser.yaml to what the releases promise
// (docs/releasing.md): static binaries for six platforms, archives with the
// README, the licence, completions and man pages, a SHA-256 checksums file,
// and version flags that reach sev version.

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

type releaseConfig struct {
	Version int `yaml:"version"`
	Before  struct {
		Hooks []yaml.Node `yaml:"hooks"`
	} `yaml:"before"`
	Builds []struct {
		ID      string   `yaml:"id"`
		Main    string   `yaml:"main"`
		Binary  string   `yaml:"binary"`
		Env     []string `yaml:"env"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
		Flags   []string `yaml:"flags"`
		Ldflags []string `yaml:"ldflags"`
	} `yaml:"builds"`
	Archives []struct {
		NameTemplate    string   `yaml:"name_template"`
		Formats         []string `yaml:"formats"`
		FormatOverrides []struct {
			Goos    string   `yaml:"goos"`
			Formats []string `yaml:"formats"`
		} `yaml:"format_overrides"`
		Files []yaml.Node `yaml:"files"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
		Algorithm    string `yaml:"algorithm"`
	} `yaml:"checksum"`
}

func readReleaseConfig(t *testing.T) releaseConfig {
	t.Helper()
	data, err := os.ReadFile(".goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c releaseConfig
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	if err := dec.Decode(&c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestReleaseConfig(t *testing.T) {
	c := readReleaseConfig(t)
	if c.Version != 2 {
		t.Errorf("version: %d; GoReleaser v2's configuration is version: 2", c.Version)
	}
	if len(c.Builds) != 1 {
		t.Fatalf("%d builds; want one, of ./cmd/sev", len(c.Builds))
	}
	b := c.Builds[0]
	if b.Main != "./cmd/sev" || b.Binary != "sev" {
		t.Errorf("build of %s as %s; want ./cmd/sev as sev", b.Main, b.Binary)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") {
		t.Error("builds must be static: CGO_ENABLED=0")
	}
	if !slices.Contains(b.Flags, "-trimpath") {
		t.Error("builds must use -trimpath (no build machine paths in the binary)")
	}
	slices.Sort(b.Goos)
	slices.Sort(b.Goarch)
	if !slices.Equal(b.Goos, []string{"darwin", "linux", "windows"}) || !slices.Equal(b.Goarch, []string{"amd64", "arm64"}) {
		t.Errorf("targets %v × %v; want darwin, linux, windows × amd64, arm64", b.Goos, b.Goarch)
	}
	ld := strings.Join(b.Ldflags, " ")
	for _, want := range []string{"-s -w", "internal/buildinfo.version=", "internal/buildinfo.commit=", "internal/buildinfo.date="} {
		if !strings.Contains(ld, want) {
			t.Errorf("ldflags %q lack %q", ld, want)
		}
	}

	if len(c.Archives) != 1 {
		t.Fatalf("%d archives; want one per platform from one definition", len(c.Archives))
	}
	a := c.Archives[0]
	// the Action (action.yml) downloads archives by this name
	if a.NameTemplate != "sev_{{ .Version }}_{{ .Os }}_{{ .Arch }}" {
		t.Errorf("archive name %q; action.yml expects sev_{{ .Version }}_{{ .Os }}_{{ .Arch }}", a.NameTemplate)
	}
	if !slices.Equal(a.Formats, []string{"tar.gz"}) || len(a.FormatOverrides) != 1 || a.FormatOverrides[0].Goos != "windows" ||
		!slices.Equal(a.FormatOverrides[0].Formats, []string{"zip"}) {
		t.Errorf("archive formats %v %+v; want tar.gz, and zip for Windows", a.Formats, a.FormatOverrides)
	}
	var files []string
	for _, f := range a.Files {
		switch f.Kind {
		case yaml.ScalarNode:
			files = append(files, f.Value)
		case yaml.MappingNode:
			for i := 0; i+1 < len(f.Content); i += 2 {
				if f.Content[i].Value == "dst" {
					files = append(files, f.Content[i+1].Value)
				}
			}
		}
	}
	slices.Sort(files)
	if !slices.Equal(files, []string{"LICENSE", "README.md", "completions", "man"}) {
		t.Errorf("archives carry %v; want LICENSE, README.md, completions/ and man/", files)
	}
	if c.Checksum.NameTemplate != "checksums.txt" || c.Checksum.Algorithm != "sha256" {
		t.Errorf("checksums %+v; action.yml expects checksums.txt with SHA-256", c.Checksum)
	}
	if _, err := os.Stat("LICENSE"); err != nil {
		t.Error("the archives carry LICENSE, which is missing")
	}
	if _, err := exec.LookPath("goreleaser"); err == nil {
		if out, err := exec.Command("goreleaser", "check").CombinedOutput(); err != nil {
			t.Errorf("goreleaser check: %v\n%s", err, out)
		}
	} else {
		t.Log("goreleaser is not installed: its own check of .goreleaser.yaml is skipped")
	}
}

// TestReleaseVersion builds sev with the release's -ldflags and checks sev
// version prints what they set.
func TestReleaseVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds sev")
	}
	c := readReleaseConfig(t)
	ld := strings.Join(c.Builds[0].Ldflags, " ")
	for tmpl, v := range map[string]string{"v{{ .Version }}": "v9.8.7", "{{ .FullCommit }}": strings.Repeat("0123456789", 4), "{{ .CommitDate }}": "2026-12-01T10:00:00Z"} {
		if !strings.Contains(ld, tmpl) {
			t.Fatalf("ldflags %q lack %s", ld, tmpl)
		}
		ld = strings.ReplaceAll(ld, tmpl, v)
	}
	bin := filepath.Join(t.TempDir(), "sev")
	// only the flags that set the version: the others would rebuild every
	// package instead of reusing the test run's build cache
	build := exec.Command("go", "build", "-ldflags", ld, "-o", bin, "./cmd/sev")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "sev v9.8.7 (012345678901, 2026-12-01T10:00:00Z, go"; !strings.HasPrefix(string(out), want) {
		t.Errorf("sev version = %q; want it to start %q", out, want)
	}
}

// TestReleaseFiles runs the hook that makes the archives' completions and
// man pages.
func TestReleaseFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds sev")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	out := filepath.Join(t.TempDir(), "release")
	if b, err := exec.Command("bash", "scripts/release-files.sh", out, "2026-12-01T10:00:00Z", "v9.8.7").CombinedOutput(); err != nil {
		t.Fatalf("release-files.sh: %v\n%s", err, b)
	}
	for name, want := range map[string]string{
		"completions/sev.bash": "# bash completion V2 for sev", "completions/_sev": "#compdef sev",
		"completions/sev.fish": "complete -c sev", "completions/sev.ps1": "Register-ArgumentCompleter",
		"man/sev.1": `.TH "SEV" "1" "Dec 2026" "sev v9.8.7" "sev manual"`, "man/sev-oncall-export.1": "iCalendar",
	} {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || !strings.Contains(string(data), want) {
			t.Errorf("%s: %v; want it to hold %q", name, err, want)
		}
	}
}
