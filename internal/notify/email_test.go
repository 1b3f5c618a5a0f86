package notify

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"mime"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/config"
)

// smtpServer is a small SMTP server for tests: EHLO, STARTTLS (with its
// own certificate), AUTH PLAIN (only after STARTTLS), MAIL, RCPT, DATA,
// QUIT. It keeps what it received.
type smtpServer struct {
	addr   string
	pool   *x509.CertPool
	noTLS  bool // do not offer STARTTLS
	busy   int  // answer MAIL with 451 this many times first
	mu     sync.Mutex
	mails  []received
	authed []string
}

type received struct {
	from string
	to   []string
	data string
	tls  bool
}

func newSMTPServer(t *testing.T, noTLS bool) *smtpServer {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	tcfg := &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	s := &smtpServer{addr: ln.Addr().String(), pool: pool, noTLS: noTLS}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c, tcfg)
		}
	}()
	return s
}

func (s *smtpServer) serve(c net.Conn, tcfg *tls.Config) {
	defer c.Close()
	r, w := bufio.NewReader(c), c
	say := func(f string, a ...any) { fmt.Fprintf(w, f+"\r\n", a...) }
	say("220 test ESMTP")
	var cur received
	secure := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		cmd := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		switch cmd {
		case "EHLO", "HELO":
			fmt.Fprintf(w, "250-test\r\n")
			if !secure && !s.noTLS {
				fmt.Fprintf(w, "250-STARTTLS\r\n")
			}
			if secure {
				fmt.Fprintf(w, "250-AUTH PLAIN\r\n")
			}
			say("250 8BITMIME")
		case "STARTTLS":
			say("220 go ahead")
			tc := tls.Server(c, tcfg)
			if tc.Handshake() != nil {
				return
			}
			c, r, w, secure = tc, bufio.NewReader(tc), tc, true
		case "AUTH":
			f := strings.Fields(line)
			b, _ := base64.StdEncoding.DecodeString(f[len(f)-1])
			s.mu.Lock()
			s.authed = append(s.authed, string(b))
			s.mu.Unlock()
			say("235 ok")
		case "MAIL":
			s.mu.Lock()
			busy := s.busy > 0
			if busy {
				s.busy--
			}
			s.mu.Unlock()
			if busy {
				say("451 4.3.0 try again later")
				continue
			}
			cur = received{from: line, tls: secure}
			say("250 ok")
		case "RCPT":
			cur.to = append(cur.to, line)
			say("250 ok")
		case "DATA":
			say("354 go on")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil || l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			cur.data = b.String()
			s.mu.Lock()
			s.mails = append(s.mails, cur)
			s.mu.Unlock()
			say("250 queued")
		case "QUIT":
			say("221 bye")
			return
		default:
			say("502 no")
		}
	}
}

