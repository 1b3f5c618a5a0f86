// Package buildinfo says which sev this is: the release and commit it was
// built from, when, and with which Go. A release build sets the version,
// commit and date with -ldflags -X (see .goreleaser.yaml); any other
// build reads what the Go toolchain recorded (go install …@v1.2.3 records
// the module version, a build in a checkout the commit).
package buildinfo

import (
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
)

// Set by the release build:
//
//	-X github.com/sev-dev/sev/internal/buildinfo.version=v1.2.3
//	-X github.com/sev-dev/sev/internal/buildinfo.commit=<40 hex digits>
//	-X github.com/sev-dev/sev/internal/buildinfo.date=<RFC 3339>
var version, commit, date string

// Info describes a build.
type Info struct {
	// Version is a release tag (v1.2.3), a Go pseudo-version, or "devel".
	Version string `json:"version"`
	// Commit is the git commit, when known; Modified says the working tree
	// had changes the commit does not hold.
	Commit   string `json:"commit,omitzero"`
	Modified bool   `json:"modified,omitzero"`
	// Date is when the commit was made (RFC 3339), when known.
	Date      string `json:"date,omitzero"`
	GoVersion string `json:"go"`
	Platform  string `json:"platform"`
}

// Read describes the running binary.
func Read() Info {
	bi, _ := debug.ReadBuildInfo()
	return read(bi, version, commit, date)
}

func read(bi *debug.BuildInfo, version, commit, date string) Info {
	in := Info{Version: version, Commit: commit, Date: date, GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi != nil {
		if in.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			in.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision" && in.Commit == "":
				in.Commit = s.Value
			case s.Key == "vcs.time" && in.Date == "":
				in.Date = s.Value
			case s.Key == "vcs.modified" && commit == "":
				in.Modified = s.Value == "true"
			}
		}
	}
	if strings.HasSuffix(in.Version, "+dirty") {
		in.Modified = true
	}
	if in.Version == "" {
		in.Version = "devel"
	}
	return in
}

// releaseVersion is a release tag: not a pre-release, not a pseudo-version.
var releaseVersion = regexp.MustCompile(`^v\d+\.\d+\.\d+$`)

// IsRelease reports whether v names a release (v1.2.3).
func IsRelease(v string) bool { return releaseVersion.MatchString(v) }

// Ref is what this build can pin sev's GitHub Action to: its release tag,
// else its commit when the build had no local changes, else "".
func (in Info) Ref() string {
	switch {
	case IsRelease(in.Version):
		return in.Version
	case len(in.Commit) == 40 && !in.Modified:
		return in.Commit
	}
	return ""
}

// String is the build in one line: "sev v1.2.3 (abcdef012345, 2026-12-01T10:00:00Z, go1.26.8 linux/amd64)".
func (in Info) String() string {
	parts := []string{}
	if in.Commit != "" {
		c := in.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		if in.Modified {
			c += ", modified"
		}
		parts = append(parts, c)
	}
	if in.Date != "" {
		parts = append(parts, in.Date)
	}
	parts = append(parts, in.GoVersion+" "+in.Platform)
	return "sev " + in.Version + " (" + strings.Join(parts, ", ") + ")"
}
