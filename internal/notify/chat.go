package notify

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Chat messages mention a person by their ID on that service
// (Message.Mention, from people[].contacts) and nobody else: user text is
// escaped so that a title cannot mention a channel, everyone or anyone.

var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// slack renders an incoming-webhook message: a plain-text fallback (what
// the phone's notification shows) and Block Kit blocks.
func slack(m Message) ([]byte, error) {
	head := slackEscaper.Replace(m.Subject())
	if m.Mention != "" {
		head = "<@" + m.Mention + "> " + head
	}
	text := clip(head, 3000)
	blocks := []map[string]any{{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": text, "verbatim": true}}}
	if d := m.detail(); d != "" {
		blocks = append(blocks, map[string]any{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": clip(slackEscaper.Replace(d), 3000), "verbatim": true}})
	}
	var links []string
	if m.Incident.URL != "" {
		links = append(links, "<"+slackEscaper.Replace(m.Incident.URL)+"|Open "+m.Incident.ID+">")
	}
	if m.AckURL != "" {
		links = append(links, "<"+slackEscaper.Replace(m.AckURL)+"|Acknowledge>")
	}
	if links != nil {
		blocks = append(blocks, map[string]any{"type": "context", "elements": []map[string]any{{"type": "mrkdwn", "text": strings.Join(links, " · "), "verbatim": true}}})
	}
	return json.Marshal(map[string]any{"text": text, "blocks": blocks})
}

// detail is the text under the subject: the detail, or nothing for a
// restricted incident.
func (m Message) detail() string {
	if m.Incident.Restricted {
		return ""
	}
	return oneLineBlock(m.Detail)
}

// oneLineBlock keeps line breaks but drops other control characters.
func oneLineBlock(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r >= 0x20 && r != 0x7f {
			return r
		}
		return -1
	}, s)
}

// teamsMax is a Teams message's limit (28 KB), less a margin.
const teamsMax = 26 << 10

// teams renders a Workflows webhook request: a message with one Adaptive
// Card (version 1.4, within what Teams renders), the subject, the detail,
// an Open and an Acknowledge button, and the person mentioned when their
// Teams ID is known.
func teams(m Message) ([]byte, error) {
	head := m.Subject()
	body := []map[string]any{}
	var entities []map[string]any
	if m.Mention != "" {
		at := "<at>" + teamsEscape(m.To) + "</at>"
		body = append(body, map[string]any{"type": "TextBlock", "text": at, "wrap": true})
		entities = append(entities, map[string]any{"type": "mention", "text": at, "mentioned": map[string]string{"id": m.Mention, "name": m.To}})
	}
	body = append(body, map[string]any{"type": "TextBlock", "text": teamsEscape(head), "weight": "Bolder", "size": "Medium", "wrap": true})
	if d := m.detail(); d != "" {
		body = append(body, map[string]any{"type": "TextBlock", "text": teamsEscape(clip(d, 4000)), "wrap": true})
	}
	var actions []map[string]any
	if m.Incident.URL != "" {
		actions = append(actions, map[string]any{"type": "Action.OpenUrl", "title": "Open " + m.Incident.ID, "url": m.Incident.URL})
	}
	if m.AckURL != "" {
		actions = append(actions, map[string]any{"type": "Action.OpenUrl", "title": "Acknowledge", "url": m.AckURL})
	}
	card := map[string]any{"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": "1.4", "body": body}
	if actions != nil {
		card["actions"] = actions
	}
	if entities != nil {
		card["msteams"] = map[string]any{"entities": entities}
	}
	b, err := json.Marshal(map[string]any{"type": "message", "attachments": []map[string]any{{
		"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": nil, "content": card}}})
	if err == nil && len(b) > teamsMax {
		err = fmt.Errorf("the Teams card is %d bytes, more than Teams takes", len(b))
	}
	return b, err
}

// teamsEscape keeps a text from opening a mention or a Markdown link.
var teamsEscape = strings.NewReplacer("<", "‹", ">", "›", "[", "［", "]", "］").Replace

// discordEscaper escapes Markdown and keeps text from forming mentions.
var discordEscaper = strings.NewReplacer("\\", "\\\\", "*", "\\*", "_", "\\_", "~", "\\~", "`", "\\`", "|", "\\|", ">", "\\>", "#", "\\#", "@", "@\u200b", "<", "‹")

// discord renders an Execute Webhook request: the mention in content (and
// only that user allowed to be mentioned), the subject as an embed.
func discord(m Message) ([]byte, error) {
	msg := map[string]any{"username": "sev"}
	allowed := map[string]any{"parse": []string{}}
	if m.Mention != "" {
		msg["content"] = "<@" + m.Mention + ">"
		allowed["users"] = []string{m.Mention}
	}
	msg["allowed_mentions"] = allowed
	embed := map[string]any{"title": clip(discordEscaper.Replace(m.Subject()), 256), "timestamp": m.At.UTC().Format("2006-01-02T15:04:05Z07:00"),
		"color": discordColor(m)}
	var desc []string
	if d := m.detail(); d != "" {
		desc = append(desc, discordEscaper.Replace(d))
	}
	if m.AckURL != "" {
		desc = append(desc, "[Acknowledge]("+m.AckURL+")")
	}
	if len(desc) > 0 {
		embed["description"] = clip(strings.Join(desc, "\n\n"), 4096)
	}
	if m.Incident.URL != "" {
		embed["url"] = m.Incident.URL
	}
	msg["embeds"] = []map[string]any{embed}
	return json.Marshal(msg)
}

func discordColor(m Message) int {
	switch {
	case m.Action == Resolve:
		return 0x2e7d32
	case m.Action == Acknowledge:
		return 0x1565c0
	case m.Incident.Severity == 1:
		return 0xc62828
	}
	return 0xef6c00
}

// googleChatEscape keeps user text from forming a link or a mention
// (<users/all>): Google Chat's text format has no escape for '<'.
var googleChatEscape = strings.NewReplacer("<", "‹", ">", "›", "*", "∗", "_", "＿", "~", "∼", "`", "ˋ").Replace

// googleChat renders a space webhook message in text format, threaded by
// incident (thread.threadKey; the URL asks to reply in the thread).
func googleChat(m Message) ([]byte, error) {
	var b strings.Builder
	if m.Mention != "" {
		b.WriteString("<" + m.Mention + "> ")
	}
	b.WriteString("*" + googleChatEscape(m.Subject()) + "*")
	if d := m.detail(); d != "" {
		b.WriteString("\n" + googleChatEscape(d))
	}
	if m.Incident.URL != "" {
		b.WriteString("\n<" + m.Incident.URL + "|Open " + m.Incident.ID + ">")
	}
	if m.AckURL != "" {
		b.WriteString(" · <" + m.AckURL + "|Acknowledge>")
	}
	return json.Marshal(map[string]any{"text": clip(b.String(), 4000), "thread": map[string]string{"threadKey": m.Incident.ID}})
}

// googleChatURL asks Google Chat to reply in the incident's thread.
func googleChatURL(u string) string {
	sep := "&"
	if !strings.Contains(u, "?") {
		sep = "?"
	}
	return u + sep + "messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD"
}
