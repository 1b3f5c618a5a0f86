package watch

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sev-dev/sev/internal/change"
	"github.com/sev-dev/sev/internal/config"
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/term"
	"github.com/sev-dev/sev/internal/timeline"
	"github.com/sev-dev/sev/internal/validate"
	"github.com/sev-dev/sev/internal/workspace"
)

// MaxAlertBody bounds an alert webhook's body.
const MaxAlertBody = 1 << 20

// alertPayload is what Alertmanager's webhook (version 4) and Grafana's
// contact point send; unknown fields are ignored (both add fields over
// time).
type alertPayload struct {
	Status       string            `json:"status"`
	GroupKey     string            `json:"groupKey"`
	GroupLabels  map[string]string `json:"groupLabels"`
	CommonLabels map[string]string `json:"commonLabels"`
	CommonAnn    map[string]string `json:"commonAnnotations"`
	ExternalURL  string            `json:"externalURL"`
	Alerts       []struct {
		Status       string            `json:"status"`
		Labels       map[string]string `json:"labels"`
		Annotations  map[string]string `json:"annotations"`
		StartsAt     time.Time         `json:"startsAt"`
		EndsAt       time.Time         `json:"endsAt"`
		GeneratorURL string            `json:"generatorURL"`
		Fingerprint  string            `json:"fingerprint"`
	} `json:"alerts"`
}

// AlertServer receives alert webhooks at /alerts (Alertmanager's webhook
// receiver, Grafana's webhook contact point): it authenticates them
// (bearer token, or Grafana's HMAC signature), groups by the group key,
// declares an incident for a group that has none open (by the first
// matching route of sev.yaml's alerts), appends each alert's firing and
// resolution once, and resolves the incident when the whole group has
// resolved. Every entry's ID is derived from the group and the alert, so
// a repeated webhook records nothing twice.
type AlertServer struct {
	Options Options
	Lock    sync.Locker // shared with the rounds: one writer in the clone
	Getenv  func(string) string
}

func (s *AlertServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "POST an alert webhook", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxAlertBody+1))
	if err != nil {
		http.Error(w, "could not read the body", http.StatusBadRequest)
		return
	}
	if len(body) > MaxAlertBody {
		http.Error(w, "the body is larger than 1 MiB", http.StatusRequestEntityTooLarge)
		return
	}
	log := s.Options.Log
	if log == nil {
		log = io.Discard
	}
	s.Lock.Lock()
	defer s.Lock.Unlock()
	ws, err := s.Options.Open()
	if err != nil {
		http.Error(w, "the repository could not be opened", http.StatusInternalServerError)
		return
	}
	if err := authenticate(ws.Settings.Alerts, s.Getenv, r, body); err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	msg, err := RecordAlert(ws, s.Options, body)
	var bad *BadAlertError
	switch {
	case errors.As(err, &bad):
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	case err != nil:
		fmt.Fprintf(log, "sev watch: %v\n", err)
		http.Error(w, "not recorded: "+err.Error(), http.StatusInternalServerError) // Alertmanager retries 5xx
		return
	}
	fmt.Fprintf(log, "sev watch: %s\n", msg)
	io.WriteString(w, msg+"\n")
}

// BadAlertError is a body that is not an alert payload.
type BadAlertError struct{ msg string }

func (e *BadAlertError) Error() string { return e.msg }

// RecordAlert records an Alertmanager or Grafana webhook payload (already
// authenticated) in the repository ws opened: see AlertServer. The
// workflows call it for a repository_dispatch event, sev watch for a POST.
func RecordAlert(ws *workspace.Workspace, o Options, body []byte) (string, error) {
	var p alertPayload
	if err := json.Unmarshal(body, &p); err != nil || p.GroupKey == "" || len(p.Alerts) == 0 {
		return "", &BadAlertError{"not an Alertmanager or Grafana webhook payload (groupKey and alerts are required)"}
	}
	s := &AlertServer{Options: o}
	msg, err := s.record(ws, &p)
	if err != nil {
		return "", fmt.Errorf("alert group %s: %w", groupHash(p.GroupKey), err)
	}
	return "alert group " + groupHash(p.GroupKey) + ": " + msg, nil
}

