package gen

import (
	"os"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/validate"
)

// TestShapes generates every named shape: each validates as sev validate
// would, gives the same bytes for the same seed, keeps the planted phrases'
// exact answers, and differs from the default the way its numbers say.
func TestShapes(t *testing.T) {
	const n = 400
	stats := map[string]Stats{}
	for _, name := range ShapeNames() {
		opts := testOptions(5)
		opts.Incidents, opts.Shape = n, Shapes[name]
		dir, st := generate(t, opts)
		stats[name] = st
		if _, diags := validate.Run(os.DirFS(dir), validate.Options{}); len(diags) > 0 {
			t.Fatalf("%s: validate found %d problem(s):\n%v", name, len(diags), diags)
		}
		_, again := generate(t, opts)
		if again.Bytes != st.Bytes || again.Entries != st.Entries || digest(readAll(t, dir)) == "" {
			t.Errorf("%s: the same seed gave different repositories", name)
		}
		files := readAll(t, dir)
		for _, pl := range plants {
			found := 0
			for p, data := range files {
				if strings.Contains(strings.ToLower(string(data)), strings.ToLower(pl.phrase)) && !strings.HasSuffix(p, "timeline.yaml") {
					t.Errorf("%s: %q in %s", name, pl.phrase, p)
				}
				found += strings.Count(strings.ToLower(string(data)), strings.ToLower(pl.phrase))
			}
			if found != len(st.Planted[pl.phrase]) {
				t.Errorf("%s: %q appears %d times, planted in %d incidents", name, pl.phrase, found, len(st.Planted[pl.phrase]))
			}
		}
		sh := Shapes[name]
		if got := float64(st.Postmortems) / n; got < sh.Postmortems-0.08 || got > sh.Postmortems+0.08 {
			t.Errorf("%s: %.2f of incidents have a postmortem, want about %.2f", name, got, sh.Postmortems)
		}
		if got := float64(st.Attachments) / n; sh.Attachments == 0 && got > 0 {
			t.Errorf("%s: attachments without a share", name)
		}
	}
	per := func(name string) float64 { return float64(stats[name].Entries) / n }
	if !(per("light") < per("default") && per("default") < per("wide") && per("wide") <= per("heavy")) {
		t.Errorf("entries per incident: light %.1f, default %.1f, wide %.1f, heavy %.1f", per("light"), per("default"), per("wide"), per("heavy"))
	}
	if w := per("wide"); w < 20 || w > 25 {
		t.Errorf("wide has %.1f entries per incident, want about 22", w)
	}
	// heavy is heavier than the default in every dimension
	h, d := Shapes["heavy"], Shapes["default"]
	if !(h.Entries > d.Entries && h.Postmortems > d.Postmortems && h.Attachments > d.Attachments && h.Vocabulary > d.Vocabulary &&
		h.PostmortemWords[0] >= pmWords[0][0] && h.PostmortemWords[1] > pmWords[0][1] && stats["heavy"].Bytes > 3*stats["default"].Bytes/2) {
		t.Errorf("heavy is not heavier than default everywhere: %+v vs %+v; %d vs %d bytes", h, d, stats["heavy"].Bytes, stats["default"].Bytes)
	}
}

func TestShapeOf(t *testing.T) {
	s, err := ShapeOf(ShapeFlags{Name: "wide", Postmortems: "0.6", PostmortemWords: "700-900", Style: "chat"})
	if err != nil || s.Name != "custom" || s.Postmortems != 0.6 || s.PostmortemWords != [2]int{700, 900} || s.Style != "chat" || s.Entries != 1.7 {
		t.Errorf("ShapeOf = %+v, %v", s, err)
	}
	for _, bad := range []ShapeFlags{{Name: "huge"}, {Postmortems: "lots"}, {Postmortems: "1.5"}, {PostmortemWords: "900-700"},
		{PostmortemWords: "600"}, {Style: "poetry"}, {Entries: "0"}, {Vocabulary: "-3"}} {
		if _, err := ShapeOf(bad); err == nil {
			t.Errorf("ShapeOf(%+v) accepted it", bad)
		}
	}
}
