package diag

import (
	"strings"
	"testing"
)

func TestWriteSource(t *testing.T) {
	files := map[string]string{"incidents/2026/x/incident.yaml": "id: x\nseverity: 300\n\ttitle: tabbed\n"}
	var l List
	l.Add(Pos{Path: "incidents/2026/x/incident.yaml", Line: 2, Col: 11}, "range", "severity 300 is not configured")
	l.Add(Pos{Path: "incidents/2026/x/incident.yaml", Line: 3, Col: 2}, "x", "tabbed")
	l.Add(Pos{Path: "incidents/2026/x/incident.yaml", Line: 9, Col: 1}, "x", "past the end")
	l.Add(Pos{Path: "gone.yaml", Line: 1, Col: 1}, "x", "no file")
	l.Add(Pos{Path: "sev.yaml"}, "x", "no line")
	var b strings.Builder
	if err := l.WriteSource(&b, func(p string) []byte {
		if s, ok := files[p]; ok {
			return []byte(s)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := "incidents/2026/x/incident.yaml:2:11: severity 300 is not configured [range]\n" +
		"    | severity: 300\n" +
		"    |           ^\n" +
		"incidents/2026/x/incident.yaml:3:2: tabbed [x]\n" +
		"    | \ttitle: tabbed\n" +
		"    | \t^\n" +
		"incidents/2026/x/incident.yaml:9:1: past the end [x]\n" +
		"gone.yaml:1:1: no file [x]\n" +
		"sev.yaml: no line [x]\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}