// authenticate accepts the configured bearer token or Grafana's HMAC
// signature, compared in constant time; with neither configured, nothing.
func authenticate(a config.Alerts, getenv func(string) string, r *http.Request, body []byte) error {
	if a.TokenEnv != "" {
		if tok := getenv(a.TokenEnv); tok != "" {
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if ok && subtle.ConstantTimeCompare([]byte(got), []byte(tok)) == 1 {
				return nil
			}
		}
	}
	if a.HMACEnv != "" {
		if secret := getenv(a.HMACEnv); secret != "" {
			m := hmac.New(sha256.New, []byte(secret))
			if ts := r.Header.Get("X-Grafana-Alerting-Signature-Timestamp"); ts != "" {
				n, err := strconv.ParseInt(ts, 10, 64)
				if err != nil || time.Since(time.Unix(n, 0)).Abs() > 5*time.Minute {
					return errors.New("the signature's timestamp is missing, malformed or more than 5 minutes off")
				}
				m.Write([]byte(ts + ":"))
			}
			m.Write(body)
			want := hex.EncodeToString(m.Sum(nil))
			if subtle.ConstantTimeCompare([]byte(strings.ToLower(r.Header.Get("X-Grafana-Alerting-Signature"))), []byte(want)) == 1 {
				return nil
			}
		}
	}
	return errors.New("not authenticated: send the bearer token of alerts.token-env, or Grafana's signature with alerts.hmac-env")
}

func groupHash(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:6])
}

func shortHash(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:6])
}

// record writes what the payload says into the repository.
func (s *AlertServer) record(ws *workspace.Workspace, p *alertPayload) (string, error) {
	st := ws.Settings
	gh := groupHash(p.GroupKey)
	prefix := "a-" + gh + "-"
	incs, _ := validate.LoadAll(ws.FS, st)
	var open *validate.Incident
	for _, inc := range incs {
		if sx, ok := st.Status(inc.Record.Status); ok && sx.Phase != config.PhaseActive {
			continue
		}
		for _, e := range inc.Entries {
			if strings.HasPrefix(e.ID, prefix) {
				open = inc
			}
		}
	}
	labels := p.CommonLabels
	if len(labels) == 0 {
		labels = p.Alerts[0].Labels
	}
	route := matchRoute(st.Alerts.Routes, labels)
	by := s.Options.By
	if by == "" {
		by = "sev"
	}
	me, err := ws.Whoami(by)
	if err != nil {
		return "", err
	}
	now := s.Options.Now()
	n := 0
	env := ws.Ops()
	env.Now = now
	var ch *change.Change
	var restricted bool
	if open == nil {
		if p.Status != "firing" {
			return "nothing open for this group; nothing to record", nil
		}
		if route == nil {
			return "no route of sev.yaml's alerts matches this group; nothing declared", nil
		}
		first := p.Alerts[0].StartsAt
		for _, a := range p.Alerts {
			if !a.StartsAt.IsZero() && a.StartsAt.Before(first) {
				first = a.StartsAt
			}
		}
		episode := shortHash(first.UTC().Format(time.RFC3339Nano))
		env.NewID = func() string { n++; return fmt.Sprintf("%s%s-%d", prefix, episode, n) }
		d := ops.Declare{Title: safe(alertTitle(p, labels), false, 150), Tags: route.Tags, Summary: safe(p.CommonAnn["description"], true, 4000), At: now}
		if route.Severity > 0 {
			d.Severity, d.SeveritySet = strconv.Itoa(route.Severity), true
		}
		if ch, err = env.Declare(by, d); err != nil {
			return "", err
		}
		if route.Escalate != "" {
			en, err := env.Entry(by, timeline.Escalate, now)
			if err != nil {
				return "", err
			}
			en.Value = route.Escalate
			ch.Entries = append(ch.Entries, en)
		}
	} else {
		ch = &change.Change{Incident: open.Record.ID}
		restricted = open.Record.Restricted()
	}
	have := map[string]bool{}
	if open != nil {
		for _, e := range open.Entries {
			have[e.ID] = true
		}
	}
	for _, a := range p.Alerts {
		id := prefix + shortHash(a.Fingerprint, a.StartsAt.UTC().Format(time.RFC3339Nano), a.Status)
		if have[id] {
			continue
		}
		have[id] = true
		text := a.Status + ": " + alertName(a.Labels, a.Annotations)
		if a.GeneratorURL != "" {
			text += " (" + a.GeneratorURL + ")"
		}
		text = safe(text, false, 1000)
		ch.Entries = append(ch.Entries, timeline.Entry{ID: id, At: now, By: me.Handle, Type: timeline.Note, Text: text})
	}
	allResolved := p.Status == "resolved"
	if open != nil && allResolved && (route == nil || route.Resolve == nil || *route.Resolve) {
		if done := doneStatus(st); done != "" && open.Record.Status != done {
			id := prefix + "resolved-" + shortHash(p.GroupKey, open.Record.ID)
			if !have[id] {
				ch.Entries = append(ch.Entries, timeline.Entry{ID: id, At: now, By: me.Handle, Type: timeline.Status, Status: done,
					Text: "every alert of the group has resolved"})
			}
		}
	}
	if ch.Create == nil && len(ch.Entries) == 0 {
		return "already recorded", nil
	}
	if _, err := ws.Commit(ch, me, workspace.Write{Push: s.Options.Remote, Fingerprint: "alert " + gh + " " + shortHash(string(mustJSON(ch.Entries))), Again: true}, restricted); err != nil {
		return "", err
	}
	if ch.Create != nil {
		return "declared " + ch.Incident, nil
	}
	return fmt.Sprintf("recorded %d entr(ies) in %s", len(ch.Entries), ch.Incident), nil
}

