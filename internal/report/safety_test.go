package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/library"
	"github.com/sev-dev/sev/internal/postmortem"
)

// Names from users' files that try to break out of the SVG.
var hostile = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`x' onmouseover='alert(1)`,
	`]]><svg onload=alert(1)>`,
	"bell\x07and\x00nul",
}

// hostileLibrary is the fixture with hostile severity names, tags,
// handles, roles and follow-up owners.
func hostileLibrary(t *testing.T) *library.Library {
	l := fixture(t)
	for i := range l.Settings.Severities {
		l.Settings.Severities[i].Name = hostile[i%len(hostile)]
	}
	for i, inc := range l.Incidents {
		h := hostile[i%len(hostile)]
		inc.Record.Tags = append(inc.Record.Tags, h)
		inc.Record.Roles = map[string]string{h: hostile[(i+1)%len(hostile)], "commander": h}
		inc.Activity = append(inc.Activity, library.NewActivity(h, inc.Date))
		if inc.Postmortem != nil {
			inc.Postmortem.FollowUps = append(inc.Postmortem.FollowUps, postmortem.FollowUp{ID: "FU-9", Title: h, Owner: h})
		}
	}
	return l
}

func TestHostileNamesAreEscaped(t *testing.T) {
	for _, r := range Build(hostileLibrary(t), fixtureNow, Range{}) {
		svg := string(r.SVG)
		for _, bad := range []string{"<script", "<img", "<svg onload", "onmouseover='", "\x00", "\x07"} {
			if strings.Contains(svg, bad) {
				t.Errorf("%s: the SVG contains %q", r.ID, bad)
			}
		}
		// The words survive only as escaped text, never inside a tag.
		if n, esc := strings.Count(svg, "onerror="), strings.Count(svg, "&lt;img src=x onerror="); n != esc {
			t.Errorf("%s: onerror= appears %d times, only %d of them in escaped text", r.ID, n, esc)
		}
		checkSVG(t, r)
	}
	// The hostile names do reach the charts (as text): a test that
	// escaped them by leaving them out would prove nothing.
	rs := Build(hostileLibrary(t), fixtureNow, Range{})
	for _, id := range []string{"incidents-monthly", "tags", "responders"} {
		if text := chartText(t, byID(t, rs, id).SVG); !strings.Contains(text, `<script>alert(1)</script>`) {
			t.Errorf("%s: the hostile name is not in the chart's text", id)
		}
	}
}

// chartText is all the character data of an SVG, unescaped.
func chartText(t *testing.T, svg []byte) string {
	t.Helper()
	var b strings.Builder
	d := xml.NewDecoder(bytes.NewReader(svg))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return b.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		if cd, ok := tok.(xml.CharData); ok {
			b.Write(cd)
		}
	}
}

// allowed are the SVG elements the charts use.
var allowed = map[string]bool{"svg": true, "title": true, "desc": true, "rect": true, "line": true, "circle": true,
	"polyline": true, "text": true}

// checkSVG decodes a report's SVG with encoding/xml and checks that it is
// one well-formed svg document with only known elements, no event
// handlers, inline styles or references, and accessible names.
func checkSVG(t *testing.T, r Report) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(r.SVG))
	d.Strict = true
	depth, roots := 0, 0
	ids := map[string]bool{}
	var labelledBy string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: the SVG is not well-formed: %v", r.ID, err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if el.Name.Local != "svg" || el.Name.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("%s: the root is %v, want svg in the SVG namespace", r.ID, el.Name)
				}
				labelledBy = attr(el, "aria-labelledby")
				if attr(el, "role") != "img" || !strings.HasPrefix(attr(el, "viewBox"), "0 0 800 ") || attr(el, "width") != "" {
					t.Errorf("%s: root attributes %v", r.ID, el.Attr)
				}
			}
			depth++
			if !allowed[el.Name.Local] {
				t.Errorf("%s: unexpected element <%s>", r.ID, el.Name.Local)
			}
			for _, a := range el.Attr {
				n := strings.ToLower(a.Name.Local)
				if strings.HasPrefix(n, "on") || n == "style" || n == "href" || strings.Contains(a.Value, "url(") {
					t.Errorf("%s: forbidden attribute %s=%q on <%s>", r.ID, a.Name.Local, a.Value, el.Name.Local)
				}
				if n == "id" {
					ids[a.Value] = true
				}
			}
		case xml.EndElement:
			depth--
		case xml.ProcInst, xml.Directive:
			t.Errorf("%s: unexpected %T", r.ID, el)
		}
	}
	if roots != 1 {
		t.Errorf("%s: %d root elements", r.ID, roots)
	}
	for _, id := range strings.Fields(labelledBy) {
		if !ids[id] {
			t.Errorf("%s: aria-labelledby names %q, which is not there", r.ID, id)
		}
	}
	if len(strings.Fields(labelledBy)) != 2 {
		t.Errorf("%s: aria-labelledby=%q, want the title and the description", r.ID, labelledBy)
	}
}

