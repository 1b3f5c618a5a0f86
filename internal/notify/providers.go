package notify

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// request is a rendered HTTP delivery: where to post what, with which
// secret headers.
type request struct {
	url    string
	header map[string]string
	body   []byte
}

// maxDedupKey is PagerDuty's limit on dedup_key.
const maxDedupKey = 255

// pagerDutyURL is the Events API v2 endpoint.
const pagerDutyURL = "https://events.pagerduty.com/v2/enqueue"

// pagerDutySeverity maps a sev severity to the Events API's levels.
func pagerDutySeverity(sev int) string {
	switch sev {
	case 1:
		return "critical"
	case 2:
		return "error"
	case 3:
		return "warning"
	}
	return "info"
}

// pagerDuty renders an Events API v2 event: the incident ID is the
// dedup_key, so a repeated page updates the same alert, an acknowledgement
// or resolution in sev acknowledges or resolves it in PagerDuty, and
// PagerDuty's own escalation takes over from there. Reminders and updates
// are sent as triggers of the same key (PagerDuty adds them to the
// alert's log without paging again while it is open).
func pagerDuty(endpoint, key string, m Message) (request, error) {
	if endpoint == "" {
		endpoint = pagerDutyURL
	}
	ev := map[string]any{"routing_key": key, "dedup_key": clip(m.Incident.ID, maxDedupKey)}
	switch m.Action {
	case Acknowledge:
		ev["event_action"] = "acknowledge"
	case Resolve:
		ev["event_action"] = "resolve"
	default:
		ev["event_action"] = "trigger"
		payload := map[string]any{
			"summary":   clip(m.Subject(), 1024),
			"source":    "sev",
			"severity":  pagerDutySeverity(m.Incident.Severity),
			"timestamp": m.At.UTC().Format(time.RFC3339),
			"component": m.Incident.ID,
		}
		details := map[string]any{"incident": m.Incident.ID}
		if !m.Incident.Restricted {
			details["status"] = m.Incident.Status
			if m.Text != "" {
				details["reason"] = m.Text
			}
			if m.To != "" {
				details["person"] = m.To
			}
			if m.Mention != "" {
				details["pagerduty_user"] = m.Mention
			}
		}
		payload["custom_details"] = details
		ev["payload"] = payload
		ev["client"] = "sev"
		var links []map[string]string
		if m.Incident.URL != "" {
			ev["client_url"] = m.Incident.URL
			links = append(links, map[string]string{"href": m.Incident.URL, "text": "Incident " + m.Incident.ID})
		}
		if m.AckURL != "" {
			links = append(links, map[string]string{"href": m.AckURL, "text": "Acknowledge in sev"})
		}
		if links != nil {
			ev["links"] = links
		}
	}
	b, err := json.Marshal(ev)
	return request{url: endpoint, body: b}, err
}

// opsgenieBase is the Alert API's host by region.
func opsgenieBase(region, override string) string {
	if override != "" {
		return strings.TrimSuffix(override, "/")
	}
	if region == "eu" {
		return "https://api.eu.opsgenie.com"
	}
	return "https://api.opsgenie.com"
}

// opsgeniePriority maps a severity to P1..P5.
func opsgeniePriority(sev int) string {
	if sev >= 1 && sev <= 5 {
		return fmt.Sprintf("P%d", sev)
	}
	return "P3"
}

