#!/usr/bin/env bash
# bench/shapes.sh [N] [SHAPES...] — the search index on several corpus
# shapes: for each shape, a generated repository of N incidents (default
# 10000; shapes default wide heavy), the first `sev search` (which builds
# the index), the index's size against the YAML and Markdown it indexes,
# and a warm eight-word search against `git grep -i -l` on the same
# repository in the same run (medians of 5). See docs/performance.md.
set -euo pipefail
n=${1:-10000}
shift || true
shapes=("${@:-default wide heavy}")
read -r -a shapes <<<"${shapes[*]}"
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$here" && go build -o "$work/sev" ./cmd/sev)
now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for sh in "${shapes[@]}"; do
  repo=$work/$sh
  "$work/sev" dev gen --incidents "$n" --seed 1 --shape "$sh" "$repo" >/dev/null
  text=$(find "$repo/incidents" "$repo/postmortems" -type f \( -name '*.yaml' -o -name '*.md' \) -printf '%s\n' | awk '{s+=$1} END {print s}')
  t0=$(now)
  (cd "$repo" && "$work/sev" search rollback >/dev/null)
  first=$((($(now) - t0) / 1000000))
  index=$(find "$repo/.git/sev/search" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
  sev=$(for _ in 1 2 3 4 5; do
    t0=$(now)
    (cd "$repo" && "$work/sev" search error rate dropped after the cache was flushed >/dev/null)
    echo $((($(now) - t0) / 1000000))
  done | median)
  grep=$(for _ in 1 2 3 4 5; do
    t0=$(now)
    git -C "$repo" grep -i -l rollback >/dev/null
    echo $((($(now) - t0) / 1000000))
  done | median)
  awk -v s="$sh" -v t="$text" -v i="$index" -v f="$first" -v q="$sev" -v g="$grep" 'BEGIN {
    printf "%-8s index %.2f× the text (%d / %d bytes), first search %d ms, warm search %d ms vs git grep %d ms: %.1f× faster\n", s, i/t, i, t, f, q, g, g/q }'
done
