#!/usr/bin/env bash
# bench/watch.sh REPO [ROUNDS] — what sev watch costs on a repository of REPO's
# size, and how soon it claims a notification that falls due.
#
# 1. Idle rounds: `sev watch --once` with nothing due, ROUNDS times (default 5);
#    prints the median wall time, CPU (user+sys) and peak memory of a round.
# 2. Due to claimed: in a local clone of REPO with an email channel that cannot
#    connect (the delivery fails fast and is recorded), `sev watch` runs with its
#    default interval while an incident is declared and escalated at a random
#    moment, three times; prints the seconds from the escalation's commit to the
#    receipt's commit (the claim, which comes before the delivery).
# REPO is a generated repository (go run ./cmd/sev dev gen --incidents 10000 REPO);
# it is not changed.
set -euo pipefail
repo=${1:?usage: bench/watch.sh REPO [ROUNDS]}
rounds=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'kill "${watcher:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
sev=$work/sev
(cd "$here" && go build -o "$sev" ./cmd/sev)
[[ -x /usr/bin/time ]] || { apt-get update -qq && apt-get install -y -qq time; }
git clone -q --local "$repo" "$work/repo"
cd "$work/repo"
export SEV_USER=bench GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
git remote remove origin
rows=()
for ((i = 0; i < rounds; i++)); do
  /usr/bin/time -f '%e %U %S %M' -o "$work/t" "$sev" watch --once >/dev/null 2>&1
  rows+=("$(awk '{ printf "%.2f %.2f %d\n", $1, $2 + $3, $4 / 1024 }' "$work/t")")
done
med() { printf '%s\n' "${rows[@]}" | awk -v c="$1" '{ print $c }' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "incidents: $(find incidents -mindepth 2 -maxdepth 2 -type d | wc -l)"
echo "idle round (sev watch --once, nothing due): median $(med 1) s wall, $(med 2) s CPU, $(med 3) MiB peak over $rounds rounds"
# a policy and a channel that fails fast
cat >>sev.yaml <<'YAML'
notify:
  channels:
    - {name: mail, type: email, smtp: "127.0.0.1:1", from: sev@example.com, to: [oncall@example.com]}
YAML
mkdir -p escalations
printf 'levels:\n  - notify: [channel:mail]\n' >escalations/bench.yaml
git add -A && git commit -q -m "bench: a channel and a policy"
SEV_WEBHOOKS_ALLOW_PRIVATE=1 "$sev" watch >"$work/watch.log" 2>&1 &
watcher=$!
for i in 1 2 3; do
  sleep $((RANDOM % 20 + 5))
  "$sev" declare "Bench escalation $i $RANDOM" --sev 1 >/dev/null
  id=$(git log -1 --format=%s | cut -d: -f1)
  "$sev" escalate "$id" bench >/dev/null
  t0=$(git log -1 --format=%ct)
  t1=
  for _ in $(seq 120); do
    t1=$(git log -1 --format=%ct --grep="^$id: notified")
    [[ -n $t1 ]] && break
    sleep 1
  done
  echo "escalation $i: claimed $((t1 - t0)) s after it was started"
done
