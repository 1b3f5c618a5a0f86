package watch_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/notify"
	"github.com/sev-dev/sev/internal/watch"
	"github.com/sev-dev/sev/internal/workspace"
)

// imapServer is an in-process IMAP server with one mailbox, INBOX.
func imapServer(t *testing.T) (addr string, user *imapmemserver.User) {
	mem := imapmemserver.New()
	user = imapmemserver.NewUser("incidents", "mailbox-password")
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(user)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true,
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String(), user
}

type literal struct{ *strings.Reader }

func (l literal) Size() int64 { return int64(l.Len()) }

func deliver(t *testing.T, u *imapmemserver.User, msg string) {
	t.Helper()
	msg = strings.ReplaceAll(msg, "\n", "\r\n")
	if _, err := u.Append("INBOX", literal{strings.NewReader(msg)}, &imap.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
}

// TestEmailReplies: a reply from a known person, to the signed address of
// an incident's notification, becomes one note by them (the quoted text
// left out); an automatic reply, an unknown sender and a forged token
// record nothing; reading again records nothing twice.
func TestEmailReplies(t *testing.T) {
	env := gitEnv(t)
	dir := t.TempDir()
	addr, user := imapServer(t)
	run(t, env, dir, "git", "init", "-q")
	run(t, env, dir, "sev", "init")
	os.WriteFile(filepath.Join(dir, "sev.yaml"), []byte(`people:
  - {handle: bob, timezone: UTC, email: bob@example.com}
notify:
  channels:
    - {name: mail, type: email, smtp: "127.0.0.1:1", tls: none, from: sev@example.com, reply-to: incidents@example.com, imap: "`+addr+`", username-env: MAIL_USER, password-env: MAIL_PASSWORD}
`), 0o644)
	run(t, env, dir, "git", "add", "-A")
	run(t, env, dir, "git", "commit", "-q", "-m", "settings")
	run(t, env, dir, "sev", "validate")
	run(t, env, dir, "sev", "declare", "Checkout errors in EU", "--sev", "1")
	id := "2026-03-02-checkout-errors-in-eu"
	secret := []byte(strings.Repeat("s", 32))
	token := notify.ReplyToken(secret, id, "bob")
	to := notify.ReplyAddress("incidents@example.com", token)
	thread := "In-Reply-To: <page-1@sev.invalid>\nReferences: <" + id + "@sev.invalid> <page-1@sev.invalid>\n"
	deliver(t, user, "From: Bob <bob@example.com>\nTo: "+to+"\nSubject: Re: [SEV1] Checkout errors in EU\nMessage-ID: <r1@example.com>\n"+thread+
		"Content-Type: text/plain; charset=utf-8\n\nI'm on it: the gateway's certificate expired.\n\nOn Mon, 2 Mar 2026 at 14:05, sev wrote:\n> [SEV1] Checkout errors in EU\n")
	deliver(t, user, "From: bob@example.com\nTo: "+to+"\nSubject: Out of office\nAuto-Submitted: auto-replied\nMessage-ID: <r2@example.com>\n"+thread+"\nI am away until Monday.\n")
	deliver(t, user, "From: eve@example.com\nTo: "+to+"\nSubject: Re: hi\nMessage-ID: <r3@example.com>\n"+thread+"\nIt was me.\n")
	deliver(t, user, "From: bob@example.com\nTo: incidents+"+strings.Repeat("0", 24)+"@example.com\nSubject: Re: x\nMessage-ID: <r4@example.com>\n"+thread+"\nForged.\n")
	getenv := func(k string) string {
		return map[string]string{"MAIL_USER": "incidents", "MAIL_PASSWORD": "mailbox-password"}[k]
	}
	now := func() time.Time { return time.Date(2026, 3, 2, 14, 30, 0, 0, time.UTC) }
	o := watch.Options{Now: now, ReplySecret: secret, Getenv: getenv,
		Open: func() (*workspace.Workspace, error) {
			ws, err := workspace.Open(dir)
			if err == nil {
				ws.Use(workspace.Process{Now: now, Getenv: getenv, GitEnv: env})
			}
			return ws, err
		},
		Sender: func(s *config.Settings) *notify.Sender { return notify.NewSender(s, notify.Options{}) }}
	for i := 0; i < 2; i++ {
		if _, err := watch.Round(context.Background(), o); err != nil {
			t.Fatal(err)
		}
	}
	show := run(t, env, dir, "sev", "show", id, "--json")
	if n := strings.Count(show, `"text": "By email: `); n != 1 || !strings.Contains(show, `"text": "By email: I'm on it: the gateway's certificate expired."`) ||
		strings.Contains(show, "away") || strings.Contains(show, "It was me") || strings.Contains(show, "Forged") || strings.Contains(show, "wrote:") {
		t.Errorf("%d replies recorded:\n%s", n, show)
	}
	if !strings.Contains(show, `"by": "bob"`) {
		t.Errorf("the reply is not by bob:\n%s", show)
	}
	run(t, env, dir, "sev", "validate")
}

// TestWatchRunsTimedRules: a long-running watcher runs the rules' timed
// triggers; a step that needs GitHub is left to the workflows (neither
// done nor failed), the others are done once.
func TestWatchRunsTimedRules(t *testing.T) {
	env := gitEnv(t)
	dir := t.TempDir()
	run(t, env, dir, "git", "init", "-q")
	run(t, env, dir, "sev", "init")
	os.WriteFile(filepath.Join(dir, "rules", "unacked.yaml"), []byte("on: {unacknowledged-for: 5m}\nsteps:\n  - tag: unacknowledged\n  - comment: \"Nobody has this yet\"\n"), 0o644)
	run(t, env, dir, "git", "add", "-A")
	run(t, env, dir, "git", "commit", "-q", "-m", "rules")
	run(t, env, dir, "sev", "declare", "Checkout errors in EU", "--sev", "1")
	clock := time.Date(2026, 3, 2, 14, 3, 0, 0, time.UTC)
	var log strings.Builder
	o := watch.Options{Now: func() time.Time { return clock }, Cache: watch.NewCache(), RulesEvery: time.Minute, Log: &log,
		Open: func() (*workspace.Workspace, error) {
			ws, err := workspace.Open(dir)
			if err == nil {
				ws.Use(workspace.Process{Now: func() time.Time { return clock }, GitEnv: env, Getenv: func(string) string { return "" }})
			}
			return ws, err
		},
		Sender: func(s *config.Settings) *notify.Sender { return notify.NewSender(s, notify.Options{}) }}
	round := func() {
		if _, err := watch.Round(context.Background(), o); err != nil {
			t.Fatal(err)
		}
	}
	round() // declared at 14:00 (SEV_NOW): at 14:03 nothing is due
	show := run(t, env, dir, "sev", "show", "checkout", "--json")
	if strings.Contains(show, "unacknowledged") {
		t.Fatalf("tagged before the wait:\n%s", show)
	}
	clock = clock.Add(8 * time.Minute) // 14:11
	round()
	round()
	show = run(t, env, dir, "sev", "show", "checkout", "--json")
	if strings.Count(show, `"tag": "unacknowledged"`) != 1 {
		t.Errorf("the timed rule's tag, once:\n%s", show)
	}
	if strings.Contains(log.String(), "failed") {
		t.Errorf("the comment (left to the workflows) was counted as failed:\n%s", log.String())
	}
}
