#!/usr/bin/env bash
# bench/import-kill.sh [RUNS] [N] — kill -9 `sev import cstate` of a generated
# status page of N issues at a random moment, RUNS times; after each, import
# again (after `git clean -fd -- incidents postmortems` when the import lists
# files an interrupted one left, as it asks) and check the result: one
# import commit, a clean status, git fsck clean, N incident folders.
set -euo pipefail
runs=${1:-14} n=${2:-2000}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sev=$work/sev
(cd "$here" && go build -o "$sev" ./cmd/sev)
(cd "$here" && SEV_BENCH_CSTATE="$work/site" SEV_BENCH_N="$n" go test -count=1 -run TestWriteBenchCorpus ./internal/importer >/dev/null)
ok=0
for i in $(seq 1 "$runs"); do
  delay=$(awk -v s="$i" 'BEGIN { srand(s); printf "%.2f", 0.2 + rand() * 4 }')
  repo=$work/repo-$i
  git init -q "$repo"
  git -C "$repo" config user.name Bench && git -C "$repo" config user.email bench@example.com
  "$sev" -C "$repo" init >/dev/null 2>&1
  "$sev" -C "$repo" import cstate "$work/site" >/dev/null 2>&1 & pid=$!
  sleep "$delay"; kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  if ! "$sev" -C "$repo" import cstate "$work/site" >/dev/null 2>&1; then
    git -C "$repo" clean -fdq -- incidents postmortems
    "$sev" -C "$repo" import cstate "$work/site" >/dev/null 2>&1
  fi
  c=$(git -C "$repo" rev-list --count HEAD)
  d=$(git -C "$repo" status --porcelain | wc -l)
  f=$(git -C "$repo" fsck --no-progress 2>&1 | grep -vc dangling || true)
  dirs=$(find "$repo/incidents" -mindepth 2 -maxdepth 2 -type d | wc -l)
  echo "run $i, killed after ${delay} s: commits $c, dirty $d, fsck findings $f, incidents $dirs"
  if [[ $c == 2 && $d == 0 && $f == 0 && $dirs == "$n" ]]; then ok=$((ok + 1)); fi
  rm -rf "$repo"
done
echo "clean after the kill: $ok of $runs"
