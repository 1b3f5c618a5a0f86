#!/usr/bin/env bash
# bench/validate.sh REPO — `sev validate` with nothing cached against the
# anchor, plain yaml.v3 decoding of the same incident files on all cores
# (BenchmarkPlainYAML), in one run; then the cached run on the unchanged repo.
set -euo pipefail
repo=${1:?usage: bench/validate.sh REPO}
here=$(cd "$(dirname "$0")/.." && pwd)
sev=$(mktemp -d)/sev
(cd "$here" && go build -o "$sev" ./cmd/sev)
ms() { echo $(( ($2 - $1) / 1000000 )); }
files=$(find "$repo/incidents" -name '*.yaml' | wc -l)
rm -f "$repo/.git/sev/validate.cache"
t0=$(date +%s%N); "$sev" -C "$repo" validate --no-cache >/dev/null; t1=$(date +%s%N)
cold=$(ms "$t0" "$t1")
plain=$(cd "$here" && SEV_BENCH_REPO="$repo" go test -run XXX -bench BenchmarkPlainYAML -benchtime 1x ./internal/validate |
  awk '/BenchmarkPlainYAML/ { print int($3 / 1000000) }')
"$sev" -C "$repo" validate >/dev/null   # fills the cache
# without a change feed, alternating with the anchor `git status`
warm=() gst=()
for i in 1 2 3 4 5; do
  t0=$(date +%s%N); SEV_FSMONITOR=0 "$sev" -C "$repo" validate >/dev/null; t1=$(date +%s%N)
  warm+=("$(ms "$t0" "$t1")")
  t0=$(date +%s%N); git -C "$repo" -c core.fsmonitor=false status --porcelain >/dev/null; t1=$(date +%s%N)
  gst+=("$(ms "$t0" "$t1")")
done
median=$(printf '%s\n' "${warm[@]}" | sort -n | sed -n 3p)
gmedian=$(printf '%s\n' "${gst[@]}" | sort -n | sed -n 3p)
# with Watchman as the change feed, through git's hook, when installed
hook=/usr/share/git-core/templates/hooks/fsmonitor-watchman.sample
fmedian=
if command -v watchman >/dev/null && [[ -f $hook ]]; then
  old=$(git -C "$repo" config core.fsmonitor || true)
  cp "$hook" "$repo/.git/hooks/query-watchman-bench" && chmod +x "$repo/.git/hooks/query-watchman-bench"
  git -C "$repo" config core.fsmonitor .git/hooks/query-watchman-bench
  "$sev" -C "$repo" validate >/dev/null; "$sev" -C "$repo" validate >/dev/null   # watch, take a token
  fed=()
  for i in 1 2 3 4 5; do
    t0=$(date +%s%N); "$sev" -C "$repo" validate >/dev/null; t1=$(date +%s%N)
    fed+=("$(ms "$t0" "$t1")")
  done
  fmedian=$(printf '%s\n' "${fed[@]}" | sort -n | sed -n 3p)
  if [[ -n $old ]]; then git -C "$repo" config core.fsmonitor "$old"; else git -C "$repo" config --unset core.fsmonitor; fi
  rm -f "$repo/.git/hooks/query-watchman-bench"
fi
"$sev" -C "$repo" validate --staged >/dev/null   # fills the staged cache
staged=()
for i in 1 2 3 4 5; do
  t0=$(date +%s%N); "$sev" -C "$repo" validate --staged >/dev/null; t1=$(date +%s%N)
  staged+=("$(( (t1 - t0) / 1000 ))")
done
smedian=$(printf '%s\n' "${staged[@]}" | sort -n | sed -n 3p)
echo "incident files:                 $files"
echo "sev validate, nothing cached:   ${cold} ms ($(( files * 1000 / cold )) files/s)"
echo "plain YAML decoding (anchor):   ${plain} ms ($(( files * 1000 / plain )) files/s)"
awk -v s="$cold" -v p="$plain" 'BEGIN { printf "ratio sev/plain: %.2f\n", s / p }'
echo "sev validate, unchanged repo, no feed: median ${median} ms of 5 (${warm[*]})"
echo "git status (anchor):            median ${gmedian} ms of 5 (${gst[*]})"
awk -v s="$median" -v g="$gmedian" 'BEGIN { printf "ratio sev/git status: %.2f (target: at most 1)\n", s / g }'
if [[ -n $fmedian ]]; then
  echo "sev validate, unchanged repo, Watchman feed: median ${fmedian} ms of 5 (${fed[*]}) (target: under 100 ms)"
else
  echo "sev validate with a change feed: watchman is not installed"
fi
echo "sev validate --staged, unchanged index: median ${smedian} us of 5 (target: under 100 ms)"
