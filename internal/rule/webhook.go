package rule

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sev-dev/sev/internal/incident"
)

var webhookFields = []string{"name", "url", "url-env", "secret-env", "format", "text"}

// forbiddenWebhookFields would put a secret into the repository.
var forbiddenWebhookFields = []string{"secret", "token", "password"}

// WebhookFormats are the payloads a webhook can send.
var WebhookFormats = []string{"json", "slack"}

var envRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// secretHosts serve incoming webhooks whose URL is the only credential:
// anyone who reads it can post. Such URLs belong in a secret (url-env).
var secretHosts = []string{"hooks.slack.com", "discord.com", "discordapp.com", "outlook.office.com", "webhook.office.com",
	"chat.googleapis.com", "api.telegram.org", "hooks.zapier.com"}

// secretParams are query parameters that carry credentials.
var secretParams = []string{"token", "key", "apikey", "api_key", "access_token", "secret", "sig", "signature", "code", "auth", "password"}

// webhookStep calls a webhook.
type webhookStep struct {
	name, url, urlEnv, secretEnv, format string
	text                                 *tmpl
}

func (s *webhookStep) kind() string { return "webhook" }

func (p *parser) webhookStep(n *yaml.Node, where string) step {
	f, ok := p.fields(n, where, append(slices.Clone(webhookFields), forbiddenWebhookFields...))
	if !ok {
		return nil
	}
	for _, name := range forbiddenWebhookFields {
		if v, has := f[name]; has {
			p.errorf(v.key, "%s: a %s is never written in a rule file, where everyone who can read the repository sees it; store it as a repository secret and name its environment variable with secret-env", where, name)
			ok = false
		}
	}
	if !p.require(n, where, f, "name") {
		return nil
	}
	s := &webhookStep{format: "json"}
	name, good := p.text(f["name"].value, where+".name")
	if good && !nameRE.MatchString(name) {
		p.errorf(f["name"].value, "%s.name: %q is not a name: use lower-case letters, digits and dashes", where, name)
		good = false
	}
	s.name, ok = name, ok && good
	ok = p.webhookURL(n, f, where, s) && ok
	if v, has := f["secret-env"]; has {
		s.secretEnv, good = p.envName(v.value, where+".secret-env")
		ok = ok && good
	}
	if v, has := f["format"]; has {
		formats, good := p.oneOf(v.value, where+".format", "format", WebhookFormats)
		if good && len(formats) != 1 {
			p.errorf(v.value, "%s.format takes one format", where)
			good = false
		}
		if good {
			s.format = formats[0]
		}
		ok = ok && good
	}
	if s.format == "json" && s.secretEnv == "" && ok {
		// sev's JSON payload is always signed: a receiver must be able to
		// tell it from anyone else's POST.
		p.errorf(n, "%s: a json webhook is signed; name the environment variable holding its secret with secret-env", where)
		ok = false
	}
	if v, has := f["text"]; has {
		s.text = p.template(v.value, where+".text")
		ok = ok && s.text != nil
	}
	return stepIf(ok, s)
}

// webhookURL reads url or url-env (exactly one).
func (p *parser) webhookURL(n *yaml.Node, f map[string]field, where string, s *webhookStep) bool {
	u, hasURL := f["url"]
	e, hasEnv := f["url-env"]
	if hasURL == hasEnv {
		p.errorf(n, "%s needs url or url-env (the name of an environment variable that holds the URL), not both", where)
		return false
	}
	if hasEnv {
		var ok bool
		s.urlEnv, ok = p.envName(e.value, where+".url-env")
		return ok
	}
	raw, ok := p.text(u.value, where+".url")
	if !ok {
		return false
	}
	if err := checkWebhookURL(raw); err != nil {
		p.errorf(u.value, "%s.url: %v", where, err)
		return false
	}
	s.url = raw
	return true
}

func checkWebhookURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%q is not an https:// address; webhooks are only sent over https", raw)
	}
	host := strings.ToLower(u.Hostname())
	secret := u.User != nil
	for _, h := range secretHosts {
		secret = secret || host == h || strings.HasSuffix(host, "."+h)
	}
	for k := range u.Query() {
		secret = secret || slices.Contains(secretParams, strings.ToLower(k))
	}
	if secret {
		return fmt.Errorf("this address carries a secret (anyone who reads it can post or sign in); store it as a repository secret and name its environment variable with url-env")
	}
	return nil
}