func TestEmailOverSTARTTLS(t *testing.T) {
	srv := newSMTPServer(t, false)
	s, diags := config.Parse(config.File, []byte(`people:
  - {handle: alice, email: alice@example.com}
notify:
  channels:
    - {name: mail, type: email, smtp: "`+srv.addr+`", from: sev@example.com, to: [ops@example.com], username-env: U, password-env: P}
`))
	if diags.Errors() > 0 {
		t.Fatal(diags)
	}
	x := NewSender(s, Options{Lookup: func(k string) (string, bool) { return map[string]string{"U": "sev", "P": "hunter2-long"}[k], true },
		AllowPrivate: true, RootCAs: srv.pool, MailDomain: "sev.example.com"})
	m := page()
	m.ReplyTo = "incidents+2026-03-02-checkout-errors.SIG@example.com"
	rs := x.Send(context.Background(), []Delivery{{Channel: "mail", Person: "alice", Message: m}, {Channel: "mail", Message: m}})
	for _, r := range rs {
		if r.Err != nil {
			t.Fatalf("%s %s: %v", r.Channel, r.Person, r.Err)
		}
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.mails) != 2 || !srv.mails[0].tls || len(srv.authed) != 2 || srv.authed[0] != "\x00sev\x00hunter2-long" {
		t.Fatalf("mails %d, auth %q", len(srv.mails), srv.authed)
	}
	var tos []string
	for _, ml := range srv.mails {
		tos = append(tos, strings.Join(ml.to, ","))
	}
	if got := strings.Join(tos, " "); !strings.Contains(got, "<alice@example.com>") || !strings.Contains(got, "<ops@example.com>") {
		t.Errorf("recipients: %s", got)
	}
	msg, err := mail.ReadMessage(strings.NewReader(srv.mails[0].data))
	if err != nil {
		t.Fatal(err)
	}
	subj, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	for k, want := range map[string]string{"Auto-Submitted": "auto-generated", "Reply-To": m.ReplyTo,
		"Message-Id": "<page-2026-03-02-checkout-l1@sev.example.com>", "References": "<2026-03-02-checkout-errors@sev.example.com>"} {
		if got := msg.Header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if !strings.HasPrefix(subj, "[SEV1] Checkout errors") {
		t.Errorf("subject %q", subj)
	}
}

// Without STARTTLS on offer, nothing is sent: not the password, not the
// incident.
func TestEmailRefusesPlaintext(t *testing.T) {
	srv := newSMTPServer(t, true)
	s, _ := config.Parse(config.File, []byte(`notify:
  channels:
    - {name: mail, type: email, smtp: "`+srv.addr+`", from: sev@example.com, to: [ops@example.com], username-env: U, password-env: P}
`))
	x := NewSender(s, Options{Lookup: func(string) (string, bool) { return "x-long-enough", true }, AllowPrivate: true, RootCAs: srv.pool})
	r := x.Send(context.Background(), []Delivery{{Channel: "mail", Message: page()}})[0]
	if r.Err == nil || !strings.Contains(r.Err.Error(), "does not offer STARTTLS") {
		t.Errorf("got %v", r.Err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.mails) != 0 || len(srv.authed) != 0 {
		t.Errorf("sent in the clear: %d mails, %d logins", len(srv.mails), len(srv.authed))
	}
	// and a loopback server is refused unless private addresses are allowed
	x = NewSender(s, Options{Lookup: func(string) (string, bool) { return "x-long-enough", true }})
	if r := x.Send(context.Background(), []Delivery{{Channel: "mail", Message: page()}})[0]; r.Err == nil || !strings.Contains(r.Err.Error(), "loopback") {
		t.Errorf("loopback allowed: %v", r.Err)
	}
}

// An email to a person through a channel with reply-to carries the
// signed reply address of that incident and person.
func TestReplyAddress(t *testing.T) {
	srv := newSMTPServer(t, false)
	s, diags := config.Parse(config.File, []byte(`people:
  - {handle: bob, email: bob@example.com}
notify:
  channels:
    - {name: mail, type: email, smtp: "`+srv.addr+`", from: sev@example.com, reply-to: incidents@example.com, imap: "imap.example.com:993"}
`))
	if diags.Errors() > 0 {
		t.Fatal(diags)
	}
	secret := []byte(strings.Repeat("s", 32))
	x := NewSender(s, Options{Lookup: func(string) (string, bool) { return "", false }, AllowPrivate: true, RootCAs: srv.pool, ReplySecret: secret})
	if r := x.Send(context.Background(), []Delivery{{Channel: "mail", Person: "bob", Message: page()}})[0]; r.Err != nil {
		t.Fatal(r.Err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	msg, err := mail.ReadMessage(strings.NewReader(srv.mails[0].data))
	if err != nil {
		t.Fatal(err)
	}
	want := ReplyAddress("incidents@example.com", ReplyToken(secret, "2026-03-02-checkout-errors", "bob"))
	if got := msg.Header.Get("Reply-To"); got != want || !CheckReplyToken(secret, strings.TrimSuffix(strings.TrimPrefix(got, "incidents+"), "@example.com"), "2026-03-02-checkout-errors", "bob") {
		t.Errorf("Reply-To %q, want %q", got, want)
	}
	if CheckReplyToken(secret, ReplyToken(secret, "2026-03-02-checkout-errors", "bob"), "2026-03-02-checkout-errors", "eve") {
		t.Error("a token for bob is accepted for eve")
	}
}

// A temporary SMTP failure (451) is tried again; the message arrives once.
func TestEmailRetriesATemporaryFailure(t *testing.T) {
	srv := newSMTPServer(t, false)
	srv.busy = 1
	s, _ := config.Parse(config.File, []byte(`notify:
  channels:
    - {name: mail, type: email, smtp: "`+srv.addr+`", from: sev@example.com, to: [ops@example.com]}
`))
	x := NewSender(s, Options{Lookup: func(string) (string, bool) { return "", false }, AllowPrivate: true, RootCAs: srv.pool, MailBackoff: time.Millisecond})
	r := x.Send(context.Background(), []Delivery{{Channel: "mail", Message: page()}})[0]
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if r.Err != nil || r.Attempts != 2 || len(srv.mails) != 1 {
		t.Errorf("err %v, attempts %d, mails %d", r.Err, r.Attempts, len(srv.mails))
	}
}
