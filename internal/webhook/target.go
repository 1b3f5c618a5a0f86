package webhook

import (
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
)

// Format is the shape of a webhook's request body.
type Format string

const (
	// FormatJSON is the generic signed JSON payload (Event.Body).
	FormatJSON Format = "json"
	// FormatSlack is a Slack incoming-webhook message (Event.SlackBody).
	FormatSlack Format = "slack"
	// FormatProvider is a body shaped for another service's API (PagerDuty,
	// Opsgenie, ntfy, Teams, ...), rendered by package notify and posted
	// as Prepared: it is not signed, and authenticates with the target's
	// Header or with a credential in its URL or body.
	FormatProvider Format = "provider"
)

// MinSecretLen is the shortest signing secret accepted, in bytes: a short
// key can be guessed offline from one signed request.
const MinSecretLen = 16

// redacted replaces secret text wherever it would have been printed.
const redacted = "[redacted]"

// Secret is a signing key. It formats as "[redacted]" with fmt, slog and
// encoders, so printing a Target or Delivery by mistake shows no key.
type Secret string

// String returns "[redacted]".
func (Secret) String() string { return redacted }

// GoString returns "[redacted]" quoted, for %#v.
func (Secret) GoString() string { return `"` + redacted + `"` }

// LogValue returns "[redacted]" for slog.
func (Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText returns "[redacted]" for encoders.
func (Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// Target is a resolved webhook endpoint: where to post, in which format,
// signed with which secret.
type Target struct {
	// Name is the webhook's name in its rule; messages use it.
	Name string
	// URL is the endpoint.
	URL string
	// URLEnv names the environment variable URL came from; when set, URL
	// is a secret and is never printed.
	URLEnv string
	// Format is the body's shape; empty means FormatJSON.
	Format Format
	// Secret keys the signature; required for FormatJSON.
	Secret Secret
	// SecretEnv names the variable Secret came from, for messages.
	SecretEnv string
	// Header holds extra request headers, such as a provider's
	// Authorization; their values are secrets, never printed.
	Header map[string]Secret
}

// String is the label messages use for the target: its name, and the URL
// from the rule file without user information, query or fragment, or the
// variable a secret URL came from.
func (t Target) String() string {
	name := "webhook"
	if t.Name != "" {
		name = fmt.Sprintf("webhook %q", t.Name)
	}
	if t.URLEnv != "" {
		return name + " (URL from $" + t.URLEnv + ")"
	}
	return name + " (" + printableURL(t.URL) + ")"
}

// GoString is String, so %#v of a Delivery shows no secret either.
func (t Target) GoString() string { return t.String() }

// LogValue is String, for slog.
func (t Target) LogValue() slog.Value { return slog.StringValue(t.String()) }

// printableURL is a URL without the parts that may carry credentials.
func printableURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "invalid URL"
	}
	p := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}
	return p.String()
}

// format is the target's format with the default applied.
func (t Target) format() Format {
	if t.Format == "" {
		return FormatJSON
	}
	return t.Format
}

// check reports what makes the target unusable under the given policy.
func (t Target) check(allowHTTP bool) error {
	switch t.format() {
	case FormatJSON:
		if t.Secret == "" {
			return t.invalid("the json format is signed, so it needs a secret; name the variable holding it (secret-env)")
		}
	case FormatSlack, FormatProvider:
	default:
		return t.invalid(fmt.Sprintf("unknown format %q; use json or slack", string(t.Format)))
	}
	if t.Secret != "" && len(t.Secret) < MinSecretLen {
		return t.invalid(fmt.Sprintf("the signing secret%s is shorter than %d bytes; use at least 32 random bytes", t.secretFrom(), MinSecretLen))
	}
	return t.checkURL(allowHTTP)
}

func (t Target) checkURL(allowHTTP bool) error {
	u, err := url.Parse(t.URL)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return t.invalid("the URL" + t.urlFrom() + " is not an absolute URL with a host")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if allowHTTP {
			return nil
		}
		return t.refused("http:// is refused: webhooks carry incident data, so they go over https:// unless the organisation allows http")
	}
	return t.invalid("the URL" + t.urlFrom() + " is not http:// or https://")
}

func (t Target) urlFrom() string {
	if t.URLEnv != "" {
		return " in $" + t.URLEnv
	}
	return ""
}

func (t Target) secretFrom() string {
	if t.SecretEnv != "" {
		return " in $" + t.SecretEnv
	}
	return ""
}

func (t Target) invalid(reason string) *Error {
	return &Error{Webhook: t.String(), Reason: reason, kind: ErrInvalid}
}

func (t Target) refused(reason string) *Error {
	return &Error{Webhook: t.String(), Reason: reason, kind: ErrRefused}
}

// Ref is a webhook as a rule names it: a URL written out, or the
// environment variables holding the URL and the secret.
type Ref struct {
	// Name identifies the webhook in messages.
	Name string
	// URL is the endpoint written in the rule file (printed without query).
	URL string
	// URLEnv names the variable holding the endpoint (never printed).
	URLEnv string
	// SecretEnv names the variable holding the signing secret.
	SecretEnv string
	// Format is json (the default) or slack.
	Format Format
}

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Resolve reads the variables r names through lookup (os.LookupEnv in the
// CLI) and returns the Target. Errors name the variables, never their
// values. The URL's scheme policy is checked when sending.
func (r Ref) Resolve(lookup func(string) (string, bool)) (Target, error) {
	t := Target{Name: r.Name, URL: r.URL, URLEnv: r.URLEnv, SecretEnv: r.SecretEnv, Format: r.Format}
	if r.Name == "" {
		return Target{}, &Error{Webhook: "webhook", Reason: "a webhook needs a name", kind: ErrInvalid}
	}
	if (r.URL == "") == (r.URLEnv == "") {
		return Target{}, t.invalid("give exactly one of url and url-env")
	}
	if r.URLEnv != "" {
		v, err := r.lookup(lookup, r.URLEnv, "URL")
		if err != nil {
			return Target{}, err
		}
		t.URL = strings.TrimSpace(v)
	}
	if r.SecretEnv != "" {
		v, err := r.lookup(lookup, r.SecretEnv, "signing secret")
		if err != nil {
			return Target{}, err
		}
		t.Secret = Secret(v)
	}
	if err := t.check(true); err != nil {
		return Target{}, err
	}
	return t, nil
}

func (r Ref) lookup(lookup func(string) (string, bool), name, what string) (string, error) {
	label := Target{Name: r.Name, URLEnv: r.URLEnv, URL: r.URL}.String()
	fail := func(reason string) error { return &Error{Webhook: label, Reason: reason, kind: ErrInvalid} }
	if !envName.MatchString(name) {
		return "", fail(fmt.Sprintf("%q is not an environment variable name (letters, digits and _)", name))
	}
	v, ok := lookup(name)
	if !ok {
		return "", fail(fmt.Sprintf("environment variable %s (the %s) is not set; pass it to the step from a repository secret", name, what))
	}
	if v == "" {
		return "", fail(fmt.Sprintf("environment variable %s (the %s) is empty", name, what))
	}
	return v, nil
}
