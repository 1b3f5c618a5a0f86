package webhook

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// TypeRule is the type of an event sent by an automation rule's step.
const TypeRule = "sev.rule"

// maxIDLen bounds an event id; ids travel in a header.
const maxIDLen = 128

// Event is what a webhook reports: the incident and the rule that fired.
type Event struct {
	// ID is stable for one trigger (see NewID): receivers de-duplicate on it.
	ID string
	// Type is TypeRule unless set.
	Type string
	// Rule is the rule's name.
	Rule string
	// Incident is the incident the rule fired for.
	Incident Incident
	// Text is the rule's message.
	Text string
}

// Incident is the part of an incident a webhook shows.
type Incident struct {
	ID           string
	Title        string
	Severity     int
	SeverityName string
	Status       string
	// URL is the incident's page in the library, if there is one.
	URL   string
	Tags  []string
	Orgs  []string
	Roles map[string]string

	redacted bool
}

// Redacted reports whether the incident was reduced to its ID by Redact.
func (i Incident) Redacted() bool { return i.redacted }

// Redact returns the event as it may be sent for a restricted incident:
// its id and type and the incident's ID, nothing else (not the rule's name
// or text either, which say what the incident is about).
func (e Event) Redact() Event {
	return Event{ID: e.ID, Type: e.Type, Incident: Incident{ID: e.Incident.ID, redacted: true}}
}

// NewID derives a stable event id from what identifies the trigger, for
// example NewID(rule, webhook, incidentID, entryID): re-running the same
// automation gives the same id, so receivers can drop the duplicate. It is
// 32 lowercase hex digits of a SHA-256 over the length-prefixed parts.
func NewID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(strconv.Itoa(len(p)) + ":" + p))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// checkID reports whether id may be an event id: 1–128 letters, digits,
// '-' and '_' (no '.', which separates the signed fields).
func checkID(id string) error {
	if id == "" {
		return fmt.Errorf("the event has no id; derive one with NewID")
	}
	if len(id) > maxIDLen {
		return fmt.Errorf("the event id is longer than %d bytes", maxIDLen)
	}
	for _, r := range id {
		if !isIDRune(r) {
			return fmt.Errorf("event id %q has %q; use only letters, digits, '-' and '_'", id, r)
		}
	}
	return nil
}

func isIDRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_'
}

func (e Event) check() error {
	if err := checkID(e.ID); err != nil {
		return err
	}
	if e.Incident.ID == "" {
		return fmt.Errorf("event %s names no incident", e.ID)
	}
	return nil
}

func (e Event) typ() string {
	if e.Type == "" {
		return TypeRule
	}
	return e.Type
}

type wireIncident struct {
	ID           string            `json:"id"`
	Title        string            `json:"title"`
	Severity     int               `json:"severity"`
	SeverityName string            `json:"severity_name"`
	Status       string            `json:"status"`
	URL          string            `json:"url"`
	Tags         []string          `json:"tags"`
	Orgs         []string          `json:"orgs"`
	Roles        map[string]string `json:"roles"`
}

type wireEvent struct {
	ID       string       `json:"id"`
	Type     string       `json:"type"`
	Rule     string       `json:"rule"`
	Incident wireIncident `json:"incident"`
	Text     string       `json:"text"`
	SentAt   string       `json:"sent_at"`
}

type wireRedacted struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Incident struct {
		ID string `json:"id"`
	} `json:"incident"`
	SentAt string `json:"sent_at"`
}

// Body is the event as the json format sends it, with sentAt (the
// attempt's time, equal to X-Sev-Timestamp) in UTC seconds.
func (e Event) Body(sentAt time.Time) ([]byte, error) {
	at := sentAt.UTC().Truncate(time.Second).Format(time.RFC3339)
	if e.Incident.redacted {
		w := wireRedacted{ID: e.ID, Type: e.typ(), SentAt: at}
		w.Incident.ID = e.Incident.ID
		return encode(w)
	}
	i := e.Incident
	return encode(wireEvent{ID: e.ID, Type: e.typ(), Rule: e.Rule, Text: e.Text, SentAt: at,
		Incident: wireIncident{ID: i.ID, Title: i.Title, Severity: i.Severity, SeverityName: i.SeverityName,
			Status: i.Status, URL: i.URL, Tags: nonNil(i.Tags), Orgs: nonNil(i.Orgs), Roles: nonNilMap(i.Roles)}})
}

// encode writes v as compact JSON without HTML escaping (receivers parse
// JSON; \u003c would only make bodies harder to read).
func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encode webhook body: %w", err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