func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func TestWellFormed(t *testing.T) {
	for _, r := range Build(fixture(t), fixtureNow, Range{}) {
		checkSVG(t, r)
		if r.Title == "" || len(r.Caption) < 80 || len(r.Table.Columns) == 0 {
			t.Errorf("%s: title %q, caption %q, table columns %v", r.ID, r.Title, r.Caption, r.Table.Columns)
		}
		for _, row := range r.Table.Rows {
			if len(row) != len(r.Table.Columns) {
				t.Errorf("%s: a row of %d cells under %d columns", r.ID, len(row), len(r.Table.Columns))
			}
		}
	}
}

// TestEmptyLibrary builds from nothing: every chart says so in words
// instead of drawing a broken chart, and the JSON is still valid.
func TestEmptyLibrary(t *testing.T) {
	l := &library.Library{Settings: config.Default()}
	for _, r := range Build(l, fixtureNow, Range{}) {
		checkSVG(t, r)
		if !strings.Contains(string(r.SVG), `class="label empty-label"`) {
			t.Errorf("%s: no empty state in %s", r.ID, r.SVG)
		}
		js, err := json.Marshal(r.Data)
		if err != nil || bytes.Contains(js, []byte("null")) {
			t.Errorf("%s: JSON %s, %v (empty lists should be [], not null)", r.ID, js, err)
		}
	}
	// a library whose incidents are all older than the windows (the
	// rotation goes on, and undated follow-ups stay)
	old := fixture(t)
	for _, r := range Build(old, fixtureNow.AddDate(5, 0, 0), Range{}) {
		checkSVG(t, r)
		if r.ID != "follow-ups" && r.ID != "oncall" && !strings.Contains(string(r.SVG), "empty-label") {
			t.Errorf("%s: five years later the chart is not empty", r.ID)
		}
	}
}

// TestDemo builds the reports of the demo organisation in this
// repository and expects every one to have something to show.
func TestDemo(t *testing.T) {
	data, err := os.ReadFile("../../sev.yaml")
	if err != nil {
		t.Skip("no demo data:", err)
	}
	s, diags := config.Parse("sev.yaml", data)
	if diags.Errors() > 0 {
		t.Fatal(diags)
	}
	l, err := library.Load(os.DirFS("../.."), s)
	if err != nil {
		t.Fatal(err)
	}
	l = l.Visible(false)
	if len(l.Incidents) == 0 || len(l.Rotations) == 0 {
		t.Fatalf("the demo has %d incidents and %d rotations", len(l.Incidents), len(l.Rotations))
	}
	// A week after the newest incident, so the test follows the demo
	// data when it is regenerated.
	now := l.Incidents[0].Date.Add(7 * 24 * time.Hour)
	for _, r := range Build(l, now, Range{}) {
		checkSVG(t, r)
		if strings.Contains(string(r.SVG), "empty-label") {
			t.Errorf("%s: the demo's chart is empty", r.ID)
		}
		if len(r.Table.Rows) == 0 {
			t.Errorf("%s: the demo's table is empty", r.ID)
		}
		js, err := json.Marshal(r.Data)
		if err != nil || len(js) < 100 {
			t.Errorf("%s: JSON %s, %v", r.ID, js, err)
		}
	}
}
