package notify

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strings"
	"syscall"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/webhook"
)

// DefaultNtfyServer is where an ntfy channel without url publishes.
const DefaultNtfyServer = "https://ntfy.sh"

// Options configure a Sender.
type Options struct {
	// Lookup reads an environment variable (os.LookupEnv in the CLI).
	Lookup func(string) (string, bool)
	// HTTP carries the HTTP channels; nil: a client with the defaults.
	HTTP *webhook.Client
	// AllowPrivate lets email reach private and loopback addresses, as
	// webhook.Options.AllowPrivate does for HTTP.
	AllowPrivate bool
	// RootCAs replaces the system's certificates for SMTP (tests).
	RootCAs *x509.CertPool
	// MailDomain is the domain of Message-IDs; default "sev.invalid".
	MailDomain string
	// ReplySecret signs reply addresses (ReplyToken); without it, emails
	// carry no reply address.
	ReplySecret []byte
	// MailBackoff is the first wait before an email is tried again
	// (tests); default 1 s.
	MailBackoff time.Duration
}

// Sender delivers notifications through the channels of sev.yaml.
type Sender struct {
	s    *config.Settings
	o    Options
	http *webhook.Client
}

// NewSender returns a Sender for the settings' channels.
func NewSender(s *config.Settings, o Options) *Sender {
	c := o.HTTP
	if c == nil {
		c = webhook.New(webhook.Options{})
	}
	if o.MailDomain == "" {
		o.MailDomain = "sev.invalid"
	}
	return &Sender{s: s, o: o, http: c}
}

// Delivery is one message to one channel, addressed to a person of
// sev.yaml (their contact on that channel) or, with no person, to the
// channel itself (its topic, its recipients, its room).
type Delivery struct {
	Channel string
	Person  string
	Message Message
}

// Receipt is what happened to one Delivery.
type Receipt struct {
	Channel  string
	Person   string
	ID       string
	Attempts int
	Status   int   // the last HTTP status, 0 for none or for email
	Err      error // nil when the channel accepted the message
}

// Send delivers every Delivery and returns a Receipt for each, in order;
// one failure never stops the others.
func (x *Sender) Send(ctx context.Context, ds []Delivery) []Receipt {
	out := make([]Receipt, len(ds))
	var https []webhook.Delivery
	var at []int
	for i, d := range ds {
		out[i] = Receipt{Channel: d.Channel, Person: d.Person, ID: d.Message.ID}
		wd, mail, err := x.render(d)
		switch {
		case err != nil:
			out[i].Err = err
		case mail != nil:
			out[i].Attempts, out[i].Err = x.sendMail(ctx, mail)
		default:
			https = append(https, wd)
			at = append(at, i)
		}
	}
	for k, r := range x.http.Send(ctx, https) {
		i := at[k]
		out[i].Attempts, out[i].Status, out[i].Err = r.Attempts, r.Status, r.Err
	}
	return out
}

// mailAttempts bounds the tries of one email; a temporary failure (a
// refused or dropped connection, an SMTP 4xx reply) is tried again after
// 1 s, then 2 s; a permanent one (5xx, no STARTTLS, a refused login) is not.
const mailAttempts = 3

func (x *Sender) sendMail(ctx context.Context, m *pendingMail) (int, error) {
	var err error
	for n := 1; ; n++ {
		if err = m.cfg.send(ctx, m.msg); err == nil || n >= mailAttempts || !temporary(err) {
			return n, err
		}
		select {
		case <-ctx.Done():
			return n, err
		case <-time.After(time.Duration(n) * x.mailBackoff()):
		}
	}
}

func (x *Sender) mailBackoff() time.Duration {
	if x.o.MailBackoff > 0 {
		return x.o.MailBackoff
	}
	return time.Second
}

// temporary reports whether an SMTP failure may heal by itself.
func temporary(err error) bool {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return tp.Code >= 400 && tp.Code < 500
	}
	if webhook.Refused(err) {
		return false // the address policy says no, every time
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, io.EOF)
}

