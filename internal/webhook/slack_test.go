package webhook

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sev-dev/sev/internal/golden"
)

// slackTexts decodes a Slack body and returns every text in it: the
// fallback first, then each mrkdwn object, which must all be verbatim.
func slackTexts(t testing.TB, body []byte) []string {
	t.Helper()
	var m struct {
		Text   string `json:"text"`
		Blocks []struct {
			Type     string      `json:"type"`
			Text     *slackText  `json:"text"`
			Elements []slackText `json:"elements"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("Slack body is not JSON: %v\n%s", err, body)
	}
	texts := []string{m.Text}
	for _, b := range m.Blocks {
		objs := b.Elements
		if b.Text != nil {
			objs = append(objs, *b.Text)
		}
		if len(objs) == 0 {
			t.Errorf("%s block without text", b.Type)
		}
		for _, o := range objs {
			if o.Type != "mrkdwn" || !o.Verbatim {
				t.Errorf("text object %+v is not verbatim mrkdwn", o)
			}
			if o.Text == "" || units(o.Text) > slackTextMax {
				t.Errorf("text object of %d units, want 1–%d", units(o.Text), slackTextMax)
			}
			texts = append(texts, o.Text)
		}
	}
	return texts
}

func TestSlackGolden(t *testing.T) {
	body, err := fixture().SlackBody()
	if err != nil {
		t.Fatal(err)
	}
	slackTexts(t, body)
	golden.Check(t, "slack.json", indent(t, body))

	body, err = fixture().Redact().SlackBody()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(body), "Checkout") || strings.Contains(string(body), "security") {
		t.Errorf("redacted Slack body shows more than the ID: %s", body)
	}
	golden.Check(t, "slack-redacted.json", indent(t, body))
}

// TestSlackHostile: titles, texts and tags cannot create mentions or
// links; the only link is the incident's own page.
func TestSlackHostile(t *testing.T) {
	e := fixture()
	e.Incident.Title = "<!channel> pay <https://evil.example|click here> & win"
	e.Text = "<@U024BE7LH> <!here> <#C024BE7LH> &amp; already escaped"
	e.Incident.Tags = []string{"<!everyone>"}
	e.Incident.Roles = map[string]string{"commander": "<@U1>"}
	e.Rule = "r<>&"
	e.Incident.URL = "https://incidents.example.com/i/a|b>c"
	body, err := e.SlackBody()
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "slack-hostile.json", indent(t, body))
	texts := slackTexts(t, body)
	own := regexp.MustCompile(`<https://incidents\.example\.com/i/a%7Cb%3Ec\|[^<>]*>`)
	for _, s := range texts {
		rest := own.ReplaceAllString(s, "")
		if strings.ContainsAny(rest, "<>") {
			t.Errorf("text has < or > outside the incident link: %q", s)
		}
	}
	section := texts[1]
	if !own.MatchString(section) {
		t.Errorf("section lacks the incident link with | and > percent-encoded: %q", section)
	}
	for _, want := range []string{"&lt;!channel&gt;", "&lt;https://evil.example|click here&gt;", " &amp; win", "&amp;amp; already escaped", "&lt;@U024BE7LH&gt;"} {
		if !strings.Contains(section, want) {
			t.Errorf("section lacks %q: %q", want, section)
		}
	}
	if !strings.Contains(texts[2], "&lt;!everyone&gt;") || !strings.Contains(texts[2], "r&lt;&gt;&amp;") {
		t.Errorf("context line not escaped: %q", texts[2])
	}
}

// TestSlackLinkOnlyHTTP: a URL that is not http(s) is not linked.
func TestSlackLinkOnlyHTTP(t *testing.T) {
	e := fixture()
	e.Incident.URL = "javascript:alert(1)"
	body, err := e.SlackBody()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range slackTexts(t, body) {
		if strings.ContainsAny(s, "<>") || strings.Contains(s, "javascript") {
			t.Errorf("non-http URL linked: %q", s)
		}
	}
}

func TestEscapeClip(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"a<b", 10, "a&lt;b"},
		{"abcdef", 4, "abc…"},
		{"a&b", 5, "a…"},  // "a&amp;" would need 6 with the ellipsis: never half an entity
		{"😀😀😀", 5, "😀😀…"}, // an emoji is two units
		{"x", 0, ""},
		{strings.Repeat("&", 10), 50, strings.Repeat("&amp;", 10)},
	} {
		if got := escapeClip(tc.in, tc.max); got != tc.want {
			t.Errorf("escapeClip(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}

// TestSlackLongText: a long text is clipped to Slack's limit.
func TestSlackLongText(t *testing.T) {
	e := fixture()
	e.Text = strings.Repeat("<&>", 5000)
	e.Incident.Tags = []string{strings.Repeat("t", 4000)}
	body, err := e.SlackBody()
	if err != nil {
		t.Fatal(err)
	}
	texts := slackTexts(t, body)
	if !strings.HasSuffix(texts[1], "&gt;…") && !strings.HasSuffix(texts[1], "&lt;…") && !strings.HasSuffix(texts[1], "&amp;…") {
		t.Errorf("clipped section does not end with a whole entity and …: %q", texts[1][len(texts[1])-20:])
	}
}

// FuzzSlackBody: whatever the incident says, without a page URL the
// message has no < or > at all, every text fits, and it is valid UTF-8.
func FuzzSlackBody(f *testing.F) {
	f.Add("<!channel>", "<https://x|y>", "&", "SEV1")
	f.Add(strings.Repeat("😀", 2000), strings.Repeat("&", 4000), "<@U1>", "")
	f.Add("\xff\xfe", "a\x00b", "", "<")
	f.Fuzz(func(t *testing.T, title, text, tag, sev string) {
		e := Event{ID: "x", Rule: tag, Text: text, Incident: Incident{ID: "i", Title: title, SeverityName: sev, Tags: []string{tag}, Status: tag}}
		body, err := e.SlackBody()
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range slackTexts(t, body) {
			if strings.ContainsAny(s, "<>") {
				t.Errorf("text has < or >: %q", s)
			}
			if !utf8.ValidString(s) {
				t.Errorf("text is not UTF-8: %q", s)
			}
		}
	})
}
