package ghaction

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/diag"
)

// FuzzDecode: no payload makes Decode panic, and every JSON problem comes
// back as a diagnostic with a position inside the file.
func FuzzDecode(f *testing.F) {
	f.Add("pull_request", prPayload)
	f.Add("issues", `{"action":"opened","issue":{"number":1,"title":"t","html_url":"u","user":{"login":"a"}},"repository":{"full_name":"o/r"}}`)
	f.Add("push", `{"ref":"refs/heads/main","before":"0","after":"1","commits":[{"timestamp":"2026-03-02T14:05:00+01:00"}],"repository":{"full_name":"o/r","default_branch":"main"}}`)
	f.Add("issue_comment", "{\n\"comment\": {\"id\": 1e400}}")
	f.Fuzz(func(t *testing.T, name, payload string) {
		ev, err := Decode(name, "event.json", []byte(payload))
		if err == nil {
			if ev == nil || ev.Name() != name {
				t.Fatalf("Decode(%q) = %v without an error", name, ev)
			}
			return
		}
		var l diag.List
		if !errors.As(err, &l) {
			return // an unknown event, or a failure encoding/json does not locate
		}
		lines := strings.Count(payload, "\n") + 1
		for _, d := range l {
			if d.Path != "event.json" || d.Line < 0 || d.Line > lines || (d.Line > 0 && d.Col < 1) {
				t.Fatalf("diagnostic %s is outside the %d-line payload", d, lines)
			}
		}
	})
}

// FuzzWriteOutput: whatever the value, the runner reads back exactly one
// output with exactly that value (line endings as \n).
func FuzzWriteOutput(f *testing.F) {
	for _, h := range hostile {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, value string) {
		var buf bytes.Buffer
		if err := WriteOutput(&buf, &counting{}, "title", value); err != nil {
			t.Fatal(err)
		}
		got, err := parseOutputs(buf.String())
		want := normalizeNewlines(value)
		if err != nil || len(got) != 1 || got["title"] != want {
			t.Fatalf("read back %q, %v; want only title=%q", got, err, want)
		}
	})
}
