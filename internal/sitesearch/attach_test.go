package sitesearch

import (
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/searchtext"
)

// attachDoc is an incident with an attached log, as the site builds it.
func attachDoc(id, title string, atts ...searchtext.Attachment) Doc {
	sd := &searchtext.Doc{ID: id, Title: title, Severity: 2, Status: "resolved", Visibility: "public",
		Date: day(id[:10] + "T10:00:00Z"), Attachments: atts}
	return FromSearch(sd, "incidents/"+id+"/", "SEV2", time.UTC)
}

// TestClientAttachments: a word only in an attachment finds the incident,
// and the result says which attachment it is in.
func TestClientAttachments(t *testing.T) {
	docs := append(smallCorpus(),
		attachDoc("2026-02-01-gateway", "Gateway refused connections", searchtext.Attachment{Name: "gateway.log", Text: "14:31:02 ERROR kookaburra-gateway-8 refused the connection"}),
		attachDoc("2026-02-02-quiet", "Quiet night"))
	dir, _ := writeIndex(t, docs)
	res := runClient(t, dir, []clientQuery{{Q: "kookaburra-gateway-8"}, {Q: `"refused the connection"`}, {Q: "kookaburra"}})
	for i, r := range res {
		if len(r.Results) != 1 || r.Results[0].ID != "2026-02-01-gateway" {
			t.Errorf("query %d: %v", i, r.ids())
			continue
		}
		if got := r.Results[0].Section; got != "Attachment: gateway.log" {
			t.Errorf("query %d: section %q", i, got)
		}
		if !strings.Contains(hits(r.Results[0].Snippet), "kookaburra") && i != 1 {
			t.Errorf("query %d: snippet %+v", i, r.Results[0].Snippet)
		}
	}
}

// TestAttachmentsLengthAndCap: an attachment's words do not make its
// incident longer (BM25's length), and only MaxAttachmentText of it is
// indexed.
func TestAttachmentsLengthAndCap(t *testing.T) {
	log := strings.Repeat("kookaburra refused ", MaxAttachmentText/19) + "wallaby-at-the-end"
	x := New()
	x.Add(attachDoc("2026-02-01-gateway", "Gateway refused connections"))
	plain := x.docs["2026-02-01-gateway"].length
	d := attachDoc("2026-02-01-gateway", "Gateway refused connections", searchtext.Attachment{Name: "gateway.log", Text: log})
	x.Add(d)
	if got := x.docs["2026-02-01-gateway"].length; got != plain {
		t.Errorf("length %d with the attachment, %d without", got, plain)
	}
	s := d.Sections[len(d.Sections)-1]
	if len(s.Text) > MaxAttachmentText || strings.Contains(s.Text, "wallaby") || s.Weight != searchtext.WeightAttachment || !s.Attachment {
		t.Errorf("section %q: %d bytes, weight %v", s.Label, len(s.Text), s.Weight)
	}
}