type pendingMail struct {
	cfg smtpConfig
	msg mailMsg
}

// render resolves the channel and its secrets and renders the message.
func (x *Sender) render(d Delivery) (webhook.Delivery, *pendingMail, error) {
	c := x.s.Channel(d.Channel)
	if c == nil {
		return webhook.Delivery{}, nil, fmt.Errorf("no channel %q in sev.yaml's notify.channels", d.Channel)
	}
	m := d.Message.redacted()
	var contact config.Contacts
	var handle string
	if d.Person != "" {
		p, ok := x.s.Person(d.Person)
		if !ok {
			return webhook.Delivery{}, nil, fmt.Errorf("%s: no person %q in sev.yaml", d.Channel, d.Person)
		}
		contact, handle = p.Contacts, p.Handle
		if contact.Email == "" {
			contact.Email = p.Email
		}
		if !m.Incident.Restricted {
			m.To = p.Handle
		}
		m.Mention = mentionFor(c.Type, contact)
	}
	env := func(name, what string) (string, error) {
		v, ok := x.o.Lookup(name)
		if !ok || strings.TrimSpace(v) == "" {
			return "", fmt.Errorf("channel %q: environment variable %s (the %s) is not set", c.Name, name, what)
		}
		return strings.TrimSpace(v), nil
	}
	t := webhook.Target{Name: c.Name, Format: webhook.FormatProvider}
	var req request
	var err error
	switch c.Type {
	case config.ChannelPagerDuty:
		key, kerr := env(c.KeyEnv, "routing key")
		if kerr != nil {
			return t0(kerr)
		}
		if req, err = pagerDuty(c.URL, key, m); err != nil {
			return t0(fmt.Errorf("channel %q: %w", c.Name, err))
		}
		t.URL = req.url
		return x.httpDelivery(t, req, m, key) // the key is in the body: scrubbed from messages
	case config.ChannelOpsgenie:
		key, kerr := env(c.KeyEnv, "API key")
		if kerr != nil {
			return t0(kerr)
		}
		req, err = opsgenie(opsgenieBase(c.Region, c.URL), key, m)
	case config.ChannelNtfy:
		server := c.URL
		if server == "" {
			server = DefaultNtfyServer
		}
		token := ""
		if c.KeyEnv != "" {
			if token, err = env(c.KeyEnv, "access token"); err != nil {
				return t0(err)
			}
		}
		topic := c.Topic
		if d.Person != "" {
			topic = contact.Ntfy
		}
		if topic == "" {
			return t0(fmt.Errorf("channel %q: %s", c.Name, noAddress(d.Person, "an ntfy topic (contacts.ntfy)", "a topic")))
		}
		req, err = ntfy(server, token, topic, m)
	case config.ChannelSlack, config.ChannelTeams, config.ChannelDiscord, config.ChannelGoogleChat:
		u, uerr := env(c.URLEnv, "webhook URL")
		if uerr != nil {
			return t0(uerr)
		}
		t.URLEnv = c.URLEnv
		var b []byte
		switch c.Type {
		case config.ChannelSlack:
			b, err = slack(m)
		case config.ChannelTeams:
			b, err = teams(m)
		case config.ChannelDiscord:
			b, err = discord(m)
		default:
			b, err = googleChat(m)
			u = googleChatURL(u)
		}
		req = request{url: u, body: b}
	case config.ChannelWebhook:
		u := c.URL
		if c.URLEnv != "" {
			if u, err = env(c.URLEnv, "webhook URL"); err != nil {
				return t0(err)
			}
			t.URLEnv = c.URLEnv
		}
		secret, serr := env(c.SecretEnv, "signing secret")
		if serr != nil {
			return t0(serr)
		}
		t.Format, t.Secret, t.SecretEnv = webhook.FormatJSON, webhook.Secret(secret), c.SecretEnv
		b, jerr := sevJSON(m)
		req, err = request{url: u, body: b}, jerr
	case config.ChannelEmail:
		to := c.To
		if d.Person != "" {
			to = nil
			if contact.Email != "" {
				to = []string{contact.Email}
			}
		}
		if len(to) == 0 {
			return t0(fmt.Errorf("channel %q: %s", c.Name, noAddress(d.Person, "an email address", "recipients (to)")))
		}
		cfg := smtpConfig{addr: c.SMTP, tlsMode: c.TLS, allowPrivate: x.o.AllowPrivate, rootCAs: x.o.RootCAs}
		if c.UsernameEnv != "" {
			if cfg.username, err = env(c.UsernameEnv, "SMTP user name"); err != nil {
				return t0(err)
			}
			if cfg.password, err = env(c.PasswordEnv, "SMTP password"); err != nil {
				return t0(err)
			}
		}
		if c.ReplyTo != "" && handle != "" && len(x.o.ReplySecret) > 0 {
			m.ReplyTo = ReplyAddress(c.ReplyTo, ReplyToken(x.o.ReplySecret, m.Incident.ID, handle))
		}
		return webhook.Delivery{}, &pendingMail{cfg: cfg, msg: emailOf(c.From, to, m, x.o.MailDomain)}, nil
	default:
		return t0(fmt.Errorf("channel %q: unknown type %q", c.Name, c.Type))
	}
	if err != nil {
		return t0(fmt.Errorf("channel %q: %w", c.Name, err))
	}
	t.URL = req.url
	return x.httpDelivery(t, req, m, "")
}

