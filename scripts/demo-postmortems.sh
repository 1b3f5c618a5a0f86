#!/usr/bin/env bash
# demo-postmortems.sh — the demo organisation's postmortems and follow-ups.
#
# Northwind Commerce (see scripts/demo-data.sh) writes a postmortem for every
# resolved SEV1 and SEV2, and "even a one-sentence postmortem" for a few
# SEV3s. This script gives the demo data that practice: for each of those
# incidents, a day or two after it was resolved, the commander runs
# `sev postmortem ID` (a draft pre-filled from the record and timeline),
# writes the review's human sections (root cause and contributing factors,
# detection and response, what went well and badly, where we got lucky,
# lessons learned) in place of the template's guidance comments, adds
# follow-ups with owners, types, due dates and tracker links, moves the
# review from draft to in-review (with reviewers) to published, and the
# owners mark follow-ups done or dropped as the weeks go by. A few stay
# open, some of them overdue on 2026-11-25, so `sev followups --overdue`
# and `sev validate` have something to show; the most recent reviews are
# still a draft or in review.
#
# Usage:  scripts/demo-postmortems.sh TARGET_DIR
#         SEV=/path/to/sev scripts/demo-postmortems.sh TARGET_DIR
#
# TARGET_DIR is a repository written by scripts/demo-data.sh, or a clone of
# this repository; it must hold the Northwind incidents and no postmortems
# yet. Nothing is deleted. Every sev command is one commit by the CLI, with
# SEV_NOW set to the moment it was typed and --by naming the person. The
# prose is written into the working tree outside the generated regions
# (between <!-- sev:begin --> and <!-- sev:end --> markers, which only sev
# writes) and committed with git, authored by the commander at the same
# moment. Events of all postmortems run in time order, so the history is
# chronological. The input is fixed: reruns produce the same postmortems.
#
# Needs bash 4+, git, awk and GNU date.
#
# To refresh the repository's own postmortems, run it on a scratch clone and
# copy TARGET_DIR/postmortems/*.md over the ones at the repository root.
set -euo pipefail

if [[ $# -ne 1 || -z $1 ]]; then
	echo "usage: $0 TARGET_DIR" >&2
	exit 2
fi
TARGET=$1
SEV=${SEV:-/tmp/sev}
case $TARGET in /* ) ;; * ) TARGET=$PWD/$TARGET ;; esac
[[ -x $SEV ]] || { echo "$0: no sev binary at $SEV (build it: go build -o /tmp/sev ./cmd/sev, or set SEV)" >&2; exit 2; }
[[ -d $TARGET/.git && -d $TARGET/incidents ]] && grep -q '^name: "Northwind Commerce"' "$TARGET/sev.yaml" 2>/dev/null || {
	echo "$0: $TARGET is not a Northwind demo repository (run scripts/demo-data.sh first)" >&2
	exit 2
}
if compgen -G "$TARGET/postmortems/[0-9]*.md" >/dev/null; then
	echo "$0: $TARGET already has postmortems; run this on a fresh demo repository or a clone without them" >&2
	exit 2
fi

export LC_ALL=C TZ=UTC
unset SEV_USER GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_AUTHOR_DATE GIT_COMMITTER_DATE

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
EVENTS=$WORK/events
: >"$EVENTS"
mkdir -p "$WORK/prose"

JIRA=https://northwind.atlassian.example/browse

# ---------------------------------------------------------------------------
# A tiny language for postmortems.
#
#   pm ID COMMANDER           the postmortem of incident ID, led by COMMANDER
#                             (checked against the record); times below must
#                             be after the incident was resolved
#   at TIME BY CMD ARGS...    at TIME, BY runs `sev CMD ...` on it: for
#                             postmortem, `sev postmortem ID ARGS...`; for
#                             followup, `sev followup SUB ID ARGS...`
#   draft TIME                the commander drafts it
#   prose TIME <<'MD'         the commander writes the human sections: each
#                             "## Heading" of the template, then its text
#   fu TIME TITLE OWNER TYPE DUE [TICKET]
#                             the commander adds a follow-up; DUE is a date
#                             or - (the policy in sev.yaml applies); TICKET
#                             (OPS-1234) links the tracker issue
#   fudone TIME BY FU-N       BY marks a follow-up done (fudrop: dropped)
#   review TIME REVIEWER...   the commander asks for review (in-review)
#   publish TIME              the commander publishes it
#
# TIME is local time in Europe/Berlin, like 2025-05-16T10:30.
# ---------------------------------------------------------------------------
ID= CMDR= RESOLVED=0 SEQ=0
declare -A SEEN

pm() {
	ID=$1 CMDR=$2
	local rec
	rec=$(echo "$TARGET"/incidents/*/"$ID"/incident.yaml)
	[[ -f $rec ]] || { echo "no incident $ID in $TARGET" >&2; exit 1; }
	[[ -z ${SEEN[$ID]:-} ]] || { echo "$ID has two postmortems" >&2; exit 1; }
	SEEN[$ID]=1
	local resolved commander
	resolved=$(sed -n 's/^  resolved: //p' "$rec")
	commander=$(sed -n 's/^  commander: //p' "$rec")
	[[ -n $resolved ]] || { echo "$ID is not resolved" >&2; exit 1; }
	[[ $commander == "$CMDR" ]] || { echo "$ID: the commander is $commander, not $CMDR" >&2; exit 1; }
	RESOLVED=$(date -d "$resolved" +%s)
}

at() {
	local when=$1 t
	shift
	t=$(TZ=Europe/Berlin date -d "${when/T/ }" +%s) || { echo "$ID: bad time $when" >&2; exit 2; }
	((t > RESOLVED)) || { echo "$ID: $when is before the incident was resolved" >&2; exit 1; }
	SEQ=$((SEQ + 1))
	printf '%012d %06d %s\n' "$t" "$SEQ" "$(printf '%q ' "$ID" "$(TZ=Europe/Berlin date -d "@$t" +%Y-%m-%dT%H:%M:%S%:z)" "$@")" >>"$EVENTS"
}

draft() { at "$1" "$CMDR" postmortem; }
review() {
	local when=$1 r args=()
	shift
	for r in "$@"; do args+=(--reviewer "$r"); done
	at "$when" "$CMDR" postmortem --status in-review "${args[@]}"
}
publish() { at "$1" "$CMDR" postmortem --status published; }
prose() {
	local f=$WORK/prose/$ID.md
	[[ ! -e $f ]] || { echo "$ID: prose given twice" >&2; exit 1; }
	cat >"$f"
	at "$1" "$CMDR" prose "$f"
}
fu() {
	local when=$1 title=$2 owner=$3 type=$4 due=$5 ticket=${6:-}
	local args=(add "$title" --owner "$owner" --type "$type")
	[[ $due == - ]] || args+=(--due "$due")
	[[ -z $ticket ]] || args+=(--link "$JIRA/$ticket")
	at "$when" "$CMDR" followup "${args[@]}"
}
fudone() { at "$1" "$2" followup done "$3"; }
fudrop() { at "$1" "$2" followup drop "$3"; }

# fill FILE PROSE: put each section of PROSE ("## Heading" lines, then text)
# under the same heading of the postmortem FILE, in place of the guidance
# comment there. Only text outside the generated regions is touched, and
# only a section that still holds nothing but its guidance comment.
fill() {
	awk -v prose="$2" '
	function flush() {
		if (skipping) { printf "\n%s\n", text[cur]; skipping = 0 }
	}
	BEGIN {
		while ((getline line < prose) > 0) {
			if (line ~ /^## /) { cur = substr(line, 4); text[cur] = ""; want[cur] = 1; n++; continue }
			if (cur == "") { if (line != "") { print "prose starts before its first heading" > "/dev/stderr"; bad = 1; exit } continue }
			text[cur] = text[cur] line "\n"
		}
		for (h in text) { sub(/^\n+/, "", text[h]); sub(/\n+$/, "\n", text[h]) }
		cur = ""
	}
	/^<!-- sev:begin / { flush(); region = 1 }
	/^<!-- sev:end / { region = 0; print; next }
	region { print; next }
	/^#+ / {
		flush()
		print
		h = $0; sub(/^#+ /, "", h)
		if (h in want) { cur = h; skipping = 1; incomment = 0; delete want[h]; done++ }
		next
	}
	skipping {
		# Between the heading and the next one: blank lines and one
		# guidance comment, nothing a person wrote.
		if (incomment) { if ($0 ~ /-->[ \t]*$/) incomment = 0; next }
		if ($0 ~ /^[ \t]*$/) next
		if ($0 ~ /^<!--/ && !seencomment[cur]++) { if ($0 !~ /-->[ \t]*$/) incomment = 1; next }
		print "section \"" cur "\" already has text: " $0 > "/dev/stderr"; bad = 1; exit
	}
	{ print }
	END {
		if (bad) exit 1
		flush()
		for (h in want) { print "no section \"" h "\" in the postmortem" > "/dev/stderr"; exit 1 }
	}
	' "$1"
}

# person HANDLE FIELD: a field (name, email) of a person in sev.yaml.
person() {
	awk -v h="$1" -v f="$2" '
	/^  - handle: / { me = ($3 == h) }
	me && $1 == f ":" { sub(/^[^:]*: */, ""); gsub(/^"|"$/, ""); print; exit }
	' "$TARGET/sev.yaml"
}

# run ID NOW BY CMD ARGS...: one step, at NOW, by BY.
run() {
	local id=$1 now=$2 by=$3 cmd=$4
	shift 4
	case $cmd in
	prose)
		local p=postmortems/$id.md out=$WORK/filled
		[[ -f $TARGET/$p ]] || { echo "$id: prose before the draft ($now)" >&2; exit 1; }
		fill "$TARGET/$p" "$1" >"$out" || { echo "$id: could not write the prose into $p" >&2; exit 1; }
		cat "$out" >"$TARGET/$p"
		GIT_AUTHOR_NAME=$(person "$by" name) GIT_AUTHOR_EMAIL=$(person "$by" email) \
			GIT_AUTHOR_DATE=$now GIT_COMMITTER_DATE=$now \
			git -C "$TARGET" commit -q -m "postmortem $id: review written" --only -- "$p"
		;;
	followup)
		local sub=$1
		shift
		SEV_NOW=$now "$SEV" -C "$TARGET" followup "$sub" "$id" "$@" --by "$by" </dev/null >/dev/null || {
			echo "failed at $now: sev followup $sub $id $*" >&2
			exit 1
		}
		;;
	*)
		SEV_NOW=$now "$SEV" -C "$TARGET" "$cmd" "$id" "$@" --by "$by" </dev/null >/dev/null || {
			echo "failed at $now: sev $cmd $id $*" >&2
			exit 1
		}
		;;
	esac
}

# ===========================================================================
# 2025
# ===========================================================================

# --- May 2025: expired certificate on static.northwind.example (SEV2) -------
pm 2025-05-14-expired-certificate-on-static-northwind-example oliver
draft 2025-05-16T10:30
prose 2025-05-16T14:10 <<'MD'
## Root cause and contributing factors

