package watch

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/notify"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/workspace"
)

// maxReply bounds the text of a reply appended to a timeline.
const maxReply = 4000

// readReplies reads the unseen mail of every email channel with a reply
// mailbox and appends each genuine reply to its incident's timeline, as
// its sender. A message counts when it is addressed to mailbox+TOKEN,
// refers to an incident's thread, comes from a person of sev.yaml (their
// email), and TOKEN signs that incident and person; automatic mail
// (vacation replies, bounces, lists) and everything else is only marked
// seen. It returns how many replies it recorded.
//
// persist, when set, runs after the replies are committed and before the
// messages are marked seen (the push, with a remote): a reply whose commit
// did not reach the remote stays unseen and is read again.
func readReplies(ws *workspace.Workspace, o Options, now time.Time, persist func() error) (int, error) {
	if len(o.ReplySecret) == 0 {
		return 0, nil
	}
	n := 0
	for _, c := range ws.Settings.Notify.Channels {
		if c.Type != config.ChannelEmail || c.IMAP == "" || c.ReplyTo == "" {
			continue
		}
		got, err := readMailbox(ws, o, c, now, persist)
		n += got
		if err != nil {
			return n, fmt.Errorf("replies in %s: %w", c.IMAP, err)
		}
	}
	return n, nil
}

func readMailbox(ws *workspace.Workspace, o Options, c config.Channel, now time.Time, persist func() error) (int, error) {
	getenv := func(k string) string {
		if k == "" || o.Getenv == nil {
			return ""
		}
		return o.Getenv(k)
	}
	host, _, _ := net.SplitHostPort(c.IMAP)
	opts := &imapclient.Options{TLSConfig: &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}, Dialer: &net.Dialer{Timeout: 30 * time.Second}}
	var cl *imapclient.Client
	var err error
	if c.TLS == "none" {
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return 0, fmt.Errorf("tls: none is only for a server on this machine")
		}
		cl, err = imapclient.DialInsecure(c.IMAP, opts)
	} else {
		cl, err = imapclient.DialTLS(c.IMAP, opts)
	}
	if err != nil {
		return 0, err
	}
	defer cl.Close()
	if err := cl.Login(getenv(c.UsernameEnv), getenv(c.PasswordEnv)).Wait(); err != nil {
		return 0, fmt.Errorf("login: %w", err)
	}
	if _, err := cl.Select("INBOX", nil).Wait(); err != nil {
		return 0, err
	}
	found, err := cl.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen}}, nil).Wait()
	if err != nil {
		return 0, err
	}
	uids := found.AllUIDs()
	if len(uids) == 0 {
		return 0, cl.Logout().Wait()
	}
	sec := &imap.FetchItemBodySection{Peek: true}
	msgs, err := cl.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{sec}}).Collect()
	if err != nil {
		return 0, err
	}
	recorded := 0
	var done []imap.UID
	for _, m := range msgs {
		ok, err := recordReply(ws, o, c, m.FindBodySection(sec), now)
		if err != nil {
			fmt.Fprintf(o.Log, "sev watch: a reply could not be recorded (tried again next round): %v\n", err)
			continue // not marked seen: the next round tries again
		}
		if ok {
			recorded++
		}
		done = append(done, m.UID)
	}
	if recorded > 0 && persist != nil {
		if err := persist(); err != nil {
			return recorded, fmt.Errorf("the replies were not pushed, so they stay unseen: %w", err)
		}
	}
	if len(done) > 0 {
		if err := cl.Store(imap.UIDSetNum(done...), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagSeen}, Silent: true}, nil).Close(); err != nil {
			return recorded, err
		}
	}
	return recorded, cl.Logout().Wait()
}

var threadRE = regexp.MustCompile(`<(\d{4}-\d{2}-\d{2}-[a-z0-9-]+)@[^>]+>`)

