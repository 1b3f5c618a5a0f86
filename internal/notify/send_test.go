package notify

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/webhook"
)

// captured is one request a fake provider received.
type captured struct {
	method, path, query string
	header              http.Header
	body                map[string]any
	raw                 string
}

// fakeProvider records requests and answers each path with its status
// and body (as the provider's documentation gives them).
func fakeProvider(t *testing.T, answers map[string]struct {
	status int
	body   string
}) (*httptest.Server, func() []captured) {
	var mu sync.Mutex
	var got []captured
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		c := captured{method: r.Method, path: r.URL.Path, query: r.URL.RawQuery, header: r.Header.Clone(), raw: string(b)}
		if err := json.Unmarshal(b, &c.body); err != nil {
			t.Errorf("%s: the body is not JSON: %v", r.URL.Path, err)
		}
		mu.Lock()
		got = append(got, c)
		mu.Unlock()
		a, ok := answers[r.URL.Path]
		if !ok {
			a.status, a.body = 200, "ok"
		}
		w.WriteHeader(a.status)
		io.WriteString(w, a.body)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []captured {
		mu.Lock()
		defer mu.Unlock()
		return append([]captured(nil), got...)
	}
}

const (
	pdKey    = "R0UT1NGK3Y0123456789abcdefABCDEF" // 32 characters, as PagerDuty's
	ogKey    = "eb243592-faa2-4ba2-a551q-1afdf565c889"
	ntfyTok  = "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2"
	hookSeed = "a-signing-secret-of-at-least-32-bytes!"
)

func testSettings(t *testing.T, base string) *config.Settings {
	t.Helper()
	yaml := `people:
  - handle: alice
    email: alice@example.com
    contacts:
      ntfy: alice-oncall-7f3a
      slack: U012AB3CD
      discord: "112233445566778899"
      google-chat: users/123456789
      teams: 2c3a1d4e-5f60-4718-9a0b-c1d2e3f40516
      opsgenie: alice@example.com
notify:
  channels:
    - {name: pd, type: pagerduty, key-env: PD_KEY, url: "BASE/v2/enqueue"}
    - {name: og, type: opsgenie, key-env: OG_KEY, url: "BASE"}
    - {name: ops, type: slack, url-env: SLACK_URL}
    - {name: teams, type: teams, url-env: TEAMS_URL}
    - {name: discord, type: discord, url-env: DISCORD_URL}
    - {name: chat, type: google-chat, url-env: CHAT_URL}
    - {name: phones, type: ntfy, url: "BASE", key-env: NTFY_TOKEN}
    - {name: hook, type: webhook, url: "BASE/hook", secret-env: HOOK_SECRET}
`
	s, diags := config.Parse(config.File, []byte(strings.ReplaceAll(yaml, "BASE", base)))
	if diags.Errors() > 0 {
		t.Fatal(diags)
	}
	return s
}

func testSender(t *testing.T, s *config.Settings, base string) *Sender {
	env := map[string]string{"PD_KEY": pdKey, "OG_KEY": ogKey, "NTFY_TOKEN": ntfyTok, "HOOK_SECRET": hookSeed,
		"SLACK_URL": base + "/services/T000/B000/XXXXXXXX", "TEAMS_URL": base + "/workflows/abc/triggers/manual/paths/invoke?sig=SIGSIGSIGSIG",
		"DISCORD_URL": base + "/api/webhooks/123/TOKENTOKENTOKEN", "CHAT_URL": base + "/v1/spaces/AAAA/messages?key=KEYKEYKEY&token=TOKTOKTOK"}
	c := webhook.New(webhook.Options{AllowHTTP: true, AllowPrivate: true, Attempts: 1,
		Sleep: func(context.Context, time.Duration) error { return nil }})
	return NewSender(s, Options{Lookup: func(k string) (string, bool) { v, ok := env[k]; return v, ok }, HTTP: c})
}

var at = time.Date(2026, 3, 2, 14, 5, 0, 0, time.UTC)

func page() Message {
	return Message{ID: "page-2026-03-02-checkout-l1", Action: Page, At: at, AckURL: "https://sev.example.com/ack/TOKEN",
		Text: "nobody has acknowledged for 5m (level 1 of payments)",
		Incident: Incident{ID: "2026-03-02-checkout-errors", Title: "Checkout errors <!channel> @everyone <users/all>", Severity: 1,
			SevName: "SEV1", Status: "open", URL: "https://incidents.example.com/incidents/2026-03-02-checkout-errors/"}}
}