// envName reads the name of an environment variable.
func (p *parser) envName(n *yaml.Node, where string) (string, bool) {
	v, ok := p.text(n, where)
	if !ok {
		return "", false
	}
	if !envRE.MatchString(v) {
		what := "an environment variable's name such as SECURITY_CHAT_WEBHOOK"
		if strings.Contains(v, "://") || len(v) > 40 {
			what += ", not the value itself (which must stay in a repository secret)"
		}
		p.errorf(n, "%s must be %s", where, what)
		return "", false
	}
	return v, true
}

func (s *webhookStep) plan(c *planCtx) {
	key := c.key("")
	if c.done(key) {
		return
	}
	a := c.action(key, KindWebhook)
	payload, err := s.payload(c, key)
	if err != nil {
		c.skip(a, fmt.Sprintf("webhook %s: %v", s.name, err))
		return
	}
	a.Webhook = &Webhook{Name: s.name, URL: s.url, URLEnv: s.urlEnv, SecretEnv: s.secretEnv, Format: s.format, ID: key, Payload: payload}
	c.external(a, fmt.Sprintf("called webhook %s (delivery %s)", s.name, key))
}

var defaultSlackText = mustTemplate("*{{.Severity}}* {{if .URL}}<{{.URL}}|{{.ID}}>{{else}}{{.ID}}{{end}}: {{.Title}} ({{.Status}})")

func (s *webhookStep) payload(c *planCtx, key string) (json.RawMessage, error) {
	rec := c.st.Record
	if s.format == "slack" {
		text := restrictedText(rec.ID)
		if !c.st.restricted() {
			t := s.text
			if t == nil {
				t = defaultSlackText
			}
			var err error
			if text, err = t.render(c.view(), slack); err != nil {
				return nil, err
			}
		}
		return json.Marshal(map[string]string{"text": truncate(text, 3000)}) // Slack's limit for a message's text
	}
	if c.st.restricted() {
		return json.Marshal(jsonPayload{ID: key, Incident: incidentPayload{ID: rec.ID, Restricted: true}})
	}
	p := jsonPayload{ID: key, Webhook: s.name, Rule: c.rule.Name, Incident: newIncidentPayload(c.env, rec),
		Event: &eventPayload{Type: c.ev.Type, Key: c.ev.Key, At: c.ev.At.UTC(), By: c.ev.By}}
	if s.text != nil {
		text, err := s.text.render(c.view(), plain)
		if err != nil {
			return nil, err
		}
		p.Text = text
	}
	return json.Marshal(p)
}

// jsonPayload is the body of a json webhook; docs/rules.md describes it.
type jsonPayload struct {
	ID       string          `json:"id"`
	Webhook  string          `json:"webhook,omitempty"`
	Rule     string          `json:"rule,omitempty"`
	Event    *eventPayload   `json:"event,omitempty"`
	Incident incidentPayload `json:"incident"`
	Text     string          `json:"text,omitempty"`
}

type eventPayload struct {
	Type string    `json:"type"`
	Key  string    `json:"key"`
	At   time.Time `json:"at"`
	By   string    `json:"by,omitempty"`
}

type incidentPayload struct {
	ID           string            `json:"id"`
	Restricted   bool              `json:"restricted,omitempty"`
	Title        string            `json:"title,omitempty"`
	Severity     int               `json:"severity,omitempty"`
	SeverityName string            `json:"severity_name,omitempty"`
	Status       string            `json:"status,omitempty"`
	Kind         string            `json:"kind,omitempty"`
	Visibility   string            `json:"visibility,omitempty"`
	Tags         []string          `json:"tags,omitempty"`
	Orgs         []string          `json:"orgs,omitempty"`
	Services     []string          `json:"services,omitempty"`
	Roles        map[string]string `json:"roles,omitempty"`
	URL          string            `json:"url,omitempty"`
}

func newIncidentPayload(env *Env, rec *incident.Incident) incidentPayload {
	p := incidentPayload{ID: rec.ID, Title: rec.Title, Severity: rec.Severity, SeverityName: env.Settings.SeverityName(rec.Severity),
		Status: rec.Status, Kind: rec.EffectiveKind(), Visibility: rec.EffectiveVisibility(), Tags: rec.Tags, Orgs: rec.Orgs,
		Services: rec.Services, Roles: rec.Roles}
	if env.SiteURL != "" {
		p.URL = strings.TrimSuffix(env.SiteURL, "/") + "/incidents/" + rec.ID + "/"
	}
	return p
}
