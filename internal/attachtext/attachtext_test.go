package attachtext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestKindOf(t *testing.T) {
	for _, c := range []struct {
		name string
		data string
		want Kind
	}{
		{"error-rate.csv", "time,rate\n", Text},
		{"app.log", "ERROR timeout\n", Text},
		{"config.json", `{"a": 1}`, Text},
		{"diff.patch", "--- a\n+++ b\n", Text},
		{"page.html", "<p>hi</p>", Text}, // shown as text on the site, so searched as text
		{"notes.md", "# Notes\n", Markdown},
		{"NOTES.MARKDOWN", "# Notes\n", Markdown},
		{"report.pdf", "%PDF-1.4\n", PDF},
		{"REPORT.PDF", "", PDF},
		{"graph.png", "\x89PNG\r\n", None},
		{"notes.txt.png", "text in a png", None}, // an image by its name: never text
		{"dump.bin", "a\x00b", None},
		{"latin1.txt", "caf\xe9", None}, // not UTF-8
	} {
		if got := KindOf(c.name, []byte(c.data)); got != c.want {
			t.Errorf("KindOf(%q) = %d, want %d", c.name, got, c.want)
		}
	}
}

func TestExtractText(t *testing.T) {
	got, err := Extract("app.log", []byte("2026-03-02T14:31:00Z ERROR ERR_CONN_RESET from 10.20.3.14\n"))
	if err != nil || got != "2026-03-02T14:31:00Z ERROR ERR_CONN_RESET from 10.20.3.14\n" {
		t.Errorf("got %q, %v", got, err)
	}
	for _, name := range []string{"graph.png", "dump.bin"} {
		if got, err := Extract(name, []byte("\x00\x01\x02")); got != "" || err != nil {
			t.Errorf("%s: got %q, %v; want no text", name, got, err)
		}
	}
}

func TestExtractMarkdown(t *testing.T) {
	src := "---\nowner: secret-front-matter\n---\n# Runbook *checkout*\n\nRestart the [payment gateway](https://internal.example.com/gw) with `kubectl rollout`.\n\n" +
		"- drain **eu-west-1**\n- flush the cache\n\n```sh\nkubectl -n pay rollout restart deploy/gw\n```\n\n<!-- a comment nobody should find -->\n"
	got, err := Extract("runbook.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Runbook checkout", "Restart the payment gateway with kubectl rollout.", "drain eu-west-1", "flush the cache", "kubectl -n pay rollout restart deploy/gw"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	for _, markup := range []string{"#", "*", "`", "](", "internal.example.com", "secret-front-matter", "comment nobody"} {
		if strings.Contains(got, markup) {
			t.Errorf("markup or hidden text %q kept in\n%s", markup, got)
		}
	}
}

func TestTruncate(t *testing.T) {
	long := strings.Repeat("word ", MaxText/5+100)
	got, err := Extract("big.txt", []byte(long))
	if err != nil || len(got) > MaxText || len(got) < MaxText-1024 || strings.HasSuffix(got, "wor") {
		t.Errorf("got %d bytes ending %q, %v", len(got), got[max(0, len(got)-8):], err)
	}
	// a cut never splits a UTF-8 sequence, even without a space to cut at
	s := strings.Repeat("é", 10)
	for n := range len(s) + 1 {
		if c := Truncate(s, n); !utf8.ValidString(c) || len(c) > n {
			t.Errorf("Truncate(%d) = %q", n, c)
		}
	}
}
