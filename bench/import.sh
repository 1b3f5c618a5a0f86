#!/usr/bin/env bash
# bench/import.sh [N] [UPDATES] [SHAPE] — `sev import cstate` of a generated
# status page of N issues with UPDATES updates each (SHAPE short: one-line
# updates; long: paragraphs of Markdown), into a fresh repository, against
# the anchor: `git add -A && git commit` of the very files sev wrote, in a
# second fresh repository, in the same run. Then the second import of the
# same page (which must write nothing).
set -euo pipefail
n=${1:-10000} updates=${2:-19} shape=${3:-short}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sev=$work/sev
(cd "$here" && go build -o "$sev" ./cmd/sev)
(cd "$here" && SEV_BENCH_CSTATE="$work/site" SEV_BENCH_N="$n" SEV_BENCH_UPDATES="$updates" SEV_BENCH_SHAPE="$shape" \
  go test -count=1 -run TestWriteBenchCorpus ./internal/importer >/dev/null)
ms() { echo $(( ($2 - $1) / 1000000 )); }
repo() {
  git init -q "$1"
  git -C "$1" config user.name Bench && git -C "$1" config user.email bench@example.com
}
repo "$work/repo"
"$sev" -C "$work/repo" init >/dev/null 2>&1
t0=$(date +%s%N); "$sev" -C "$work/repo" import cstate "$work/site" >"$work/out" 2>&1; t1=$(date +%s%N)
first=$(ms "$t0" "$t1")
grep -q "Committed" "$work/out" || { cat "$work/out"; exit 1; }
commits=$(git -C "$work/repo" rev-list --count HEAD)
t0=$(date +%s%N); "$sev" -C "$work/repo" import cstate "$work/site" >"$work/out2" 2>&1; t1=$(date +%s%N)
again=$(ms "$t0" "$t1")
grep -q "Nothing to write" "$work/out2" || { cat "$work/out2"; exit 1; }
repo "$work/anchor"
cp -r "$work/repo/incidents" "$work/repo/sev.yaml" "$work/anchor/"
t0=$(date +%s%N); git -C "$work/anchor" add -A && git -C "$work/anchor" commit -qm anchor; t1=$(date +%s%N)
anchor=$(ms "$t0" "$t1")
entries=$(grep -c '^- id:' -r "$work/repo/incidents" --include=timeline.yaml | awk -F: '{s += $2} END {print s}')
echo "import of $n issues ($shape, $entries entries): ${first} ms, one commit (history: $commits commits)"
echo "second import (nothing to write): ${again} ms"
echo "anchor, git add -A && git commit of the same files: ${anchor} ms"
awk -v a="$first" -v b="$anchor" 'BEGIN { printf "ratio sev import / git add+commit: %.1f\n", a / b }'