The certificate of static.northwind.example expired at 06:12 because cert-manager had not been
able to renew it for a month. Its ACME HTTP-01 challenge has to reach
`/.well-known/acme-challenge/*` on the origin, and since 14 April the CDN's origin shield answered
those requests with a 403.

- **Why the 403?** A WAF rule added to the origin shield in March blocks unknown paths under
  `/.well-known/`. It was reviewed as a security hardening change; nobody connected it with
  certificate renewal, because renewals happen every 60 days and none was due for weeks.
- **Why did nobody notice a month of failed renewals?** cert-manager records the failure on the
  Certificate resource and in its logs, and nothing watches either. We alerted on nothing about
  certificates at all: not on failed renewals, not on expiry.
- **Why did it hurt so much?** Every stylesheet, script and image of the shop comes from this one
  host name, so one certificate took the whole web front end's look with it. The apps bundle their
  assets and were not affected.

## Detection and response

Customers told us first: the certificate expired at 06:12 and support saw three "the shop looks
broken" tickets by 07:38, 1 h 26 min later. Grace recognised `NET::ERR_CERT_DATE_INVALID`, declared
at 07:43 and paged SRE; Oliver acknowledged from home ten minutes later and had the cause
confirmed with `openssl s_client` by 07:58.

Renewing the normal way was blocked by the same WAF rule, so Oliver issued a certificate by hand
with a DNS-01 challenge, uploaded it to the CDN and purged the edge TLS cache. All 31 edges served
it at 08:21 and the asset error rate fell back to 0.02%. The WAF rule was found and exempted the
next morning.

## What went well

- Support declared the incident themselves instead of waiting for engineering, and wrote the
  first public update (08:01) while SRE was still joining.
- The DNS-01 fallback worked first time: 28 minutes from acknowledgement to a valid certificate
  on every edge.
- We did not rush the root cause: the renewal path was verified against Let's Encrypt staging
  before we resolved.

## What went badly

- We learned about an expired certificate from customers, 1 h 26 min after it expired, and 30
  days after renewals started failing.
- The manual issuance steps were in one person's memory, not in a runbook.
- There was no owner for "certificates" as a whole: cert-manager belongs to SRE, the WAF to the
  edge team, the CDN configuration to both.

## Where we got lucky

- It expired at 06:12 on a Wednesday, before the morning traffic, and support's early shift was
  already online.
- Oliver knew how to do a DNS-01 challenge by hand. Nobody else on call that week had done it.
- The apps load their assets from the bundle, so app orders carried on throughout.

## Lessons learned

- A certificate that renews itself still needs an alert: automation fails quietly.
- Security changes at the edge can break the ACME challenge path; `/.well-known/acme-challenge/`
  must be tested like any other endpoint.
- Customers will tell us eventually; our goal is to know before they do.
MD
fu 2025-05-16T14:30 "Alert on every public certificate expiring within 14 days" oliver detect 2025-05-23 OPS-1187
fu 2025-05-16T14:31 "Exempt /.well-known/acme-challenge/ in the origin-shield WAF and test the path in CI" chloe prevent 2025-05-30 OPS-1188
fu 2025-05-16T14:32 "Alert when a cert-manager Certificate is not Ready for 24 hours" jonas detect 2025-06-06 OPS-1189
fu 2025-05-16T14:33 "Runbook: issue a certificate by hand with DNS-01 and upload it to the CDN" priya process 2025-06-13
review 2025-05-19T10:00 lena
fudone 2025-05-21T16:20 chloe FU-2
fudone 2025-05-22T11:05 oliver FU-1
publish 2025-05-22T15:40
fudone 2025-06-04T10:15 jonas FU-3
fudone 2025-06-10T14:00 priya FU-4

# --- June 2025: checkout 5xx, orders-db connections exhausted (SEV1) ---------
pm 2025-06-03-checkout-5xx-orders-db-connections-exhausted lena
draft 2025-06-05T09:30
prose 2025-06-05T15:20 <<'MD'
## Root cause and contributing factors

checkout-api v3.41.0 (deploy 2291, finished at 14:45) moved order creation into a request-scoped
database transaction. On the PayPal branch, a capture timeout returned early without committing
or rolling back, so every PayPal timeout left a connection "idle in transaction". At the lunch
peak PayPal captures were timing out at their usual rate of a few per second, and within two
minutes orders-db-1 reached 497 of its 500 connections, 421 of them idle in transaction. From
then on every new request got `FATAL: sorry, too many clients already`, in both regions.

Contributing factors:

- The unit and integration tests run against a PayPal sandbox that never times out, so the
  timeout branch was never executed before production.
- orders-db had no `idle_in_transaction_session_timeout`, so a leaked transaction lived until its
  pod restarted.
- checkout-api and the other services share one connection limit on orders-db, and pgbouncer
  runs in transaction mode per pod, which hides how many server connections a pod holds.
- Nothing alerted on connection usage; the first signal was the 5xx rate itself.

## Detection and response

The checkout 5xx alert fired at 14:50, three minutes after errors began, and Lena declared a SEV1
at 14:56 with a bridge open a minute later. Marcus matched the start of the errors to deploy 2291
at 14:58 and Jonas had the pg_stat_activity picture by 15:02. The decision to roll back rather
than debug came at 15:05; the rollback (deploy 2292) finished at 15:11, and after Jonas
terminated the remaining idle-in-transaction backends the error rate was at 0.3% by 15:18.
Time to mitigate: 31 minutes.

Grace posted the first public update at 15:03 and the all-clear at 15:22. Daniel had a finance
estimate within the hour: about 1,900 failed checkouts and roughly EUR 160k of orders delayed or
lost, with no double charges.

## What went well

- Detection in three minutes and a SEV1 bridge in nine.
- A clear, early decision to roll back first and find the bug later, with named owners for the
  rollback and for the database.