// recordReply appends one message, if it is a genuine reply; ok says it was.
func recordReply(ws *workspace.Workspace, o Options, c config.Channel, raw []byte, now time.Time) (bool, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return false, nil // not mail: nothing to record
	}
	h := msg.Header
	if automatic(h) {
		return false, nil
	}
	from, err := mail.ParseAddress(h.Get("From"))
	if err != nil || strings.EqualFold(from.Address, c.From) {
		return false, nil // unreadable, or our own message coming back
	}
	person := ""
	for _, p := range ws.Settings.People {
		if strings.EqualFold(p.Email, from.Address) || strings.EqualFold(p.Contacts.Email, from.Address) {
			person = p.Handle
		}
	}
	if person == "" {
		return false, nil // unknown sender
	}
	local, domain, _ := strings.Cut(c.ReplyTo, "@")
	var token string
	for _, field := range []string{"To", "Cc", "Delivered-To", "X-Original-To"} {
		addrs, _ := mail.ParseAddressList(h.Get(field))
		for _, a := range addrs {
			l, d, _ := strings.Cut(a.Address, "@")
			if t, ok := strings.CutPrefix(l, local+"+"); ok && strings.EqualFold(d, domain) {
				token = t
			}
		}
	}
	var incident string
	for _, m := range threadRE.FindAllStringSubmatch(h.Get("In-Reply-To")+" "+h.Get("References"), -1) {
		if notify.CheckReplyToken(o.ReplySecret, token, m[1], person) {
			incident = m[1]
		}
	}
	if incident == "" {
		return false, nil // no thread of an incident this person was sent, or a forged token
	}
	text := replyText(msg)
	if text == "" {
		return false, nil
	}
	inc, err := ws.Load(incident)
	if err != nil {
		return false, nil // the incident is gone
	}
	id := "m-" + shortID(h.Get("Message-Id"), string(raw))
	if timeline.Has(inc.Entries, id) {
		return false, nil
	}
	me, err := ws.Whoami(person)
	if err != nil {
		return false, err
	}
	e := timeline.Entry{ID: id, At: now, By: me.Handle, Type: timeline.Note, Text: "By email: " + text}
	ch := &change.Change{Incident: incident, Entries: []timeline.Entry{e}}
	if _, err := ws.Commit(ch, me, workspace.Write{Push: o.Remote, Fingerprint: "reply " + id, Again: true}, inc.Record.Restricted()); err != nil {
		return false, err
	}
	fmt.Fprintf(o.Log, "sev watch: %s: a reply by %s recorded\n", incident, person)
	return true, nil
}

func shortID(messageID, raw string) string {
	key := strings.TrimSpace(messageID)
	if key == "" {
		key = raw
	}
	s := sha256.Sum256([]byte(key))
	return hex.EncodeToString(s[:8])
}

// automatic reports whether a message was sent by a program: a vacation
// reply, a bounce, a list (RFC 3834's Auto-Submitted, and the headers
// mail systems use in its place).
func automatic(h mail.Header) bool {
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" && v != "no" {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(h.Get("Precedence"))) {
	case "bulk", "junk", "list", "auto_reply":
		return true
	}
	for _, k := range []string{"List-Id", "List-Unsubscribe", "X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress"} {
		if h.Get(k) != "" {
			return true
		}
	}
	if strings.TrimSpace(h.Get("Return-Path")) == "<>" {
		return true
	}
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return mt == "multipart/report"
}

// replyText is the new text of a reply: its plain-text part, without
// the quoted message below it, cleaned and cut to length.
func replyText(msg *mail.Message) string {
	body := plainPart(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, ">") || (strings.HasPrefix(t, "On ") && strings.HasSuffix(t, "wrote:")) || t == "-- " || strings.HasPrefix(t, "-----Original Message") {
			break
		}
		lines = append(lines, l)
	}
	return safe(strings.TrimSpace(strings.Join(lines, "\n")), true, maxReply)
}

// plainPart finds the text/plain part of a body (itself, or the first
// such part of a multipart body), decoded.
func plainPart(contentType, encoding string, body io.Reader) string {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || contentType == "" {
		mt = "text/plain"
	}
	if strings.HasPrefix(mt, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextPart()
			if err != nil {
				return ""
			}
			if t := plainPart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); t != "" {
				return t
			}
		}
	}
	if mt != "text/plain" {
		return ""
	}
	var r io.Reader = io.LimitReader(body, 1<<20)
	if strings.EqualFold(strings.TrimSpace(encoding), "quoted-printable") {
		r = quotedPrintable(r)
	}
	b, _ := io.ReadAll(r)
	return string(b)
}

func quotedPrintable(r io.Reader) io.Reader { return quotedprintable.NewReader(r) }
