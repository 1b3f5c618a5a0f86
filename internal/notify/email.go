package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/webhook"
)

// mail is one email before it is sent.
type mailMsg struct {
	from    string
	to      []string
	replyTo string
	id      string // Message-ID, without brackets
	subject string
	body    string
	date    time.Time
	ref     string // the incident's thread: In-Reply-To and References
}

// emailOf renders a notification as a plain-text email. Every email about
// an incident refers to the same thread (References), so mail clients
// group them; Auto-Submitted marks it automatic (RFC 3834), so
// vacation responders leave it alone.
func emailOf(from string, to []string, m Message, domain string) mailMsg {
	var body strings.Builder
	if !m.Incident.Restricted {
		if m.Text != "" {
			body.WriteString(m.Text + "\n\n")
		}
		fmt.Fprintf(&body, "Incident: %s\n", m.Incident.ID)
		if m.Incident.Title != "" {
			fmt.Fprintf(&body, "Title: %s\n", oneLine(m.Incident.Title))
		}
		if m.Incident.SevName != "" {
			fmt.Fprintf(&body, "Severity: %s\n", m.Incident.SevName)
		}
		if m.Incident.Status != "" {
			fmt.Fprintf(&body, "Status: %s\n", m.Incident.Status)
		}
		if d := m.detail(); d != "" {
			body.WriteString("\n" + d + "\n")
		}
	} else {
		fmt.Fprintf(&body, "Incident: %s (restricted: open the link to read it)\n", m.Incident.ID)
	}
	if m.Incident.URL != "" {
		fmt.Fprintf(&body, "\nOpen: %s\n", m.Incident.URL)
	}
	if m.AckURL != "" {
		fmt.Fprintf(&body, "Acknowledge: %s\n", m.AckURL)
	}
	if m.ReplyTo != "" {
		body.WriteString("\nReply to this email to add a note to the incident's timeline.\n")
	}
	return mailMsg{from: from, to: to, replyTo: m.ReplyTo, id: m.ID + "@" + domain, subject: m.Subject(),
		body: body.String(), date: m.At, ref: m.Incident.ID + "@" + domain}
}

// bytes is the message in RFC 5322 form, CRLF line ends, UTF-8 text in
// quoted-printable.
func (e mailMsg) bytes() []byte {
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", e.from)
	h("To", strings.Join(e.to, ", "))
	if e.replyTo != "" {
		h("Reply-To", e.replyTo)
	}
	h("Subject", mime.QEncoding.Encode("utf-8", e.subject))
	h("Date", e.date.Format(time.RFC1123Z))
	h("Message-ID", "<"+e.id+">")
	if e.ref != "" {
		h("References", "<"+e.ref+">")
		h("In-Reply-To", "<"+e.ref+">")
	}
	h("Auto-Submitted", "auto-generated")
	h("X-Auto-Response-Suppress", "All")
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=utf-8")
	h("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	w := quotedprintable.NewWriter(&b)
	w.Write([]byte(strings.ReplaceAll(e.body, "\n", "\r\n")))
	w.Close()
	return b.Bytes()
}

// smtpConfig is an email channel, resolved.
type smtpConfig struct {
	addr               string // host:port
	tlsMode            string // starttls, tls, none
	username, password string
	allowPrivate       bool
	rootCAs            *x509.CertPool
	timeout            time.Duration
}

// errPlaintext refuses to send mail in the clear to a server that is not
// on this machine.
var errPlaintext = errors.New("tls: none is only for a server on this machine (loopback)")

// send delivers e over SMTP: STARTTLS is required unless the channel says
// tls (implicit TLS, port 465) or none (loopback only); credentials are
// sent only inside TLS (net/smtp's PlainAuth refuses otherwise, except to
// localhost).
func (c smtpConfig) send(ctx context.Context, e mailMsg) error {
	host, _, err := net.SplitHostPort(c.addr)
	if err != nil {
		return err
	}
	timeout := c.timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	d := &net.Dialer{}
	if !c.allowPrivate {
		d.Control = webhook.DialControl
	}
	conn, err := d.DialContext(ctx, "tcp", c.addr)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", c.addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	tcfg := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12, RootCAs: c.rootCAs}
	switch c.tlsMode {
	case "tls":
		conn = tls.Client(conn, tcfg)
	case "none":
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			conn.Close()
			return errPlaintext
		}
	}
	cl, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("SMTP %s: %w", c.addr, err)
	}
	defer cl.Close()
	if err := cl.Hello("sev"); err != nil {
		return err
	}
	if c.tlsMode == "" || c.tlsMode == "starttls" {
		if ok, _ := cl.Extension("STARTTLS"); !ok {
			return fmt.Errorf("SMTP %s does not offer STARTTLS; set tls: tls for implicit TLS", c.addr)
		}
		if err := cl.StartTLS(tcfg); err != nil {
			return fmt.Errorf("SMTP %s: STARTTLS: %w", c.addr, err)
		}
	}
	if c.username != "" {
		if err := cl.Auth(smtp.PlainAuth("", c.username, c.password, host)); err != nil {
			return fmt.Errorf("SMTP %s: authentication: %w", c.addr, err)
		}
	}
	if err := cl.Mail(bareAddress(e.from)); err != nil {
		return fmt.Errorf("SMTP %s: MAIL FROM: %w", c.addr, err)
	}
	for _, to := range e.to {
		if err := cl.Rcpt(to); err != nil {
			return fmt.Errorf("SMTP %s: RCPT TO %s: %w", c.addr, to, err)
		}
	}
	w, err := cl.Data()
	if err != nil {
		return fmt.Errorf("SMTP %s: DATA: %w", c.addr, err)
	}
	if _, err := w.Write(e.bytes()); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("SMTP %s: %w", c.addr, err)
	}
	return cl.Quit()
}

func bareAddress(s string) string {
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		return strings.TrimSuffix(s[i+1:], ">")
	}
	return s
}
