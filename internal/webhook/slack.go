package webhook

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf16"
)

// Slack counts text lengths in characters of a JavaScript string (UTF-16
// code units); a mrkdwn text object holds at most 3,000.
const (
	slackTextMax  = 3000
	slackTitleMax = 200
	// slackHeadMax is the most the first line may take before the link is
	// dropped, so a long URL cannot crowd out the message.
	slackHeadMax = 1500
)

type slackText struct {
	Type     string `json:"type"`
	Text     string `json:"text"`
	Verbatim bool   `json:"verbatim"`
}

type slackBlock struct {
	Type     string      `json:"type"`
	Text     *slackText  `json:"text,omitempty"`
	Elements []slackText `json:"elements,omitempty"`
}

type slackMessage struct {
	Text   string       `json:"text"`
	Blocks []slackBlock `json:"blocks"`
}

// mrkdwn escapes the three characters Slack parses as control characters.
var mrkdwn = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func mrkdwnText(s string) slackText { return slackText{Type: "mrkdwn", Text: s, Verbatim: true} }

// SlackBody is the event as a Slack incoming-webhook message: a plain
// fallback text for notifications, a section with the severity, the title
// (linked to the incident's page) and the rule's text, and a context line
// with the ID, status, tags, orgs, roles and rule. A redacted event shows
// only the incident's ID.
func (e Event) SlackBody() ([]byte, error) {
	i := e.Incident
	if i.redacted {
		head := "*Incident " + escapeClip(i.ID, slackTitleMax) + "*"
		return encode(slackMessage{Text: "Incident " + escapeClip(i.ID, slackTitleMax),
			Blocks: []slackBlock{{Type: "section", Text: ptr(mrkdwnText(head))}}})
	}
	title := escapeClip(i.Title, slackTitleMax)
	sev := escapeClip(severityLabel(i), slackTitleMax)
	head := "*" + sev + ": " + title + "*"
	if link := slackLink(i.URL, title); link != "" && units(link) <= slackHeadMax {
		head = "*" + sev + ": " + link + "*"
	}
	section := head
	if e.Text != "" {
		section += "\n" + escapeClip(e.Text, slackTextMax-units(head)-1)
	}
	blocks := []slackBlock{{Type: "section", Text: ptr(mrkdwnText(section))}}
	blocks = append(blocks, slackBlock{Type: "context", Elements: []slackText{mrkdwnText(escapeClip(e.context(), slackTextMax))}})
	return encode(slackMessage{Text: sev + ": " + title, Blocks: blocks})
}

func ptr[T any](v T) *T { return &v }

func severityLabel(i Incident) string {
	if i.SeverityName != "" {
		return i.SeverityName
	}
	return fmt.Sprintf("Severity %d", i.Severity)
}

// context is the event's facts on one line, unescaped.
func (e Event) context() string {
	i := e.Incident
	parts := []string{i.ID}
	if i.Status != "" {
		parts = append(parts, "status "+i.Status)
	}
	if len(i.Tags) > 0 {
		parts = append(parts, "tags "+strings.Join(i.Tags, ", "))
	}
	if len(i.Orgs) > 0 {
		parts = append(parts, "orgs "+strings.Join(i.Orgs, ", "))
	}
	if len(i.Roles) > 0 {
		roles := make([]string, 0, len(i.Roles))
		for role, who := range i.Roles {
			roles = append(roles, role+" "+who)
		}
		slices.Sort(roles)
		parts = append(parts, strings.Join(roles, ", "))
	}
	if e.Rule != "" {
		parts = append(parts, "rule "+e.Rule)
	}
	return strings.Join(parts, " · ")
}

// slackLink is <url|label> for an http(s) URL with a host, or "".
// label must already be escaped.
func slackLink(raw, label string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	target := strings.ReplaceAll(mrkdwn.Replace(u.String()), "|", "%7C")
	return "<" + target + "|" + label + ">"
}

// escapeClip escapes s for mrkdwn and, when the result is longer than max
// UTF-16 units, cuts it at a whole character (never inside an entity) and
// ends it with "…".
func escapeClip(s string, max int) string {
	full := mrkdwn.Replace(s)
	if units(full) <= max {
		return full
	}
	if max < 1 {
		return ""
	}
	var b strings.Builder
	used := 0
	for _, r := range s {
		piece := mrkdwn.Replace(string(r))
		n := units(piece)
		if used+n+1 > max {
			break
		}
		b.WriteString(piece)
		used += n
	}
	return b.String() + "…"
}

// units is the length of s as Slack counts it.
func units(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
