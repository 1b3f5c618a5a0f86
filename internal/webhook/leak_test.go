package webhook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// secretPath is a Slack-like URL path: the token in it is the credential.
const secretPath = "/services/T0001/B0002/XXXXsecretTOKENxxxx?token=querysecret123"

// lockedBuffer collects log output from concurrent deliveries.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// echo is a hostile or careless receiver: its error bodies repeat the
// request's URL, raw and JSON-escaped, its host, its signature and even the
// secret, with the secret placed where a 200-byte cut would split it.
func echo(status int) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, r *http.Request, _ int) {
		full := "https://" + r.Host + r.URL.String()
		w.WriteHeader(status)
		fmt.Fprintf(w, "%s%s\n%s %s %s %s %s", strings.Repeat("x", 190), testSecret, full,
			strings.ReplaceAll(full, "/", `\/`), url.QueryEscape(full), r.Host, r.Header.Get(HeaderSignature))
	}
}

// TestNothingLeaks sends a secret-URL, signed webhook into every failure
// this package reports and scans every error and log line for the secret
// and the URL or any piece of it.
func TestNothingLeaks(t *testing.T) {
	logs := &lockedBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	jsonLogger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var errs []string
	var forbidden []string
	send := func(rawURL string, opts ...func(*Options)) {
		t.Helper()
		u, err := url.Parse(rawURL)
		if err != nil {
			t.Fatal(err)
		}
		forbidden = append(forbidden, rawURL, u.Host, u.Path, strings.ReplaceAll(u.Path, "/", `\/`))
		d := Delivery{Target: Target{Name: "chat", URL: rawURL, URLEnv: "SLACK_URL", Secret: testSecret, Format: FormatSlack}, Event: fixture()}
		for _, l := range []*slog.Logger{logger, jsonLogger} {
			l.Info("about to send", "delivery", d, "target", d.Target, "secret", d.Secret)
			c, _ := testClient(t, nil, append([]func(*Options){func(o *Options) { o.Logger = l }}, opts...)...)
			for _, r := range c.Send(context.Background(), []Delivery{d}) {
				if r.Err == nil {
					t.Fatalf("%s: delivered; every case here must fail", d.Target)
				}
				errs = append(errs, r.Err.Error(), fmt.Sprintf("%v %+v %#v", r.Err, r, d))
			}
		}
	}
	trust := func(s *server) func(*Options) { return func(o *Options) { o.RootCAs = s.pool() } }

	for _, status := range []int{500, 400, 429} {
		s := newServer(t, echo(status))
		send(s.URL+secretPath, trust(s))
	}
	redirect := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		http.Redirect(w, r, "https://"+r.Host+r.URL.String(), http.StatusFound)
	})
	send(redirect.URL+secretPath, trust(redirect))
	slow := newServer(t, func(_ http.ResponseWriter, r *http.Request, _ int) { hang(r) })
	send(slow.URL+secretPath, trust(slow), func(o *Options) { o.AttemptTimeout = 50e6; o.Attempts = 2 })
	send(slow.URL+secretPath, trust(slow), func(o *Options) { o.AllowPrivate = false })
	port := slow.URL[strings.LastIndex(slow.URL, ":"):]
	send("https://localhost"+port+secretPath, trust(slow)) // the certificate does not name localhost
	send("http://127.0.0.1"+port+secretPath, trust(slow))
	closed := newServer(t, echo(200))
	closedURL := closed.URL
	closed.Close()
	send(closedURL+secretPath, trust(closed))

	for _, raw := range []string{"https://[::1" + secretPath, "ftp://files.example" + secretPath, "https://a.example" + secretPath} {
		lookup := env(map[string]string{"SLACK_URL": raw, "SHORT": "XXXXsecretTOKENxxxx"})
		for _, ref := range []Ref{{Name: "chat", URLEnv: "SLACK_URL"}, {Name: "chat", URLEnv: "SLACK_URL", SecretEnv: "SHORT"}, {Name: "chat", URLEnv: "SLACK_URL", Format: "x"}} {
			if _, err := ref.Resolve(lookup); err != nil {
				errs = append(errs, err.Error())
			}
		}
		forbidden = append(forbidden, raw)
	}

	// Prefixes too: a message cut in the middle of a secret must not keep
	// its first half.
	forbidden = append(forbidden, testSecret, testSecret[:10], "XXXXsecretTOKENxxxx", "XXXXsecret", "querysecret123", "/services/", `\/services\/`)
	all := append(errs, strings.Split(logs.b.String(), "\n")...)
	if len(errs) < 20 || !strings.Contains(logs.b.String(), "will retry") {
		t.Fatalf("only %d errors collected, or no retry logged; the test did not exercise the failures", len(errs))
	}
	for _, line := range all {
		for _, f := range forbidden {
			if strings.Contains(line, f) {
				t.Errorf("%q leaks %q", line, f)
			}
		}
	}
	if t.Failed() || testing.Verbose() {
		io.WriteString(testWriter{t}, strings.Join(all, "\n"))
	}
}

// testWriter writes to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) { w.t.Log(string(p)); return len(p), nil }
