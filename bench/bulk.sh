#!/usr/bin/env bash
# bench/bulk.sh REPO [SAMPLE] — time one bulk edit of every incident of a
# generated repository (`sev tag --where ... --include-restricted --yes`,
# one commit) against the anchor, one `sev tag ID` per incident, timed on
# SAMPLE incidents (default 50) and scaled to the whole repository.
#
# REPO is a generated repository (go run ./cmd/sev dev gen --incidents 10000 REPO);
# it is copied, never changed. GNU time gives the CPU time and peak memory.
set -euo pipefail
repo=${1:?usage: bench/bulk.sh REPO [SAMPLE]}
sample=${2:-50}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sev=$work/sev
(cd "$here" && go build -o "$sev" ./cmd/sev)
export SEV_USER=bench GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
cp -a "$repo" "$work/bulk"
cp -a "$repo" "$work/one"
n=$(git -C "$repo" ls-files 'incidents/*/incident.yaml' | wc -l)
now() { date +%s%N; }

cd "$work/bulk"
t0=$(now)
/usr/bin/time -f 'cpu %U s user + %S s system, peak %M KB' -o "$work/time" \
  "$sev" tag --where 'after:1970-01-01' bulk-bench --include-restricted --yes --debug >/dev/null 2>"$work/debug"
t1=$(now)
bulk_ms=$(( (t1 - t0) / 1000000 ))
commits=$(git rev-list --count HEAD)
changed=$(git show --name-only --format= HEAD | wc -l)

cd "$work/one"
mapfile -t ids < <(git ls-files 'incidents/*/incident.yaml' | shuf -n "$sample" --random-source=<(yes) | xargs -n1 dirname | xargs -n1 basename)
t0=$(now)
for id in "${ids[@]}"; do "$sev" tag "$id" bulk-bench >/dev/null; done
t1=$(now)
one_ms=$(( (t1 - t0) / 1000000 ))

echo "repository: $n incidents"
echo "sev tag --where (all $n, one commit): $((bulk_ms / 1000)).$(( (bulk_ms % 1000) / 100 )) s wall; $(cat "$work/time")"
grep -E 'through the validation gate|planned the change|applied the change|wrote [0-9]+ (blobs|files)' "$work/debug" | sed 's/^/  /'
echo "  the commit: $commits commits in all, $changed files changed"
awk -v ms="$one_ms" -v k="$sample" -v n="$n" -v b="$bulk_ms" 'BEGIN {
  per = ms / k; est = per * n / 1000
  printf "sev tag ID, one per incident: %.0f ms each over %d, so %.0f s (%.1f min) for %d\n", per, k, est, est / 60, n
  printf "ratio bulk / one by one: %.3f\n", b / 1000 / est }'
