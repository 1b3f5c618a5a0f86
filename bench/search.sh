#!/usr/bin/env bash
# bench/search.sh REPO [ROUNDS] — `sev search` on a warm index against the
# anchor, `git grep -i -l` for the same text over the same files
# (incidents/ and postmortems/), alternated in one run; prints p50 and p99
# of each and the ratio. REPO is a generated repository:
#   go run ./cmd/sev dev gen --incidents 50000 --seed 1 /tmp/gen50k
set -euo pipefail
repo=${1:?usage: bench/search.sh REPO [ROUNDS]}
rounds=${2:-15}
here=$(cd "$(dirname "$0")/.." && pwd)
sev=$(mktemp -d)/sev
(cd "$here" && go build -o "$sev" ./cmd/sev)
# the planted phrases (sev dev gen --json lists them) and an ordinary word
queries=("quantum flux capacitor" "dev-cluster-105" "ERR_CONN_RESET" "api.eu-west-1" "10.20.3.14" "rollback")
t0=$EPOCHREALTIME
"$sev" -C "$repo" search x >/dev/null   # builds the index if needed
echo "index ready in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
"$sev" -C "$repo" search x >/dev/null   # settles the freshness check
us() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d\n", (b - a) * 1000000 }'; }
sevt=() grept=()
for ((r = 0; r < rounds; r++)); do
  for q in "${queries[@]}"; do
    a=$EPOCHREALTIME; "$sev" -C "$repo" search "$q" >/dev/null; b=$EPOCHREALTIME
    sevt+=("$(us "$a" "$b")")
    a=$EPOCHREALTIME; git -C "$repo" grep -i -l -F -e "$q" -- incidents postmortems >/dev/null || true; b=$EPOCHREALTIME
    grept+=("$(us "$a" "$b")")
  done
done
pct() { printf '%s\n' "${@:2}" | sort -n | awk -v p="$1" '{ v[NR] = $1 } END { i = int(NR * p / 100 + 0.5); if (i < 1) i = 1; printf "%.1f", v[i] / 1000 }'; }
n=${#sevt[@]}
echo "queries: ${#queries[@]} × $rounds rounds = $n each, alternated"
echo "sev search (warm index):  p50 $(pct 50 "${sevt[@]}") ms   p99 $(pct 99 "${sevt[@]}") ms"
echo "git grep -i -l:           p50 $(pct 50 "${grept[@]}") ms   p99 $(pct 99 "${grept[@]}") ms"
awk -v s="$(pct 50 "${sevt[@]}")" -v g="$(pct 50 "${grept[@]}")" 'BEGIN { printf "ratio git grep / sev search at p50: %.0fx (target: at least 20x)\n", g / s }'
du -sh "$repo/.git/sev/search" | awk '{ print "index size: " $1 }'
