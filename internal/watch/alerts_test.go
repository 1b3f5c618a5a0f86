package watch_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/watch"
	"github.com/sev-dev/sev/internal/workspace"
)

const alertSettings = `alerts:
  token-env: ALERT_TOKEN
  hmac-env: GRAFANA_SECRET
  routes:
    - match: {team: payments}
      severity: 1
      tags: [payments]
      escalate: payments
`

func alertBody(status, alertStatus2 string) string {
	return `{"version":"4","groupKey":"{}:{alertname=\"CheckoutErrors\"}","status":"` + status + `","receiver":"sev",
"groupLabels":{"alertname":"CheckoutErrors"},"commonLabels":{"alertname":"CheckoutErrors","team":"payments"},
"commonAnnotations":{"summary":"Checkout error rate above 5%"},"externalURL":"http://am.example.com",
"alerts":[{"status":"` + status + `","labels":{"alertname":"CheckoutErrors","team":"payments","region":"eu"},"annotations":{"summary":"EU checkout errors"},
"startsAt":"2026-03-02T13:58:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prom.example.com/graph","fingerprint":"c0ffee01"}` +
		func() string {
			if alertStatus2 == "" {
				return ""
			}
			return `,{"status":"` + alertStatus2 + `","labels":{"alertname":"CheckoutErrors","team":"payments","region":"us"},"annotations":{},
"startsAt":"2026-03-02T13:59:00Z","fingerprint":"c0ffee02"}`
		}() + `],"truncatedAlerts":0,"notification_reason":"new"}`
}

// TestAlertsDeclareOnceAndResolve: a firing group declares one incident
// (escalating by the route), repeats record nothing, a new alert of the
// group is appended, and the group resolving resolves the incident.
func TestAlertsDeclareOnceAndResolve(t *testing.T) {
	env := gitEnv(t)
	dir := t.TempDir()
	run(t, env, dir, "git", "init", "-q")
	run(t, env, dir, "sev", "init")
	os.WriteFile(filepath.Join(dir, "sev.yaml"), []byte(alertSettings), 0o644)
	os.MkdirAll(filepath.Join(dir, "escalations"), 0o755)
	os.WriteFile(filepath.Join(dir, "escalations", "payments.yaml"), []byte("levels:\n  - notify: [role:commander]\n"), 0o644)
	run(t, env, dir, "git", "add", "-A")
	run(t, env, dir, "git", "commit", "-q", "-m", "settings")
	getenv := func(k string) string {
		return map[string]string{"ALERT_TOKEN": "t0ken-of-the-alertmanager", "GRAFANA_SECRET": "grafana-hmac-secret"}[k]
	}
	now := func() time.Time { return time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC) }
	srv := httptest.NewServer(&watch.AlertServer{Lock: &sync.Mutex{}, Getenv: getenv, Options: watch.Options{Now: now,
		Open: func() (*workspace.Workspace, error) {
			ws, err := workspace.Open(dir)
			if err == nil {
				ws.Use(workspace.Process{Now: now, Getenv: getenv, GitEnv: env})
			}
			return ws, err
		}}})
	defer srv.Close()
	post := func(body string, hdr map[string]string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("POST", srv.URL+"/alerts", strings.NewReader(body))
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b := new(strings.Builder)
		buf := make([]byte, 1024)
		for {
			n, err := resp.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return resp.StatusCode, b.String()
	}
	bearer := map[string]string{"Authorization": "Bearer t0ken-of-the-alertmanager"}
	if code, _ := post(alertBody("firing", ""), nil); code != 401 {
		t.Fatalf("no token: %d", code)
	}
	if code, _ := post(alertBody("firing", ""), map[string]string{"Authorization": "Bearer wrong"}); code != 401 {
		t.Fatalf("wrong token: %d", code)
	}
	if code, body := post(alertBody("firing", ""), bearer); code != 200 || !strings.Contains(body, "declared 2026-03-02-checkout-error-rate-above-5") {
		t.Fatalf("first firing: %d %s", code, body)
	}
	if code, body := post(alertBody("firing", ""), bearer); code != 200 || !strings.Contains(body, "already recorded") {
		t.Fatalf("repeated firing: %d %s", code, body)
	}
	// Grafana, signed, adds the group's second alert
	body := alertBody("firing", "firing")
	m := hmac.New(sha256.New, []byte("grafana-hmac-secret"))
	m.Write([]byte(body))
	if code, out := post(body, map[string]string{"X-Grafana-Alerting-Signature": hex.EncodeToString(m.Sum(nil))}); code != 200 || !strings.Contains(out, "recorded 1 entr") {
		t.Fatalf("second alert: %d %s", code, out)
	}
	if code, out := post(alertBody("resolved", "resolved"), bearer); code != 200 || !strings.Contains(out, "recorded 3 entr") {
		t.Fatalf("resolved: %d %s", code, out)
	}
	if code, _ := post(strings.Repeat("x", watch.MaxAlertBody+1), bearer); code != 413 {
		t.Errorf("a huge body: %d", code)
	}
	// a hostile group: control and bidi characters, a summary of 10,000
	// characters; recorded, cleaned, not refused (and retried forever)
	hostile := strings.NewReplacer(`{}:{alertname=\"CheckoutErrors\"}`, `{}:{alertname=\"Evil\"}`,
		`Checkout error rate above 5%`, `Evil\u001b[31m\u202e`+strings.Repeat("A", 10000)).Replace(alertBody("firing", ""))
	if code, out := post(hostile, bearer); code != 200 || !strings.Contains(out, "declared ") {
		t.Errorf("a hostile alert: %d %s", code, out)
	}
	show := run(t, env, dir, "sev", "show", "checkout", "--json")
	for _, want := range []string{`"status": "resolved"`, `"severity": 1`, `"payments"`, `"type": "escalate"`, `"value": "payments"`,
		`"text": "firing: CheckoutErrors: EU checkout errors (http://prom.example.com/graph)"`, `"text": "resolved: CheckoutErrors"`} {
		if !strings.Contains(show, want) {
			t.Errorf("missing %s in\n%s", want, show)
		}
	}
	if n := strings.Count(run(t, env, dir, "git", "log", "--oneline"), "\n"); n != 6 { // init, settings, declare, second alert, resolved, hostile
		t.Errorf("%d commits", n)
	}
	run(t, env, dir, "sev", "validate")
	run(t, env, dir, "git", "fsck", "--strict")
}
