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