func TestChannelsFollowTheirAPIs(t *testing.T) {
	srv, got := fakeProvider(t, map[string]struct {
		status int
		body   string
	}{
		"/v2/enqueue":                       {202, `{"status":"success","message":"Event processed","dedup_key":"2026-03-02-checkout-errors"}`},
		"/v2/alerts":                        {202, `{"result":"Request will be processed","took":0.302,"requestId":"43a29c5c"}`},
		"/":                                 {200, `{"id":"sPs71M8A2T","time":1772460300,"event":"message","topic":"alice-oncall-7f3a"}`},
		"/api/webhooks/123/TOKENTOKENTOKEN": {204, ""},
		"/v1/spaces/AAAA/messages":          {200, `{"name":"spaces/AAAA/messages/x"}`},
		"/workflows/abc/triggers/manual/paths/invoke": {202, ""},
	})
	s := testSettings(t, srv.URL)
	x := testSender(t, s, srv.URL)
	var ds []Delivery
	for _, ch := range []string{"pd", "og", "ops", "teams", "discord", "chat", "phones", "hook"} {
		ds = append(ds, Delivery{Channel: ch, Person: "alice", Message: page()})
	}
	for _, r := range x.Send(context.Background(), ds) {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Channel, r.Err)
		}
	}
	reqs := got()
	if len(reqs) != len(ds) {
		t.Fatalf("%d requests for %d deliveries", len(reqs), len(ds))
	}
	by := map[string]captured{}
	for _, r := range reqs {
		by[r.path] = r
	}
	// PagerDuty Events API v2: the key in the body, the incident as dedup_key
	pd := by["/v2/enqueue"].body
	pl, _ := pd["payload"].(map[string]any)
	if pd["routing_key"] != pdKey || pd["event_action"] != "trigger" || pd["dedup_key"] != "2026-03-02-checkout-errors" ||
		pl["severity"] != "critical" || pl["source"] != "sev" || len(pl["summary"].(string)) > 1024 || pl["timestamp"] != "2026-03-02T14:05:00Z" {
		t.Errorf("pagerduty: %s", by["/v2/enqueue"].raw)
	}
	// Opsgenie: GenieKey, alias, priority, the person as responder
	og := by["/v2/alerts"]
	if og.header.Get("Authorization") != "GenieKey "+ogKey || og.body["alias"] != "2026-03-02-checkout-errors" || og.body["priority"] != "P1" ||
		len([]rune(og.body["message"].(string))) > 130 || !strings.Contains(og.raw, `"responders":[{"type":"user","username":"alice@example.com"}]`) {
		t.Errorf("opsgenie: %v %s", og.header, og.raw)
	}
	// Slack: fallback text and blocks, the member mentioned, nobody else
	sl := by["/services/T000/B000/XXXXXXXX"]
	if !strings.HasPrefix(sl.body["text"].(string), "<@U012AB3CD> ") || strings.Contains(sl.raw, "<!channel>") || sl.body["blocks"] == nil {
		t.Errorf("slack: %s", sl.raw)
	}
	// Teams: a message with one Adaptive Card 1.4, the mention as an entity
	tm := by["/workflows/abc/triggers/manual/paths/invoke"]
	att := tm.body["attachments"].([]any)[0].(map[string]any)
	card := att["content"].(map[string]any)
	if tm.body["type"] != "message" || att["contentType"] != "application/vnd.microsoft.card.adaptive" || card["type"] != "AdaptiveCard" ||
		card["version"] != "1.4" || !strings.Contains(tm.raw, `"mentioned":{"id":"2c3a1d4e-5f60-4718-9a0b-c1d2e3f40516","name":"alice"}`) ||
		!strings.Contains(tm.raw, `"type":"Action.OpenUrl"`) || strings.Contains(tm.raw, "<!channel>") {
		t.Errorf("teams: %s", tm.raw)
	}
	// Discord: mentions only alice; @everyone in the title cannot ping
	dc := by["/api/webhooks/123/TOKENTOKENTOKEN"]
	if dc.body["content"] != "<@112233445566778899>" || !strings.Contains(dc.raw, `"allowed_mentions":{"parse":[],"users":["112233445566778899"]}`) ||
		strings.Contains(dc.raw, "@everyone") {
		t.Errorf("discord: %s", dc.raw)
	}
	// Google Chat: threaded by incident, the user mentioned, no <users/all>
	gc := by["/v1/spaces/AAAA/messages"]
	if !strings.Contains(gc.query, "messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD") ||
		!strings.Contains(gc.raw, `"threadKey":"2026-03-02-checkout-errors"`) || !strings.HasPrefix(gc.body["text"].(string), "<users/123456789> ") ||
		strings.Contains(gc.raw, "<users/all>") {
		t.Errorf("google chat: %s %s", gc.query, gc.raw)
	}
	// ntfy: JSON publish to the root, the person's topic, the token, an
	// Acknowledge button that POSTs the signed link
	nt := by["/"]
	if nt.header.Get("Authorization") != "Bearer "+ntfyTok || nt.body["topic"] != "alice-oncall-7f3a" || nt.body["priority"] != float64(5) ||
		!strings.Contains(nt.raw, `{"action":"http","clear":true,"label":"Acknowledge","method":"POST","url":"https://sev.example.com/ack/TOKEN"}`) {
		t.Errorf("ntfy: %v %s", nt.header, nt.raw)
	}
	// the signed JSON webhook verifies
	hk := by["/hook"]
	if err := webhook.Verify(hookSeed, hk.header.Get(webhook.HeaderDelivery), hk.header.Get(webhook.HeaderTimestamp), []byte(hk.raw),
		hk.header.Get(webhook.HeaderSignature), time.Now(), time.Hour); err != nil || hk.body["action"] != "page" {
		t.Errorf("webhook: %v %s", err, hk.raw)
	}
	// provider requests are not signed with sev's headers
	if by["/v2/enqueue"].header.Get(webhook.HeaderSignature) != "" {
		t.Error("a provider request carries X-Sev-Signature")
	}
}