// safe is text from an alert as a record or entry may hold it: without
// control or bidirectional characters (line breaks kept when multiline),
// at most max runes. The sender's text is data; an alert must not be
// refused (and retried forever) for a character in its summary.
func safe(s string, multiline bool, max int) string {
	s = strings.Map(func(r rune) rune {
		if multiline && r == '\n' {
			return r
		}
		if term.Unsafe(r) {
			return ' '
		}
		return r
	}, s)
	if !multiline {
		s = strings.Join(strings.Fields(s), " ")
	}
	if r := []rune(s); len(r) > max {
		s = string(r[:max-1]) + "…"
	}
	return s
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }

// matchRoute is the first route whose labels all match.
func matchRoute(routes []config.AlertRoute, labels map[string]string) *config.AlertRoute {
	for i, r := range routes {
		ok := true
		for k, v := range r.Match {
			ok = ok && labels[k] == v
		}
		if ok {
			return &routes[i]
		}
	}
	return nil
}

func alertTitle(p *alertPayload, labels map[string]string) string {
	if s := p.CommonAnn["summary"]; s != "" {
		return s
	}
	return alertName(labels, nil)
}

// alertName is an alert's name and summary, or its labels.
func alertName(labels, ann map[string]string) string {
	name := labels["alertname"]
	if s := ann["summary"]; s != "" {
		if name != "" {
			return name + ": " + s
		}
		return s
	}
	if name != "" {
		return name
	}
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+"="+labels[k])
	}
	return "alert " + strings.Join(parts, " ")
}

// doneStatus is the first status whose phase is done (resolved, in the
// default lifecycle).
func doneStatus(s *config.Settings) string {
	for _, st := range s.Statuses {
		if st.Phase == config.PhaseDone {
			return st.Name
		}
	}
	return ""
}
