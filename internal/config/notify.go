package config

import (
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// Contacts are the ways to reach a person (people[].contacts), each the
// person's address or ID on one kind of channel. Secrets never appear
// here: they belong to the channel, in the environment.
type Contacts struct {
	Email      string `yaml:"email"`       // an address for the email channel (default: the person's email)
	Ntfy       string `yaml:"ntfy"`        // an ntfy topic the person's phone subscribes to
	Slack      string `yaml:"slack"`       // a Slack member ID (U…/W…), mentioned in Slack messages
	Teams      string `yaml:"teams"`       // a Microsoft Teams user (Entra ID object ID or user principal name), mentioned in cards
	Discord    string `yaml:"discord"`     // a Discord user ID, mentioned in messages
	GoogleChat string `yaml:"google-chat"` // a Google Chat user (users/123…), mentioned in messages
	PagerDuty  string `yaml:"pagerduty"`   // a PagerDuty user ID, named in the alert's details
	Opsgenie   string `yaml:"opsgenie"`    // an Opsgenie username (usually an email), made the alert's responder
	Phone      string `yaml:"phone"`       // an E.164 number (+4915…), for providers that need one
}

// Alerts is how sev watch turns alerts from Alertmanager or Grafana into
// incidents (sev.yaml, alerts).
type Alerts struct {
	// TokenEnv names the variable holding the bearer token senders must
	// present (Authorization: Bearer …).
	TokenEnv string `yaml:"token-env"`
	// HMACEnv names the variable holding the secret of Grafana's webhook
	// signature (X-Grafana-Alerting-Signature), accepted instead of the token.
	HMACEnv string `yaml:"hmac-env"`
	// Routes decide, by the alert group's labels, what an incident is
	// declared with; the first that matches wins, and a group no route
	// matches declares nothing.
	Routes []AlertRoute `yaml:"routes"`
}

// AlertRoute is one rule of alerts.routes.
type AlertRoute struct {
	Match    map[string]string `yaml:"match"`    // labels that must all be equal; none: every group
	Severity int               `yaml:"severity"` // the incident's severity; default the least severe
	Tags     []string          `yaml:"tags"`
	Escalate string            `yaml:"escalate"` // an escalation policy to start
	// Resolve resolves the incident when every alert of its group has
	// resolved (the default); false only notes it.
	Resolve *bool `yaml:"resolve"`
}

// Notify is how sev reaches people (sev.yaml, notify).
type Notify struct {
	Channels []Channel `yaml:"channels"`
}

// Channel is one delivery channel. Which fields apply depends on Type
// (ChannelFields); credentials are named by environment variable only.
type Channel struct {
	Name        string   `yaml:"name,required"`
	Type        string   `yaml:"type,required"`
	URL         string   `yaml:"url"`          // a server or endpoint that is not secret (ntfy, Opsgenie, PagerDuty, webhook)
	URLEnv      string   `yaml:"url-env"`      // a webhook URL that is itself the credential (Slack, Teams, Discord, Google Chat, webhook)
	KeyEnv      string   `yaml:"key-env"`      // PagerDuty routing key, Opsgenie API key, ntfy access token
	SecretEnv   string   `yaml:"secret-env"`   // the signing secret of a sev webhook
	Topic       string   `yaml:"topic"`        // ntfy: the topic for messages to the channel itself
	Region      string   `yaml:"region"`       // opsgenie: us (default) or eu
	SMTP        string   `yaml:"smtp"`         // email: host:port of the SMTP server
	TLS         string   `yaml:"tls"`          // email: starttls (default), tls, or none (loopback only)
	From        string   `yaml:"from"`         // email: the sender address
	To          []string `yaml:"to"`           // email: addresses for messages to the channel itself
	UsernameEnv string   `yaml:"username-env"` // email: the SMTP user name
	PasswordEnv string   `yaml:"password-env"` // email: the SMTP password (and IMAP's)
	// ReplyTo is the mailbox replies go to (email): each notification to a
	// person carries a signed plus-address of it, and sev watch reads the
	// mailbox over IMAP (imap: host:port, implicit TLS) and appends each
	// reply to the incident's timeline as its sender.
	ReplyTo string `yaml:"reply-to"`
	IMAP    string `yaml:"imap"`
}

// Channel types.
const (
	ChannelPagerDuty  = "pagerduty"
	ChannelOpsgenie   = "opsgenie"
	ChannelSlack      = "slack"
	ChannelTeams      = "teams"
	ChannelDiscord    = "discord"
	ChannelGoogleChat = "google-chat"
	ChannelNtfy       = "ntfy"
	ChannelEmail      = "email"
	ChannelWebhook    = "webhook"
)

// ChannelFields lists, by type, the fields a channel may have besides
// name and type, and which of them it must have.
var ChannelFields = map[string]struct{ May, Must []string }{
	ChannelPagerDuty:  {May: []string{"key-env", "url"}, Must: []string{"key-env"}},
	ChannelOpsgenie:   {May: []string{"key-env", "region", "url"}, Must: []string{"key-env"}},
	ChannelSlack:      {May: []string{"url-env"}, Must: []string{"url-env"}},
	ChannelTeams:      {May: []string{"url-env"}, Must: []string{"url-env"}},
	ChannelDiscord:    {May: []string{"url-env"}, Must: []string{"url-env"}},
	ChannelGoogleChat: {May: []string{"url-env"}, Must: []string{"url-env"}},
	ChannelNtfy:       {May: []string{"url", "key-env", "topic"}},
	ChannelEmail:      {May: []string{"smtp", "tls", "from", "to", "username-env", "password-env", "reply-to", "imap"}, Must: []string{"smtp", "from"}},
	ChannelWebhook:    {May: []string{"url", "url-env", "secret-env"}, Must: []string{"secret-env"}},
}

// ChannelTypes lists the channel types in the order the docs give them.
var ChannelTypes = []string{ChannelPagerDuty, ChannelOpsgenie, ChannelSlack, ChannelTeams, ChannelDiscord,
	ChannelGoogleChat, ChannelNtfy, ChannelEmail, ChannelWebhook}

// Channel returns the channel with the name, or nil.
func (s *Settings) Channel(name string) *Channel {
	for i := range s.Notify.Channels {
		if s.Notify.Channels[i].Name == name {
			return &s.Notify.Channels[i]
		}
	}
	return nil
}

// set reports whether the channel has the field (by its YAML name) set.
func (c *Channel) set(field string) bool {
	switch field {
	case "url":
		return c.URL != ""
	case "url-env":
		return c.URLEnv != ""
	case "key-env":
		return c.KeyEnv != ""
	case "secret-env":
		return c.SecretEnv != ""
	case "topic":
		return c.Topic != ""
	case "region":
		return c.Region != ""
	case "smtp":
		return c.SMTP != ""
	case "tls":
		return c.TLS != ""
	case "from":
		return c.From != ""
	case "to":
		return len(c.To) > 0
	case "username-env":
		return c.UsernameEnv != ""
	case "password-env":
		return c.PasswordEnv != ""
	case "reply-to":
		return c.ReplyTo != ""
	case "imap":
		return c.IMAP != ""
	}
	return false
}

var (
	envNameRE   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	ntfyTopicRE = regexp.MustCompile(`^[-_A-Za-z0-9]{1,64}$`)
	slackIDRE   = regexp.MustCompile(`^[UW][A-Z0-9]{2,}$`)
	discordIDRE = regexp.MustCompile(`^[0-9]{15,21}$`)
	chatUserRE  = regexp.MustCompile(`^users/[0-9A-Za-z._@-]{1,100}$`)
	teamsIDRE   = regexp.MustCompile(`^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[^@\s<>]+@[^@\s<>]+)$`)
	pdUserRE    = regexp.MustCompile(`^P[A-Z0-9]{5,13}$`)
	phoneRE     = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
	labelRE     = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
)

var channelFieldNames = []string{"url", "url-env", "key-env", "secret-env", "topic", "region", "smtp", "tls", "from", "to", "username-env", "password-env", "reply-to", "imap"}

// checkNotify checks notify.channels and people[].contacts.
func (s *Settings) checkNotify(d *yamlfile.Decoder) diag.List {
	var diags diag.List
	names := make([]string, len(s.Notify.Channels))
	for i := range s.Notify.Channels {
		c := &s.Notify.Channels[i]
		names[i] = c.Name
		at := func(field string) diag.Pos { return d.At(fmt.Sprintf("notify.channels[%d].%s", i, field)) }
		fields, ok := ChannelFields[c.Type]
		if !ok {
			msg := fmt.Sprintf("unknown channel type %q; use one of %s", c.Type, strings.Join(ChannelTypes, ", "))
			if sug := yamlfile.Suggest(c.Type, ChannelTypes); sug != "" {
				msg = fmt.Sprintf("unknown channel type %q; did you mean %q?", c.Type, sug)
			}
			diags.Add(at("type"), "config", "%s", msg)
			continue
		}
		for _, f := range channelFieldNames {
			if c.set(f) && !slices.Contains(fields.May, f) {
				diags.Add(at(f), "config", "%s %s channel has no %s", article(c.Type), c.Type, f)
			}
		}
		for _, f := range fields.Must {
			if !c.set(f) {
				diags.Add(d.At(fmt.Sprintf("notify.channels[%d]", i)), "config", "%s %s channel needs %s", article(c.Type), c.Type, f)
			}
		}
		for f, v := range map[string]string{"url-env": c.URLEnv, "key-env": c.KeyEnv, "secret-env": c.SecretEnv,
			"username-env": c.UsernameEnv, "password-env": c.PasswordEnv} {
			if v != "" && !envNameRE.MatchString(v) {
				diags.Add(at(f), "config", "%q is not an environment variable name (letters, digits and _, not starting with a digit); secrets are never written in sev.yaml", v)
			}
		}
		if c.URL != "" {
			if u, err := url.Parse(c.URL); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil || u.RawQuery != "" {
				diags.Add(at("url"), "config", "url must be an absolute http(s) URL without credentials or query; put a secret URL in the environment (url-env)")
			}
		}
		if c.Type == ChannelWebhook && (c.URL == "") == (c.URLEnv == "") {
			diags.Add(d.At(fmt.Sprintf("notify.channels[%d]", i)), "config", "a webhook channel needs exactly one of url and url-env")
		}
		if c.Region != "" && c.Region != "us" && c.Region != "eu" {
			diags.Add(at("region"), "config", "region must be us or eu, not %q", c.Region)
		}
		if c.Topic != "" && !ntfyTopicRE.MatchString(c.Topic) {
			diags.Add(at("topic"), "config", "%q is not an ntfy topic (1 to 64 letters, digits, - and _)", c.Topic)
		}
		for _, hp := range []struct{ field, v, example string }{{"smtp", c.SMTP, "smtp.example.com:587"}, {"imap", c.IMAP, "imap.example.com:993"}} {
			if hp.v != "" && !isHostPort(hp.v) {
				diags.Add(at(hp.field), "config", "%s must be host:port, such as %s", hp.field, hp.example)
			}
		}
		if c.ReplyTo != "" && (!isAddress(c.ReplyTo) || strings.Contains(strings.Split(c.ReplyTo, "@")[0], "+")) {
			diags.Add(at("reply-to"), "config", "%q is not a plain email address (sev adds the +token itself)", c.ReplyTo)
		}
		if (c.ReplyTo == "") != (c.IMAP == "") {
			diags.Add(d.At(fmt.Sprintf("notify.channels[%d]", i)), "config", "replies by email need both reply-to (the mailbox) and imap (where sev watch reads it)")
		}
		if c.TLS != "" && !slices.Contains([]string{"starttls", "tls", "none"}, c.TLS) {
			diags.Add(at("tls"), "config", "tls must be starttls, tls or none, not %q", c.TLS)
		}
		if c.From != "" && !isAddress(c.From) {
			diags.Add(at("from"), "config", "%q is not an email address", c.From)
		}
		for j, to := range c.To {
			if !isAddress(to) {
				diags.Add(d.At(fmt.Sprintf("notify.channels[%d].to[%d]", i, j)), "config", "%q is not an email address", to)
			}
		}
	}
	checkNames(&diags, d, "notify.channels", names)
	for f, v := range map[string]string{"token-env": s.Alerts.TokenEnv, "hmac-env": s.Alerts.HMACEnv} {
		if v != "" && !envNameRE.MatchString(v) {
			diags.Add(d.At("alerts."+f), "config", "%q is not an environment variable name; secrets are never written in sev.yaml", v)
		}
	}
	for i, r := range s.Alerts.Routes {
		at := func(f string) diag.Pos { return d.At(fmt.Sprintf("alerts.routes[%d].%s", i, f)) }
		if r.Severity < 0 || r.Severity > len(s.Severities) {
			diags.Add(at("severity"), "config", "severity must be a level from 1 to %d", len(s.Severities))
		}
		for k := range r.Match {
			if !labelRE.MatchString(k) {
				diags.Add(d.At(fmt.Sprintf("alerts.routes[%d].match.%s#key", i, k)), "config", "%q is not a label name", k)
			}
		}
		if r.Escalate != "" && !nameRE.MatchString(r.Escalate) {
			diags.Add(at("escalate"), "config", "%q is not a policy name (escalations/NAME.yaml)", r.Escalate)
		}
	}
	for i, p := range s.People {
		c := p.Contacts
		at := func(field string) diag.Pos { return d.At(fmt.Sprintf("people[%d].contacts.%s", i, field)) }
		for _, f := range []struct {
			field, v string
			ok       func(string) bool
			want     string
		}{
			{"email", c.Email, isAddress, "an email address"},
			{"ntfy", c.Ntfy, ntfyTopicRE.MatchString, "an ntfy topic (1 to 64 letters, digits, - and _)"},
			{"slack", c.Slack, slackIDRE.MatchString, "a Slack member ID such as U012AB3CD (in Slack: profile, ⋮, Copy member ID)"},
			{"teams", c.Teams, teamsIDRE.MatchString, "a Teams user: an Entra ID object ID or a user principal name"},
			{"discord", c.Discord, discordIDRE.MatchString, "a Discord user ID (digits; Developer Mode, Copy User ID)"},
			{"google-chat", c.GoogleChat, chatUserRE.MatchString, "a Google Chat user such as users/123456789"},
			{"pagerduty", c.PagerDuty, pdUserRE.MatchString, "a PagerDuty user ID such as PABC123"},
			{"opsgenie", c.Opsgenie, isAddress, "an Opsgenie username (the user's email address)"},
			{"phone", c.Phone, phoneRE.MatchString, "a phone number in E.164 form, such as +4915112345678"},
		} {
			if f.v != "" && !f.ok(f.v) {
				diags.Add(at(f.field), "config", "%q is not %s", f.v, f.want)
			}
		}
	}
	return diags
}

// isHostPort reports whether s is host:port with a port from 1 to 65535.
func isHostPort(s string) bool {
	host, port, err := net.SplitHostPort(s)
	n, perr := strconv.Atoi(port)
	return err == nil && host != "" && perr == nil && n >= 1 && n <= 65535
}

// isAddress reports whether s is one plain email address (no name, no
// angle brackets, no line breaks).
func isAddress(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s && !strings.ContainsAny(s, "<>\r\n\t ")
}

// article is "an" before a vowel, else "a".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}
