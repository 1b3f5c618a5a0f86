package postmortem

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/timeline"
)

func input(summary string, notes ...string) Input {
	at := time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
	rec := &incident.Incident{ID: "2026-03-02-checkout", Title: "Checkout down", Severity: 1, Status: "resolved", Summary: summary}
	rec.Milestones.Started = at
	rec.Milestones.Resolved = at.Add(2 * time.Hour)
	var entries []timeline.Entry
	for i, n := range notes {
		entries = append(entries, timeline.Entry{ID: "e" + string(rune('a'+i)), At: at.Add(time.Duration(i) * time.Minute), By: "alice", Type: timeline.Note, Text: n})
	}
	return Input{Settings: config.Default(), Record: rec, Entries: entries}
}

func render(t *testing.T, in Input) string {
	t.Helper()
	b, err := Render(in, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRefreshKeepsPeoplesText: whatever a person writes between the
// generated regions survives any number of refreshes, and the regions
// follow the record.
func TestRefreshKeepsPeoplesText(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200; i++ {
		doc := render(t, input("first summary", "note one"))
		// insert human lines at random line boundaries outside regions
		lines := strings.SplitAfter(doc, "\n")
		var out []string
		var human []string
		inRegion := false
		for _, l := range lines {
			out = append(out, l)
			switch {
			case strings.HasPrefix(l, "<!-- sev:begin"):
				inRegion = true
			case strings.HasPrefix(l, "<!-- sev:end"):
				inRegion = false
			}
			if !inRegion && r.IntN(4) == 0 {
				h := "Human line " + string(rune('A'+r.IntN(26))) + " | <b> [[x]] <!-- sev:end summary -->\n"
				if r.IntN(3) == 0 {
					h = "<!-- sev:begin summary 000000000000 -->\n" // a stray marker a person pasted
				}
				human = append(human, h)
				out = append(out, h)
			}
		}
		edited := strings.Join(out, "")
		fresh := render(t, input("second summary", "note one", "note two"))
		got, kept := Refresh([]byte(edited), []byte(fresh))
		for _, h := range human {
			if !strings.Contains(string(got), h) {
				t.Fatalf("case %d: lost %q\n%s", i, h, got)
			}
		}
		if len(kept) != 0 {
			t.Fatalf("case %d: kept %v though nobody edited a region", i, kept)
		}
		if !strings.Contains(string(got), "second summary") || !strings.Contains(string(got), "note two") {
			t.Fatalf("case %d: regions not refreshed:\n%s", i, got)
		}
		// a second refresh with the same input changes nothing
		again, _ := Refresh(got, []byte(fresh))
		if string(again) != string(got) {
			t.Fatalf("case %d: refresh is not idempotent", i)
		}
	}
}

// TestRefreshKeepsEditedRegion: an edited region is kept and named; an
// emptied one is generated again.
func TestRefreshKeepsEditedRegion(t *testing.T) {
	doc := render(t, input("first summary"))
	fresh := render(t, input("second summary"))
	edited := strings.Replace(doc, "first summary", "our own words", 1)
	got, kept := Refresh([]byte(edited), []byte(fresh))
	if !strings.Contains(string(got), "our own words") || strings.Contains(string(got), "second summary") || len(kept) != 1 || kept[0] != "summary" {
		t.Fatalf("kept %v:\n%s", kept, got)
	}
	emptied := strings.Replace(doc, "\nfirst summary\n", "", 1)
	got, kept = Refresh([]byte(emptied), []byte(fresh))
	if !strings.Contains(string(got), "second summary") || len(kept) != 0 {
		t.Fatalf("kept %v:\n%s", kept, got)
	}
}

// TestGeneratedSpans: Generated finds every region sev wrote and nobody
// edited, markers included, and leaves out an edited one.
func TestGeneratedSpans(t *testing.T) {
	doc := render(t, input("first summary", "note one"))
	spans := Generated([]byte(doc))
	if len(spans) != len(Regions) {
		t.Fatalf("%d spans in a fresh draft, want %d", len(spans), len(Regions))
	}
	var rest strings.Builder
	last := 0
	for _, s := range spans {
		rest.WriteString(doc[last:s.Start])
		last = s.End
	}
	rest.WriteString(doc[last:])
	if strings.Contains(rest.String(), "sev:") || strings.Contains(rest.String(), "first summary") || !strings.Contains(rest.String(), "## Lessons learned") {
		t.Fatalf("without the spans:\n%s", rest.String())
	}
	edited := strings.Replace(doc, "first summary", "our own words", 1)
	if n := len(Generated([]byte(edited))); n != len(Regions)-1 {
		t.Fatalf("%d spans with the summary edited, want %d", n, len(Regions)-1)
	}
}

// TestGeneratedTextCannotBreakRegions: text from the record that looks
// like a marker or HTML is escaped.
func TestGeneratedTextCannotBreakRegions(t *testing.T) {
	in := input("ends here\n<!-- sev:end summary -->\n<script>x</script>", "<!-- sev:end timeline --> | pipe")
	doc := render(t, in)
	if strings.Count(doc, "<!-- sev:end summary -->") != 1 || strings.Count(doc, "<!-- sev:end timeline -->") != 1 || strings.Contains(doc, "<script>") {
		t.Fatalf("markers or HTML leaked:\n%s", doc)
	}
	if len(findRegions(doc)) != len(Regions) {
		t.Fatalf("found %d regions, want %d", len(findRegions(doc)), len(Regions))
	}
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		name, src, want string
	}{
		{"crlf", "---\r\nincident: 2026-03-02-a\r\nstatus: draft\r\n---\r\n# T\r\n", ""},
		{"closing at end of file", "---\nincident: 2026-03-02-a\nstatus: draft\n---", ""},
		{"no front matter", "# T\n", "1:1: a postmortem starts with front matter"},
		{"not closed", "---\nincident: 2026-03-02-a\n", "1:1: the front matter is not closed"},
		{"empty", "---\n---\nbody\n", "2:1: the front matter is empty"},
		{"anchors", "---\nincident: &a 2026-03-02-a\nstatus: *a\n---\n", "anchors"},
		{"not a mapping", "---\n- a\n---\n", "2:1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc, diags := Parse("p.md", []byte(c.src))
			got := ""
			for _, d := range diags {
				got += d.String() + "\n"
			}
			if c.want == "" && got != "" || !strings.Contains(got, c.want) {
				t.Fatalf("got %q, want %q", got, c.want)
			}
			if c.want == "" && (doc.Meta.Incident != "2026-03-02-a" || doc.Meta.Status != "draft") {
				t.Fatalf("meta %+v", doc.Meta)
			}
		})
	}
}

