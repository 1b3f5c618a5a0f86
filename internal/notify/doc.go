// Package notify reaches people: it renders a notification about an
// incident for each delivery channel's documented API and sends it.
//
// # Channels
//
// A Channel is one configured destination (sev.yaml, notify.channels): a
// PagerDuty service (Events API v2, routing key), an Opsgenie account
// (Alert API, API key), a Slack incoming webhook (Block Kit), a Microsoft
// Teams Workflows webhook (an Adaptive Card), a Discord webhook, a Google
// Chat space webhook, an ntfy server (push to phones, with an Acknowledge
// button), an SMTP server (email, STARTTLS) or sev's signed JSON webhook.
// Every credential comes from the environment, never from the repository,
// and prints as "[redacted]".
//
// # Messages
//
// A Message says what happened (Action: a page, an escalation, a
// reminder, an acknowledgement, a resolution, an update) about which
// incident. Restricted incidents go out as their ID and a link only
// (Message.Redact): no title, severity, text or names.
//
// # Delivery
//
// HTTP channels go through package webhook's client, so every request has
// its address policy (no private or loopback targets unless allowed),
// timeouts, bounded retries with backoff and scrubbed errors. Each
// delivery carries a stable ID derived from what caused it: PagerDuty
// and Opsgenie get the incident ID as their deduplication key (dedup_key,
// alias), so their own escalation can take over and a repeated trigger
// does not open a second alert.
package notify
