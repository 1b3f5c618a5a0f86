// Package webhook delivers the webhooks of automation rules: an adapter
// that turns an Event (an incident and the rule that fired) into HTTP POST
// requests and reports, for every endpoint, what happened.
//
// # From a rule to a request
//
// A rule names a webhook with a Ref: its name, its URL written out or the
// environment variable that holds it (url-env), the variable that holds its
// signing secret (secret-env) and its format. Ref.Resolve reads the
// variables through an injected lookup function (os.LookupEnv in the CLI)
// and gives a Target. Secrets never live in the repository, and a URL taken
// from the environment is treated as a secret too, because a Slack
// incoming-webhook URL is itself the credential. A Target with an Event is a
// Delivery; Client.Send posts a list of them.
//
// # What is never printed
//
// Errors and log lines name a webhook by its Target label: its name and
// either the URL from the rule file without user information, query or
// fragment, or the name of the variable it came from. The secret and an
// environment-provided URL are never formatted into a message. As a second
// line of defence every message built from outside text (a transport error,
// a response body) is scrubbed of the secret, of the URL and of its host,
// path, path segments and query values before it is kept. Secret and Target
// also print as their label or "[redacted]" with fmt and slog, so a Delivery
// logged by mistake leaks nothing. Error.Unwrap returns only sentinel
// errors, never the raw transport error, whose text holds the URL.
//
// # Payloads
//
// FormatJSON posts Event.Body: a stable JSON document
//
//	{"id": "…", "type": "sev.rule", "rule": "…",
//	 "incident": {"id", "title", "severity", "severity_name", "status", "url",
//	              "tags", "orgs", "roles"},
//	 "text": "…", "sent_at": "2026-03-02T14:05:00Z"}
//
// where every key is always present (empty lists and objects rather than
// null). Event.Redact keeps only the event id, its type and the incident id,
// for restricted incidents: the rule's name and text are dropped as well,
// since "sev1-security" alone says what the incident is about. A receiver
// tells a redacted incident by the missing "title" key.
//
// FormatSlack posts Event.SlackBody, a Slack incoming-webhook message: a
// plain-text fallback and Block Kit blocks (a section and a context line).
// Every piece of user text has &, < and > escaped, and mrkdwn objects are
// verbatim, so a title cannot open a link or mention <!channel>; texts are
// clipped to Slack's 3,000-character limit.
//
// Prepared wraps a body rendered elsewhere (an automation plan's payload):
// it is posted byte for byte under the same policy and signature, and its
// redaction and escaping are the renderer's responsibility.
//
// # Signatures
//
// Every request carries Content-Type: application/json, User-Agent
// sev-webhook/1, X-Sev-Delivery (the event id, stable across attempts and
// re-runs: NewID derives it from what triggered the event, so receivers can
// de-duplicate) and, when the target has a secret, X-Sev-Timestamp (Unix
// seconds of this attempt) and X-Sev-Signature: "sha256=" and the lowercase
// hex HMAC-SHA256, keyed by the secret, of id + "." + timestamp + "." +
// body. Event ids are limited to letters, digits, '-' and '_', so the
// concatenation cannot be re-split into another id and timestamp. JSON
// deliveries need a secret (the generic format is always signed); Slack
// ignores the headers, so its secret is optional. Receivers check a request
// with Verify.
//
// # Delivery policy
//
// Only https:// is used unless Options.AllowHTTP. Every connection is
// checked in the dialer's Control hook, after DNS resolution and for the
// exact address being connected, so a name that resolves to a public address
// when checked and to a private one when connecting (DNS rebinding) is still
// refused: loopback, private (RFC 1918, RFC 4193), link-local, unspecified,
// shared CGNAT (100.64/10), multicast, "this network" and reserved addresses
// are refused unless Options.AllowPrivate, and IPv4-mapped and NAT64 IPv6
// forms are checked as the IPv4 address they carry. Proxies from the
// environment are not used, since the check would then see the proxy and
// not the endpoint.
//
// Redirects are not followed: a 3xx is a failure that names the status.
// Each attempt has a timeout (10 s) and each delivery an overall deadline
// (60 s) across attempts and waits. A 5xx, a 429 and a timeout are retried,
// up to 3 attempts, after an exponential backoff with full jitter (a random
// wait between zero and 1 s, 2 s, … capped at 30 s) or, when the response
// has Retry-After, that wait capped at the same 30 s; a wait that would pass
// the deadline ends the delivery instead. A 4xx, a refused address, a TLS
// or DNS failure and a refused connection are not retried: they do not heal
// in seconds. The clock, the sleep and the jitter are injectable for tests.
//
// Send delivers every Delivery, a few at a time, and returns one Result per
// Delivery in input order; one failing endpoint never stops the others.
package webhook
