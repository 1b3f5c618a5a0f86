#!/usr/bin/env bash
# bench/site.sh [REPO] [ROUNDS] — `sev build` (site and search index) against
# the anchor, Hugo + Pagefind building the same content, side by side in one
# run: each round builds Hugo's site from scratch, runs Pagefind over Hugo's
# output and runs `sev build` into an empty folder, each timed with its peak
# memory (GNU time: elapsed seconds and maximum resident set size); prints the
# median of ROUNDS (default 3) and the ratios the targets are about.
#
# REPO defaults to /tmp/gen10k and is generated when missing
# (sev dev gen --incidents 10000 --seed 1, with --shape $SHAPE when set). bench/hugoexport writes it as a
# Hugo site first (not timed: it stands for the content a Hugo user keeps).
# Prerequisites: apt-get install -y hugo time; npm ci --prefix bench
# (Pagefind, pinned in bench/package.json). Without a build command in sev
# the sev part prints "sev build: not available yet".
# With SITES=DIR the last round's sites are kept, DIR/hugo (indexed by
# Pagefind) and DIR/sev, for bench/sitequery.
set -euo pipefail
repo=${1:-/tmp/gen10k}
rounds=${2:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v hugo >/dev/null || { echo "hugo is missing: apt-get install -y hugo" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { apt-get update -qq && apt-get install -y -qq time; }
[[ -d "$here/bench/node_modules/pagefind" ]] || npm ci --prefix "$here/bench" --no-audit --no-fund >&2
# the platform binary that bench/node_modules/.bin/pagefind would start
pagefind=$(find "$here/bench/node_modules/@pagefind" -path '*/bin/pagefind*' -type f ! -name '*.*' 2>/dev/null | head -1)
pagefind=${pagefind:-$here/bench/node_modules/.bin/pagefind}
sev=$work/sev
(cd "$here" && go build -o "$sev" ./cmd/sev)
if [[ ! -d "$repo" ]]; then
  echo "generating $repo (10,000 incidents, seed 1, shape ${SHAPE:-default})"
  "$sev" dev gen --incidents 10000 --seed 1 --shape "${SHAPE:-default}" "$repo" >/dev/null
fi
echo "hugo: $(hugo version | cut -d' ' -f2)   pagefind: $("$pagefind" --version | cut -d' ' -f2)   repo: $repo"
t0=$EPOCHREALTIME
(cd "$here" && go run ./bench/hugoexport "$repo" "$work/hugo")
echo "exported in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s (not part of the comparison)"
has_build=0
"$sev" build --help >/dev/null 2>&1 && has_build=1 || echo "sev build: not available yet"
# timed OUT CMD... runs CMD under GNU time and appends "seconds KiB" to OUT
timed() {
  local out=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
  cat "$work/time" >>"$out"
}
# the search index's own time, if sev build reports it on a line such as
# "search index: 1234 pages in 1.2s" (a Go duration; the pattern may change)
index_time() { grep -Eio 'search index[^0-9]*([0-9]+ [a-z]+ )*in [0-9.]+(ms|s)' "$work/log" | grep -Eo '[0-9.]+(ms|s)$' |
  awk '/ms$/ { printf "%.2f\n", $1 / 1000; next } { printf "%.2f\n", $1 }' | head -1; }
# last FILE: the newest measurement, "12.3 s 456 MiB"
last() { tail -1 "$1" | awk '{ printf "%s s %.0f MiB", $1, $2 / 1024 }'; }
for ((r = 1; r <= rounds; r++)); do
  rm -rf "$work/hugo/public" "$work/sev-out"
  timed "$work/hugo.t" hugo --source "$work/hugo" --destination "$work/hugo/public" --quiet
  timed "$work/pagefind.t" "$pagefind" --site "$work/hugo/public"
  if ((has_build)); then
    timed "$work/sev.t" "$sev" -C "$repo" build --out "$work/sev-out"
    t=$(index_time) && [[ -n "$t" ]] && echo "$t" >>"$work/index.t"
  fi
  echo "round $r: hugo $(last "$work/hugo.t"), pagefind $(last "$work/pagefind.t")$( ((has_build)) && echo ", sev build $(last "$work/sev.t")")"
done
# median COLUMN FILE
median() { cut -d' ' -f"$1" "$2" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
ht=$(median 1 "$work/hugo.t") hm=$(median 2 "$work/hugo.t")
pt=$(median 1 "$work/pagefind.t") pm=$(median 2 "$work/pagefind.t")
pages=$(find "$work/hugo/public/incidents" -mindepth 1 -maxdepth 1 -type d ! -name '[0-9][0-9][0-9][0-9]' | wc -l)
echo "medians of $rounds rounds, $pages incident pages:"
printf '%-28s %8s s %8s MiB peak RSS   output %s\n' "hugo" "$ht" "$(mib "$hm")" "$(du -sh --exclude=pagefind "$work/hugo/public" | cut -f1)"
printf '%-28s %8s s %8s MiB peak RSS   index %s in %s files\n' "pagefind (over hugo's site)" "$pt" "$(mib "$pm")" \
  "$(du -sh "$work/hugo/public/pagefind" | cut -f1)" "$(find "$work/hugo/public/pagefind" -type f | wc -l)"
printf '%-28s %8s s\n' "hugo + pagefind" "$(awk -v a="$ht" -v b="$pt" 'BEGIN { printf "%.2f", a + b }')"
if ((has_build)); then
  st=$(median 1 "$work/sev.t") sm=$(median 2 "$work/sev.t")
  printf '%-28s %8s s %8s MiB peak RSS   output %s\n' "sev build" "$st" "$(mib "$sm")" "$(du -sh "$work/sev-out" | cut -f1)"
  awk -v s="$st" -v h="$ht" -v p="$pt" 'BEGIN { printf "ratio sev build / (hugo + pagefind) time: %.3f (target: at most 0.25)\n", s / (h + p) }'
  awk -v s="$sm" -v h="$hm" 'BEGIN { printf "ratio sev build / hugo peak RSS: %.3f (target: at most 0.25)\n", s / h }'
  if [[ -s "$work/index.t" ]]; then
    it=$(median 1 "$work/index.t")
    awk -v i="$it" -v p="$pt" 'BEGIN { printf "search index: sev %.2f s, pagefind %.2f s: pagefind / sev %.1fx (target: at least 5x)\n", i, p, p / i }'
  fi
fi
if [[ -n "${SITES:-}" ]]; then
  rm -rf "$SITES/hugo" "$SITES/sev" && mkdir -p "$SITES"
  mv "$work/hugo/public" "$SITES/hugo"
  ((has_build)) && mv "$work/sev-out" "$SITES/sev"
  echo "sites kept in $SITES; measure their search with:"
  echo "  go run ./bench/sitequery -repo $repo -pagefind $SITES/hugo$( ((has_build)) && echo " -sev $SITES/sev")"
fi