func t0(err error) (webhook.Delivery, *pendingMail, error) { return webhook.Delivery{}, nil, err }

// httpDelivery wraps a rendered request for package webhook; bodySecret
// is a credential inside the body (PagerDuty's routing key), scrubbed
// from messages like a header.
func (x *Sender) httpDelivery(t webhook.Target, req request, m Message, bodySecret string) (webhook.Delivery, *pendingMail, error) {
	if len(req.header) > 0 || bodySecret != "" {
		t.Header = map[string]webhook.Secret{}
		for k, v := range req.header {
			t.Header[k] = webhook.Secret(v)
		}
	}
	if bodySecret != "" {
		t.Secret = webhook.Secret(bodySecret) // not used to sign (FormatProvider), only scrubbed
	}
	return webhook.Prepared(t, deliveryID(m.ID), req.body), nil, nil
}

// deliveryID is m.ID as package webhook accepts it.
func deliveryID(id string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, id)
}

func noAddress(person, personWhat, channelWhat string) string {
	if person != "" {
		return fmt.Sprintf("%s has no %s", person, personWhat)
	}
	return "the channel has no " + channelWhat
}

// mentionFor is the person's ID on a channel of the type, "" if none.
func mentionFor(typ string, c config.Contacts) string {
	switch typ {
	case config.ChannelSlack:
		return c.Slack
	case config.ChannelTeams:
		return c.Teams
	case config.ChannelDiscord:
		return c.Discord
	case config.ChannelGoogleChat:
		return c.GoogleChat
	case config.ChannelOpsgenie:
		return c.Opsgenie
	case config.ChannelPagerDuty:
		return c.PagerDuty
	}
	return ""
}

// sevJSON is the signed JSON webhook's body for a notification.
func sevJSON(m Message) ([]byte, error) {
	inc := map[string]any{"id": m.Incident.ID, "url": m.Incident.URL}
	if !m.Incident.Restricted {
		inc["title"], inc["severity"], inc["severity_name"], inc["status"] = m.Incident.Title, m.Incident.Severity, m.Incident.SevName, m.Incident.Status
	}
	body := map[string]any{"id": m.ID, "type": "sev.notify", "action": string(m.Action), "incident": inc,
		"sent_at": m.At.UTC().Format(time.RFC3339)}
	if !m.Incident.Restricted {
		body["text"], body["to"] = m.Text, m.To
	}
	if m.AckURL != "" {
		body["ack_url"] = m.AckURL
	}
	return json.Marshal(body)
}
