package watch

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/incident"
	"github.com/sev-dev/sev/internal/ops"
	"github.com/sev-dev/sev/internal/workspace"
)

// MinAckSecret is the shortest secret acknowledge links are signed with.
const MinAckSecret = 32

// DefaultAckTTL is how long an acknowledge link works.
const DefaultAckTTL = 24 * time.Hour

// AckLinks signs and checks acknowledge links: each names one incident
// and one person, expires, and can do nothing but acknowledge that
// incident as that person. The token is the payload (incident, person,
// expiry, base64url) and an HMAC-SHA256 of it under SEV_ACK_SECRET.
type AckLinks struct {
	Secret []byte
	Base   string // where the watcher is reached, e.g. https://sev.example.com/
	TTL    time.Duration
	Now    func() time.Time
}

// Errors of a token.
var (
	ErrAckInvalid = errors.New("this acknowledge link is not valid (altered, or signed with another secret)")
	ErrAckExpired = errors.New("this acknowledge link has expired")
)

const ackDomain = "sev-ack-v1\x00"

func (l *AckLinks) mac(payload string) []byte {
	m := hmac.New(sha256.New, l.Secret)
	m.Write([]byte(ackDomain + payload))
	return m.Sum(nil)
}

// URL is the link that acknowledges incident as person, "" without a
// secret or a base URL.
func (l *AckLinks) URL(incident, person string) string {
	if l == nil || len(l.Secret) < MinAckSecret || l.Base == "" {
		return ""
	}
	ttl := l.TTL
	if ttl <= 0 {
		ttl = DefaultAckTTL
	}
	payload := incident + "\n" + person + "\n" + strconv.FormatInt(l.Now().Add(ttl).Unix(), 10)
	enc := base64.RawURLEncoding
	return strings.TrimSuffix(l.Base, "/") + "/ack/" + enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(l.mac(payload))
}

// Check returns what a token allows.
func (l *AckLinks) Check(token string) (incidentID, person string, err error) {
	p64, m64, ok := strings.Cut(token, ".")
	enc := base64.RawURLEncoding
	payload, err1 := enc.DecodeString(p64)
	mac, err2 := enc.DecodeString(m64)
	if !ok || err1 != nil || err2 != nil || !hmac.Equal(mac, l.mac(string(payload))) {
		return "", "", ErrAckInvalid
	}
	parts := strings.Split(string(payload), "\n")
	if len(parts) != 3 || !incident.IDPattern.MatchString(parts[0]) || parts[1] == "" {
		return "", "", ErrAckInvalid
	}
	exp, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return "", "", ErrAckInvalid
	}
	if l.Now().Unix() > exp {
		return "", "", ErrAckExpired
	}
	return parts[0], parts[1], nil
}

// AckServer serves acknowledge links: GET shows a page with a button (a
// mail scanner that follows links acknowledges nothing), POST
// acknowledges (the page's button, ntfy's Acknowledge action).
type AckServer struct {
	Links *AckLinks
	// Ack acknowledges incident as person; done reports that it was
	// acknowledged already (success all the same).
	Ack func(incident, person string) (done string, err error)
}

var ackPage = template.Must(template.New("ack").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title></head>
<body><h1>{{.Title}}</h1><p>{{.Text}}</p>
{{if .Form}}<form method="post"><button type="submit">Acknowledge {{.Incident}}</button></form>{{end}}
</body></html>
`))

func (s *AckServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", "default-src 'none'; form-action 'self'")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	token, ok := strings.CutPrefix(r.URL.Path, "/ack/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	page := func(code int, title, text, inc string, form bool) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(code)
		ackPage.Execute(w, map[string]any{"Title": title, "Text": text, "Incident": inc, "Form": form})
	}
	id, person, err := s.Links.Check(token)
	switch {
	case errors.Is(err, ErrAckExpired):
		page(http.StatusGone, "Link expired", err.Error()+"; acknowledge with sev ack or /sev ack.", "", false)
		return
	case err != nil:
		page(http.StatusForbidden, "Not a valid link", err.Error()+".", "", false)
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		page(http.StatusOK, "Acknowledge "+id, fmt.Sprintf("You are acknowledging incident %s as %s: escalation stops.", id, person), id, true)
	case http.MethodPost:
		done, err := s.Ack(id, person)
		switch {
		case err != nil:
			page(http.StatusInternalServerError, "Not acknowledged", "sev could not record it: "+err.Error(), "", false)
		case done != "":
			page(http.StatusOK, "Acknowledged already", done+".", "", false)
		default:
			page(http.StatusOK, "Acknowledged", fmt.Sprintf("%s is acknowledged by %s; escalation stops.", id, person), "", false)
		}
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		page(http.StatusMethodNotAllowed, "Method not allowed", "Use the button on this page.", "", false)
	}
}

// Acknowledge records an acknowledgement from a link: as person, on the
// repository o opens, pushed when it has a remote. It reports an
// incident acknowledged already as done, not as an error.
func Acknowledge(o Options, incidentID, person string) (done string, err error) {
	ws, err := o.Open()
	if err != nil {
		return "", err
	}
	inc, me, err := ws.Target(incidentID, person)
	if err != nil {
		return "", err
	}
	ch, err := ws.Ops().Ack(inc, me.Handle, ops.Ack{Note: "Acknowledged from a notification's link"})
	var already *ops.AlreadyError
	if errors.As(err, &already) {
		return already.Error(), nil
	}
	if err != nil {
		return "", err
	}
	_, err = ws.Commit(ch, me, workspace.Write{Push: o.Remote}, inc.Record.Restricted())
	return "", err
}