- Finance joined on their own and gave us a number for the impact the same afternoon.
- The root cause was in a pull request (checkout-api#1842) 90 minutes after mitigation.

## What went badly

- The connection leak was invisible until the database was full: no alert on connection usage
  or on idle-in-transaction sessions.
- Killing the stuck backends was done with a hand-written query in the middle of the incident;
  it should have been a runbook step.
- The deploy went out at the start of the lunch peak with no canary stage.

## Where we got lucky

- The bad deploy finished at 14:45, when the on-call engineer and most of the checkout team
  were at their desks.
- PayPal timeouts were frequent enough that day to expose the leak within minutes, instead of
  slowly over a weekend.

## Lessons learned

- Every early return inside a transaction is a code path that needs a test; timeouts in
  particular need fault injection, because sandboxes do not time out.
- A shared connection limit is a shared failure domain: one leaking client takes every client
  of orders-db down with it.
- `idle_in_transaction_session_timeout` is a cheap safety net we should have had everywhere.
MD
fu 2025-06-05T16:00 "Alert when orders-db connections pass 80% or idle-in-transaction sessions pass 50" jonas detect 2025-06-13 OPS-1203
fu 2025-06-05T16:01 "Lint checkout-api: every transaction is committed or rolled back on all return paths" marcus prevent 2025-06-16 OPS-1204
fu 2025-06-05T16:02 "Load test that injects PayPal capture timeouts before every checkout-api release" mia detect 2025-06-16 OPS-1205
fu 2025-06-05T16:03 "Set idle_in_transaction_session_timeout = 30s on every PostgreSQL cluster" jonas mitigate 2025-06-10 OPS-1206
fu 2025-06-05T16:04 "Canary stage for checkout-api deploys: 5% for 10 minutes with automatic rollback on 5xx" marcus prevent 2025-07-31 OPS-1207
review 2025-06-06T11:00 oliver
fudone 2025-06-06T17:30 jonas FU-4
publish 2025-06-09T14:05
fudone 2025-06-11T10:40 jonas FU-1
fudone 2025-06-16T15:10 marcus FU-2
fudone 2025-06-16T17:45 mia FU-3
fudrop 2025-06-17T15:30 lena FU-5

# --- July 2025: DNS failures for api.eu-west-1 after zone push (SEV1) --------
pm 2025-07-05-dns-failures-for-api-eu-west-1-after-zone-push chloe
draft 2025-07-08T10:00
prose 2025-07-08T16:00 <<'MD'
## Root cause and contributing factors

The nightly octodns run at 02:58 (pipeline #5512) deleted the NS records that delegate
eu-west-1.northwind.example to its own zone. From then on public resolvers got NXDOMAIN for
api.eu-west-1.northwind.example, the entry point of the shop and the app for every European
customer.

- The run included an upgrade of the provider plugin, octodns-dnsprovider 0.9 → 1.0, pulled in
  by an unpinned dependency. Version 1.0 treats NS records on subdomains as unmanaged and removes
  them.
- The pipeline showed the deletion in its plan, but the plan is not read by anyone for a
  scheduled run, and nothing treats deleting NS or SOA records as special.
- The scheduled push ran at 02:58 on a Saturday, when the people who review zone changes were
  asleep.
- Negative answers are cached for the SOA minimum of 300 s, and some ISP resolvers kept the
  NXDOMAIN longer, which stretched the recovery.

## Detection and response

Synthetic checks from six EU probes failed with NXDOMAIN and paged Chloe at 03:04, six minutes
after the push. She declared a SEV1 at 03:11 and had found the deleted delegation in the pipeline
diff by 03:15; Priya joined at 03:23 and identified the plugin upgrade. Chloe re-created the
delegation by hand in the provider console at 03:32, and by 03:50 all EU synthetic checks were
green and traffic was at 96% of the previous Saturday. Sofia kept the status page current from
03:21.

Before handing over, the team pinned the plugin to 0.9 and paused the scheduled push until
Monday, when Lena added the guard that fails the pipeline whenever NS or SOA records would be
deleted.

## What went well

- The EU probes paged within six minutes, and the follow-the-sun on-call in Sydney was at her
  desk, not asleep.
- The cause was found in four minutes because the pipeline keeps its diffs.
- Chloe chose the fastest safe fix (re-adding the delegation by hand) over re-running the
  pipeline with an older plugin, which would have taken longer and risked another surprise.
- Comms had a public update out ten minutes after the declaration.

## What went badly

- A dependency upgrade reached production DNS without a human reading its plan.
- The Frankfurt probe stayed red for another 20 minutes because its ISP resolver kept serving the
  cached NXDOMAIN, and we had no way to tell stale caches from a real failure.
- Our most dangerous pipeline ran unattended in the middle of the European night.

## Where we got lucky

- It happened at night, on a weekend: European traffic was at its lowest point of the week.
- The SOA minimum was only 300 s; a longer negative TTL would have kept customers out for hours
  after the fix.
- US and APAC traffic uses other delegations and was not affected.

## Lessons learned

- DNS changes need the same review as code, and deleting NS or SOA records should never happen
  without a human saying so.
- Unpinned plugins are code we did not review.
- Negative caching decides how long an outage lasts after it is fixed; keep the SOA minimum low
  on zones that matter.
MD
fu 2025-07-08T16:30 "Pin octodns and its provider plugins; upgrade them only through a reviewed pull request" chloe prevent 2025-07-11 OPS-1251
fu 2025-07-08T16:31 "Fail the zone pipeline when a push would delete NS or SOA records" lena prevent 2025-07-18 OPS-1252
fu 2025-07-08T16:32 "Page after 2 minutes of NXDOMAIN from the EU synthetic probes (today 6)" priya detect 2025-07-25 OPS-1253
fu 2025-07-08T16:33 "Move the scheduled zone push from 02:58 to working hours" chloe process 2025-07-18
review 2025-07-09T11:00 oliver
fudone 2025-07-10T14:20 chloe FU-1
publish 2025-07-11T15:00
fudone 2025-07-14T10:05 chloe FU-4
fudone 2025-07-17T16:50 lena FU-2
fudone 2025-07-24T11:30 priya FU-3

# --- August 2025: orders-db failover left checkout read-only (SEV1) ----------
pm 2025-08-14-orders-db-failover-left-checkout-read-only jonas
draft 2025-08-19T09:30
prose 2025-08-19T15:00 <<'MD'
## Root cause and contributing factors

orders-db-1 lost its switch uplink (rack b4, port-channel 12 was flapping) and Patroni did the
right thing: at 11:12:07 it promoted orders-db-2. But the pgbouncer instances on the checkout
pods learned where the primary is from a Patroni `on_role_change` callback that rewrites
pgbouncer.ini through consul. That callback timed out (the consul KV write failed with
`read: connection reset by peer`, plausibly over the same flapping network), so pgbouncer kept
sending writes to the demoted orders-db-1. Every order create failed with
`cannot execute INSERT in a read-only transaction (SQLSTATE 25006)`, in both regions, while
browsing and carts kept working.

Contributing factors:

- The callback was the only way pgbouncer learned about a failover, and it had no retry and no
  alert when it failed.
- We had never run a failover with checkout traffic on it; the last failover test was before
  pgbouncer moved onto the checkout pods.
- The failover runbook described the callback as reliable and had no step for "writes still go
  to the old primary".

This is the second orders-db incident this summer after [[2025-06-03-checkout-5xx-orders-db-connections-exhausted]];
both times, the database itself behaved and the path from checkout to it did not.

## Detection and response

The checkout error alert fired at 11:16, four minutes after the failover, and Jonas declared at
11:20 as a SEV2, with the cause already clear: the new primary was healthy and pgbouncer still
pointed at the old one. Marcus confirmed that 100% of order creates failed, and at 11:26 Jonas
raised it to SEV1 and filled the roles (comms, scribe, deputy) within two minutes. The fix was
manual: once the callback's failure was understood, Jonas reloaded pgbouncer with
host=orders-db-2, and writes succeeded from 11:37. No orders for 13 minutes; Daniel counted
about 2,300 failed attempts, whose card authorisations expire on their own.

## What went well

- Patroni's failover itself took seconds, as designed.
- The commander understood the failure mode within a minute of declaring and went straight to
  the fix.
- Roles were filled quickly once the severity was raised, and customer communication started
  at 11:30.
- The permanent fix (pgbouncer pointing at the Patroni-following VIP) was tested with a
  controlled switchover in staging before we resolved.

## What went badly

- Declared as SEV2 for six minutes while no order could be placed anywhere.
- The reload of pgbouncer had to be done pod by pod by hand.
- The uplink in rack b4 had been flapping for two days without anyone looking at it.

## Where we got lucky

- It happened at 11:12 on a Thursday, with the database team at their desks.
- The demoted primary refused writes (read-only) instead of accepting them: a split brain would
  have cost us orders instead of 13 minutes.
- Card authorisations for the failed attempts expire on their own, so no customer was charged
  for an order that did not exist.

## Lessons learned

- A failover is only as good as the way clients find the new primary; a best-effort callback is
  not a way.
- Failover has to be practised with real traffic shapes, regularly. We will run a drill every
  quarter, the first one in October.
- Declare at the severity of the impact you see, and lower it later if needed.
MD
fu 2025-08-19T15:30 "Point pgbouncer at the Patroni-following VIP orders-db-rw.service.consul and remove the callback" jonas prevent 2025-08-22 OPS-1322
fu 2025-08-19T15:31 "Replace the flapping uplink of rack b4 (port-channel 12) and alert on port-channel flaps" oliver repair 2025-08-29 OPS-1323
fu 2025-08-19T15:32 "Alert on read-only transaction errors (SQLSTATE 25006) from checkout-api" marcus detect 2025-09-05 OPS-1324
fu 2025-08-19T15:33 "Quarterly orders-db failover drill with checkout traffic, the first in October" jonas process 2025-10-15 OPS-1341
fudone 2025-08-19T15:40 jonas FU-1
review 2025-08-20T10:30 chloe
publish 2025-08-22T14:00
fudone 2025-08-27T09:50 oliver FU-2
fudone 2025-09-02T16:15 marcus FU-3
fudone 2025-10-08T15:00 jonas FU-4

# --- September 2025: security-review-1 (restricted, SEV1) --------------------
# Restricted: the review stays with the security team, legal and finance.
# It names no key, account or address.
pm 2025-09-12-security-review-1 tobias
draft 2025-09-16T10:00
prose 2025-09-16T16:10 <<'MD'
## Root cause and contributing factors

A live secret key for our payment provider was published in a public gist at 18:40 by a dotfiles
synchronisation tool on a contractor's laptop. The tool uploads selected configuration files to a
gist; a local environment file used for debugging payments-gateway matched its pattern.

- **Why was a live key on a laptop?** The contractor had been given the production key to
  reproduce a refund bug, because the provider's test mode did not reproduce it. There was no
  short-lived or read-only alternative to hand out.
- **Why could one key do so much?** The key had every scope: reading payment metadata, issuing
  refunds and payouts. Nothing we do day to day needs all of them in one key.
- **Why did the tool run at all?** Our onboarding checklist for contractors covers disk
  encryption and MFA, but not tools that sync files to third-party services.

The review found no individual at fault: the contractor followed the instructions they were given,
and the tool did what it was configured to do.

## Detection and response

GitHub's secret scanning flagged the gist at 19:55, 1 h 15 min after it was created, and the
security on-call declared a SEV1 at 20:05, restricted from the start. The gist was deleted by its
author within minutes. Marcus rotated the key: the new key went into Vault, payments-gateway was
restarted (deploy 2419) and the old key was revoked at 20:21, 1 h 41 min after publication. By
20:50 the provider's API log showed one request with the old key from outside our network, a
read-only balance request; no refunds and no payouts. Finance reconciled the day's movements
against the ledger by 21:10 and legal assessed that no notification was required.

## What went well

- Secret scanning worked and reached the right person within minutes.
- Rotation through Vault meant one deploy of payments-gateway, with no customer impact.
- The provider's per-key API log let us say with confidence what the key had been used for,
  within an hour.
- Legal and finance were involved the same evening, and both had a conclusion before midnight.

## What went badly

- 1 h 15 min between publication and detection, and 1 h 41 min until the key was revoked.
- A production key with every scope was shared for debugging, because there was no safer way to
  do that job.
- The rotation steps were known to two people; the runbook was out of date.

## Where we got lucky

- The only outside use was a balance read. A refund or payout request would have moved money.
- It happened on a Friday evening when both the security on-call and a payments engineer were
  reachable at once.
- Our payment provider takes part in GitHub's secret scanning programme; not every provider does,
  and without it we might not have known at all.

## Lessons learned

- Secrets leak through tools, not through people deciding to publish them; the defence is
  scanning everywhere and keys that can do little.
- "Debug with production credentials" needs a supported, short-lived path, or people will use
  the permanent one.
- Restricted incidents need the same timeline discipline as any other; it is what let us answer
  legal's questions quickly.
MD
fu 2025-09-16T16:30 "gitleaks as a required pre-commit hook and CI check in every repository" liam prevent 2025-10-15 SEC-208
fu 2025-09-16T16:31 "Split payment provider keys: refunds and payouts only with a separate restricted key" marcus mitigate 2025-10-03 SEC-209
fu 2025-09-16T16:32 "Contractor onboarding and offboarding: no file sync tools on machines with production access" tobias process 2025-10-31 SEC-210
fu 2025-09-16T16:33 "Alert on payment provider API calls from outside our egress addresses" liam detect 2025-11-14 SEC-211
fu 2025-09-16T16:34 "Rotate payment provider keys every 90 days with a script" marcus prevent 2025-12-15
review 2025-09-18T11:00 hannah lena
publish 2025-09-19T15:00
fudone 2025-10-02T17:20 marcus FU-2
fudone 2025-10-13T10:45 liam FU-1
fudone 2025-10-28T14:00 tobias FU-3
fudone 2025-11-12T12:30 liam FU-4
fudrop 2025-12-01T10:00 tobias FU-5

# --- October 2025: stock zeroed after warehouse feed schema change (SEV2) ----
pm 2025-10-20-stock-zeroed-after-warehouse-feed-schema-change mia
draft 2025-10-22T10:00
prose 2025-10-22T15:00 <<'MD'
## Root cause and contributing factors

Overnight, LogiWare moved our tenant to version 2 of their stock API by mistake. Version 2 names
the stock field `quantity.available` instead of `qty_on_hand`. Our importer treated a missing
field as "no stock": it logged `field qty_on_hand missing, defaulting to 0` 41,203 times from
07:00 and set about 41,000 products to sold out in the shop and the apps.

- **Why did a missing field become zero?** The importer was written for a feed that never omitted
  the field, and the default was chosen so that a malformed row could not oversell. Nobody had
  thought about every row being malformed at once.
- **Why did it apply a feed that zeroed almost everything?** The importer had no sanity check on
  the size of a change; a feed that empties the shop is applied like one that sells ten items.
- **Why no warning from LogiWare?** They did not intend the change; their rollback came at 12:05.

## Detection and response

Customers noticed first. Support had "everything is sold out?" tickets and calls from the start of
business and 60 of them by 09:38; Mia declared at 09:35 (2 h 35 min after the feed arrived) and
found the log message within ten minutes. She paused the importer and restored stock levels from
the 06:45 snapshot, which brought products back at 10:20, 3 h 20 min after the bad feed. Stock
then lagged by three hours until LogiWare rolled our tenant back and the importer resumed at
12:05.

## What went well

- The stock snapshot taken before every import made the restore a single command.
- Mia paused the importer before restoring, so the next feed could not zero the shop again.
- Support spotted the pattern quickly and brought numbers (60 contacts) to the incident channel.

## What went badly

- 2 h 35 min passed between the bad feed and the declaration; nothing alerted on a shop that
  was suddenly sold out.
- The importer's warning was logged 41,203 times and read by nobody until the incident.
- Products were shown as sold out through the Monday morning peak.

## Where we got lucky

- The snapshot had been taken 15 minutes before the bad feed; with a daily snapshot we would
  have lost a day of stock movements.
- The feed set stock to zero, not to a wrong positive number: we lost sales, but did not
  oversell.

## Lessons learned

- Input from a partner is untrusted input: validate its shape, and refuse changes that are too
  large to be real.
- A warning that repeats 40,000 times is an error.
- Business metrics (share of products sold out) catch failures that technical metrics miss.
MD
fu 2025-10-22T15:30 "Refuse a stock feed that would set more than 5% of SKUs to zero, and alert" arjun prevent 2025-10-24 OPS-1391
fu 2025-10-22T15:31 "Validate the LogiWare feed against a schema; missing fields fail the import" arjun prevent 2025-11-07 OPS-1392
fu 2025-10-22T15:32 "Contract annex: LogiWare announces API version changes 30 days ahead" mia process 2025-10-29 OPS-1393
fu 2025-10-22T15:33 "Alert when the share of sold-out products rises by 10 points within an hour" mia detect 2025-10-29
fudone 2025-10-22T15:40 arjun FU-1
review 2025-10-23T10:00 lena
publish 2025-10-28T11:30
fudone 2025-10-28T16:00 mia FU-3
fudone 2025-10-29T12:10 mia FU-4
fudone 2025-11-05T15:20 arjun FU-2

# --- November 2025: security-review-2 (restricted, SEV1) ---------------------
# Restricted: personal data of customers. The review names no customer,
# object key, address or case detail beyond what legal approved.
pm 2025-11-06-security-review-2 tobias
draft 2025-11-12T10:00
prose 2025-11-12T16:30 <<'MD'
## Root cause and contributing factors

The support portal lets customers download their order history as a CSV file. The files are kept
in a storage bucket, and since the support-portal release of 29 October that bucket was
public-read: a Terraform change (support-portal#311) replaced the bucket's policy, and the new
policy granted read access to everyone. The download links were direct object URLs with
sequential names, so anyone who had one link could fetch other customers' exports by changing the
number.

- **Why did the policy change pass review?** The pull request was reviewed for the portal
  feature it shipped; the bucket policy was a small part of a large diff, and nothing in our
  tooling flags a policy that makes a bucket public.
- **Why were object names guessable?** The export feature was built for internal use by support
  agents in 2023 and reused for customers in 2025 without a threat review.
- **Why did exports stay for weeks?** There was no retention rule on the bucket.

## Detection and response

A customer reported it to support on 6 November: the link showed other people's orders. Grace
reproduced it and the security on-call declared a SEV1 at 11:05, restricted. Jonas made the bucket
private again at 11:21, removed the public ACLs and switched downloads to presigned URLs valid for
15 minutes; the exposure ended 16 minutes after the declaration. Access logs for 29 October to 6
November showed that exports of 41 customers were fetched by someone other than the customer,
most of them by one automated client.

Legal assessed this as a personal data breach under GDPR Art. 33 the same day, the notification to
the supervisory authority was filed on 7 November, well inside the 72 hours, and the 41 customers were
informed the same evening with a message drafted by PR and legal together.

## What went well

- Support took the customer's report seriously, reproduced it and declared within minutes.
- The technical fix took 16 minutes, and the access logs were complete, so we could tell exactly
  whose data was fetched instead of notifying everyone who ever requested an export.
- Legal, PR, support and security worked from one restricted timeline; the notification was
  filed well before the deadline.

## What went badly

- Customer data was exposed for eight days, and we learned about it from a customer.
- Our infrastructure review did not catch a public bucket policy.
- A feature built for internal use was exposed to customers without a security review.

## Where we got lucky

- The customer who noticed reported it to us instead of publishing it.
- Exports contain no payment data.
- Access logging was enabled on this bucket; on two other buckets we later found it was not.

## Lessons learned

- Public access to storage must be impossible by default and an explicit, reviewed exception.
- Links that grant access need to be unguessable and short-lived, whatever the audience.
- Reusing a feature for a new audience is a new feature, and gets a threat review.
MD
fu 2025-11-12T17:00 "Terraform bucket module denies public ACLs and public policies by default" jonas prevent 2025-11-14 SEC-231
fu 2025-11-12T17:01 "Random object names and 15-minute presigned URLs for every customer download" mia prevent 2025-11-28 SEC-232
fu 2025-11-12T17:02 "Delete support exports after 7 days (bucket lifecycle rule)" jonas mitigate 2025-11-21 SEC-233
fu 2025-11-12T17:03 "Security review for Terraform changes that touch storage or IAM" tobias process 2025-12-05 SEC-234
fu 2025-11-12T17:04 "Daily scan for buckets with public access or without access logging, alerting security" liam detect 2025-12-05 SEC-235
fudone 2025-11-12T17:10 jonas FU-1
review 2025-11-13T10:30 hannah
publish 2025-11-14T16:45
fudone 2025-11-19T11:20 jonas FU-3
fudone 2025-11-26T15:00 mia FU-2
fudone 2025-12-03T10:30 liam FU-5
fudone 2025-12-04T16:00 tobias FU-4

# --- November 2025: checkout timeouts during Black Friday peak (SEV2) --------
pm 2025-11-28-checkout-timeouts-during-black-friday-peak oliver
draft 2025-12-02T10:00
prose 2025-12-02T15:00 <<'MD'
## Root cause and contributing factors

checkout-api's autoscaler was capped at 40 pods. At the 20:00 peak of Black Friday, traffic
reached about three times a normal evening, the horizontal pod autoscaler hit `maxReplicas: 40`
at 93% CPU, and from 20:02 p99 latency climbed to 8.2 s and 4.1% of checkouts timed out.

- **Why 40?** The ceiling was set in 2024 to protect orders-db from too many connections, before
  pgbouncer. The reason had gone, the limit had stayed, and nobody owned a list of such limits.
- **Why did the load test not find it?** The October load test ran at 2x last year's peak. This
  year's peak was higher than the forecast, and the test environment's autoscaler had no
  ceiling, so the test could not have found it anyway.
- **Why did raising the ceiling take a while to help?** The cluster had no spare nodes; the
  cluster autoscaler needed about 15 minutes to add 12 nodes to prod-eu-1.

## Detection and response

The checkout latency alert fired at 20:06, four minutes after latency started to climb, and
Oliver declared at 20:10. He saw the pinned autoscaler within a minute and raised `maxReplicas` to
90 at 20:16. Marcus watched payments-gateway's queue to the acquirer, which reached 1,100 requests
in flight against a limit of 1,500: the next bottleneck. By 20:33 checkout ran on 78 pods with a
p99 of 1.4 s, and at 20:48 latency was back to normal at three times the usual traffic. Time to
mitigate: 46 minutes.

## What went well

- The cause was visible at a glance on the autoscaler, and the fix was one command.
- Marcus looked for the next bottleneck while the first was being fixed.
- Grace's public updates were short, friendly and on time: first at 20:14, all clear at 20:50.

## What went badly

- We found a year-old ceiling during our busiest hour of the year.
- New nodes took about 15 minutes; most of the time to mitigate was waiting for capacity.
- The load test could not have found the problem, because it ran against different limits.

## Where we got lucky

- The acquirer's concurrency limit was not reached; at four times the traffic it would have been.
- orders-db had plenty of headroom since pgbouncer, so raising the pod count was safe without
  checking first.

## Lessons learned

- Capacity limits need an owner and a reason, written down next to the limit.
- Load tests must run against production's limits, or they test something else.
- On sale days, capacity should be waiting for traffic, not the other way round.
MD
fu 2025-12-02T15:30 "Raise checkout-api maxReplicas to 120; review every HPA ceiling before sale events" oliver mitigate 2025-12-05 OPS-1468
fu 2025-12-02T15:31 "Alert when an autoscaler sits at maxReplicas for 5 minutes" oliver detect 2025-12-09 OPS-1470
fu 2025-12-02T15:32 "Warm node buffer in prod-eu-1 on sale days (cluster autoscaler overprovisioning)" jonas mitigate 2025-12-12 OPS-1471
fu 2025-12-02T15:33 "Holiday load tests at 4x last year's peak against production limits, acquirer included" marcus prevent 2026-01-30 OPS-1469
fu 2025-12-02T15:34 "Agree a higher concurrency limit with the acquirer before peak season (today 1,500)" daniel process 2026-09-30
fudone 2025-12-02T15:40 oliver FU-1
review 2025-12-04T11:00 lena
publish 2025-12-08T10:30
fudone 2025-12-08T16:10 oliver FU-2
fudone 2025-12-09T14:30 jonas FU-3
fudone 2026-01-28T11:00 marcus FU-4
fudone 2026-09-14T10:00 daniel FU-5

# ===========================================================================
# 2026
# ===========================================================================

# --- February 2026: card payments failing 3-D Secure in the EU (SEV1) --------
pm 2026-02-10-checkout-card-payments-failing-3-d-secure-in-eu lena
draft 2026-02-12T09:30
prose 2026-02-12T15:00 <<'MD'
## Root cause and contributing factors

At 16:20 the card scheme's access control server (ACS) started serving its 3-D Secure challenge
pages from a new host, acs2.cardsecure.example, without notice to us or, as far as we can tell,
to our payment provider. Our web checkout embeds the challenge in a frame, and its
Content-Security-Policy allowed frames only from `https://acs.cardsecure.example`. Browsers
refused to load the new host, so every card payment in the EU that needed a challenge failed at
that step. Card success in the EU fell from 96% to 41%.

- **Why did our CSP name one host?** When the policy was tightened in 2025 we listed the exact
  host we saw in production, which is what a strict CSP asks for. The scheme documents
  `*.cardsecure.example` as the challenge domain; we did not check the documentation.
- **Why did the apps keep working?** They open the challenge in a web view without our CSP.
- **Why was there no notice?** The scheme announces ACS changes to payment providers, and our
  provider had no channel to pass them on to merchants.

## Detection and response

The card success rate alert fired at 16:25, five minutes after the change, and Lena declared a
SEV1 at 16:31. Mia narrowed it to the challenge step on the web by 16:33 and found the CSP
violation in the browser console at 16:41. Lena decided on a CSP hotfix at 16:44: Mia built it,
Jonas deployed it (web deploy 3127, `frame-src https://*.cardsecure.example`), and the success rate
was back to 95.6% at 17:07. Time to mitigate: 47 minutes.

Grace's first public update (16:37) told customers what still worked: PayPal, invoice and the app.
Sofia handled about 40 complaints on social media with the same message. Daniel's estimate: about
5,400 failed card payments, 62% of those customers completed their order another way, EUR 190k of
lost revenue.

## What went well

- The success-rate alert caught a change on a third party's side within five minutes.
- Telling customers which payment methods still worked recovered most of the orders.
- A clear split of work on the bridge: diagnosis, build, deploy, comms and PR in parallel.
- The same day, we added a synthetic 3-D Secure challenge to the checkout canary and CSP
  violation reports with an alert (web#2731).

## What went badly

- It took 16 minutes from the alert to look at the browser console. Our dashboards show server
  errors; this failure happened entirely in the browser.
- We had no CSP violation reporting, so thousands of blocked frames left no trace on our side.
- The hotfix went through the full web pipeline; an emergency path for a one-line header change
  would have saved about ten minutes.

## Where we got lucky

- It started at 16:20 on a Tuesday, not in the evening peak.
- The apps were unaffected, and many customers switched to them on their own.

## Lessons learned

- A strict CSP needs monitoring, or it fails silently in customers' browsers.
- Third-party domains belong in allow-lists the way their owners document them.
- Changes at the card scheme reach us through our payment provider; we need to be on that
  channel.
MD
fu 2026-02-12T15:30 "CSP violation reports to Sentry with an alert on checkout pages" mia detect 2026-02-13 OPS-2142
fu 2026-02-12T15:31 "Synthetic 3-D Secure challenge in the checkout canary with the scheme's sandbox card" mia detect 2026-02-20 OPS-2143
fu 2026-02-12T15:32 "Receive the scheme's ACS domain change notices from the PSP 30 days ahead" daniel process 2026-02-27 OPS-2144
fu 2026-02-12T15:33 "Alert on card success rate per region and channel (web and app separately)" jonas detect 2026-03-06 OPS-2145
fu 2026-02-12T15:34 "Review allow-lists that name third-party hosts (CSP, egress, webhooks) against their documentation" mia prevent 2026-04-30 OPS-2146
fudone 2026-02-12T15:40 mia FU-1
review 2026-02-13T10:00 oliver
publish 2026-02-16T11:00
fudone 2026-02-18T17:15 mia FU-2
fudone 2026-02-24T14:00 daniel FU-3
fudone 2026-03-04T11:40 jonas FU-4
fudone 2026-04-20T15:30 mia FU-5

# --- February 2026: security-review-3 (restricted, SEV2) ---------------------
# Restricted: an account takeover. The review names no account, address or
# customer, and describes controls at the level the security team shares.
pm 2026-02-22-security-review-3 tobias
draft 2026-02-25T10:00
prose 2026-02-25T16:00 <<'MD'
## Root cause and contributing factors

An attacker who had an admin's password sent a burst of MFA push prompts late in the evening, and
one of them was approved. That is a known attack (MFA fatigue), and our setup allowed it:

- Admin roles accepted a plain push approval, with no number matching and no hardware key.
- The account's password had appeared in a 2024 breach of an unrelated website; we did not
  check staff passwords against breach data.
- Push prompts for VPN re-authentication look the same as prompts for the admin console, so an
  unexpected prompt in the evening was easy to mistake for a routine one.
- Nothing alerted on a burst of prompts; the first alert was the sign-in from a new country.

The person who approved the prompt did what our tooling trained them to do. This review is about
the controls, and every action below changes a control.

## Detection and response

The SIEM rule for admin sign-ins from a new country fired two minutes after the sign-in, and the
security on-call declared a restricted SEV2 at 03:58. The attacker's session was ended at 04:06,
18 minutes after it began: sessions cleared, the account suspended, its tokens revoked, the
source blocked at the admin console's WAF. The console's audit log showed that the session viewed
three order records and a settings page, and changed and exported nothing. The account owner
confirmed within the hour, the password was reset and a hardware key enrolled. Tobias took over
as commander for EU hours at 08:17, and legal documented the case in the breach register on 23
February: low risk, no notification required.

## What went well

- The SIEM rule fired within two minutes, in the middle of the European night, and the on-call
  in Sydney acted without waiting for anyone: containment eight minutes after the declaration.
- The admin console's audit log was detailed enough to say exactly what was viewed.
- The account owner reported what happened openly and quickly, which made the timeline certain.
- The handover from the night on-call to the EU commander was clean and recorded.

## What went badly

- Push-only MFA on admin accounts; phishing-resistant MFA had been planned but not prioritised.
- 13 prompts in six minutes went unnoticed.
- The owner of a data protection decision (legal) was assigned on day two; she should have been
  on the incident from the first hour.

## Where we got lucky

- The attacker's session was short and looked at very little; we cannot tell whether they were
  interrupted or just exploring.
- The sign-in came from a country our SIEM rule flags; a sign-in through a local proxy would not
  have fired it.
- Admin roles could not export data in bulk without a second approval.

## Lessons learned

- Push approval is not a second factor against a determined attacker; admins need phishing-
  resistant MFA, full stop.
- Signals before the sign-in (prompt bursts, breached passwords) are where we can stop this kind
  of attack, not after it.
- Bring legal in when personal data might be involved, not when we are sure it is.
MD
fu 2026-02-25T16:30 "Number matching and FIDO2 keys for every admin role; push-only MFA off" tobias prevent 2026-02-27 SEC-260
fu 2026-02-25T16:31 "Separate admin accounts that sign in with a hardware key only" liam prevent 2026-03-13 SEC-261
fu 2026-02-25T16:32 "Alert on more than 3 MFA prompts within 10 minutes for any account" liam detect 2026-03-06 SEC-262
fu 2026-02-25T16:33 "Check staff passwords against breach corpora at sign-in" tobias prevent 2026-03-31 SEC-263
fu 2026-02-25T16:34 "Assign the legal role in the first hour of every security incident that may involve personal data" hannah process 2026-03-13
fudone 2026-02-25T16:40 tobias FU-1
review 2026-02-26T11:00 hannah lena
publish 2026-03-03T10:00
fudone 2026-03-05T15:10 liam FU-3
fudone 2026-03-10T09:45 hannah FU-5
fudone 2026-03-12T17:00 liam FU-2
fudone 2026-03-16T12:00 tobias FU-4

# --- March 2026: expired internal CA certificate broke mTLS (SEV2) -----------
pm 2026-03-26-expired-internal-ca-certificate-broke-mtls chloe
draft 2026-03-30T10:00
prose 2026-03-30T15:00 <<'MD'
## Root cause and contributing factors

The intermediate CA northwind-internal-ica-2024, which signs every service certificate for mTLS
between our services, expired at 01:00. Leaf certificates were still valid, but a chain with an
expired intermediate is invalid, so every mTLS handshake failed:
`x509: certificate has expired or is not yet valid`. Stock reservations failed (checkout fell back
to cached stock) and "remember me" logins failed.

- **Why did it expire?** The intermediate was created by hand in 2024 as the CA secret of
  cert-manager's ClusterIssuer `internal-ica`, with two years of validity and no renewal. The
  leaves renewed themselves; the issuer above them could not.
- **Why no alert?** The expiry alert we built after [[2025-05-14-expired-certificate-on-static-northwind-example]]
  (OPS-1187) covers public certificates only. CA certificates inside Kubernetes secrets were not
  in its inventory.
- **Why did the fix take over two hours?** Signing a new intermediate needs two holders of the
  pki-root key in Vault, by design. The on-call commander is not one of them; of the key holders,
  only Priya in India was near her working day, and Lena had to be woken in Berlin.

## Detection and response

The mTLS error alert fired at 01:04 and Chloe declared at 01:19. By 01:35 she had traced the
failure to the issuer's CA secret. Priya joined at 02:31, as her morning began, and paged Lena as
the second key holder; with both on the bridge a new intermediate, northwind-internal-ica-2026,
was signed and loaded at 03:05, and `cmctl renew --all -A` reissued all 1,412 certificates by 03:40.
Time to mitigate: 2 h 40 min, most of it waiting for a second key holder.

In the meantime checkout sold from cached stock: 23 customers were told after paying that 31
items were out of stock, and support offered them vouchers.

## What went well

- The alert and the diagnosis were fast: the error message named the expiry, and Chloe found the
  hand-made secret within 16 minutes.
- The two-person rule for the root key held under pressure; nobody looked for a shortcut.
- Reissuing 1,412 certificates was one command and took 35 minutes.

## What went badly

- We had already had a certificate expire on us, and we protected only the kind of certificate
  that had expired.
- Waiting for a second key holder took most of the incident.
- The fallback to cached stock oversold items; it was designed for seconds, not hours.

## Where we got lucky

- It expired at 01:00 on a Thursday, at the quietest time of the week for orders.
- Priya's day was just starting in India; had she been on holiday, we would have had to wake a
  second key holder in Europe as well.

## Lessons learned

- Every certificate has an expiry, including the ones that sign the others; our inventory has to
  include CAs, and renewal has to be automatic all the way up.
- Security controls such as a two-person rule need enough people in enough time zones to work at
  night.
- Fallbacks need a time limit; after a few minutes, refusing to sell is better than overselling.
MD
fu 2026-03-30T15:30 "Expiry alerts for CA and intermediate certificates, including Kubernetes secrets" chloe detect 2026-04-03 OPS-2291
fu 2026-03-30T15:31 "Move the internal intermediate CA to Vault PKI with automatic rotation at two thirds of its life" lena prevent 2026-05-29 OPS-2290
fu 2026-03-30T15:32 "A third pki-root key holder outside Europe" lena process 2026-04-17 OPS-2292
fu 2026-03-30T15:33 "Checkout stops selling when stock reservations fail for more than 5 minutes" arjun mitigate 2026-05-15 OPS-2293
review 2026-04-01T10:30 jonas
fudone 2026-04-02T11:20 chloe FU-1
publish 2026-04-02T17:00
fudrop 2026-04-08T10:00 lena FU-4
fudone 2026-04-15T16:00 lena FU-3
fudone 2026-05-20T14:30 lena FU-2

# --- April 2026: Android app crashes on launch after 5.12.0 (SEV2) -----------
pm 2026-04-09-android-app-crashes-on-launch-after-5-12-0 arjun
draft 2026-04-14T10:00
prose 2026-04-14T15:00 <<'MD'
## Root cause and contributing factors

Android 5.12.0 called `getLocales()` during start-up in `ThemeProvider.init`. The method does not
exist on Android 9 and 10 (API 28 and 29), so the app crashed with `NoSuchMethodError` before
showing anything, on every start, for every user on those versions.

- **Why did the build pass?** The lint check for API calls above `minSdk` (NewApi) was set to
  warning in 2024 and the warning list had grown to more than 200 entries, so one more went
  unnoticed.
- **Why did testing not catch it?** The pre-launch test matrix covered Android 11 to 14; about
  18% of our Android users are on 9 and 10.
- **Why did it reach 50% of users?** The staged rollout steps up on a schedule. The step from
  20% to 50% ran at 12:00, ten minutes after we had diagnosed the crash and before anyone had
  paused it.

## Detection and response

The rollout started at 10:00. Crashlytics' velocity alert fired at 11:30 (crash-free users on
5.12.0 at 81%) and Arjun declared at 11:40, as a SEV3 while he looked. The crash was diagnosed at
11:50; the scheduled step to 50% happened at 12:00, and at 12:05 he raised the incident to SEV2
and halted the rollout at 12:08. 5.12.1, with a version guard, was submitted at 12:30 with an
expedited review, and was approved and rolled out the next morning; crash-free users returned to
99.5% at 12:00 on 10 April. Grace told customers at 12:15 on 9 April what was happening and that
the website worked as usual.

## What went well

- Crashlytics' alert worked, and the stack trace pointed straight at the problem.
- The fix was small and reviewed quickly; Google's expedited review helped.
- Customer communication named the workaround (the website) at once.

## What went badly

- Halting the rollout is a manual step, and the scheduled step-up beat us to it by eight minutes.
- 1 h 30 min passed between the rollout and the alert, because the velocity alert needs a
  minimum number of sessions.
- Users who had updated could not go back: Play has no rollback, so they waited a day for 5.12.1.

## Where we got lucky

- The crash happened on every start, so it was obvious. A crash in the checkout flow on the same
  devices would have been much harder to spot and much more costly.
- The affected Android versions are a shrinking share of our users.

## Lessons learned

- A staged rollout is only a safety net if it stops itself.
- Lint warnings nobody reads are not checks; NewApi must be an error.
- Test on the oldest Android versions we support, not only the newest.
MD
fu 2026-04-14T15:30 "Android 9 and 10 devices in the pre-launch test matrix" arjun detect 2026-04-17 OPS-2318
fu 2026-04-14T15:31 "Staged rollouts pause themselves when crash-free users drop below 99%" arjun mitigate 2026-04-24 OPS-2319
fu 2026-04-14T15:32 "Make the NewApi lint check an error and clear the existing warnings" mia prevent 2026-05-08 OPS-2320
fu 2026-04-14T15:33 "No automatic step-up of a rollout until 2 hours of crash data are in" arjun process 2026-04-24
fudone 2026-04-14T15:40 arjun FU-1
review 2026-04-15T10:00 mia
publish 2026-04-20T11:00
fudone 2026-04-20T16:30 arjun FU-4
fudone 2026-04-22T10:15 arjun FU-2
fudone 2026-05-06T14:45 mia FU-3

# --- April 2026: PayPal checkout errors after deploy 4411 (SEV2) -------------
pm 2026-04-28-paypal-checkout-errors-after-deploy-4411 mia
draft 2026-04-30T10:00
prose 2026-04-30T15:00 <<'MD'
## Root cause and contributing factors

Deploy 4411 of checkout-api upgraded the PayPal SDK from 0.6 to 1.0. Version 1.0 checks the
`return_url` of every order against the allow-list configured at PayPal. Our allow-list has
`https://www.northwind.example/checkout/return`, and checkout-api built the URL from the request's
host, which for most traffic is the bare `northwind.example`. PayPal answered
`INVALID_RETURN_URL` to every order from 10:32, so customers paying with PayPal (about 12% of
checkouts) could not pay.

- The SDK's changelog mentions the stricter validation; the upgrade came in a batch of dependency
  updates and was reviewed as a routine bump.
- The pre-deploy smoke tests paid only by card, so nothing exercised PayPal before production.
- Like the connection leak in [[2025-06-03-checkout-5xx-orders-db-connections-exhausted]], the
  PayPal path was the least tested part of checkout.

## Detection and response

The PayPal error alert fired at 10:37, five minutes after the deploy, and Mia, who had shipped
4411, declared at 10:41. She found the cause in the PayPal error responses by 10:46, and rather
than fix forward Jonas rolled back to 4410; PayPal success was back at 98% at 10:58, 26 minutes
after it started. Grace answered 11 tickets from affected customers with the checkout macro. The
fix (canonical return URLs, checkout-api#2207) shipped the next morning as deploy 4418, together
with a pre-deploy smoke test that pays with the PayPal sandbox.

## What went well

- The person who made the change declared the incident herself, within minutes.
- Rolling back first and fixing later kept the impact to 26 minutes.
- Per-method payment alerts existed for PayPal and fired quickly.

## What went badly

- A major version of a payment SDK was treated as a routine dependency update.
- Smoke tests covered one payment method out of three.

## Where we got lucky

- The deploy went out at 10:32 on a Tuesday morning, well before the evening peak.
- Cards and invoice were not affected, and some customers switched to them.

## Lessons learned

- Payment SDK upgrades are changes to how we take money and need a payments review and a sandbox
  run, whatever the size of the diff.
- Smoke tests must pay with every payment method we offer.
- Build URLs that third parties validate from configuration, not from the request.
MD
fu 2026-04-30T15:30 "Canonical PayPal return URLs from configuration (checkout-api#2207)" mia repair 2026-04-30 OPS-2361
fu 2026-04-30T15:31 "Pre-deploy smoke tests pay with the PayPal sandbox and by invoice" jonas detect 2026-05-08 OPS-2362
fu 2026-04-30T15:32 "Payment SDK major upgrades need a payments-team review and a sandbox run" mia process 2026-05-29 OPS-2363
fu 2026-04-30T15:33 "Alert on success rate per payment method for invoice as well as card and PayPal" jonas detect 2026-05-15
fudone 2026-04-30T15:40 mia FU-1
review 2026-05-04T10:00 lena
fudone 2026-05-06T16:20 jonas FU-2
publish 2026-05-07T11:00
fudone 2026-05-13T10:30 jonas FU-4
fudone 2026-05-27T15:00 mia FU-3

# --- May 2026: checkout DNS pointed at a retired load balancer (SEV2) --------
pm 2026-05-27-checkout-dns-pointed-at-a-retired-load-balancer jonas
draft 2026-05-29T10:00
prose 2026-05-29T14:00 <<'MD'
## Root cause and contributing factors

In April we moved checkout.northwind.example to a new load balancer with a weighted DNS canary:
lb-checkout-new at weight 90, lb-checkout-old at weight 10. The migration finished, but the
weight-10 record was never removed. On 27 May at 16:05 a Terraform change (infra#4521) destroyed
lb-checkout-old, and from then on about one lookup in ten returned an address where nothing
listened: `Connection refused` when opening checkout.

- The canary record lived in the DNS repository and the load balancer in the infra repository;
  neither change showed the other.
- The migration's checklist ended with "switch traffic to the new load balancer", not with
  "remove the old records".
- The record's TTL of 600 s kept the dead address in resolvers for up to ten minutes after we
  deleted it.

Like [[2025-07-05-dns-failures-for-api-eu-west-1-after-zone-push]] and the findings of the game day
[[2026-03-11-game-day-dns-failover-to-the-secondary-provider]], the zone held something nobody knew
was there.

## Detection and response

The synthetic checkout check failed intermittently from 16:11 and Jonas declared at 16:17. The
connection errors named an address, which Jonas recognised as the load balancer destroyed at
16:05, and by 16:27 he had found the forgotten weighted record. He deleted it at 16:30; resolvers
caught up over the next ten minutes, and with no new connections to the old address and ten
minutes of green synthetic checks he called it mitigated at 16:42. Grace's public update at 16:23
could already say that we had found the cause.

## What went well

- The synthetic check caught a 10% failure within six minutes.
- Connecting the error to the Terraform apply took minutes, because the apply was in the change
  log with a timestamp.
- The permanent guard (infra CI refuses to destroy a load balancer that a DNS record still
  targets) shipped the next day.

## What went badly

- A canary record outlived its migration by weeks.
- A destructive infra change was applied without anything checking what still pointed at it.
- A 600 s TTL on a record we change during migrations.

## Where we got lucky

- The weight was 10, not 50.
- The destroyed load balancer's address was not reused by someone else's service, which would
  have sent our customers' checkout traffic to a stranger.

## Lessons learned

- Temporary DNS records need an owner and an end date, like temporary feature flags.
- Before deleting something, ask what still points at it, and let CI ask for us.
- Keep TTLs short on names we migrate.
MD
fu 2026-05-29T14:30 "infra CI refuses to destroy a load balancer that a DNS record still targets" jonas prevent 2026-05-29 OPS-2437
fu 2026-05-29T14:31 "Weighted and canary DNS records need an owner and an end date in the zone repository" chloe prevent 2026-06-19 OPS-2438
fu 2026-05-29T14:32 "Lower the TTL of checkout.northwind.example to 60 s" oliver mitigate 2026-06-05
fu 2026-05-29T14:33 "Synthetic checkout checks through three public resolvers per region" priya detect 2026-06-12 OPS-2439
fudone 2026-05-29T14:40 jonas FU-1
review 2026-06-01T10:00 chloe
fudone 2026-06-02T11:00 oliver FU-3
publish 2026-06-04T15:00
fudone 2026-06-10T12:30 priya FU-4
fudone 2026-06-17T09:40 chloe FU-2

# --- July 2026: payment timeouts to the US acquirer in us-east-1 (SEV2) ------
pm 2026-07-15-payment-timeouts-to-the-us-acquirer-in-us-east-1 marcus
draft 2026-07-16T16:00
prose 2026-07-16T21:00 <<'MD'
## Root cause and contributing factors

From 20:38 a faulty DDoS mitigation rule on the US acquirer's network edge dropped part of the
traffic to its authorisation API. TCP connections and TLS handshakes succeeded, then responses
stalled, so 22% of authorisation calls from payments-gateway in us-east-1 hit our 10 s timeout.
The acquirer's status page stayed green throughout; they rolled the rule back at 23:20.

Our side of it:

- The secondary route through the EU acquirer existed, but switching to it was a manual decision
  by the commander, with a cost (higher fees) that nobody had agreed in advance.
- A 10 s timeout means customers wait 10 s before failing; most of the impact was slowness.
- Our only acquirer alert was on the overall success rate, which fell slowly because the failures
  were partial.

## Detection and response

The US card success alert fired at 20:44 and Marcus declared at 20:49, in his afternoon in New
York. By 20:54 he had it narrowed to responses stalling after the handshake, and Oliver's `mtr`
showed 18% loss at the acquirer's edge at 21:02; we opened a P1 case with them. At 21:11 Marcus
sent all US card traffic over the secondary route via the EU acquirer (rule `us-card-fallback`),
and at 21:25 US authorisations were at 97.1% with a p95 of 1.9 s. Time to mitigate: 45 minutes.
We went back to the primary route at 00:10 after the acquirer confirmed its rollback. Daniel's
numbers the next day: about USD 3,100 of extra fees for 2 h 45 min on the fallback, against about
USD 45k of orders it saved.

## What went well

- The fallback route worked exactly as designed the first time we used it in anger.
- Our own network evidence (`mtr` from the NAT gateways) got the acquirer to take the P1 seriously
  while their status page was green.
- Sofia's updates were clear that the problem was with a payment partner, without blaming them.
- Finance put a number on the trade-off, which makes the next decision easy.

## What went badly

- 22 minutes from declaring to switching routes, mostly spent deciding whether the fees were
  acceptable.
- We depended on the acquirer's status page, which reflected nothing.

## Where we got lucky

- The faulty rule dropped only part of the traffic; a full outage in the US afternoon would have
  cost far more before we switched.
- Europe was not affected, so the EU acquirer had plenty of headroom for US traffic.

## Lessons learned

- A fallback that needs a judgement call at 21:00 is slower than one that switches itself; agree
  the thresholds and the cost in daylight.
- A third party's status page is not monitoring. Measure their service from our side.
MD
fu 2026-07-16T21:30 "Fail over to the secondary acquirer route automatically above 5% timeouts" marcus mitigate 2026-07-29 OPS-2502
fu 2026-07-16T21:31 "Alert on the acquirer timeout rate per region, not only on the overall success rate" oliver detect 2026-07-24 OPS-2504
fu 2026-07-16T21:32 "Get the acquirer's RFO for case 88213 and their change process for edge rules" daniel process 2026-07-31 OPS-2503
fu 2026-07-16T21:33 "Pre-approve the fallback route's extra fees so no one has to ask finance at night" daniel process 2026-08-14
review 2026-07-20T15:00 lena
fudone 2026-07-22T17:45 oliver FU-2
publish 2026-07-23T16:00
fudone 2026-07-24T18:10 daniel FU-3
fudone 2026-07-28T20:30 marcus FU-1
fudone 2026-07-28T21:00 daniel FU-4

# --- August 2026: checkout down after tax engine flag rollout (SEV1) ---------
pm 2026-08-18-checkout-down-after-tax-engine-flag-rollout lena
draft 2026-08-20T09:30
prose 2026-08-20T15:10 <<'MD'
## Root cause and contributing factors

At 14:14:08 the rollout scheduler moved the feature flag `checkout.new-tax-engine` from 10% to
100% of customers. The new tax engine client threw a `NullPointerException` for carts without a
shipping address, which is every guest checkout until the address step, and checkout-api turned
that into a 500 for every order: 99.7% of checkouts failed, on the web and in the apps, in every
region.

- **Why was the bug not seen at 10%?** The 10% cohort was chosen among logged-in customers, who
  always have a saved address. Guest checkout, a large share of our orders, was never in the cohort.
- **Why did the flag go to 100% at once?** The rollout plan was two steps, 10% and 100%, on a
  timer. Nothing checked checkout's health between them.
- **Why at lunchtime?** The timer was set when the flag was created, for "Tuesday afternoon",
  without thinking about the lunch peak.

The flag system, the cohorts and the tax engine each worked as configured. The gap was between
them: a rollout plan that trusted a cohort nobody had looked at. Similar gaps were behind
[[2025-06-03-checkout-5xx-orders-db-connections-exhausted]] and
[[2026-04-28-paypal-checkout-errors-after-deploy-4411]]: a checkout path that our safety nets did
not exercise.

## Detection and response

Checkout 5xx alerts fired at 14:16 and Lena declared a SEV1 at 14:19. Marcus found the flag change
in the audit log by 14:21 and Mia had the stack trace by 14:24. At 14:25 Lena decided to turn the
flag off rather than attempt a forward fix, and Jonas did so at 14:26; orders per minute were back
to 1,250 at 14:33. Time to mitigate: 19 minutes, 12 of them without any orders. Grace posted the
first public update at 14:23; Sofia answered two tech news sites with the status page statement
as social mentions peaked at 600 per hour. Daniel estimated 15,000 failed checkouts and EUR 310k
of orders delayed, most of which came back within the hour.

## What went well

- Seven minutes from the first error to knowing which change caused it, thanks to the flag audit
  log.
- The decision to switch the flag off instead of fixing forward was made in one minute, and
  executed in one more.
- Every role was filled (deputy, comms, PR, scribe), and the timeline is complete enough that
  this review needed no interviews to reconstruct it.

## What went badly

- A change that reaches every customer at once, on a timer, with no health check: the flag
  system allowed it by default.
- Nobody was watching when the timed step ran; the scheduler told no one it was about to act.
- 12 minutes with no orders at all at the Tuesday lunch peak.

## Where we got lucky

- The failure was total and immediate, so the cause was unmistakable. A bug affecting only some
  guest carts could have run for hours.
- No payments were taken for failed orders, so there was nothing to refund.

## Lessons learned

- A cohort is only a test of the customers in it. Checkout flags must include guest checkout.
- Rollouts should stop themselves on errors; people are too slow at 100%.
- A flag flip is a deploy and deserves the same care about timing.
MD
fu 2026-08-20T15:30 "Health-gated flag rollouts: stop and roll back when checkout 5xx passes 1%" jonas mitigate 2026-08-21 OPS-2577
fu 2026-08-20T15:31 "Tax engine client handles carts without a shipping address; contract tests for guest carts" marcus repair 2026-08-21 OPS-2579
fu 2026-08-20T15:32 "Every checkout flag cohort includes guest checkout" mia prevent 2026-08-28 OPS-2578
fu 2026-08-20T15:33 "Checkout flag rollouts in at least four steps (1, 10, 50, 100%) with 30 minutes each" mia process 2026-08-28 OPS-2580
fu 2026-08-20T15:34 "No scheduled flag steps during the lunch and evening peaks" lena process 2026-08-28
fu 2026-08-20T15:35 "Page the flag's owner as well as the on-call when a rollout step causes errors" jonas detect 2026-09-02 OPS-2581
fudone 2026-08-20T15:40 jonas FU-1
fudone 2026-08-20T15:41 marcus FU-2
review 2026-08-21T10:00 oliver
publish 2026-08-24T11:00
fudone 2026-08-25T14:20 lena FU-5
fudone 2026-08-26T16:00 mia FU-4
fudone 2026-08-27T11:30 mia FU-3
fudone 2026-09-01T17:10 jonas FU-6

# --- October 2026: payment webhooks rejected after secret rotation (SEV2) ----
pm 2026-10-05-payment-webhooks-rejected-after-secret-rotation mia
draft 2026-10-07T10:00
prose 2026-10-07T15:00 <<'MD'
## Root cause and contributing factors

At 12:15 the payment provider's webhook signing secret was rotated, and the new secret was
written to Vault at `secret/payments/psp-webhook`. payments-gateway reads
`secret/payments/psp/webhook`: the path was renamed in June, and the old one was left in place.
So the gateway kept checking signatures against the old secret and rejected every webhook with
401 "invalid signature". Card payments were captured, but their orders stayed "payment pending":
about 2,900 orders without a confirmation email or fulfilment.

- The rotation followed an old wiki page that still named the old path.
- Vault accepted a write to a path nothing reads, and payments-gateway did not notice that its
  secret had not changed when the provider's had.
- Activation at the provider was immediate; there was no step that verified a signed test event
  before the switch.
- We had no alert on webhook rejections; the provider retries for 24 hours with a long backoff,
  which hides failures for a while.

## Detection and response

Support noticed first: customers asked where their confirmation emails were. The
"orders pending payment" dashboard confirmed it at 13:45, 1 h 30 min after the rotation, and Mia
declared at 13:55. The mismatched path was found at 14:03, the secret written to the right path
and the gateway restarted by 14:10, and webhooks were accepted again at 14:15. Rather than wait for
the provider's retries, Mia replayed all 2,912 missed events from the provider's dashboard; by
14:55 every order was "paid" and the confirmation emails had gone out. Daniel reconciled all
captures with no duplicates, and support answered 85 contacts.

## What went well

- Eight minutes from declaring to the root cause.
- Replaying the events ourselves instead of waiting shortened the impact by hours.
- Finance reconciled the same afternoon, so we could tell customers with certainty that nothing
  was charged twice.

## What went badly

- 1 h 30 min of rejected webhooks before anyone knew, and we heard it from customers.
- The rotation relied on a document nobody had updated since the June rename.
- Two Vault paths for the same secret, one of them dead.

## Where we got lucky

- Payments themselves were captured; only the notifications failed, so no money was lost.
- The provider keeps 24 hours of events for replay; with a shorter window, orders would have
  needed manual matching.

## Lessons learned

- Secret rotation is a change like any other: verify, then activate, and watch the result.
- Renames leave dead paths behind; remove the old path in the same change.
- Silent 401s are an outage; alert on them.
MD
fu 2026-10-07T15:30 "Runbook for webhook secret rotation: write, verify with a signed test event, then activate" mia process 2026-10-09 OPS-2712
fu 2026-10-07T15:31 "Alert when more than 1% of webhooks are rejected with 401" mia detect 2026-10-09 OPS-2713
fu 2026-10-07T15:32 "payments-gateway refuses to start when a configured Vault path is missing; remove the old paths" jonas prevent - OPS-2714
fu 2026-10-07T15:33 "Shorten the provider's webhook retry backoff to at most 15 minutes" marcus mitigate -
fudone 2026-10-07T15:40 mia FU-2
fudone 2026-10-08T17:00 mia FU-1
review 2026-10-09T10:00 lena
publish 2026-10-14T11:00

# --- October 2026: orders-db failover, 4 minutes of checkout errors (SEV2) ---
pm 2026-10-29-orders-db-failover-4-minutes-of-checkout-errors jonas
draft 2026-11-02T10:00
prose 2026-11-02T16:00 <<'MD'
## Root cause and contributing factors

At 12:02:05 a storage maintenance by our provider (NM-22817) froze the disk of orders-db-2, the
primary, for about 40 seconds. Patroni did its job: the leader key expired at 12:02:40 and
orders-db-1 was promoted at 12:02:52. But HAProxy, which routes writes to the primary, checked
only whether PostgreSQL answered (`option pgsql-check` every 30 s, fall 6), not whether it was the
leader. It kept sending writes to orders-db-2 until 12:06:31. For 4 min 26 s order creation
failed in all regions, about 4,800 attempts.

Contributing factors:

- Since [[2025-08-14-orders-db-failover-left-checkout-read-only]], pgbouncer sends writes to the
  HAProxy VIP. In the drill that followed, [[2025-10-08-drill-orders-db-failover-in-staging]], the
  VIP followed the new primary in 3 s, because staging's HAProxy asks Patroni who the leader is.
  Production's HAProxy still used the older `pgsql-check`: the two configurations had drifted
  apart, and a drill in staging could not show it.
- checkout-api does not retry failed order creation, because POST /v1/orders is not idempotent.
  The drill found exactly this, and OPS-1377 has been open since then.
- The maintenance notice reached an inbox nobody reads during on-call, so we did not expect it.

This is the third orders-db failover with trouble in 15 months, after the August 2025 incident
and [[2026-07-27-orders-db-replica-lag-after-automated-failover]]. Each time the database failed
over correctly and something around it did not follow.

## Detection and response

Checkout errors alerted at 12:03, a minute after the stall, but the errors had stopped by the time
Jonas declared at 12:12. He reconstructed the sequence from the Patroni and HAProxy logs by 12:17,
and by 12:24 understood why HAProxy was late. Writes had been fine since 12:06:31, so he called it
mitigated at 12:25. Mia pointed out that none of the failed writes was retried and linked the open
OPS-1377. The HAProxy check was changed the next day to ask Patroni's REST API (`GET /primary` on
port 8008) every 2 s with fall 3, and provider maintenance notices now go to the SRE calendar.

## What went well

- Patroni's failover took 47 seconds from the stall to a new primary, as designed.
- The logs of Patroni and HAProxy were enough to reconstruct the sequence to the second.
- The HAProxy fix was small and went out within a day.

## What went badly

- We repeated a class of incident we already know well: clients not following the primary.
- The follow-up from last year's drill that would have hidden most of the impact (OPS-1377) was
  still open a year later.
- We missed a maintenance notice that told us exactly when to expect this.

## Where we got lucky

- The disk froze for 40 seconds. Had orders-db-2 recovered while HAProxy still sent it writes,
  we would have relied on Patroni demoting it cleanly under load, which we have never tested.
- It happened at 12:02, before the lunch peak.

## Lessons learned

- A health check must ask the question we care about ("are you the primary?"), not a proxy for it
  ("are you up?").
- Drills should cover the failure modes we have not had yet, not only the one we rehearsed.
- Follow-ups that prevent impact need to be finished, or they should be dropped on purpose with
  the risk accepted. Leaving them open is neither.
MD
fu 2026-11-02T16:30 "HAProxy checks Patroni's REST API (GET /primary) every 2 s, fall 3" jonas repair 2026-11-02 OPS-2790
fu 2026-11-02T16:31 "Idempotent retries for POST /v1/orders" mia prevent 2026-11-20 OPS-1377
fu 2026-11-02T16:32 "Provider maintenance notices into the SRE calendar and the on-call handover" oliver process 2026-11-06 OPS-2791
fu 2026-11-02T16:33 "Failover drill on production orders-db in working hours, including a demoted but live primary" priya process 2026-11-13 OPS-2792
fu 2026-11-02T16:34 "Alert when HAProxy and Patroni disagree about the primary for more than 10 s" jonas detect 2026-12-11
fudone 2026-11-02T16:40 jonas FU-1
review 2026-11-04T10:00 lena
fudone 2026-11-05T11:15 oliver FU-3
publish 2026-11-06T15:00

# ---------------------------------------------------------------------------
# SEV3s: short reviews ("even a one-sentence postmortem").
# ---------------------------------------------------------------------------

# --- July 2026: orders-db replica lag after automated failover (SEV3) --------
pm 2026-07-27-orders-db-replica-lag-after-automated-failover priya
draft 2026-07-29T10:00
prose 2026-07-29T11:00 <<'MD'
## Root cause and contributing factors

orders-db-1 panicked on an ECC error at 03:30 and Patroni promoted orders-db-2 within 15 s, but
orders-db-3 could not follow the new timeline because `use_pg_rewind` was false on that member
only, a leftover of [[2026-06-06-maintenance-orders-db-upgrade-to-postgresql-16]], when replicas
were rebuilt by hand. Reads routed to it (order history in the app, analytics exports) were up to
25 minutes stale.

## Detection and response

The failover itself paged nobody, by design. The stale reads were noticed at 04:50 from the
analytics export lag, 80 minutes later; Priya declared at 05:05, ran pg_rewind and had orders-db-3
streaming again at 05:55.

## What went well

The automatic failover worked at 03:30 without anyone awake, and writes were never affected.

## What went badly

80 minutes of stale reads before anyone knew, because we alert on replication lag per cluster,
not per replica.

## Where we got lucky

The stale replica served only order history and exports, not stock or payments.

## Lessons learned

Manual steps during a maintenance leave configuration drift behind; after
[[2025-08-14-orders-db-failover-left-checkout-read-only]], it is again the members around the
primary that did not follow it.
MD
fu 2026-07-29T11:15 "use_pg_rewind on every Patroni member, checked by a configuration test" jonas prevent 2026-07-31
fu 2026-07-29T11:16 "Alert on replication lag above 60 s on any single orders-db replica" priya detect 2026-08-07 OPS-2521
fudone 2026-07-29T16:30 jonas FU-1
review 2026-07-30T10:00 oliver
publish 2026-08-03T10:30
fudone 2026-08-05T12:00 priya FU-2

# --- August 2026: iOS pinning failures after API cert rotation (SEV3) --------
pm 2026-08-26-ios-pinning-failures-after-api-cert-rotation arjun
draft 2026-09-03T10:00
prose 2026-09-03T11:00 <<'MD'
## Root cause and contributing factors

iOS app versions before 6.0 pin the public key of the api.northwind.example leaf certificate, and
the scheduled rotation (OPS-2601) generated a new key, so about 3% of iOS users could not connect
at all. Versions 6.0 and later pin the intermediate and kept working. Nobody involved in the
rotation knew that old app versions pinned a different key.

## Detection and response

App support tickets and the API's TLS error graph showed it 55 minutes after the rotation; Arjun
declared at 11:05 and Oliver rolled the certificate back at 11:30. The forced update to 6.0 via
remote config then let us rotate safely on 2 September.

## What went well

Rolling back to the previous certificate (still valid until 20 September) was quick and safe.

## What went badly

The rotation had no check against the keys our apps pin, and we could not see the failures on
the server side until users reported them.

## Where we got lucky

The old certificate was still valid for three more weeks, so a rollback was possible at all.

## Lessons learned

Certificates are not only about expiry ([[2025-05-14-expired-certificate-on-static-northwind-example]],
[[2026-03-26-expired-internal-ca-certificate-broke-mtls]]): pinned clients make a key change as
risky as an expired certificate.
MD
fu 2026-09-03T11:15 "Certificate rotation checks the pinned keys of every supported app version first" oliver prevent 2026-09-04 OPS-2619
fu 2026-09-03T11:16 "Apps pin the intermediate plus a backup key only; the pin set is documented next to the certificate" arjun prevent 2026-09-30 OPS-2620
fudone 2026-09-03T11:20 oliver FU-1
review 2026-09-04T10:00 mia
publish 2026-09-08T10:00
fudone 2026-09-28T15:00 arjun FU-2

# --- September 2026: DNS timeouts from kube-dns on prod-cluster-2 (SEV3) -----
pm 2026-09-28-dns-timeouts-from-kube-dns-on-prod-cluster-2 priya
draft 2026-10-01T10:00
prose 2026-10-01T11:30 <<'MD'
## Root cause and contributing factors

About 1% of DNS lookups from pods on prod-cluster-2 took exactly 5 seconds: parallel A and AAAA
queries over one UDP socket hit the known conntrack insert race in the kernel (`insert_failed`
climbing on every node), one answer was dropped, and the resolver retried after its 5 s timeout.
checkout-api and inventory, the chattiest clients, saw sporadic timeouts between services.

## Detection and response

It had been going on since 09:00 before latency alerts on inventory were traced to DNS at 12:50.
Priya declared at 13:10 and set `single-request-reopen` in the dnsConfig of the two services,
which brought 5-second lookups down to 0.02% by 14:40; Jonas rolled out NodeLocal DNSCache to the
cluster two days later.

## What went well

The 5-second signature was recognised quickly, and the short-term fix needed no deploy of the
services' code.

## What went badly

Nearly four hours passed before anyone suspected DNS, because we have no per-node DNS latency
metrics.

## Where we got lucky

Only 1% of lookups were affected; at the Black Friday load this would have been much worse.

## Lessons learned

After [[2026-05-27-checkout-dns-pointed-at-a-retired-load-balancer]] and the findings of
[[2026-03-11-game-day-dns-failover-to-the-secondary-provider]], this is the first DNS problem inside
a cluster: DNS needs the same monitoring as any other dependency, per node.
MD
fu 2026-10-01T11:45 "NodeLocal DNSCache on every cluster (prod-cluster-1 and staging still to do)" jonas prevent 2026-10-30 OPS-2688
fu 2026-10-01T11:46 "Alert on conntrack insert_failed and DNS lookup p99 per node" priya detect 2026-10-16 OPS-2689
fu 2026-10-01T11:47 "Remove single-request-reopen from checkout-api and inventory once every cluster has node-local-dns" priya other 2026-12-18
review 2026-10-02T10:00 oliver
publish 2026-10-06T10:00
fudone 2026-10-14T14:00 priya FU-2

# --- October 2026: iOS users logged out after app update 6.3 (SEV3) ----------
# Still a draft: one sentence per section so far.
pm 2026-10-22-ios-users-logged-out-after-app-update-6-3 arjun
draft 2026-10-26T10:00
prose 2026-10-26T10:20 <<'MD'
## Root cause and contributing factors

6.3 moved the keychain items into a shared access group for the new widget, and its migration
read only the new group, so every user who updated was signed out once.

## Detection and response

Support's 42 contacts showed the pattern within the morning; pausing the phased release at 20%
kept most users on 6.2 until 6.3.1 was live.

## What went well

Phased release did what it is for.

## What went badly

Our release tests install fresh builds and never update from the previous version.

## Where we got lucky

Being signed out is annoying, not broken: no data was lost.

## Lessons learned

Test the update path, not only the install; see also [[2026-04-09-android-app-crashes-on-launch-after-5-12-0]].
MD
fu 2026-10-26T10:30 "Release tests update from the current App Store build, sign in, then install the candidate" arjun detect 2026-11-13

# --- November 2026: certificate for partner-api expires in 5 days (SEV3) -----
# In review: a near miss, written up in a sentence or two per section.
pm 2026-11-04-certificate-for-partner-api-expires-in-5-days oliver
draft 2026-11-05T10:00
prose 2026-11-05T10:30 <<'MD'
## Root cause and contributing factors

partner-api.northwind.example still had its own CAA record for the certificate authority we used
until 2024, which overrides the apex CAA added after
[[2026-03-11-game-day-dns-failover-to-the-secondary-provider]], so every renewal was refused.

## Detection and response

The expiry alert we built after [[2025-05-14-expired-certificate-on-static-northwind-example]]
fired with five days left instead of fourteen, because partner-api was missing from its hand-kept
list of hosts until 3 November; the renewal alert from the same review watches the Certificate's
Ready condition, which stays true while the old certificate is valid, so three weeks of failed
renewals went unnoticed. Once paged, Oliver fixed it in 40 minutes.

## What went well

The alert gave us five days, and the cert-manager message named the CAA record at once.

## What went badly

Both of our certificate alerts had a gap we did not know about.

## Where we got lucky

partner-api joined the expiry alert's list the day before it fired; a week later, 14 marketplace
partners would have stopped sending orders on Monday.

## Lessons learned

A near miss is cheap data: old DNS records keep surprising us, and our alerts covered less than
we thought.
MD
fu 2026-11-05T10:45 "The DNS pipeline flags CAA records that disagree with the apex" chloe prevent 2026-11-06 OPS-2802
fu 2026-11-05T10:46 "Audit the CAA records of every subdomain" chloe prevent 2026-11-27
fu 2026-11-05T10:47 "Alert on failed renewals (cert-manager Issuing condition) for 24 hours, not only on Ready" oliver detect 2026-12-04 OPS-2803
fu 2026-11-05T10:48 "Build the expiry alert's list of hosts from the DNS zones instead of by hand" chloe detect 2026-12-11 OPS-2804
fudone 2026-11-05T10:50 chloe FU-1
review 2026-11-23T10:00 priya

# ===========================================================================
# Run every step in time order.
# ===========================================================================
n=0
while IFS= read -r line; do
	eval "run ${line#* * }"
	n=$((n + 1))
done < <(sort -k1,1n -k2,2n "$EVENTS")
echo "ran $n steps; ${#SEEN[@]} postmortems in $TARGET"
