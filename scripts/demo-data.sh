#!/usr/bin/env bash
# demo-data.sh — regenerate the demo organisation's incident data.
#
# This repository dogfoods a demo company, "Northwind Commerce" (time zone
# Europe/Berlin): about 40 incidents declared between May 2025 and November
# 2026, so that the site's trend reports, search and "similar incidents"
# have something meaningful to show (more incidents filed over time, fewer
# SEV1s in 2026; recurring themes: checkout, database failover, certificate
# expiry, DNS; drills, a maintenance, a backfill, a declined one, restricted
# security incidents, public ones with status-page notes, and a few still
# on fire at the end, and a maintenance scheduled for March 2027).
#
# Usage:  scripts/demo-data.sh TARGET_DIR
#         SEV=/path/to/sev scripts/demo-data.sh TARGET_DIR
#
# It deletes TARGET_DIR, creates a fresh git repository there, runs
# `sev init`, writes sev.yaml (orgs, tags, services, people), and then drives
# the sev CLI exactly as responders would: one command per timeline entry,
# each committed by the CLI with SEV_NOW set to the moment it was typed, and
# --by naming the responder. Events of all incidents are sorted by time
# before they run, so the git history is chronological. Milestones that
# were noticed after the fact are back-dated with --at. The script's input is
# fixed, so reruns produce the same incidents, timelines and times (only the
# random part of timeline entry ids and the commit ids differ).
#
# Needs bash 4+, git and GNU date.
#
# To refresh the repository's own data afterwards, copy TARGET_DIR/sev.yaml
# and TARGET_DIR/incidents/ over the ones at the repository root.
# scripts/demo-postmortems.sh TARGET_DIR then adds the postmortems and follow-ups.
set -euo pipefail