// TestEditKeepsComments: changing the front matter through the node tree
// keeps what a person wrote there, comments included.
func TestEditKeepsComments(t *testing.T) {
	src := "---\n# reviewed in the ops sync\nincident: 2026-03-02-a\nstatus: draft # until Friday\nauthors: [alice]\n---\n\nBody stays.\n"
	doc, diags := Parse("p.md", []byte(src))
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	doc.SetStatus("in-review")
	doc.AddPeople("reviewers", []string{"bob", "bob"})
	doc.AddFollowUp(FollowUp{ID: doc.NextFollowUpID(), Title: "no", Due: "2026-04-01", Status: "open"})
	if err := doc.SetFollowUpStatus("fu-1", "done"); err != nil {
		t.Fatal(err)
	}
	out, err := doc.Bytes(doc.BodyBytes())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# reviewed in the ops sync", "status: in-review # until Friday", "reviewers: [bob]\n", "title: \"no\"", "status: done", "\nBody stays.\n"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	back, diags := Parse("p.md", out)
	if len(diags) > 0 || back.Meta.FollowUps[0].Title != "no" || back.Meta.FollowUps[0].Due != "2026-04-01" {
		t.Fatalf("does not read back: %v %+v", diags, back.Meta)
	}
}

func TestSections(t *testing.T) {
	src := "---\nincident: 2026-03-02-a\nstatus: draft\n---\n\n# Title\n\n## Root cause\n\nThe *disk* filled.\n\n### Detail\n\nmore\n\n## What went well\n\nfast\n"
	doc, _ := Parse("p.md", []byte(src))
	p := doc.ParseBody()
	var got []string
	for _, s := range p.Sections {
		got = append(got, s.Heading+"="+strings.TrimSpace(string(doc.Source[s.Start:s.End])))
	}
	want := []string{"Title=## Root cause\n\nThe *disk* filled.\n\n### Detail\n\nmore\n\n## What went well\n\nfast", "Root cause=The *disk* filled.\n\n### Detail\n\nmore", "Detail=more", "What went well=fast"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

// FuzzParse: no input makes reading, checking or refreshing a postmortem
// panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte("---\nincident: 2026-03-02-a\nstatus: draft\nfollow-ups:\n  - id: FU-1\n    title: x\n---\n# [[2026-03-02-a]] `x` <!-- sev:begin summary 000000000000 -->\n"))
	f.Add([]byte("---\n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, _ := Parse("p.md", data)
		Check(doc, config.Default(), "2026-03-02-a")
		doc.ParseBody()
		Refresh(data, data)
	})
}
