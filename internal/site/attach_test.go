package site

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/attachtext/pdftest"
)

// TestSearchIndexesAttachments: the site's search has the text of an
// incident's attachments (a log, Markdown, a PDF), labelled with their
// names; an attachment it cannot read is named in the summary; and a
// restricted incident's attachments never reach the index, not even on
// a site built with --include-restricted.
func TestSearchIndexesAttachments(t *testing.T) {
	att := "incidents/2026/2026-03-01-checkout-errors/attachments/"
	rid := "2026-02-20-" + leak + "-breach"
	files := merge(map[string]string{"sev.yaml": testSettings,
		att + "gateway.log": "14:31:02 ERROR kookaburra-gateway-8 refused the connection\n",
		att + "notes.md":    "# Notes\n\nThe **quokka** runbook.\n",
		att + "report.pdf":  string(pdftest.PDF(pdftest.Options{Compress: true}, "The platypus overflow began at 14:02")),
		att + "locked.pdf":  string(pdftest.PDF(pdftest.Options{Encrypted: true}, "numbat")),
		"incidents/2026/" + rid + "/attachments/dump.txt": "zqxjdump of the vault\n",
	}, incidentFiles("2026-03-01-checkout-errors", plainRecord, plainTimeline), restrictedFiles())
	dir := repo(t, files)
	out, sum := build(t, dir, Options{})
	sections := fragmentSections(t, tree(t, out), "2026-03-01-checkout-errors")
	for label, word := range map[string]string{"Attachment: gateway.log": "kookaburra-gateway-8", "Attachment: notes.md": "The quokka runbook.",
		"Attachment: report.pdf": "platypus overflow"} {
		if !strings.Contains(sections[label], word) {
			t.Errorf("%s: %q, want %q in it", label, sections[label], word)
		}
	}
	if _, ok := sections["Attachment: locked.pdf"]; ok {
		t.Error("the encrypted PDF has a section")
	}
	if len(sum.Unsearchable) != 1 || sum.Unsearchable[0] != att+"locked.pdf: text not searchable: the PDF is encrypted with a password" {
		t.Errorf("unsearchable: %q", sum.Unsearchable)
	}
	out, _ = build(t, dir, Options{IncludeRestricted: true})
	shown := false
	for p, data := range tree(t, out) {
		data = gunzipped(t, data)
		if bytes.Contains(data, []byte("zqxjdump")) {
			if strings.HasPrefix(p, "search/") {
				t.Errorf("%s has the restricted incident's attachment", p)
			}
			shown = true
		}
	}
	if !shown {
		t.Error("the restricted attachment is not on the site built with --include-restricted; the check above could not fail")
	}
}

// fragmentSections finds the incident's fragment in the site's search
// index and returns its sections' texts by label.
func fragmentSections(t *testing.T, files map[string][]byte, id string) map[string]string {
	t.Helper()
	for p, data := range files {
		if !strings.HasPrefix(p, "search/f/") {
			continue
		}
		var f struct {
			ID string
			S  [][]any
		}
		if err := json.Unmarshal(gunzipped(t, data), &f); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if f.ID != id {
			continue
		}
		out := map[string]string{}
		for _, s := range f.S {
			out[s[0].(string)] += s[1].(string)
		}
		return out
	}
	t.Fatalf("no fragment for %s", id)
	return nil
}