// Acknowledging and resolving reach the alert PagerDuty and Opsgenie keep
// under the incident's ID.
func TestAcknowledgeAndResolveAlerts(t *testing.T) {
	srv, got := fakeProvider(t, nil)
	x := testSender(t, testSettings(t, srv.URL), srv.URL)
	ack, res := page(), page()
	ack.Action, res.Action = Acknowledge, Resolve
	for _, r := range x.Send(context.Background(), []Delivery{{Channel: "pd", Message: ack}, {Channel: "og", Message: ack}, {Channel: "pd", Message: res}, {Channel: "og", Message: res}}) {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Channel, r.Err)
		}
	}
	reqs := got()
	want := []string{
		`/v2/enqueue {"dedup_key":"2026-03-02-checkout-errors","event_action":"acknowledge","routing_key":"` + pdKey + `"}`,
		`/v2/alerts/2026-03-02-checkout-errors/acknowledge?identifierType=alias`,
		`/v2/enqueue {"dedup_key":"2026-03-02-checkout-errors","event_action":"resolve","routing_key":"` + pdKey + `"}`,
		`/v2/alerts/2026-03-02-checkout-errors/close?identifierType=alias`,
	}
	var have []string
	for _, r := range reqs {
		if strings.HasPrefix(r.path, "/v2/alerts/") {
			have = append(have, r.path+"?"+r.query)
		} else {
			have = append(have, r.path+" "+r.raw)
		}
	}
	for _, w := range want {
		found := false
		for _, h := range have {
			found = found || h == w
		}
		if !found {
			t.Errorf("missing %s in %q", w, have)
		}
	}
}

// A restricted incident goes out as its ID and link only, on every
// channel.
func TestRestrictedSendsIDAndLinkOnly(t *testing.T) {
	srv, got := fakeProvider(t, nil)
	x := testSender(t, testSettings(t, srv.URL), srv.URL)
	m := page()
	m.Incident.Title, m.Incident.Restricted, m.Text, m.Detail = "Breach of the payroll database", true, "security escalation level 2", "attacker in payroll"
	var ds []Delivery
	for _, ch := range []string{"pd", "og", "ops", "teams", "discord", "chat", "phones", "hook"} {
		ds = append(ds, Delivery{Channel: ch, Person: "alice", Message: m})
	}
	for _, r := range x.Send(context.Background(), ds) {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Channel, r.Err)
		}
	}
	for _, r := range got() {
		for _, secret := range []string{"Breach", "payroll", "security", "SEV1", `"alice"`} {
			if strings.Contains(r.raw, secret) {
				t.Errorf("%s: a restricted incident's %q was sent: %s", r.path, secret, r.raw)
			}
		}
		if !strings.Contains(r.raw, "2026-03-02-checkout-errors") {
			t.Errorf("%s: the incident's ID is missing: %s", r.path, r.raw)
		}
	}
}

// A missing variable is named, a failing provider reported with its
// status, and no credential appears in any error.
func TestErrorsNameNoSecret(t *testing.T) {
	srv, _ := fakeProvider(t, map[string]struct {
		status int
		body   string
	}{"/v2/enqueue": {400, `{"status":"invalid event","message":"Event object is invalid","errors":["` + pdKey + `"]}`}})
	s := testSettings(t, srv.URL)
	x := testSender(t, s, srv.URL)
	x.o.Lookup = func(k string) (string, bool) {
		if k == "OG_KEY" {
			return "", false
		}
		if k == "PD_KEY" {
			return pdKey, true
		}
		return "", false
	}
	rs := x.Send(context.Background(), []Delivery{{Channel: "og", Message: page()}, {Channel: "pd", Message: page()}, {Channel: "nope", Message: page()}})
	if rs[0].Err == nil || !strings.Contains(rs[0].Err.Error(), "OG_KEY") {
		t.Errorf("missing key: %v", rs[0].Err)
	}
	if rs[1].Err == nil || rs[1].Status != 400 || strings.Contains(rs[1].Err.Error(), pdKey) {
		t.Errorf("400: %d %v", rs[1].Status, rs[1].Err)
	}
	if rs[2].Err == nil || !strings.Contains(rs[2].Err.Error(), `no channel "nope"`) {
		t.Errorf("unknown channel: %v", rs[2].Err)
	}
}
