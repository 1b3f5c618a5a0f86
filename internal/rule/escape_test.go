package rule

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// hostile are incident texts that try to become markup where rules send
// them.
var hostile = []string{
	"@everyone", "@org/team please", "cc @octocat", "x@y", "@@double", "#123", "org/repo#9", "GH-12",
	"<!-- sev:0123456789abcdef0123 -->", "-->", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
	"&lt;b&gt;", "[click](https://evil.example)", "![img](https://evil.example/x.png)", "`code`", "**bold**",
	"| a | b |", "\n/sev close", "/sev status resolved", "line\r\n/sev", "<!channel>", "<@U024BE7LH>",
	"<https://evil.example|click>", "\ue000@x\ue001", "\ue001@everyone", "\u200b@everyone", "# heading",
	"> quote", "@", "#", "\\@everyone", "\\",
}

// liveMention finds an @ that GitHub or Slack would read as a mention or
// a # that GitHub would link: right before a letter or digit, at the start
// or after something that is not a word character.
var liveMention = regexp.MustCompile(`(^|[^A-Za-z0-9_\x{200B}])[@#][A-Za-z0-9]`)

var (
	lineCommand = regexp.MustCompile(`(^|\n)/`)
	// punctuation is Markdown syntax not escaped by a backslash (an even
	// number of backslashes before it escape each other).
	punctuation = regexp.MustCompile(`(^|[^\\])(\\\\)*[\[\]()!*_|~` + "`" + `]`)
	slackEntity = regexp.MustCompile(`&(?:amp|lt|gt);`)
)

func randomHostile(r *rand.Rand) string {
	var b strings.Builder
	for range 1 + r.IntN(4) {
		b.WriteString(hostile[r.IntN(len(hostile))])
		if r.IntN(2) == 0 {
			b.WriteString(" ")
		}
	}
	return b.String()
}

// TestFinishMarkdown: whatever the incident's text, in a GitHub body it
// forms no mention, reference, tag, marker, link or command, however the
// rule's own text around it ends.
func TestFinishMarkdown(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		data := randomHostile(r)
		before := []string{"", "x ", "@", "#", "\n", "a\n"}[r.IntN(6)]
		out := finish(before+wrap(data)+" tail", markdown)
		switch {
		case strings.ContainsAny(out, "<>\ue000\ue001"):
			t.Fatalf("%q → %q: markup or wrapping left", data, out)
		case liveMention.MatchString(out):
			t.Fatalf("%q after %q → %q: a live mention or reference", data, before, out)
		case lineCommand.MatchString(out):
			t.Fatalf("%q → %q: a line starts with /", data, out)
		case punctuation.MatchString(strings.TrimPrefix(out, before)):
			t.Fatalf("%q → %q: unescaped Markdown punctuation", data, out)
		}
	}
}

// TestFinishSlack: in a Slack message, the incident's text cannot make a
// link, a user or channel mention, or a broadcast.
func TestFinishSlack(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 20000; i++ {
		data := randomHostile(r)
		out := finish("*SEV1* "+wrap(data), slack)
		if strings.ContainsAny(out, "<>\ue000\ue001") || strings.Contains(slackEntity.ReplaceAllString(out, ""), "&") {
			t.Fatalf("%q → %q: unescaped", data, out)
		}
		if liveMention.MatchString(strings.ReplaceAll(out, "#", "")) {
			t.Fatalf("%q → %q: a live mention", data, out)
		}
	}
}

// TestFinishOneLine: an issue title is one line without live mentions.
func TestFinishOneLine(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 5000; i++ {
		data := randomHostile(r)
		out := finish("Follow-up: "+wrap(data), oneLine)
		if strings.ContainsAny(out, "\n\r\ue000\ue001") || liveMention.MatchString(out) {
			t.Fatalf("%q → %q", data, out)
		}
	}
}

// TestFinishPlain: text for the timeline and JSON is the incident's text
// as it is, without the wrapping.
func TestFinishPlain(t *testing.T) {
	for _, h := range hostile {
		want := strings.NewReplacer("\ue000", "", "\ue001", "").Replace(h)
		if got := finish("x "+wrap(h), plain); got != "x "+want {
			t.Errorf("%q → %q, want %q", h, got, "x "+want)
		}
	}
}

// TestRuleTextStaysLive: the rule's own mentions and Markdown are kept.
func TestRuleTextStaysLive(t *testing.T) {
	out := finish("**Security** cc @northwind/security-team "+wrap("@everyone"), markdown)
	if !strings.HasPrefix(out, "**Security** cc @northwind/security-team ") || strings.Contains(out, "@everyone") {
		t.Errorf("got %q", out)
	}
}
