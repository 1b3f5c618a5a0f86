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
# on fire at the end).
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
# To refresh the repository's own data afterwards, copy TARGET_DIR/sev.yaml
# and TARGET_DIR/incidents/ over the ones at the repository root.
set -euo pipefail

if [[ $# -ne 1 || -z $1 ]]; then
	echo "usage: $0 TARGET_DIR" >&2
	exit 2
fi
TARGET=$1
SEV=${SEV:-/tmp/sev}
case $TARGET in /* ) ;; * ) TARGET=$PWD/$TARGET ;; esac
[[ -x $SEV ]] || { echo "$0: no sev binary at $SEV (build it: go build -o /tmp/sev ./cmd/sev, or set SEV)" >&2; exit 2; }
[[ $TARGET != / ]] || exit 2

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
		n=${BASH_REMATCH[1]}
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
