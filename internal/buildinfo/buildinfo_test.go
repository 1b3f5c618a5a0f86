package buildinfo

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	rev := strings.Repeat("ab", 20)
	vcs := func(modified string) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: rev}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}, {Key: "vcs.modified", Value: modified}}}
	}
	for _, c := range []struct {
		name                  string
		bi                    *debug.BuildInfo
		version, commit, date string
		want                  Info
		ref                   string
	}{
		{name: "a release build", bi: vcs("false"), version: "v1.2.3", commit: rev, date: "2026-12-02T00:00:00Z",
			want: Info{Version: "v1.2.3", Commit: rev, Date: "2026-12-02T00:00:00Z"}, ref: "v1.2.3"},
		{name: "go install at a tag", bi: &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}},
			want: Info{Version: "v1.4.0"}, ref: "v1.4.0"},
		{name: "a clean checkout", bi: vcs("false"), want: Info{Version: "devel", Commit: rev, Date: "2026-12-01T10:00:00Z"}, ref: rev},
		{name: "a checkout with changes", bi: vcs("true"), want: Info{Version: "devel", Commit: rev, Date: "2026-12-01T10:00:00Z", Modified: true}},
		{name: "a pseudo-version with changes", bi: &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261201100000-abababababab+dirty"}},
			want: Info{Version: "v0.0.0-20261201100000-abababababab+dirty", Modified: true}},
		{name: "nothing known", want: Info{Version: "devel"}},
	} {
		got := read(c.bi, c.version, c.commit, c.date)
		got.GoVersion, got.Platform = "", ""
		if got != c.want {
			t.Errorf("%s: %+v; want %+v", c.name, got, c.want)
		}
		if got.Ref() != c.ref {
			t.Errorf("%s: Ref() = %q; want %q", c.name, got.Ref(), c.ref)
		}
	}
	s := read(vcs("true"), "", "", "").String()
	if !strings.HasPrefix(s, "sev devel (abababababab, modified, 2026-12-01T10:00:00Z, go") {
		t.Errorf("String() = %q", s)
	}
}