if [[ $# -ne 1 || -z $1 ]]; then
	echo "usage: $0 TARGET_DIR" >&2
	exit 2
fi
TARGET=$1
SEV=${SEV:-/tmp/sev}
case $TARGET in /* ) ;; * ) TARGET=$PWD/$TARGET ;; esac
[[ -x $SEV ]] || { echo "$0: no sev binary at $SEV (build it: go build -o /tmp/sev ./cmd/sev, or set SEV)" >&2; exit 2; }
# TARGET is deleted and recreated: refuse anything that is not empty and
# does not look like an earlier output of this script (say, a source tree).
if [[ -d $TARGET && -n $(ls -A "$TARGET") ]] && { [[ ! -f $TARGET/sev.yaml || -e $TARGET/go.mod ]]; }; then
	echo "$0: $TARGET is not empty and is not an earlier demo repository; not deleting it" >&2
	exit 2
fi

export LC_ALL=C TZ=UTC
unset SEV_USER GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_AUTHOR_DATE GIT_COMMITTER_DATE

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
EVENTS=$WORK/events
: >"$EVENTS"

rm -rf "$TARGET"
mkdir -p "$TARGET"
git -C "$TARGET" init -q -b main
git -C "$TARGET" config user.name "Demo"
git -C "$TARGET" config user.email "demo@example.com"
git -C "$TARGET" config commit.gpgsign false

# ---------------------------------------------------------------------------
# A tiny language for timelines.
#
#   inc KEY BASE            start an incident; BASE (RFC 3339) is when its
#                           impact started; offsets below are relative to it
#   at OFF BY CMD ARGS...   at BASE+OFF, BY runs `sev CMD <id> ARGS...`
#                           (for declare: `sev declare ARGS...`)
#   $(T OFF)                BASE+OFF as UTC (...Z)
#   $(L OFF)                BASE+OFF in Europe/Berlin (...+01:00 / +02:00)
#
# OFF is like 0, 45m, 2h10m, 3d4h, 1d30s.
# ---------------------------------------------------------------------------
KEY= BASE=0 SEQ=0
declare -A IDS

secs() {
	local s=$1 total=0 n
	[[ $s == 0 ]] && { echo 0; return; }
	while [[ $s =~ ^([0-9]+)([dhms])(.*)$ ]]; do
		n=$((10#${BASH_REMATCH[1]}))
		case ${BASH_REMATCH[2]} in
		d) n=$((n * 86400)) ;; h) n=$((n * 3600)) ;; m) n=$((n * 60)) ;;
		esac
		total=$((total + n))
		s=${BASH_REMATCH[3]}
	done
	[[ -z $s ]] || { echo "bad offset $1" >&2; exit 2; }
	echo "$total"
}
inc() { KEY=$1; BASE=$(date -u -d "$2" +%s); }
T() { date -u -d "@$((BASE + $(secs "$1")))" +%Y-%m-%dT%H:%M:%SZ; }
L() { TZ=Europe/Berlin date -d "@$((BASE + $(secs "$1")))" +%Y-%m-%dT%H:%M:%S%:z; }
at() {
	local off=$1
	shift
	local t=$((BASE + $(secs "$off")))
	SEQ=$((SEQ + 1))
	printf '%012d %06d %s\n' "$t" "$SEQ" "$(printf '%q ' "$KEY" "$(T "$off")" "$@")" >>"$EVENTS"
}

# run KEY NOW BY CMD ARGS...: one sev command, at NOW, by BY.
run() {
	local key=$1 now=$2 by=$3 cmd=$4 out
	shift 4
	if [[ $cmd == declare ]]; then
		out=$(SEV_NOW=$now "$SEV" -C "$TARGET" declare "$@" --by "$by" </dev/null) || {
			echo "failed at $now: sev declare $*" >&2
			exit 1
		}
		IDS[$key]=$(awk '$1 == "declared" { print $2 }' <<<"$out")
		[[ -n ${IDS[$key]} ]] || { echo "no id in: $out" >&2; exit 1; }
		echo "$now  ${IDS[$key]}"
	else
		[[ -n ${IDS[$key]:-} ]] || { echo "$key is used before it is declared ($now)" >&2; exit 1; }
		SEV_NOW=$now "$SEV" -C "$TARGET" "$cmd" "${IDS[$key]}" "$@" --by "$by" </dev/null >/dev/null || {
			echo "failed at $now: sev $cmd ${IDS[$key]} $*" >&2
			exit 1
		}
	fi
}

# Attachments (log excerpts) are written here by the incidents that use them.
A=$WORK/attachments
mkdir -p "$A"

CHAT=https://chat.northwind.example/archives
MEET=https://meet.northwind.example
GRAFANA=https://grafana.northwind.example/d
JIRA=https://northwind.atlassian.example/browse
GH=https://github.com/northwind-commerce
STATUS=https://status.northwind.example/incidents

# ---------------------------------------------------------------------------
# The repository skeleton and the organisation's settings.
# ---------------------------------------------------------------------------
SEV_NOW=2025-04-28T08:30:00Z "$SEV" -C "$TARGET" init --name "Northwind Commerce" --timezone Europe/Berlin >/dev/null

cat >"$TARGET/sev.yaml" <<'YAML'
# yaml-language-server: $schema=schema/sev.schema.json
# The organisation's incident settings. Every field is optional; see docs/format.md.
#
# Northwind Commerce is the demo company whose incidents ship with sev
# (regenerate them with scripts/demo-data.sh).
name: "Northwind Commerce"
# Times on the site and in `sev show` are shown in this IANA time zone.
timezone: Europe/Berlin
# manual: `sev push` (or --push) sends commits; auto: every change is pushed at once.
push: manual
remote: origin

# Level 1 is the most severe. A new incident without --sev gets the least severe.
severities:
  - level: 1
    name: SEV1
    description: "Critical: customers are broadly affected, or data or money is at risk. All hands."
  - level: 2
    name: SEV2
    description: "Major: a key feature is degraded or a subset of customers is affected."
  - level: 3
    name: SEV3
    description: "Minor: limited impact, a workaround exists; handle in working hours."

# The lifecycle in order. phase: active (on fire), done, or declined (not an
# incident after all; left out of metrics). A new incident starts in the first active status.
statuses:
  - name: open
    phase: active
    description: "Impact is ongoing; responders are working on it."
  - name: mitigated
    phase: active
    description: "Impact has stopped, but the cause is not fixed yet."
  - name: resolved
    phase: done
    description: "The cause is fixed; the incident is over."
  - name: closed
    phase: done
    description: "The follow-up work is done and the record is final."
  - name: declined
    phase: declined
    description: "It turned out not to be an incident; left out of metrics."

roles:
  - name: commander
    description: "Leads the response and makes the calls."
  - name: deputy
    description: "Backs up the commander."
  - name: scribe
    description: "Keeps the timeline."
  - name: comms
    description: "Keeps stakeholders and customers informed."
  - name: legal
    description: "Legal liaison."
  - name: pr
    description: "Public relations liaison."
  - name: security
    description: "Security lead: runs the security process on security incidents."

# Organisations, tags, services and people are checked by "sev validate"
# once listed here; unknown names are warnings, never a reason to stop
# someone from declaring an incident.
orgs:
  - name: engineering
    description: "Product engineering: web, mobile, checkout, search and back-office teams"
  - name: sre
    description: "Site reliability engineering: infrastructure, databases, networking, on-call"
  - name: security
    description: "Security engineering and incident response"
  - name: support
    description: "Customer support (Berlin and London)"
  - name: legal
    description: "Legal and data protection"
  - name: pr
    description: "Press, social media and customer communications"
  - name: finance
    description: "Finance, payments reconciliation and fraud"

tags:
  - name: payments
    description: "Card, PayPal and invoice payments, acquirers, refunds"
  - name: security
    description: "Security incidents; a SEV1 tagged security pages the security on-call"
  - name: database
    description: "PostgreSQL clusters, replication, failover, connection pools"
  - name: network
    description: "Load balancers, VPC, inter-region links, Kubernetes networking"
  - name: deploy
    description: "Caused or fixed by a deploy, release or rollback"
  - name: dns
    description: "Public zones, delegation, resolvers, kube-dns"
  - name: certificates
    description: "TLS certificates, internal CA, pinning, expiry"
  - name: third-party
    description: "A vendor or provider is involved"
  - name: data-loss
    description: "Data lost or corrupted"
  - name: pii
    description: "Personal data involved; loop in legal"
  - name: capacity
    description: "Load, quotas, disk, memory, autoscaling limits"
  - name: mobile
    description: "iOS and Android apps"
  - name: search
    description: "Product search and indexing"
  - name: auth
    description: "Login, sessions, SSO, tokens"
  - name: config
    description: "Caused by a configuration or feature-flag change"

services:
  - name: checkout-api
    description: "Cart, checkout and order creation"
  - name: payments-gateway
    description: "Payment orchestration: acquirers, 3-D Secure, PayPal, webhooks"
  - name: search
    description: "Product search (OpenSearch) and the indexer"
  - name: auth
    description: "Login, sessions and tokens for shop and apps"
  - name: mobile-app
    description: "The Northwind iOS and Android apps"
  - name: web
    description: "The shop front end at www.northwind.example"
  - name: orders-db
    description: "The orders PostgreSQL cluster (Patroni)"
  - name: cdn
    description: "Static assets and images at static.northwind.example"
  - name: email
    description: "Transactional email: order confirmations, shipping, password resets"
  - name: inventory
    description: "Stock levels, reservations and the warehouse feeds"
  - name: support-portal
    description: "Support tooling: ticket macros, customer data exports"

# The public status page (status/ on the site) shows these components
# instead of the services above, each with its state and 90 days of
# history. Services not named here (orders-db, inventory, ...) stay
# private: an incident on them shows on the status page without them.
status-page:
  components:
    - name: Website
      group: Shop
      description: "www.northwind.example and its images"
      services: [web, cdn]
    - name: Checkout and payments
      group: Shop
      description: "Cart, checkout, card and PayPal payments, order creation"
      services: [checkout-api, payments-gateway, orders-db]
    - name: Search
      group: Shop
      description: "Product search"
      services: [search]
    - name: Login and accounts
      group: Shop
      services: [auth]
    - name: Northwind app
      group: Apps
      description: "The iOS and Android apps"
      services: [mobile-app]
    - name: Order and shipping emails
      group: Notifications
      services: [email]

people:
  - handle: lena
    name: "Lena Hoffmann"
    email: lena.hoffmann@northwind.example
    github: lenahoffmann
    timezone: Europe/Berlin
    orgs: [sre, engineering]
  - handle: jonas
    name: "Jonas Weber"
    email: jonas.weber@northwind.example
    github: jweber
    timezone: Europe/Berlin
    orgs: [sre]
  - handle: mia
    name: "Mia Fischer"
    email: mia.fischer@northwind.example
    github: miafischer
    timezone: Europe/Berlin
    orgs: [engineering]
  - handle: tobias
    name: "Tobias Becker"
    email: tobias.becker@northwind.example
    github: tbecker-sec
    timezone: Europe/Berlin
    orgs: [security]
  - handle: oliver
    name: "Oliver Bennett"
    email: oliver.bennett@northwind.example
    github: obennett
    timezone: Europe/London
    orgs: [sre]
  - handle: grace
    name: "Grace Okafor"
    email: grace.okafor@northwind.example
    github: graceokafor
    timezone: Europe/London
    orgs: [support]
  - handle: hannah
    name: "Hannah Clarke"
    email: hannah.clarke@northwind.example
    github: hclarke
    timezone: Europe/London
    orgs: [legal]
  - handle: marcus
    name: "Marcus Reed"
    email: marcus.reed@northwind.example
    github: marcusreed
    timezone: America/New_York
    orgs: [engineering]
  - handle: sofia
    name: "Sofia Alvarez"
    email: sofia.alvarez@northwind.example
    github: sofia-alvarez
    timezone: America/New_York
    orgs: [pr]
  - handle: daniel
    name: "Daniel Kim"
    email: daniel.kim@northwind.example
    github: dkim-nw
    timezone: America/New_York
    orgs: [finance]
  - handle: priya
    name: "Priya Raman"
    email: priya.raman@northwind.example
    github: priyaraman
    timezone: Asia/Kolkata
    orgs: [sre, engineering]
  - handle: arjun
    name: "Arjun Mehta"
    email: arjun.mehta@northwind.example
    github: arjunmehta
    timezone: Asia/Kolkata
    orgs: [engineering]
  - handle: chloe
    name: "Chloe Nguyen"
    email: chloe.nguyen@northwind.example
    github: chloenguyen
    timezone: Australia/Sydney
    orgs: [sre]
  - handle: liam
    name: "Liam O'Brien"
    email: liam.obrien@northwind.example
    github: liamobrien
    timezone: Australia/Sydney
    orgs: [security, engineering]

# Per-check levels: error, warning or off (check ids are printed in brackets
# by "sev validate").
checks: {}
#  unknown-tag: error

# File size caps in bytes.
limits:
  incident: 65536
  timeline: 4194304
  postmortem: 1048576
  attachment: 10485760
  other: 1048576
YAML
git -C "$TARGET" add sev.yaml
GIT_AUTHOR_DATE=2025-04-28T09:15:00Z GIT_COMMITTER_DATE=2025-04-28T09:15:00Z \
	git -C "$TARGET" commit -q -m "sev.yaml: Northwind Commerce orgs, tags, services and people"

# ===========================================================================
# 2025
# ===========================================================================

# --- May: expired certificate on the CDN (public) ---------------------------
inc cdn-tls 2025-05-14T04:12:00Z
at 1h31m grace declare "Expired certificate on static.northwind.example" --sev 2 \
	--started "$(T 0)" --detected "$(L 1h26m)" --org support --org sre --service cdn --service web \
	--tag certificates --visibility public \
	--summary "Browsers reject images, CSS and JavaScript from static.northwind.example: its certificate expired at 04:12 UTC." \
	--impact "The shop renders without styles or images for every web visitor; the apps are not affected." \
	--link chat=$CHAT/inc-static-cert
at 1h33m grace note "Three tickets in ten minutes: 'the shop looks broken'. Chrome shows NET::ERR_CERT_DATE_INVALID for static.northwind.example. Paging SRE."
at 1h41m oliver note "On it, joining from home." --milestone acknowledged
at 1h42m oliver assign commander oliver
at 1h42m30s oliver assign comms grace
at 1h46m oliver note "Confirmed: openssl s_client -connect static.northwind.example:443 shows notAfter=May 14 04:12:00 2025 GMT. cert-manager has failed to renew since 14 April: the ACME HTTP-01 challenge gets a 403 from the CDN origin shield."
at 1h49m grace note "We are aware that the Northwind website is displaying without images and styling for some customers. Our team is working on a fix." --public
at 1h55m oliver link dashboard $GRAFANA/cdn-edge/cdn-edge-overview --title "CDN edge overview"
at 2h03m oliver note "Issued a certificate by hand with a DNS-01 challenge; uploading it to the CDN and purging the edge TLS cache."
at 2h09m oliver status mitigated --note "New certificate served by all 31 edges (valid until 2025-08-12). Asset error rate back to 0.02%."
at 2h14m grace note "The issue has been fixed and the website displays normally again. We apologise for the inconvenience." --public
at 1d5h oliver note "Root cause: a WAF rule added to the origin shield in March blocks /.well-known/acme-challenge/*. Exempted the path; a renewal against Let's Encrypt staging passes."
at 1d5h04m oliver link ticket $JIRA/OPS-1187 --title "OPS-1187 alert on certificates expiring within 14 days"
at 1d5h10m oliver status resolved
at 9d6h oliver status closed --note "Postmortem reviewed. OPS-1187 shipped: every public certificate now alerts 14 days before expiry."

# --- June: checkout outage from a leaked DB connection (SEV1, public) -------
cat >"$A/checkout-api-5xx.txt" <<'LOG'
# checkout-api, eu-west-1, pod checkout-api-7d9f6c5b8-x2kqp, 2025-06-03 (UTC)
12:46:58.102 INFO  deploy 2291 checkout-api v3.41.0 rollout complete (48/48 pods)
12:47:12.884 WARN  pgxpool: acquire took 2.01s (pool=orders-db max=40 idle=0 in_use=40)
12:47:19.310 ERROR POST /v1/orders 503 order.create: acquire conn: context deadline exceeded
12:47:25.771 ERROR POST /v1/orders 500 order.create: FATAL: sorry, too many clients already (SQLSTATE 53300) host=orders-db-1 (10.20.3.14:5432)
12:47:25.772 ERROR POST /v1/orders 500 order.create: FATAL: sorry, too many clients already (SQLSTATE 53300) host=orders-db-1 (10.20.3.14:5432)
12:47:31.006 WARN  paypal: capture timeout after 10s, order=NW-25-0611873 tx left open
12:48:02.449 ERROR GET /v1/cart 500 cart.load: acquire conn: context deadline exceeded
12:49:40.118 INFO  health: /readyz failing (db pool exhausted), pod marked unready
# orders-db-1: select state, count(*) from pg_stat_activity group by 1;
#   idle in transaction | 421
#   active              |  61
#   idle                |  15
LOG
inc checkout-pool 2025-06-03T12:47:00Z
at 9m lena declare "Checkout 5xx: orders-db connections exhausted" --sev 1 \
	--started "$(T 0)" --detected "$(T 3m)" --commander lena --role scribe=mia --org engineering --org sre \
	--service checkout-api --service orders-db --tag database --tag deploy --tag payments --visibility public \
	--summary "checkout-api returns 500/503 for order creation and cart loads: orders-db ran out of connections minutes after deploy 2291." \
	--impact "Customers in all regions cannot complete checkout on web or app; 38% of checkout requests fail." \
	--link chat=$CHAT/inc-checkout-pool --link call=$MEET/inc-checkout-pool
at 10m lena note "Acknowledged. Bridge is open, everyone on checkout and orders-db please join." --milestone acknowledged
at 11m marcus note "checkout-api 5xx at 38% across eu-west-1 and us-east-1 since 12:47 UTC. Lines up with deploy 2291 (checkout-api v3.41.0) finishing at 12:45."
at 12m lena assign comms grace
at 15m jonas note "orders-db-1 (10.20.3.14): 'FATAL: sorry, too many clients already'. pg_stat_activity: 497/500 connections, 421 of them 'idle in transaction' from checkout-api pods."
at 16m grace note "We are investigating errors affecting checkout on northwind.example and in the Northwind app. Some customers are unable to complete their orders." --public
at 18m lena note "Decision: roll back deploy 2291. Marcus drives the rollback, Jonas watches orders-db."
at 24m marcus note "Rollback to v3.40.2 complete in eu-west-1 and us-east-1 (deploy 2292)."
at 26m jonas note "Killed the remaining idle-in-transaction backends: select pg_terminate_backend(pid) from pg_stat_activity where state = 'idle in transaction' and application_name = 'checkout-api'."
at 31m jonas status mitigated --note "Connections down to 160, 5xx at 0.3% and falling, conversions recovering."
at 33m jonas attach "$A/checkout-api-5xx.txt" --note "checkout-api log excerpt and pg_stat_activity at the peak"
at 35m grace note "A fix has been applied and checkout is working again. We are monitoring the situation closely." --public
at 45m lena link dashboard $GRAFANA/checkout-api/checkout-overview --title "Checkout overview"
at 1h08m daniel add orgs finance
at 1h10m daniel note "Finance estimate: about 1,900 failed checkouts in 44 minutes, roughly EUR 160k of orders delayed or lost. The PSP confirms no double charges."
at 2h marcus note "Root cause: v3.41.0 moved order creation into a request-scoped transaction, but the PayPal branch never committed or rolled it back on a capture timeout, so every timeout leaked a connection. Fix in checkout-api#1842; also setting idle_in_transaction_session_timeout = 30s on orders-db."
at 2h05m marcus link pull $GH/checkout-api/pull/1842 --title "checkout-api#1842 close the transaction on PayPal timeouts"
at 1d2h lena status resolved --note "Fix shipped as deploy 2297; pool usage steady at 35% through the evening peak."
at 1d2h05m grace note "This incident has been resolved. Checkout has been working normally since 13:18 UTC yesterday. Customers whose orders failed were not charged." --public
at 14d1h lena status closed --note "Postmortem reviewed; follow-ups OPS-1203 to OPS-1206 done (pool alerts, transaction lint, load test for PayPal timeouts)."

# --- July: DNS delegation removed by a zone push (SEV1, night, weekend) -----
cat >"$A/dig-api-eu-west-1.txt" <<'LOG'
$ dig +norecurse @ns1.dnsprovider.example northwind.example NS  # parent zone, 01:15 UTC
;; ANSWER SECTION:
northwind.example.        3600  IN  NS  ns1.dnsprovider.example.
northwind.example.        3600  IN  NS  ns2.dnsprovider.example.

$ dig @ns1.dnsprovider.example eu-west-1.northwind.example NS
;; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 41877
;; AUTHORITY SECTION:
northwind.example.  300  IN  SOA  ns1.dnsprovider.example. hostmaster.northwind.example. 2025070501 7200 900 1209600 300

$ dig @1.1.1.1 api.eu-west-1.northwind.example A
;; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 5120

# expected (from the 2025070402 zone):
eu-west-1.northwind.example.  3600  IN  NS  ns-eu1.northwind-infra.example.
eu-west-1.northwind.example.  3600  IN  NS  ns-eu2.northwind-infra.example.
LOG
inc dns-eu 2025-07-05T00:58:00Z
at 13m chloe declare "DNS failures for api.eu-west-1 after zone push" --sev 1 \
	--started "$(T 0)" --detected "$(T 6m)" --commander chloe --org sre --org engineering \
	--service web --service mobile-app --service checkout-api --tag dns --tag network --tag config --visibility public \
	--summary "api.eu-west-1.northwind.example returns NXDOMAIN from public resolvers since the 00:58 UTC zone push." \
	--impact "Customers in Europe cannot load the shop or use the app; US and APAC traffic is not affected." \
	--link chat=$CHAT/inc-dns-eu-west-1
at 14m chloe note "Pager at 01:04 UTC: synthetic checks from 6 EU probes fail with NXDOMAIN. Acking and declaring SEV1." --milestone acknowledged
at 17m chloe note "dig @1.1.1.1 api.eu-west-1.northwind.example -> NXDOMAIN, same from ns1.dnsprovider.example. The 00:58 octodns run (pipeline #5512) deleted the NS delegation for eu-west-1."
at 18m chloe attach "$A/dig-api-eu-west-1.txt" --note "dig output from bastion-syd-1"
at 20m chloe assign comms sofia
at 23m sofia note "We are investigating an issue preventing customers in Europe from reaching northwind.example and the Northwind app." --public
at 25m priya note "Joining. The pipeline diff shows the provider plugin upgrade (octodns-dnsprovider 0.9 -> 1.0) treats NS records on subdomains as unmanaged and removes them."
at 29m chloe note "Re-adding the delegation by hand in the provider console. The SOA minimum is 300 s, so resolvers that cached the NXDOMAIN recover within 5 minutes."
at 34m chloe note "Delegation restored at 01:32 UTC. dig @8.8.8.8 api.eu-west-1.northwind.example -> 34.251.18.7 again."
at 41m priya note "Probes green in 5 of 6 EU locations; the Frankfurt probe uses an ISP resolver that still serves the cached NXDOMAIN."
at 52m chloe status mitigated --note "All EU synthetic checks green; traffic to api.eu-west-1 at 96% of last Saturday's level."
at 55m sofia note "Access has been restored for customers in Europe. Some customers may need to restart the app. We continue to monitor." --public
at 1h10m chloe note "Pinned octodns-dnsprovider to 0.9 and paused the scheduled zone push until Monday."
at 1h12m chloe link ticket $JIRA/OPS-1251 --title "OPS-1251 pin the octodns provider plugin"
at 2d8h lena note "Monday review: adding a dry-run gate that fails the pipeline whenever NS or SOA records would be deleted (OPS-1252)."
at 2d8h05m lena status resolved --note "Delegation protected by the pipeline guard; zone push re-enabled."
at 16d chloe status closed --note "Postmortem done; NS/SOA deletion guard live and tested."

# --- July: stale search results (SEV3) ---------------------------------------
inc search-reindex 2025-07-22T02:30:00Z
at 5h50m mia declare "Search results stale after reindex job stalled" --sev 3 \
	--started "$(T 0)" --detected "$(L 5h35m)" --org engineering --service search --tag search \
	--summary "The nightly reindex stopped half-way; the search index is 30 hours old." \
	--impact "Products added since Monday evening do not appear in search. Browsing and product pages are fine."
at 5h52m mia note "Taking this one." --milestone acknowledged
at 5h53m mia assign commander mia
at 6h05m mia note "reindex-products CronJob pod stuck since 02:30 UTC. Last log line: 'bulk request 1412/2380: waiting for cluster health yellow'. search-es-data-4 is still excluded from allocation after last night's kernel patching."
at 6h20m arjun note "Removed search-es-data-4 from cluster.routing.allocation.exclude._name; shards relocating, the job resumed and is at 1630/2380 batches."
at 7h10m mia status mitigated --note "Reindex finished at 09:38 UTC; new SKUs are searchable."
at 7h15m mia link ticket $JIRA/OPS-1279 --title "OPS-1279 reindex deadline and staleness alert"
at 2d6h mia note "Added activeDeadlineSeconds: 2700 to the CronJob and an alert when the index is older than 6 hours."
at 2d6h02m mia status resolved
at 9d7h mia status closed

# --- August: orders-db failover leaves checkout read-only (SEV2 -> SEV1) ----
inc orders-failover 2025-08-14T09:12:00Z
at 8m jonas declare "orders-db failover left checkout read-only" --sev 2 \
	--started "$(T 0)" --detected "$(T 4m)" --commander jonas --org sre --org engineering \
	--service orders-db --service checkout-api --tag database --tag network --visibility public \
	--summary "Patroni failed orders-db over to orders-db-2, but pgbouncer kept sending writes to the demoted orders-db-1." \
	--impact "Orders cannot be placed; browsing and carts work." \
	--link chat=$CHAT/inc-orders-db-failover
at 9m jonas note "Patroni promoted orders-db-2 at 09:12:07 after orders-db-1 lost its switch uplink (rack b4, port-channel 12 flapping). pgbouncer on the checkout pods still routes writes to 10.20.3.14, the old primary." --milestone acknowledged
at 12m marcus note "checkout-api: 'ERROR: cannot execute INSERT in a read-only transaction (SQLSTATE 25006)' on 100% of order creates in both regions."
at 14m jonas severity 1 --note "No order can be placed in any region: SEV1."
at 15m jonas assign comms grace
at 15m30s jonas assign scribe mia
at 16m jonas assign deputy lena
at 18m grace note "We are investigating an issue that prevents customers from placing orders. Browsing and shopping carts are not affected." --public
at 21m jonas note "The Patroni on_role_change callback that rewrites pgbouncer.ini timed out: consul KV write failed with 'read: connection reset by peer'. Reloading pgbouncer by hand with host=orders-db-2 (10.20.3.15)."
at 25m jonas status mitigated --note "Writes succeed, checkout error rate 0.4%. 13 minutes without orders."
at 27m grace note "Ordering is working again. We are monitoring the situation." --public
at 40m daniel note "About 2,300 order attempts failed. Card authorisations for them expire on their own within 7 days; no captures happened."
at 1h marcus link dashboard $GRAFANA/orders-db/orders-db-patroni --title "orders-db Patroni"
at 1h05m lena link ticket $JIRA/OPS-1322 --title "OPS-1322 route pgbouncer through the Patroni VIP"
at 4d jonas note "pgbouncer now points at the HAProxy VIP orders-db-rw.service.consul that follows the Patroni leader; no callback any more. A controlled switchover in staging moved writes in 3 s."
at 4d05m jonas status resolved
at 4d10m grace note "This incident has been resolved. We have changed how our order database fails over so that a similar fault no longer interrupts ordering." --public
at 20d jonas status closed --note "Postmortem reviewed. Follow-up: a failover drill every quarter, the first in October."

# --- September: leaked payment provider key (restricted) -----------------
inc leaked-key 2025-09-12T16:40:00Z
at 1h25m tobias declare "Leaked payment provider API key in public gist" --sev 1 \
	--started "$(T 0)" --detected "$(T 1h15m)" --commander tobias --org security --org engineering \
	--service payments-gateway --tag security --tag payments --tag third-party --visibility restricted --slug security-review-1 \
	--summary "A live PayFlux secret key (sk_live_4f9...) was published in a public GitHub gist by a contractor's dotfiles sync." \
	--impact "Anyone holding the key could read payment metadata and issue refunds. Card data is tokenised and not exposed." \
	--link chat=$CHAT/sec-2025-09-12
at 1h26m tobias note "GitHub secret scanning alert at 17:55 UTC; the gist was created at 16:40 UTC. SEV1 until we know whether the key was used." --milestone acknowledged
at 1h30m tobias assign legal hannah
at 1h32m marcus note "Gist deleted by its author. Rotating the key in the PayFlux dashboard; payments-gateway and checkout-api read it from Vault (secret/payments/payflux)."
at 1h42m marcus note "New key in Vault, payments-gateway restarted (deploy 2419). Old key revoked at 18:21 UTC; authorisation success rate normal."
at 1h44m tobias status mitigated --note "Key revoked 1 h 41 min after publication."
at 2h10m tobias note "PayFlux API log for the old key, 16:40-18:21 UTC: 212 calls, 211 from our egress IPs 198.51.100.10-14. One GET /v1/balance from 185.220.101.34 (Tor exit) at 17:12 UTC. No refunds, no payouts."
at 2h15m tobias add orgs legal finance
at 2h22m hannah note "A balance read is not personal data; no GDPR Art. 33 notification from this alone. Keep the record restricted until the review."
at 2h30m daniel note "Reconciled today's payouts and refunds against the ledger: no unexpected movements."
at 2d17h tobias note "gitleaks is now a required pre-commit hook and CI check in checkout-api and payments-gateway; contractor offboarding removes dotfile sync tools."
at 2d17h05m tobias link ticket $JIRA/SEC-208 --title "SEC-208 secret scanning in CI"
at 2d17h10m tobias status resolved
at 24d tobias status closed --note "Review done with PayFlux; key scopes reduced (refunds need a separate restricted key now)."

# --- September: push notifications delayed (SEV3) -------------------------
inc push-notif 2025-09-24T10:00:00Z
at 35m arjun declare "Push notifications delayed by up to 40 minutes" --sev 3 \
	--started "$(T 0)" --detected "$(T 28m)" --commander arjun --org engineering \
	--service mobile-app --tag mobile --tag third-party \
	--summary "FCM throttles our sends since the 10:00 UTC marketing campaign; push-dispatcher is retrying in a tight loop."
at 36m arjun note "Looking at push-dispatcher." --milestone acknowledged
at 41m arjun note "Queue depth 184k and growing. FCM returns 429 QUOTA_EXCEEDED for 31% of sends; we retry immediately, which makes it worse."
at 52m arjun note "Deployed push-dispatcher#88: batch size 500 -> 100, exponential backoff with jitter on 429."
at 1h52m arjun status mitigated --note "Queue drained at 11:52 UTC; delivery latency p95 4 s."
at 1d arjun note "Marketing campaigns now go through the bulk topic with its own quota; order and shipping pushes keep the transactional one."
at 1d01m arjun status resolved
at 8d arjun status closed

# --- October: failover drill (drill) ---------------------------------------
inc db-drill 2025-10-08T12:00:00Z
at 0 jonas declare "Drill: orders-db failover in staging" --kind drill --sev 3 \
	--started "$(T 0)" --detected "$(T 0)" --commander jonas --role scribe=priya --org sre \
	--service orders-db --tag database \
	--summary "Quarterly failover drill (follow-up of the August incident): kill the Patroni leader of orders-db-stg and watch checkout-api staging." \
	--link call=$MEET/drill-orders-db --link doc=https://wiki.northwind.example/runbooks/orders-db-failover
at 1m jonas note "Killing patroni on orders-db-stg-1 now." --milestone acknowledged
at 3m priya note "orders-db-stg-2 promoted after 14 s; the HAProxy VIP followed 3 s later."
at 9m priya note "checkout-api staging: 22 failed POST /v1/orders during the switchover (no retries on POST). Load test continues at 120 rps."
at 22m jonas note "Found: the runbook still describes the old pgbouncer callback. Updating it during the drill."
at 31m oliver note "Rejoined orders-db-stg-1 as a replica with pg_rewind; replication lag 0 B after 40 s."
at 40m jonas status resolved --note "Drill done: RTO 17 s, 22 failed writes. Follow-up: idempotent retries for POST /v1/orders (OPS-1377)."
at 40m30s jonas link ticket $JIRA/OPS-1377 --title "OPS-1377 idempotent order creation retries"
at 7d jonas status closed

# --- October: warehouse feed schema change zeroes stock (SEV2) -----------
inc inventory-sync 2025-10-20T05:00:00Z
at 2h35m mia declare "Stock zeroed after warehouse feed schema change" --sev 2 \
	--started "$(T 0)" --detected "$(L 2h20m)" --commander mia --org engineering --org support \
	--service inventory --service web --tag third-party --tag config \
	--summary "The LogiWare warehouse feed switched to API v2 overnight; the importer read every quantity as 0." \
	--impact "About 41,000 products show 'sold out' in shop and app." \
	--link chat=$CHAT/inc-inventory-zero
at 2h36m mia note "Acknowledged." --milestone acknowledged
at 2h38m grace note "Support is getting 'everything is sold out?' tickets and calls, 60 so far."
at 2h44m mia note "inventory-importer: 'field qty_on_hand missing, defaulting to 0' 41,203 times since 05:00 UTC. The feed now has quantity.available instead."
at 2h58m mia note "Paused the importer and restored stock levels from the 04:45 UTC snapshot (restore-stock --snapshot 2025-10-20T04:45Z)."
at 3h20m mia status mitigated --note "Stock levels back; products available again. The importer stays paused, so stock is 3 hours behind."
at 5h05m mia note "LogiWare confirms they moved our tenant to API v2 by mistake and rolled it back at 10:05 UTC. Importer resumed."
at 1d3h arjun note "The importer now rejects a feed that would set more than 5% of SKUs to zero, and alerts (inventory-importer#214)."
at 1d3h05m arjun link pull $GH/inventory/pull/214 --title "inventory#214 refuse feeds that zero stock"
at 1d3h10m mia status resolved
at 10d4h mia status closed

# --- November: PII exposure in support exports (restricted) --------------
inc pii-export 2025-10-29T14:20:00Z
at 7d19h45m tobias declare "Customer PII exposed via support export links" --sev 1 \
	--started "$(T 0)" --detected "$(L 7d19h30m)" --commander tobias --role legal=hannah --role comms=grace \
	--org security --org support --org legal --service support-portal --tag security --tag pii --visibility restricted --slug security-review-2 \
	--summary "The order-history exports that support sends to customers were stored in a public-read bucket with guessable keys." \
	--impact "Name, email, shipping address and ordered items of customers who requested an export since 29 October could be read by others. No payment data." \
	--link chat=$CHAT/sec-2025-11-06
at 7d19h46m tobias note "Acknowledged, security on-call leading." --milestone acknowledged
at 7d19h48m grace note "Ticket #48213: a customer says the 'download your order history' link shows other people's orders. Reproduced: changing the number in the link returns another customer's export."
at 7d19h55m tobias note "Bucket nw-support-exports became public-read with the support-portal release of 29 Oct (Terraform change in support-portal#311). Object keys are sequential: /o/2025-11/000412.csv."
at 7d20h01m jonas note "Bucket policy back to private at 10:21 UTC, public ACLs removed, downloads now need a presigned URL valid for 15 minutes."
at 7d20h04m tobias status mitigated
at 7d20h10m tobias assign pr sofia
at 7d20h11m tobias assign scribe mia
at 7d22h tobias note "Access logs 29 Oct - 6 Nov: 3,877 GETs, 212 of them from IPs that never requested the export. 41 customers' exports were fetched by someone else, 37 of them by one crawler (45.146.164.9)."
at 7d22h05m tobias tag data-loss
at 7d22h20m hannah note "This is a personal data breach under GDPR Art. 33. We notify the Berlin data protection authority within 72 hours of becoming aware: deadline 9 Nov, 10:50 CET."
at 7d23h sofia note "Customer email drafted with legal: what happened, what data, what we did, contact for questions. Holding until the authority is notified."
at 9d2h hannah note "Notification filed with the Berlin DPA on 7 Nov at 16:30 CET (reference BlnBDI-2025-4471)."
at 9d3h sofia note "Sent the notification to the 41 affected customers; support has a macro for follow-up questions."
at 9d3h05m tobias tag data-loss --remove
at 13d tobias note "All exports older than 7 days deleted; the Terraform module for buckets now denies public ACLs by default (SEC-231)."
at 13d05m tobias status resolved
at 40d tobias status closed --note "Reviewed with the DPO; the authority closed the case without further action."

# --- November: Black Friday capacity (public) ------------------------------
inc black-friday 2025-11-28T19:02:00Z
at 8m oliver declare "Checkout timeouts during Black Friday peak" --sev 2 \
	--started "$(T 0)" --detected "$(T 4m)" --commander oliver --role comms=grace --org sre --org engineering \
	--service checkout-api --service payments-gateway --tag capacity --tag payments --visibility public \
	--summary "checkout-api hit its autoscaling ceiling of 40 pods at the 20:00 CET peak; p99 latency 8.2 s, 4.1% of checkouts time out." \
	--impact "Some customers see slow or failing checkout during the Black Friday evening peak." \
	--link chat=$CHAT/inc-black-friday --link dashboard=$GRAFANA/checkout-api/checkout-overview
at 9m oliver note "Acked. HPA for checkout-api pinned at maxReplicas 40, CPU 93%." --milestone acknowledged
at 12m grace note "Some customers are experiencing slow checkout or errors during peak traffic. Our team is adding capacity now." --public
at 14m oliver note "kubectl -n checkout patch hpa checkout-api -p '{\"spec\":{\"maxReplicas\":90}}'. Cluster autoscaler adding 12 nodes to prod-eu-1."
at 23m marcus note "payments-gateway queue to the acquirer at 1,100 in flight; their limit is 1,500 concurrent. Watching."
at 31m oliver note "checkout-api at 78 pods, p99 1.4 s, timeouts 0.3%."
at 46m oliver status mitigated --note "Latency back to normal at 3x the usual traffic."
at 48m grace note "Checkout is fast again. Thank you for your patience, and happy shopping!" --public
at 2d14h oliver note "Load tests for the holiday season now use 4x last year's peak; maxReplicas raised to 120 permanently, and the nodes pool gets a warm buffer on sale days."
at 2d14h05m oliver status resolved
at 11d15h oliver status closed

# --- December: SPF record breaks Outlook delivery (SEV3) ---------------------
inc email-bounce 2025-12-11T22:00:00Z
at 11h05m grace declare "Order emails deferred by Outlook (SPF permerror)" --sev 3 \
	--started "$(T 0)" --detected "$(L 10h40m)" --org support --org engineering \
	--service email --tag third-party --tag dns --tag config \
	--summary "Outlook.com and Microsoft 365 defer our order confirmations: SPF permerror since the marketing tool was added."
at 11h20m mia note "Taking it." --milestone acknowledged
at 11h21m mia assign commander mia
at 11h30m mia note "Bounces: '451 4.7.650 The mail server [198.51.100.25] has been temporarily rate limited due to IP reputation' plus SPF permerror: the TXT record now needs 12 DNS lookups (limit is 10) since include:spf.mailblast.example was added on Thursday."
at 11h50m mia note "Flattened the SPF record: replaced the two nested includes of our ESP with their ip4 ranges. dig TXT northwind.example shows 7 lookups."
at 12h10m mia status mitigated --note "Deferred mail is being retried; Outlook accepts again."
at 1d10h grace note "No new tickets about missing confirmations since noon."
at 3d11h mia note "Added an SPF lookup-count check to the DNS pipeline (fails above 9)."
at 3d11h05m mia status resolved
at 11d11h mia status closed

# ===========================================================================
# 2026
# ===========================================================================

# --- January: backfilled relay outage (kind backfill, recorded 6 days later)
inc backfill-email 2026-01-08T07:40:00Z
at 6d2h priya declare "Backfill: password reset emails delayed 2.5 hours" --kind backfill --sev 3 \
	--at "$(T 35m)" --started "$(T 0)" --detected "$(L 25m)" --commander priya --org sre --org support \
	--service email --service auth --tag third-party --tag auth \
	--summary "Our mail relay provider had an outage in its EU region; password reset and order emails queued for up to 2.5 hours." \
	--impact "Customers who asked for a password reset between 08:40 and 11:10 CET got the email late; about 140 contacted support."
at 6d2h01m priya note "Recorded after the fact from the #ops channel for the monthly report: nobody declared at the time because the provider's status page already showed the outage."
at 6d2h03m priya note "Acknowledged in #ops." --milestone acknowledged --at "$(T 38m)"
at 6d2h05m priya note "MailRelay status page: 'degraded delivery in EU-1'. Our queue of password resets reached 9,400 messages." --at "$(T 50m)"
at 6d2h08m priya note "Switched transactional mail to the secondary relay (smtp2.relay-backup.example) by hand." --milestone mitigated --at "$(L 1h20m)"
at 6d2h10m grace note "Support handled about 140 'no reset email' contacts with a macro asking customers to wait 30 minutes." --at "$(T 2h)"
at 6d2h12m priya status resolved --at "$(T 2h30m)" --note "Provider healthy again; queue drained; switched back to the primary relay."
at 6d2h15m priya link ticket $JIRA/OPS-2071 --title "OPS-2071 automatic failover to the secondary relay"
at 6d2h20m priya status closed --note "Backfilled for the report; follow-up in OPS-2071."

# --- January: alert fires for everything; declined (monitor misconfigured) -
inc declined-alert 2026-01-18T03:04:00Z
at 8m priya declare "Payment success rate alert firing in all regions" --sev 2 \
	--detected "$(T 0)" --commander priya --org sre --service payments-gateway --tag payments \
	--summary "PaymentSuccessRateLow fires for eu, us and apac at once, reporting 0% success." \
	--link chat=$CHAT/inc-payment-success-alert
at 9m priya note "Acked the page, looking." --milestone acknowledged
at 16m priya note "payments-gateway looks healthy: 97.8% authorisation success, 1,140 payments in the last hour, synthetic checkout green in all regions. Customers are paying."
at 17m priya link dashboard $GRAFANA/payments/payments-gateway --title "payments-gateway"
at 24m chloe note "The rule was migrated to Grafana alerting on Friday (OPS-2088). Its query divides by payments_attempted_total, which gateway v5 renamed to payments_attempts_total: empty denominator, so the ratio evaluates to 0."
at 26m chloe tag config
at 27m priya status declined --note "Not an incident: the monitor was misconfigured after the alert migration (renamed metric). Rule silenced; the query is fixed in OPS-2094."
at 28m priya link ticket $JIRA/OPS-2094 --title "OPS-2094 fix the PaymentSuccessRateLow query"
at 1d6h chloe note "OPS-2094 done: query fixed, plus an alert on absent(payments_attempts_total) so a renamed metric pages as such."

# --- February: 3-D Secure challenge blocked by our CSP (SEV1, public) -----
inc checkout-3ds 2026-02-10T15:20:00Z
at 11m lena declare "Checkout card payments failing 3-D Secure in EU" --sev 1 \
	--started "$(T 0)" --detected "$(T 5m)" --commander lena --role comms=grace --role scribe=mia \
	--org engineering --org sre --org support --service checkout-api --service payments-gateway --service web \
	--tag payments --tag third-party --visibility public \
	--summary "Card payments on the web fail at the 3-D Secure challenge: the browser refuses to load the bank's challenge page." \
	--impact "Web customers in Europe paying by card cannot complete checkout. PayPal, invoice and the apps work." \
	--link chat=$CHAT/inc-checkout-3ds --link call=$MEET/inc-checkout-3ds
at 12m lena note "Acknowledged, bridge open." --milestone acknowledged
at 13m mia note "Card payment success in EU down from 96% to 41% since 15:20 UTC. Every failure is at the 3DS challenge step; iOS and Android are fine."
at 16m lena assign deputy jonas
at 17m grace note "We are investigating problems with card payments on our website in Europe. Payments with PayPal, by invoice or in the Northwind app are not affected." --public
at 21m mia note "Browser console: Refused to frame 'https://acs2.cardsecure.example/' because it violates the following Content Security Policy directive: \"frame-src 'self' https://acs.cardsecure.example\"."
at 24m lena note "The card scheme's ACS moved its challenge pages to acs2.cardsecure.example at 15:20 UTC without notice. Hotfixing the CSP: Mia builds, Jonas deploys."
at 26m lena assign pr sofia
at 30m sofia note "About 40 complaints on social media so far. Holding reply: link the status page, suggest PayPal or the app."
at 38m jonas note "Web deploy 3127 rolling out: frame-src now allows https://*.cardsecure.example."
at 47m mia status mitigated --note "Card success rate in EU at 95.6% and rising."
at 49m grace note "Card payments are working again. If a payment failed, no money was taken; please try again. We apologise for the inconvenience." --public
at 1h15m daniel add orgs finance
at 1h20m daniel note "About 5,400 failed card payments in 47 minutes; 62% of those customers completed their order with PayPal or the app. Estimated lost revenue: EUR 190k."
at 1h40m lena set impact "Web customers paying by card in Europe could not complete 3-D Secure for 47 minutes: about 5,400 failed payments, EUR 190k of lost revenue. PayPal, invoice and the apps worked."
at 20h mia note "Added a synthetic 3DS challenge to the checkout canary (scheme sandbox test card) and CSP violation reports to Sentry, with an alert."
at 20h05m mia link pull $GH/web/pull/2731 --title "web#2731 CSP reports and synthetic 3DS check"
at 20h10m lena status resolved
at 20h12m grace note "This incident has been resolved. Card payments have been working normally since 16:07 CET yesterday." --public
at 15d lena status closed --note "Postmortem reviewed with the PSP: the scheme now announces ACS domain changes 30 days ahead, and we get them."

# --- February: suspicious admin login (restricted) -----------------------
cat >"$A/okta-admin-signin.txt" <<'LOG'
# Okta system log, actor m.reed-admin@northwind.example, 2026-02-22 (UTC)
02:41:02 user.authentication.auth_via_mfa  FAILURE  push rejected/timeout  client=203.0.113.77 (LT, AS64500)
02:41:40 user.authentication.auth_via_mfa  FAILURE  push rejected/timeout  client=203.0.113.77
... 11 more ...
02:47:31 user.authentication.auth_via_mfa  SUCCESS  push approved           client=203.0.113.77
02:47:33 user.session.start                SUCCESS  app=admin-console       client=203.0.113.77 ua="Mozilla/5.0 (X11; Linux x86_64) Firefox/122.0"
02:48:10 app.admin-console.order.view      SUCCESS  order=NW-26-0192231
02:48:41 app.admin-console.order.view      SUCCESS  order=NW-26-0192240
02:49:05 app.admin-console.order.view      SUCCESS  order=NW-26-0192251
02:49:52 app.admin-console.settings.view   SUCCESS  page=refunds
03:05:14 user.session.clear                SUCCESS  actor=liam.obrien (admin)
03:05:20 user.lifecycle.suspend            SUCCESS  actor=liam.obrien (admin)
LOG
inc admin-login 2026-02-22T02:47:00Z
at 11m liam declare "Suspicious admin login from unrecognised IP" --sev 2 \
	--started "$(T 0)" --detected "$(T 2m)" --commander liam --org security --service auth \
	--tag security --tag auth --visibility restricted --slug security-review-3 \
	--summary "An admin account signed in to the admin console from 203.0.113.77 after an MFA push was approved." \
	--link chat=$CHAT/sec-2026-02-22
at 12m liam note "SIEM alert 'admin sign-in from new country' at 02:49 UTC. Declaring, restricted." --milestone acknowledged
at 14m liam note "Okta: m.reed-admin signed in from 203.0.113.77 (Vilnius, AS64500) at 02:47:31 UTC with an approved push. Marcus is in New York (21:47 local). 13 push prompts in the 6 minutes before: MFA fatigue."
at 18m liam note "Cleared the sessions, suspended m.reed-admin, revoked its refresh tokens, blocked 203.0.113.77 on the admin console WAF."
at 19m liam status mitigated --note "Attacker session ended 18 minutes after sign-in."
at 22m liam attach "$A/okta-admin-signin.txt" --note "Okta system log for the account"
at 35m liam note "Admin console audit: the session opened 3 order records (NW-26-0192231, -0192240, -0192251) and the refund settings page. Nothing saved, nothing exported."
at 52m marcus note "Confirmed it was not me. My phone kept buzzing during dinner and I approved one push thinking it was the VPN re-auth. Sorry."
at 1h05m liam note "Marcus's password reset, hardware key enrolled. The old password appears in a 2024 forum breach (HIBP)."
at 4h30m tobias note "Taking over for EU hours. The three orders contain name, address and items of 3 customers."
at 4h31m tobias assign commander tobias
at 4h40m tobias add orgs legal
at 1d7h tobias assign legal hannah
at 1d7h30m hannah note "Assessment: a breach of 3 customers' order data with low risk (no payment data, no sign of further use). Documented in the breach register as BR-2026-03; no notification to the authority or the customers required."
at 2d6h tobias note "Number matching plus FIDO2 keys are now mandatory for every admin role in Okta; push-only MFA is disabled."
at 2d6h05m tobias link ticket $JIRA/SEC-260 --title "SEC-260 phishing-resistant MFA for admins"
at 2d6h10m tobias status resolved
at 23d7h tobias status closed

# --- March: DNS game day (drill) -------------------------------------------
inc dns-drill 2026-03-11T10:00:00Z
at 0 oliver declare "Game day: DNS failover to the secondary provider" --kind drill --sev 3 \
	--started "$(T 0)" --detected "$(T 0)" --commander oliver --role scribe=priya --org sre \
	--service web --service cdn --tag dns --tag network \
	--summary "Planned game day: serve northwind.example from the secondary DNS provider only, as if the primary were down." \
	--link call=$MEET/gameday-dns --link doc=https://wiki.northwind.example/runbooks/dns-provider-failover
at 1m oliver note "Starting. Removing ns1/ns2.dnsprovider.example from the registrar's NS set; only ns1/ns2.backupdns.example remain." --milestone acknowledged
at 12m priya note "Propagation: 50% of 1,000 RIPE Atlas probes on the secondary after 11 minutes, 95% after 48 (the parent's NS TTL is 3600)."
at 25m chloe note "Sydney and Singapore probes resolve through the secondary without errors."
at 34m priya note "Finding 1: the secondary zone has no CAA records. A certificate renewal during a real failover would be refused."
at 41m oliver note "Finding 2: the secondary is two serials behind (2026031002 vs 2026031104). AXFR from the primary has failed since 9 March, after an IP allow-list change, and nothing alerted."
at 1h30m oliver note "Restoring the primary NS records at the registrar."
at 2h30m oliver status resolved --note "Drill done: failover works. Findings in OPS-2231 (CAA records) and OPS-2232 (zone transfer monitoring)."
at 2h31m oliver link ticket $JIRA/OPS-2231 --title "OPS-2231 CAA records on the secondary"
at 2h32m oliver link ticket $JIRA/OPS-2232 --title "OPS-2232 alert when the secondary zone lags"
at 8d oliver status closed

# --- March: internal CA expired at midnight (certificates, night) --------
inc cert-internal 2026-03-26T00:00:00Z
at 19m chloe declare "Expired internal CA certificate broke mTLS" --sev 2 \
	--started "$(T 0)" --detected "$(T 4m)" --commander chloe --org sre --org engineering \
	--service inventory --service checkout-api --service auth --tag certificates --tag auth \
	--summary "The intermediate CA northwind-internal-ica-2024 expired at 00:00 UTC; every service-to-service call over mTLS fails its handshake." \
	--impact "Stock reservations fail and checkout falls back to cached stock, so some items may be oversold. 'Remember me' logins fail." \
	--link chat=$CHAT/inc-internal-ca
at 20m chloe note "Acking." --milestone acknowledged
at 22m chloe note "Everywhere: 'x509: certificate has expired or is not yet valid: current time 2026-03-26T00:04:11Z is after 2026-03-26T00:00:00Z'. Leaf certificates are fine; the intermediate is not."
at 35m chloe note "The leaves come from cert-manager's ClusterIssuer internal-ica, whose CA secret was created by hand in 2024 with two years of validity and no renewal."
at 1h31m priya note "Morning here, joining. Signing a new intermediate needs two key holders for pki-root in Vault; paging Lena as the second."
at 1h40m lena note "Awake and on the bridge."
at 2h05m priya note "New intermediate northwind-internal-ica-2026 signed by the root (valid two years) and loaded into the ClusterIssuer secret. Reissuing: cmctl renew --all -A."
at 2h40m chloe status mitigated --note "All 1,412 certificates reissued; mTLS handshake errors at 0. Inventory reservations flowing."
at 8h grace note "Support: 23 customers were told 'out of stock after payment' for 31 oversold items; offering vouchers."
at 9h lena note "The intermediate moves to Vault PKI with automatic rotation at two thirds of its lifetime, and CA certificates get the expiry alert that public ones have had since OPS-1187."
at 9h05m lena link ticket $JIRA/OPS-2290 --title "OPS-2290 rotate the internal CA automatically"
at 1d9h lena status resolved
at 14d9h lena status closed

# --- April: Android release crashes (SEV3 -> SEV2, public) ---------------
inc mobile-crash 2026-04-09T08:00:00Z
at 1h40m arjun declare "Android app crashes on launch after 5.12.0" --sev 3 \
	--started "$(T 0)" --detected "$(T 1h30m)" --commander arjun --org engineering \
	--service mobile-app --tag mobile --tag deploy --visibility public \
	--summary "Android 5.12.0 crashes right after start on Android 9 and 10."
at 1h41m arjun note "Crashlytics velocity alert: crash-free users on 5.12.0 at 81% (5.11.3: 99.6%)." --milestone acknowledged
at 1h50m arjun note "java.lang.NoSuchMethodError: No virtual method getLocales() in ThemeProvider.init, API 28 and 29 only. 5.12.0 is on a 20% staged rollout, scheduled to go to 50% at 10:00 UTC."
at 2h05m arjun severity 2 --note "The rollout went to 50% at 10:00 before we could pause it: about 18% of Android users cannot open the app."
at 2h08m arjun note "Staged rollout halted in the Play Console."
at 2h10m arjun assign comms grace
at 2h15m grace note "Some customers using the Northwind app on older Android phones see the app close right after starting. We have stopped the update and are preparing a fix. The website works as usual." --public
at 4h30m arjun note "5.12.1 (guard for API < 30) submitted to Google Play with an expedited review."
at 1d2h arjun status mitigated --note "5.12.1 approved and rolled out to 100%; crash-free users 99.5%."
at 1d2h10m grace note "An app update (5.12.1) that fixes the problem is now available on Google Play. Please update the Northwind app." --public
at 4d2h arjun note "Android 9 and 10 devices added to the pre-launch test matrix; the rollout automation now pauses when crash-free users drop below 99%."
at 4d2h05m arjun status resolved
at 12d arjun status closed

# --- April: search latency after a shard rebalance (SEV3) ----------------
inc search-latency 2026-04-16T13:10:00Z
at 25m mia declare "Search latency above 2 s after shard rebalance" --sev 3 \
	--started "$(T 0)" --detected "$(T 15m)" --org engineering --service search --tag search --tag capacity \
	--link dashboard=$GRAFANA/search/search-cluster
at 27m mia note "Looking." --milestone acknowledged
at 27m30s mia assign commander mia
at 33m mia note "p99 2.4 s (normally 280 ms). Adding search-es-data-7 moved 38 shards; three primaries of products-v41 ended up on search-es-data-2, which is at 96% CPU."
at 50m arjun note "Set index.routing.allocation.total_shards_per_node: 2 on products-v41; shards are moving off search-es-data-2."
at 1h20m mia status mitigated --note "p99 at 310 ms."
at 4d mia note "New product indices get total_shards_per_node from the index template; the dashboard shows shards per node."
at 4d02m mia status resolved
at 11d mia status closed

# --- April: PayPal broken by checkout-api deploy 4411 (SEV2) --------------
inc checkout-deploy 2026-04-28T08:32:00Z
at 9m mia declare "PayPal checkout errors after deploy 4411" --sev 2 \
	--started "$(T 0)" --detected "$(T 5m)" --commander mia --org engineering \
	--service checkout-api --service payments-gateway --tag payments --tag deploy \
	--summary "After checkout-api deploy 4411, PayPal rejects every order with INVALID_RETURN_URL." \
	--impact "Customers paying with PayPal (about 12% of checkouts) cannot pay; cards and invoice work." \
	--link chat=$CHAT/inc-paypal-4411
at 10m mia note "On it; 4411 was my deploy." --milestone acknowledged
at 14m mia note "PayPal errors at 100% since 08:32 UTC. 4411 upgraded paypal-server-sdk 0.6 -> 1.0, which validates return_url against the allow-list: ours is https://www.northwind.example/checkout/return, the service sends https://northwind.example/checkout/return."
at 18m jonas note "Rolling back to 4410."
at 26m mia status mitigated --note "Rollback to 4410 done; PayPal success at 98%."
at 1h grace note "11 tickets from customers whose PayPal payment failed; answered with the checkout macro."
at 1d2h mia note "Return URLs are canonicalised now, and the pre-deploy smoke tests pay with the PayPal sandbox. Shipped as deploy 4418."
at 1d2h03m mia link pull $GH/checkout-api/pull/2207 --title "checkout-api#2207 canonical PayPal return URL"
at 1d2h05m mia status resolved
at 10d mia status closed

# --- May: stale images after CDN purge failures (SEV3) -------------------
inc cdn-purge 2026-05-15T09:00:00Z
at 2h10m grace declare "Stale product images after CDN purge failures" --sev 3 \
	--started "$(T 0)" --detected "$(T 1h50m)" --org support --org engineering --service cdn \
	--tag third-party \
	--summary "Product images changed in the PIM since 09:00 UTC still show the old picture in shop and app."
at 2h30m oliver note "Taking it." --milestone acknowledged
at 2h31m oliver assign commander oliver
at 2h40m oliver note "pim-publisher purge calls get HTTP 429 'rate limit exceeded: 1000 purges/min' since the summer collection upload (52,000 images). Failed purges are not retried."
at 3h oliver note "Purging by surrogate key 'product-images' instead of by URL: one API call."
at 3h10m oliver status mitigated --note "Images current again; cache hit ratio back to 94% after 20 minutes."
at 3d oliver note "pim-publisher now batches purges by surrogate key and retries 429 with backoff."
at 3d05m oliver status resolved
at 13d oliver status closed

# --- May: checkout DNS pointed at a retired load balancer (public) -------
inc dns-ttl 2026-05-27T14:05:00Z
at 12m jonas declare "Checkout DNS pointed at a retired load balancer" --sev 2 \
	--started "$(T 0)" --detected "$(T 6m)" --commander jonas --role comms=grace --org sre \
	--service checkout-api --service web --tag dns --tag network --tag config --visibility public \
	--summary "A leftover weighted DNS record still sends 10% of checkout.northwind.example lookups to lb-checkout-old, destroyed at 14:05 UTC." \
	--impact "About one in ten customers get a connection error when opening checkout." \
	--link chat=$CHAT/inc-checkout-dns
at 13m jonas note "Acked." --milestone acknowledged
at 15m jonas note "Synthetic checkout fails intermittently: curl: (7) Failed to connect to checkout.northwind.example port 443: Connection refused (34.249.10.20). That was lb-checkout-old, removed by terraform apply (infra#4521) at 14:05."
at 18m grace note "Some customers are seeing errors when opening checkout. We have identified the cause and are working on a fix." --public
at 22m jonas note "checkout.northwind.example has two weighted records: lb-checkout-new (weight 90) and lb-checkout-old (weight 10), left over from the migration canary in April. Deleting the old one."
at 25m jonas note "Record deleted. Its TTL was 600 s, so some resolvers keep the old answer for up to 10 more minutes."
at 37m jonas status mitigated --note "No new connections to 34.249.10.20; synthetic checks green for 10 minutes."
at 39m grace note "Checkout is working normally again. We apologise for the inconvenience." --public
at 1d jonas note "infra CI now refuses to destroy a load balancer that is still the target of a DNS record."
at 1d05m jonas status resolved
at 9d jonas status closed

# --- June: PostgreSQL 16 upgrade (maintenance, public) --------------------
inc orders-maint 2026-06-06T03:00:00Z
at 0 jonas declare "Maintenance: orders-db upgrade to PostgreSQL 16" --kind maintenance --sev 3 \
	--started "$(T 0)" --detected "$(T 0)" --commander jonas --role scribe=priya --org sre \
	--service orders-db --service checkout-api --tag database --visibility public \
	--summary "Planned major upgrade of orders-db from PostgreSQL 14 to 16 with pg_upgrade --link." \
	--impact "Orders cannot be placed for up to 30 minutes within the window 05:00-07:00 CEST; browsing works." \
	--link ticket=$JIRA/OPS-2410 --link call=$MEET/maint-orders-db-16
at 1m jonas note "Scheduled maintenance has started. Ordering will be paused for up to 30 minutes between 05:00 and 07:00 CEST while we upgrade our order database. Browsing is not affected." --public
at 2m jonas note "Checkout in maintenance mode (flag checkout.maintenance on)." --milestone acknowledged
at 6m priya note "Patroni paused, final WAL archived, replicas stopped."
at 14m jonas note "pg_upgrade --link --jobs 8 on orders-db-1: 'Upgrade Complete' after 4 min 12 s."
at 24m priya note "vacuumdb --all --analyze-in-stages running; replicas rebuilding from the new primary with pg_basebackup."
at 29m jonas note "Smoke tests against orders-db-1 pass; checkout maintenance mode off." --milestone mitigated
at 31m jonas note "The maintenance is complete and ordering is available again. Thank you for your patience." --public
at 1h40m priya note "Both replicas streaming, lag 0 B. p95 query latency 18% lower than last Saturday."
at 1h45m jonas status resolved --note "Upgrade done with 27 minutes of ordering downtime."
at 3d6h jonas status closed

# --- June: session TTL config change (SEV3) ------------------------------
inc auth-token 2026-06-17T07:30:00Z
at 2h10m grace declare "Shop sessions expire after 15 minutes" --sev 3 \
	--started "$(T 0)" --detected "$(T 1h50m)" --org support --org engineering \
	--service auth --service web --tag auth --tag config \
	--summary "Customers are logged out of the shop every 15 minutes since this morning."
at 2h20m mia note "Taking it." --milestone acknowledged
at 2h21m mia assign commander mia
at 2h31m mia note "auth-config#377 (07:30 UTC) set refresh_token_ttl: 900, meaning hours; the service reads seconds, so refresh tokens now live as long as access tokens."
at 2h40m mia note "Reverted auth-config#377; kubectl -n auth rollout restart deploy/auth."
at 2h48m mia status mitigated --note "New sessions get 37-day refresh tokens again; customers logged out today have to sign in once more."
at 1d mia note "TTL fields now take durations ('900h'); the config schema rejects bare numbers."
at 1d02m mia status resolved
at 8d mia status closed

# --- June: flash sale oversold (SEV3) -------------------------------------
inc inventory-dup 2026-06-29T10:00:00Z
at 1h25m arjun declare "Flash sale oversold: duplicate stock reservations" --sev 3 \
	--started "$(T 0)" --detected "$(T 1h10m)" --org engineering --org support \
	--service inventory --service checkout-api --tag database \
	--summary "Two concurrent reservations of the last unit both succeed; 37 orders oversold during the flash sale."
at 1h27m arjun note "Looking." --milestone acknowledged
at 1h27m30s arjun assign commander arjun
at 1h40m arjun note "reserve_stock() reads the quantity, then updates it, without a row lock. At 2,300 reservations/s two requests see the same quantity. 37 orders for 14 SKUs oversold."
at 1h55m arjun note 'Hotfix as inventory deploy 1187: UPDATE stock SET available = available - $1 WHERE sku = $2 AND available >= $1 RETURNING available.'
at 2h arjun status mitigated
at 3h grace note "Support contacted the 37 customers: 29 accepted a later delivery, 8 cancelled and got a 15% voucher."
at 2d arjun status resolved --note "A concurrency test with 500 parallel reservations of one SKU is now part of CI."
at 9d arjun status closed

# --- July: indexer disk full on a Saturday (SEV3) -------------------------
inc weekend-disk 2026-07-11T01:15:00Z
at 5h20m chloe declare "Disk full on search-indexer-3 stopped indexing" --sev 3 \
	--started "$(T 0)" --detected "$(T 5h10m)" --commander chloe --org sre --service search \
	--tag search --tag capacity \
	--summary "The nightly product index build failed at 01:15 UTC: /var/lib/indexer on search-indexer-3 is full. Search serves yesterday's index."
at 5h21m chloe note "Mine." --milestone acknowledged
at 5h30m chloe note "df -h: /var/lib/indexer 100% of 500G; 212 GB are old snapshot tarballs. The retention cleanup was dropped in the June refactor of the indexer chart."
at 5h45m chloe note "Deleted snapshots older than 7 days (61% free); rerunning: kubectl -n search create job --from=cronjob/build-product-index manual-0711."
at 6h50m chloe status mitigated --note "Index built and swapped at 08:05 UTC; search results current."
at 2d7h mia note "Retention cleanup is back in the chart, plus a disk usage alert at 80% for the indexers."
at 2d7h05m mia status resolved
at 9d7h mia status closed

# --- July: US acquirer timeouts (SEV2, public) ----------------------------
inc payments-timeouts 2026-07-15T18:40:00Z
at 9m marcus declare "Payment timeouts to the US acquirer in us-east-1" --sev 2 \
	--started "$(T 0)" --detected "$(T 4m)" --commander marcus --role comms=sofia --org engineering --org sre \
	--service payments-gateway --service checkout-api --tag payments --tag third-party --tag network --visibility public \
	--summary "Authorisation calls from payments-gateway in us-east-1 to the US acquirer time out after 10 s for 22% of requests." \
	--impact "US customers paying by card see slow or failed checkout; Europe is not affected." \
	--link chat=$CHAT/inc-us-acquirer-timeouts --link dashboard=$GRAFANA/payments/acquirer-latency
at 10m marcus note "Acked. Looks external." --milestone acknowledged
at 14m marcus note "Timeouts only towards api.us.acquirer.example (198.51.100.80). TCP connect and TLS handshake are fine, then the response stalls. Their status page is green."
at 18m sofia note "Some customers in the United States are experiencing delays or errors when paying by card. We are working with our payment partner to resolve this." --public
at 22m oliver note "mtr from the us-east-1 NAT gateways: 18% loss at the acquirer's edge (hop 9, 203.0.113.201). Opened a P1 with them, case 88213."
at 31m marcus note "Routing US card traffic through the secondary route via the EU acquirer (rule us-card-fallback at 100%). Higher fees, but it works."
at 45m marcus status mitigated --note "US authorisation success 97.1% on the fallback route; p95 1.9 s."
at 47m sofia note "Card payments in the United States are working again. We continue to monitor." --public
at 2h50m marcus note "The acquirer confirms a faulty DDoS mitigation rule on their edge since 18:38 UTC, rolled back at 21:20."
at 3h30m marcus note "US traffic back on the primary acquirer; success 98.4%."
at 3h32m marcus status resolved
at 3h40m sofia note "This incident has been resolved and card payments in the United States work normally. Thank you for your patience." --public
at 20h daniel note "Fallback routing for 2 h 45 min cost about USD 3,100 in extra fees, against about USD 45k of orders it saved."
at 14d marcus status closed --note "Follow-up done: automatic failover to the secondary route when the acquirer's timeout rate exceeds 5% (OPS-2502)."

# --- July: replica lost after an automatic failover (SEV3, night) -------
inc failover-replica 2026-07-27T01:30:00Z
at 1h35m priya declare "orders-db replica lag after automated failover" --sev 3 \
	--started "$(T 0)" --detected "$(T 1h20m)" --commander priya --org sre --service orders-db --tag database \
	--summary "After Patroni failed over at 01:30 UTC, orders-db-3 did not follow the new primary; reads routed to it are stale." \
	--impact "Order history in the app and the analytics exports lag up to 25 minutes. Ordering works."
at 1h36m priya note "Acked." --milestone acknowledged
at 1h45m priya note "Automatic failover at 01:30:12 (orders-db-1 kernel panic, ECC error); orders-db-2 promoted within 15 s, writes fine. orders-db-3: 'FATAL: could not receive data from WAL stream: requested timeline 7 is not a child of this server's history'."
at 2h priya note "Running pg_rewind on orders-db-3 against orders-db-2 (patronictl reinit as the fallback)."
at 2h25m priya status mitigated --note "orders-db-3 streaming from orders-db-2, lag 0 B; read traffic back on it."
at 7h jonas note "orders-db-1 goes back to the provider for a DIMM replacement. use_pg_rewind was false on orders-db-3 only, left over from the PostgreSQL 16 upgrade."
at 7h05m jonas link dashboard $GRAFANA/orders-db/orders-db-patroni --title "orders-db Patroni"
at 1d7h jonas status resolved --note "use_pg_rewind on for all members; switchover test in staging passed."
at 10d jonas status closed

# --- August: shipping notifications backlog (SEV3) ------------------------
inc email-queue 2026-08-06T06:00:00Z
at 2h50m grace declare "Shipping notification emails delayed by backlog" --sev 3 \
	--started "$(T 0)" --detected "$(T 2h30m)" --org support --org engineering --service email --tag capacity \
	--summary "Shipping notifications sent since 06:00 UTC arrive hours late."
at 3h oliver note "Taking it." --milestone acknowledged
at 3h01m oliver assign commander oliver
at 3h10m oliver note "email-sender queue: 310k messages, draining at 40/s. The warehouse emitted 260k 'shipped' events at 06:00 at once instead of through the day (new WMS export schedule)."
at 3h20m oliver note "Scaled email-sender from 4 to 16 workers; our ESP plan allows 400 messages/s."
at 5h oliver status mitigated --note "Backlog drained at 11:00 UTC."
at 1d1h oliver note "Transactional mail (passwords, orders) and bulk mail (shipping) now have separate queues; email-sender autoscales on queue age."
at 1d1h05m oliver status resolved
at 12d oliver status closed

# --- August: tax engine flag takes checkout down (SEV1, public) -----------
inc checkout-outage 2026-08-18T12:14:00Z
at 5m lena declare "Checkout down after tax engine flag rollout" --sev 1 \
	--started "$(T 0)" --detected "$(T 2m)" --commander lena --role comms=grace --role scribe=mia \
	--org engineering --org sre --org support --service checkout-api --service web --service mobile-app \
	--tag config --tag deploy --tag payments --visibility public \
	--summary "Turning the feature flag checkout.new-tax-engine up to 100% made every order fail with a 500." \
	--impact "No customer can complete checkout, on the web or in the apps, in any region." \
	--link chat=$CHAT/inc-checkout-tax-flag --link call=$MEET/inc-checkout-tax-flag \
	--link dashboard=$GRAFANA/checkout-api/checkout-overview
at 6m lena note "Acknowledged. All hands on the bridge." --milestone acknowledged
at 7m marcus note "checkout-api 5xx 99.7% since 12:14:20 UTC. Flag audit log: checkout.new-tax-engine 10% -> 100% at 12:14:08 by the rollout scheduler."
at 8m lena assign deputy jonas
at 9m grace note "We are aware that customers cannot complete orders on our website and in the app. We are working on it with the highest priority." --public
at 10m mia note "Stack: TaxEngineClient.quote: NullPointerException: region is null, for carts without a shipping address (guest checkout). The 10% cohort was logged-in customers only."
at 11m lena note "Decision: flag off now, no forward fix."
at 12m jonas note "checkout.new-tax-engine at 0% since 12:26:02."
at 19m lena status mitigated --note "5xx at 0.2%, orders per minute back to 1,250."
at 20m grace note "Checkout is working again. Orders attempted in the last 15 minutes may have failed; no payment was taken for failed orders. We apologise." --public
at 22m lena assign pr sofia
at 40m sofia note "Two tech news sites asked about 'Northwind down'; sent them the status page statement. Social mentions peaked at 600 per hour."
at 1h daniel add orgs finance
at 1h05m daniel note "12 minutes without orders at the Tuesday lunch peak: about 15,000 failed checkouts, EUR 310k delayed; most customers came back within the hour."
at 2h mia note "Root cause: the flag's rollout plan went from 10% to 100% on a timer with no health gate, and the 10% cohort (logged-in customers) never exercised guest checkout."
at 2h05m mia link ticket $JIRA/OPS-2577 --title "OPS-2577 health-gated flag rollouts"
at 1d lena status resolved --note "Tax engine fixed for guest carts (checkout-api 5.8.2); flag rollouts now stop on their own when checkout 5xx exceeds 1%."
at 1d02m grace note "This incident has been resolved. Thank you for your patience." --public
at 16d lena status closed --note "Postmortem reviewed with the leadership team; all 6 follow-ups done, including guest checkout in every flag cohort."

# --- August: iOS pinning vs. certificate rotation (SEV3) ------------------
inc cert-mobile 2026-08-26T08:00:00Z
at 1h05m arjun declare "iOS pinning failures after API cert rotation" --sev 3 \
	--started "$(T 0)" --detected "$(T 55m)" --commander arjun --org engineering --org sre \
	--service mobile-app --service auth --tag certificates --tag mobile \
	--summary "After the scheduled rotation of the api.northwind.example certificate, iOS app versions before 6.0 fail certificate pinning." \
	--impact "About 3% of iOS users (app older than 6.0) cannot load anything in the app."
at 1h06m arjun note "Looking." --milestone acknowledged
at 1h15m arjun note "iOS < 6.0 pins the leaf's public key, not the intermediate's; today's rotation (OPS-2601) generated a new key. 6.0 and later pin the intermediate and work."
at 1h30m oliver note "Rolled api.northwind.example back to the previous certificate (valid until 20 September)."
at 1h40m arjun status mitigated --note "Old app versions connect again."
at 2h arjun note "Minimum supported iOS app version becomes 6.0 on 2 September via remote config; an in-app update prompt starts today."
at 7d arjun note "97.8% of the affected users have updated. Rotated again; certificate rotation now checks the pinned keys of every supported app version first."
at 7d05m arjun status resolved
at 14d arjun status closed

# --- September: ransomware tabletop (drill) ------------------------------
inc ransom-drill 2026-09-09T13:00:00Z
at 0 tobias declare "Tabletop drill: ransomware on back-office shares" --kind drill --sev 2 \
	--started "$(T 0)" --detected "$(T 0)" --commander tobias --role legal=hannah --role pr=sofia --role scribe=mia \
	--org security --org legal --org pr --org sre --org support --tag security --tag data-loss \
	--summary "Tabletop exercise: attackers encrypted the finance and support file shares and threaten to publish customer data." \
	--link call=$MEET/tabletop-ransomware --link doc=https://wiki.northwind.example/security/ransomware-playbook
at 1m tobias note "Inject 1 (13:00 UTC): support cannot open files on fs-backoffice-1:/support; a ransom note README_RESTORE.txt sits in every folder." --milestone acknowledged
at 10m lena note "Response: isolate fs-backoffice-1 and fs-backoffice-2 (deny-all network policy), snapshot the VMs for forensics, check backups: the last immutable backup is from 02:00 UTC."
at 20m tobias note "Inject 2: the attackers claim to have 40 GB of customer data, including support exports."
at 26m hannah note "Legal: a credible exfiltration claim makes it a personal data breach; the 72-hour clock starts at awareness (13:20 UTC). We would not pay, and we would inform the police (LKA Berlin cybercrime unit)."
at 35m sofia note "PR: holding statement drafted. Open question: who approves it out of hours? We have no pre-approved template for extortion cases."
at 50m tobias note "Inject 3: the backup admin account is compromised too. Finding: deleting backups needs only one admin, and only the primary vault is immutable (7 days)."
at 1h25m tobias status resolved --note "Tabletop done. 5 findings: approval path for public statements, two-person rule for backup deletion, immutability on every vault, an offline contact list, a legal on-call."
at 1h26m tobias link ticket $JIRA/SEC-301 --title "SEC-301 tabletop findings"
at 14d tobias status closed

# --- September: search analyzer drops diacritics (SEV3) ------------------
inc search-umlauts 2026-09-17T09:40:00Z
at 1h grace declare "Search finds nothing for queries with umlauts" --sev 3 \
	--started "$(T 0)" --detected "$(T 45m)" --org support --org engineering --service search \
	--tag search --tag config \
	--summary "Queries such as 'Küchenwaage' or 'Größe 40' return no results since this morning's search release."
at 1h05m mia note "Taking it." --milestone acknowledged
at 1h06m mia assign commander mia
at 1h15m mia note "Release 2026.09.17-1 (09:40 UTC) switched the German analyzer and dropped asciifolding on the query side only: documents are indexed as 'kuchenwaage', queries stay 'küchenwaage'."
at 1h30m mia note "Rolled the search template back to v51."
at 1h35m mia status mitigated
at 1d mia note "The relevance suite now has 40 German and French queries with diacritics; a release that lowers recall@10 by more than 5% fails."
at 1d03m mia status resolved
at 10d mia status closed

# --- September: kube-dns timeouts (SEV3) ---------------------------------
inc dns-resolver 2026-09-28T07:00:00Z
at 4h10m priya declare "DNS timeouts from kube-dns on prod-cluster-2" --sev 3 \
	--started "$(T 0)" --detected "$(T 3h50m)" --commander priya --org sre \
	--service checkout-api --service inventory --tag dns --tag network \
	--summary "About 1% of DNS lookups from pods on prod-cluster-2 take 5 seconds, so calls between services time out sporadically."
at 4h11m priya note "Acked." --milestone acknowledged
at 4h30m priya note "The spikes are exactly 5 s, the resolver's retry after a lost UDP packet. conntrack -S on the nodes: insert_failed climbing, the known race of parallel A and AAAA queries over one socket."
at 5h priya note "Short term: options single-request-reopen in the dnsConfig of checkout-api and inventory, the chattiest clients."
at 5h40m priya status mitigated --note "5-second lookups down from 1% to 0.02%."
at 2d jonas note "NodeLocal DNSCache (DaemonSet node-local-dns on 169.254.20.10) rolled out to prod-cluster-2; it talks TCP to the upstream."
at 2d05m jonas link ticket $JIRA/OPS-2688 --title "OPS-2688 NodeLocal DNSCache on all clusters"
at 2d10m jonas status resolved

# --- October: webhook signing secret rotation (SEV2) ---------------------
inc payments-webhook 2026-10-05T10:15:00Z
at 1h40m mia declare "Payment webhooks rejected after secret rotation" --sev 2 \
	--started "$(T 0)" --detected "$(T 1h30m)" --commander mia --org engineering --org support --org finance \
	--service payments-gateway --service checkout-api --tag payments --tag config --tag security \
	--summary "Since the PSP webhook signing secret was rotated at 10:15 UTC, payments-gateway rejects every webhook with 401 'invalid signature'." \
	--impact "Card-paid orders stay 'payment pending': about 2,900 orders without confirmation email or fulfilment." \
	--link chat=$CHAT/inc-psp-webhooks
at 1h41m mia note "On it." --milestone acknowledged
at 1h48m mia note "The new secret went to Vault at secret/payments/psp-webhook, but payments-gateway reads secret/payments/psp/webhook (path renamed in June), so it still checks against the old secret."
at 1h55m mia note "New secret written to the path the gateway reads; gateway restarted."
at 2h mia note "Webhooks accepted again. Replaying the missed events from the PSP dashboard (the PSP retries for 24 h, but with long backoff)."
at 2h40m mia status mitigated --note "All 2,912 events replayed; orders are 'paid' and confirmation emails went out."
at 2h45m grace note "Support had 85 'where is my order confirmation' contacts."
at 3h daniel note "Reconciled: all 2,912 payments captured, no duplicates."
at 1d1h mia note "Secret rotation is a runbook now: write, verify with a signed test event, then activate. payments-gateway alerts when more than 1% of webhooks get a 401."
at 1d1h05m mia status resolved

# --- October: CDN Frankfurt PoP resets (SEV2 -> SEV3, public) -------------
cat >"$A/cdn-fra-curl.txt" <<'LOG'
$ for i in $(seq 10); do curl -s -o /dev/null -w '%{http_code} %{time_total}\n' \
    --resolve static.northwind.example:443:151.101.12.9 https://static.northwind.example/img/p/48213/main.webp; done
200 0.041
curl: (56) Recv failure: Connection reset by peer
200 0.038
200 0.044
curl: (56) Recv failure: Connection reset by peer
200 0.039
200 0.052
curl: (56) Recv failure: Connection reset by peer
200 0.040
200 0.037
# same loop against the AMS PoP (151.101.36.9): 10/10 200
# Chrome on a Telekom line in Hamburg: net::ERR_CONNECTION_RESET on 14 of 96 assets
LOG
inc cdn-eu 2026-10-14T16:20:00Z
at 14m oliver declare "CDN edge errors in Frankfurt PoP (ERR_CONN_RESET)" --sev 2 \
	--started "$(T 0)" --detected "$(T 7m)" --commander oliver --role comms=grace --org sre --org support \
	--service cdn --service web --tag network --tag third-party --visibility public \
	--summary "Requests served by the CDN's Frankfurt PoP fail with connection resets (ERR_CONNECTION_RESET) for about 15% of German customers." \
	--link chat=$CHAT/inc-cdn-fra --link ticket=$JIRA/OPS-2731
at 15m oliver note "Acked." --milestone acknowledged
at 20m oliver note "curl --resolve static.northwind.example:443:151.101.12.9 gets 'Recv failure: Connection reset by peer' on 3 of 10 attempts; other PoPs are fine."
at 21m oliver attach "$A/cdn-fra-curl.txt" --note "curl against the FRA and AMS PoPs"
at 24m grace note "Some customers in Germany may see pages without images or pages that fail to load. We are working with our CDN provider on a fix." --public
at 35m oliver note "Provider case 4471-FRA: they see a faulty line card in one FRA edge cluster."
at 48m oliver note "The provider drained the FRA cluster; traffic now served from AMS and MUC, +12 ms latency."
at 52m oliver status mitigated
at 55m oliver severity 3 --note "Impact is over; what remains is the provider's hardware fix."
at 57m grace note "The issue has been fixed and all pages load normally again." --public
at 1d oliver note "The provider replaced the line card and restored FRA; their RFO is due within 5 business days."
at 1d05m oliver status resolved

# --- October: iOS 6.3 logs everyone out (SEV3) ---------------------------
inc mobile-login 2026-10-22T07:00:00Z
at 3h arjun declare "iOS users logged out after app update 6.3" --sev 3 \
	--started "$(T 0)" --detected "$(T 2h40m)" --commander arjun --org engineering --org support \
	--service mobile-app --service auth --tag mobile --tag auth \
	--summary "iOS 6.3 cannot read the refresh token stored by 6.2, so every user who updates is logged out once."
at 3h02m arjun note "Looking." --milestone acknowledged
at 3h15m arjun note "6.3 moved the keychain items into a shared access group for the new widget, and the migration reads only the new group. Users sign in again and carry on: annoying, not broken."
at 3h20m grace note "42 contacts so far, mostly 'why am I logged out?'. Macro ready."
at 5h arjun note "6.3.1 with the keychain migration submitted to App Store review."
at 5h02m arjun status mitigated --note "Phased release of 6.3 paused at 20%."
at 1d6h arjun note "6.3.1 is live; phased release resumed."
at 1d6h05m arjun status resolved

# --- October: storage freeze, slow failover (database failover, SEV2) ----
inc orders-failover-2 2026-10-29T11:02:00Z
at 10m jonas declare "orders-db failover: 4 minutes of checkout errors" --sev 2 \
	--started "$(T 0)" --detected "$(T 1m)" --commander jonas --org sre --org engineering \
	--service orders-db --service checkout-api --tag database \
	--summary "A storage maintenance froze orders-db-2's disk for 40 s; Patroni failed over, but HAProxy kept sending writes to the old primary for 4 minutes." \
	--impact "4 min 26 s of failed order creation in all regions, about 4,800 attempts." \
	--link chat=$CHAT/inc-orders-db-failover-oct
at 11m jonas note "Acked." --milestone acknowledged
at 15m jonas note "11:02:05 disk I/O stall on orders-db-2 (provider maintenance NM-22817, which we missed); 11:02:40 Patroni leader key expired; 11:02:52 orders-db-1 promoted; 11:06:31 HAProxy marked orders-db-2 down."
at 22m jonas note "The HAProxy check is 'option pgsql-check' every 30 s with fall 6: it checks that PostgreSQL answers, not that it is the leader. So HAProxy noticed 3.5 minutes after Patroni."
at 23m jonas status mitigated --note "Writes fine since 11:06:31."
at 1h mia note "checkout-api retried none of the failed writes: OPS-1377 (idempotent order retries, from the October 2025 drill) is still open."
at 1h05m mia link ticket $JIRA/OPS-1377 --title "OPS-1377 idempotent order creation retries"
at 1d jonas note "HAProxy now asks Patroni's REST API (GET /primary on port 8008) every 2 s, fall 3. Provider maintenance notices go to the SRE calendar."
at 1d05m jonas status resolved

# --- November: near-miss, certificate renewal blocked by CAA (SEV3) ------
cat >"$A/openssl-partner-api.txt" <<'LOG'
$ echo | openssl s_client -connect partner-api.northwind.example:443 -servername partner-api.northwind.example 2>/dev/null | openssl x509 -noout -subject -issuer -dates
subject=CN = partner-api.northwind.example
issuer=C = US, O = Let's Encrypt, CN = R11
notBefore=Aug 11 06:02:14 2026 GMT
notAfter=Nov  9 06:02:13 2026 GMT

$ kubectl -n partner get certificate partner-api -o jsonpath='{.status.conditions[*].message}'
Failed to finalize Order: 403 urn:ietf:params:acme:error:unauthorized: Error finalizing order ::
CAA record for partner-api.northwind.example prevents issuance

$ dig +short CAA partner-api.northwind.example
0 issue "sectigo.com"
LOG
inc cert-partner 2026-11-04T08:00:00Z
at 45m oliver declare "Certificate for partner-api expires in 5 days" --sev 3 \
	--detected "$(T 0)" --commander oliver --org sre --service payments-gateway --tag certificates --tag dns \
	--summary "The expiry alert (OPS-1187) fired: the certificate of partner-api.northwind.example expires on 9 November and renewal fails." \
	--impact "None yet. If it expires, 14 marketplace partners cannot send orders (about 6% of revenue)."
at 46m oliver note "Acked." --milestone acknowledged
at 50m oliver attach "$A/openssl-partner-api.txt" --note "Certificate dates, cert-manager status and CAA"
at 55m oliver note "cert-manager: 'CAA record for partner-api.northwind.example prevents issuance'. partner-api has its own CAA record for the CA we used until 2024, which overrides the apex CAA added after the DNS game day (OPS-2231)."
at 1h20m oliver note "Removed the stale CAA record on partner-api; renewal succeeded, new certificate valid until 2027-02-02."
at 1h25m oliver status resolved --note "Near miss caught by the expiry alert: partner order imports would have broken on Monday. The DNS pipeline now flags CAA records that disagree with the apex."

# --- November: search heap pressure (SEV2, still mitigated) ---------------
inc search-capacity 2026-11-16T09:30:00Z
at 40m mia declare "Search cluster heap pressure before load test" --sev 2 \
	--started "$(T 0)" --detected "$(T 25m)" --commander mia --org engineering --org sre \
	--service search --tag search --tag capacity \
	--summary "OpenSearch data nodes are at 92-95% heap since the vector field for 'similar products' was enabled; long GC pauses make 3% of searches time out." \
	--impact "Some searches are slow or fail; the Black Friday load test on 18 November is at risk." \
	--link dashboard=$GRAFANA/search/search-cluster --link chat=$CHAT/inc-search-heap
at 41m mia note "Acked." --milestone acknowledged
at 55m mia note "Old-gen GC pauses of 4-7 s every few minutes on search-es-data-1 to -7. The knn field product_embedding (768 dims, hnsw) costs about 11 GB per node."
at 1h10m lena note "Capacity call: adding 3 data nodes now; the real fix is quantised vectors."
at 1h11m lena link call $MEET/inc-search-heap
at 3h mia status mitigated --note "10 data nodes, heap at 68-72%, search p99 330 ms, no more timeouts."
at 1d mia note "Reindexing products with fp16 scalar-quantised vectors into products-v58 on a separate node pool; done by Thursday."
at 1d05m mia link ticket $JIRA/OPS-2810 --title "OPS-2810 quantised product vectors"
at 2d6h arjun note "Black Friday load test at 3x peak passed on the enlarged cluster: p99 410 ms, no timeouts. The incident stays open until products-v58 is live and the extra nodes are gone."
at 4d mia note "products-v58 is 71% indexed; cutover planned for Monday 23 November."

# --- November: checkout latency waves in the EU (SEV3 -> SEV2, open) -----
inc checkout-latency 2026-11-19T18:40:00Z
at 15m oliver declare "Checkout latency spikes in EU at evening peak" --sev 3 \
	--started "$(T 0)" --detected "$(T 8m)" --commander oliver --org sre --org engineering \
	--service checkout-api --service payments-gateway --tag payments --tag capacity --visibility public \
	--summary "checkout-api p99 latency in eu-west-1 jumps from 600 ms to 6-9 s in waves of 2-3 minutes during the evening peak." \
	--link chat=$CHAT/inc-checkout-latency-eu --link dashboard=$GRAFANA/checkout-api/checkout-overview
at 16m oliver note "Acked." --milestone acknowledged
at 22m oliver note "A wave every ~10 minutes. Not CPU (55%), not orders-db (p95 4 ms). payments-gateway calls to risk-scoring stall; Envoy: 'upstream connect error or disconnect/reset before headers. reset reason: connection termination'."
at 30m oliver severity 2 --note "5.2% of checkouts time out at the top of each wave, customers all over the EU."
at 32m oliver assign comms grace
at 35m grace note "Some customers in Europe are experiencing slow checkout this evening. We are investigating." --public
at 50m marcus note "risk-scoring pods are OOMKilled about every 10 minutes since its Tuesday release (3.14.0 loads the model once per worker). Raising the memory limit from 2Gi to 4Gi as a stopgap."
at 1h10m oliver note "Stopgap live, no OOMKilled since 19:45 UTC. Waves stopped; we watch the second peak before calling it mitigated."
at 13h20m mia note "Overnight: two more short waves at 21:10 and 21:40 UTC (p99 3.1 s), risk-scoring at 4Gi again. Memory grows with each model refresh (every 30 minutes): a leak, not a limit."
at 13h25m oliver note "Handing over to Mia for the day."
at 13h26m oliver assign commander mia
at 14h mia link ticket $JIRA/OPS-2841 --title "OPS-2841 risk-scoring memory leak on model refresh"
at 14h30m mia note "Fallback ready for tonight: payments-gateway can skip risk scoring for baskets under EUR 150 (flag payments.risk-bypass-small). Waiting for fraud's OK."
at 14h45m grace note "Checkout is working normally at the moment. We have found the cause of yesterday evening's slowdowns and are preparing a fix before this evening's busy period." --public

# --- November: Leipzig warehouse feed delayed (SEV3, open) ----------------
inc inventory-feed 2026-11-20T05:10:00Z
at 1h35m priya declare "Leipzig warehouse inventory feed delayed" --sev 3 \
	--started "$(T 0)" --detected "$(T 1h20m)" --commander priya --org sre --org engineering \
	--service inventory --tag third-party \
	--summary "The stock feed from the Leipzig warehouse (LogiWare) has not arrived since 05:10 UTC; stock for about 9,000 SKUs is frozen at this morning's levels." \
	--impact "Items that sell out may still show as available, and restocked items as sold out."
at 1h36m priya note "Acked." --milestone acknowledged
at 1h50m priya note "inventory-importer: last file leipzig_stock_20261120_0500.csv. SFTP to sftp.logiware.example (185.199.110.42) times out: 'ssh: connect to host sftp.logiware.example port 22: Connection timed out'. The other warehouses are fine."
at 2h10m priya note "LogiWare ticket LW-99812 opened; their status page shows 'network maintenance, Leipzig data centre'."
at 3h priya note "Safety net on: Leipzig-only items are sold with a 'ships in 3-5 days' promise until the feed is back (flag inventory.leipzig-stale-mode)."
at 3h05m grace note "Support briefed: answer delivery questions for Leipzig items with 'ships in 3-5 days'."
at 3h50m mia note "LogiWare expects the link back around 12:00 CET; the importer will catch up from their outbox automatically."

# --- November: search upgrade announced for March (maintenance, public) ---
inc search-upgrade 2026-11-26T09:30:00Z
at 0 priya declare "Maintenance: product search upgrade to OpenSearch 2.17" --kind maintenance --sev 3 \
	--commander priya --org sre --service search --tag search --visibility public \
	--window 2027-03-14T02:00:00+01:00/2027-03-14T04:00:00+01:00 \
	--summary "Rolling upgrade of the product search cluster from OpenSearch 2.11 to 2.17, node by node; products-v58 stays the live index." \
	--impact "Search may return incomplete results for up to 15 minutes during the window; browsing, checkout and the apps are not affected." \
	--link ticket=$JIRA/OPS-2874
at 10m grace note "On Sunday 14 March 2027 between 02:00 and 04:00 CET we will upgrade our product search. Search may return incomplete results for up to 15 minutes; browsing, checkout and the apps are not affected." --public

# ===========================================================================
# Run every event in time order.
# ===========================================================================
n=0
while IFS= read -r line; do
	eval "run ${line#* * }"
	n=$((n + 1))
done < <(sort -k1,1n -k2,2n "$EVENTS")
echo "ran $n sev commands; ${#IDS[@]} incidents in $TARGET"
