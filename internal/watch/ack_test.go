package watch

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestAckLinks(t *testing.T) {
	now := time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
	l := &AckLinks{Secret: []byte(strings.Repeat("k", 32)), Base: "https://sev.example.com/", Now: func() time.Time { return now }}
	link := l.URL("2026-03-02-checkout", "bob")
	var acked []string
	srv := httptest.NewServer(&AckServer{Links: l, Ack: func(inc, person string) (string, error) {
		acked = append(acked, inc+" "+person)
		if len(acked) > 1 {
			return inc + " was acknowledged already", nil
		}
		return "", nil
	}})
	defer srv.Close()
	path := strings.TrimPrefix(link, "https://sev.example.com")
	get := func(method, p string) (int, string) {
		req, _ := http.NewRequest(method, srv.URL+p, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := resp.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return resp.StatusCode, b.String()
	}
	// following the link (a mail scanner does) acknowledges nothing
	if code, body := get("GET", path); code != 200 || !strings.Contains(body, `<form method="post">`) || len(acked) != 0 {
		t.Fatalf("GET: %d %s %v", code, body, acked)
	}
	if code, body := get("POST", path); code != 200 || !strings.Contains(body, "acknowledged by bob") || len(acked) != 1 {
		t.Fatalf("POST: %d %s %v", code, body, acked)
	}
	if code, body := get("POST", path); code != 200 || !strings.Contains(body, "already") {
		t.Fatalf("second POST: %d %s", code, body)
	}
	// altered: another incident, another person, another secret
	u, _ := url.Parse(link)
	tok := strings.TrimPrefix(u.Path, "/ack/")
	p64, mac, _ := strings.Cut(tok, ".")
	other := (&AckLinks{Secret: []byte(strings.Repeat("x", 32)), Base: "https://x/", Now: l.Now}).URL("2026-03-02-checkout", "bob")
	for _, bad := range []string{"/ack/" + p64 + "." + mac[:len(mac)-2] + "AA", "/ack/" + strings.TrimPrefix(l.URL("2026-03-02-other", "bob"), "https://sev.example.com/ack/")[:10] + "." + mac,
		strings.TrimPrefix(other, "https://x"), "/ack/garbage", "/ack/"} {
		if code, _ := get("POST", bad); code != 403 {
			t.Errorf("%s: %d, want 403", bad, code)
		}
	}
	// expired after a day
	now = now.Add(DefaultAckTTL + time.Minute)
	if code, _ := get("POST", path); code != 410 {
		t.Errorf("expired: %d, want 410", code)
	}
	if len(acked) != 2 {
		t.Errorf("acknowledged %d times: %v", len(acked), acked)
	}
	// no secret, no links
	if (&AckLinks{Secret: []byte("short"), Base: "https://x/", Now: l.Now}).URL("2026-03-02-x", "bob") != "" {
		t.Error("a link signed with a short secret")
	}
}
