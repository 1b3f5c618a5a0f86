package notify

import (
	"fmt"
	"strings"
	"time"
)

// Action is what a notification is about.
type Action string

const (
	// Page asks someone to respond: a level of an escalation policy or a
	// notify step. Providers that keep alerts (PagerDuty, Opsgenie)
	// trigger one.
	Page Action = "page"
	// Remind says an incident needs attention (no update, still open).
	Remind Action = "remind"
	// Acknowledge says someone took the incident: providers acknowledge
	// their alert, chat channels say who.
	Acknowledge Action = "acknowledge"
	// Resolve says the incident is resolved: providers resolve (close)
	// their alert.
	Resolve Action = "resolve"
	// Update is any other news (a status change, a note).
	Update Action = "update"
)

// Actions lists every Action.
var Actions = []Action{Page, Remind, Acknowledge, Resolve, Update}

// Incident is what a notification may say about an incident.
type Incident struct {
	ID       string
	Title    string
	Severity int    // 1 is the most severe; 0 unknown
	SevName  string // the severity's name in sev.yaml, e.g. SEV1
	Status   string
	URL      string // the incident's page, when the site's address is known
	// Restricted incidents are sent as their ID and URL only.
	Restricted bool
}

// Message is one notification, before a channel renders it.
type Message struct {
	// ID identifies this notification across retries and re-runs (it
	// becomes X-Sev-Delivery, an email's Message-ID, ...): letters,
	// digits, '-' and '_'.
	ID       string
	Action   Action
	Incident Incident
	// Text is the one-line reason, such as "nobody has acknowledged for
	// 5m (level 2 of payments)"; Detail is optional further text.
	Text   string
	Detail string
	// To names the person being reached, when it is a person (their
	// handle), and Mention their ID on the channel (a Slack member ID,
	// a Discord user ID, ...), when known.
	To      string
	Mention string
	// AckURL is a signed link that acknowledges the incident, when the
	// sender serves one (sev watch).
	AckURL string
	// ReplyTo is the address a reply by email reaches the incident's
	// timeline through, when there is one.
	ReplyTo string
	// At is when the notification was made.
	At time.Time
}

// Redact keeps what a notification about a restricted incident may say:
// the ID, the link, the action and the acknowledge link (which names
// nothing). The reason, the detail and the names are dropped, since
// "level 2 of the security policy" alone says what the incident is.
func (m Message) Redact() Message {
	return Message{ID: m.ID, Action: m.Action, At: m.At, AckURL: m.AckURL, ReplyTo: m.ReplyTo,
		Incident: Incident{ID: m.Incident.ID, URL: m.Incident.URL, Restricted: true}}
}

// redacted is m as it may be sent: Redact for restricted incidents.
func (m Message) redacted() Message {
	if m.Incident.Restricted {
		return m.Redact()
	}
	return m
}

// Subject is the one-line summary every channel leads with: the severity,
// the title and what happened, e.g. "[SEV1] Checkout errors in EU —
// paged: nobody has acknowledged for 5m". A restricted incident's names
// only its ID.
func (m Message) Subject() string {
	var b strings.Builder
	if m.Incident.Restricted {
		fmt.Fprintf(&b, "Restricted incident %s", m.Incident.ID)
	} else {
		if m.Incident.SevName != "" {
			fmt.Fprintf(&b, "[%s] ", m.Incident.SevName)
		}
		b.WriteString(oneLine(m.Incident.Title))
		if b.Len() == 0 || m.Incident.Title == "" {
			b.WriteString(m.Incident.ID)
		}
	}
	b.WriteString(" — ")
	b.WriteString(verb(m.Action))
	if m.Text != "" && !m.Incident.Restricted {
		b.WriteString(": ")
		b.WriteString(oneLine(m.Text))
	}
	return b.String()
}

func verb(a Action) string {
	switch a {
	case Page:
		return "paging"
	case Remind:
		return "reminder"
	case Acknowledge:
		return "acknowledged"
	case Resolve:
		return "resolved"
	}
	return "update"
}

// oneLine is s with line breaks and control characters as spaces, so a
// title cannot add a header line to an email or a field to a push.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' || r == ' '
	}), " ")
}

// clip cuts s to at most n runes, ending with "…" when it was cut.
func clip(s string, n int) string {
	if n <= 0 {
		return ""
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