// opsgenie renders an Alert API v2 request: create (alias = incident ID,
// so Opsgenie de-duplicates), acknowledge or close by alias. A person
// with an Opsgenie username (m.Mention) is the alert's responder.
func opsgenie(base, key string, m Message) (request, error) {
	h := map[string]string{"Authorization": "GenieKey " + key}
	alias := clip(m.Incident.ID, 512)
	var path string
	var body map[string]any
	switch m.Action {
	case Acknowledge, Resolve:
		op := "acknowledge"
		if m.Action == Resolve {
			op = "close"
		}
		path = "/v2/alerts/" + url.PathEscape(alias) + "/" + op + "?identifierType=alias"
		body = map[string]any{"source": "sev", "user": "sev"}
		if !m.Incident.Restricted && m.Text != "" {
			body["note"] = clip(m.Text, 25000)
		}
	default:
		path = "/v2/alerts"
		body = map[string]any{
			"message":  clip(m.Subject(), 130),
			"alias":    alias,
			"source":   "sev",
			"entity":   clip(m.Incident.ID, 512),
			"priority": opsgeniePriority(m.Incident.Severity),
		}
		var desc []string
		if !m.Incident.Restricted && m.Text != "" {
			desc = append(desc, m.Text)
		}
		if !m.Incident.Restricted && m.Detail != "" {
			desc = append(desc, m.Detail)
		}
		if m.Incident.URL != "" {
			desc = append(desc, m.Incident.URL)
		}
		if m.AckURL != "" {
			desc = append(desc, "Acknowledge in sev: "+m.AckURL)
		}
		if len(desc) > 0 {
			body["description"] = clip(strings.Join(desc, "\n\n"), 15000)
		}
		details := map[string]string{"incident": m.Incident.ID}
		if m.Incident.URL != "" {
			details["url"] = m.Incident.URL
		}
		body["details"] = details
		if m.Mention != "" {
			body["responders"] = []map[string]string{{"type": "user", "username": m.Mention}}
		}
	}
	b, err := json.Marshal(body)
	return request{url: base + path, header: h, body: b}, err
}

// ntfyPriority maps an action and severity to ntfy's 1..5.
func ntfyPriority(m Message) int {
	switch {
	case m.Action == Page && m.Incident.Severity == 1:
		return 5
	case m.Action == Page:
		return 4
	case m.Action == Remind:
		return 3
	}
	return 2
}

// ntfy renders a JSON publish to the server's root: the title is the
// subject, a tap opens the incident, and a page carries an "Acknowledge"
// button that POSTs the signed acknowledge link (and clears the
// notification when it succeeds).
func ntfy(server, token, topic string, m Message) (request, error) {
	msg := map[string]any{
		"topic":    topic,
		"title":    clip(m.Subject(), 250),
		"message":  clip(ntfyText(m), 3500),
		"priority": ntfyPriority(m),
		"tags":     []string{ntfyTag(m.Action)},
	}
	if m.Incident.URL != "" {
		msg["click"] = m.Incident.URL
	}
	var actions []map[string]any
	if m.AckURL != "" && (m.Action == Page || m.Action == Remind) {
		actions = append(actions, map[string]any{"action": "http", "label": "Acknowledge", "url": m.AckURL, "method": "POST", "clear": true})
	}
	if m.Incident.URL != "" {
		actions = append(actions, map[string]any{"action": "view", "label": "Open", "url": m.Incident.URL})
	}
	if actions != nil {
		msg["actions"] = actions
	}
	var h map[string]string
	if token != "" {
		h = map[string]string{"Authorization": "Bearer " + token}
	}
	b, err := json.Marshal(msg)
	return request{url: strings.TrimSuffix(server, "/") + "/", header: h, body: b}, err
}

func ntfyText(m Message) string {
	if m.Incident.Restricted {
		return "Incident " + m.Incident.ID
	}
	var parts []string
	if m.Text != "" {
		parts = append(parts, m.Text)
	}
	parts = append(parts, fmt.Sprintf("%s · %s", m.Incident.ID, m.Incident.Status))
	if m.Detail != "" {
		parts = append(parts, m.Detail)
	}
	return strings.Join(parts, "\n")
}

func ntfyTag(a Action) string {
	switch a {
	case Page:
		return "rotating_light"
	case Remind:
		return "alarm_clock"
	case Acknowledge:
		return "eyes"
	case Resolve:
		return "white_check_mark"
	}
	return "memo"
}
