#!/usr/bin/env bash
# bench/ab.sh REV_A REV_B REPO [N] — the same commands with two builds of
# sev, interleaved (A, B, A, B, ...) on one repository so both see the same
# machine state: `sev note` N times each (medians), and `sev build` of the
# whole site 3 times each (medians). Use it to show a change is no slower.
#
#   bench/ab.sh d6d8348 HEAD /tmp/g5k
#
# REPO is a generated repository (sev dev gen); it is copied first, so it is
# not changed.
set -euo pipefail
a=${1:?usage: bench/ab.sh REV_A REV_B REPO [N]}
b=${2:?}
repo=${3:?}
n=${4:-21}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for rev in a b; do
  r=${!rev}
  git -C "$here" worktree add -q --detach "$work/src-$rev" "$r"
  (cd "$work/src-$rev" && go build -o "$work/sev-$rev" ./cmd/sev)
  git -C "$here" worktree remove --force "$work/src-$rev"
done
cp -r "$repo" "$work/repo"
cd "$work/repo"
export SEV_USER=bench GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
id=$(git ls-files 'incidents/*/timeline.yaml' | sed -n '1p' | cut -d/ -f3)
now() { date +%s%N; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
note_a=(); note_b=()
for i in $(seq 1 "$n"); do
  t0=$(now); "$work/sev-a" note "$id" "ab note a $i" >/dev/null; t1=$(now); note_a+=($(( (t1 - t0) / 1000 )))
  t0=$(now); "$work/sev-b" note "$id" "ab note b $i" >/dev/null; t1=$(now); note_b+=($(( (t1 - t0) / 1000 )))
done
build_a=(); build_b=()
for i in 1 2 3; do
  t0=$(now); "$work/sev-a" build --out "$work/out-a" >/dev/null 2>&1; t1=$(now); build_a+=($(( (t1 - t0) / 1000 )))
  t0=$(now); "$work/sev-b" build --out "$work/out-b" >/dev/null 2>&1; t1=$(now); build_b+=($(( (t1 - t0) / 1000 )))
done
ma=$(median "${note_a[@]}"); mb=$(median "${note_b[@]}")
ba=$(median "${build_a[@]}"); bb=$(median "${build_b[@]}")
echo "sev note  $a: median $((ma / 1000)).$(( (ma % 1000) / 100 )) ms   $b: median $((mb / 1000)).$(( (mb % 1000) / 100 )) ms  (n=$n)"
echo "sev build $a: median $((ba / 1000)) ms   $b: median $((bb / 1000)) ms  (3 rounds, incremental after the first)"
awk -v a="$ma" -v b="$mb" -v x="$ba" -v y="$bb" 'BEGIN { printf "ratio B/A: note %.2f, build %.2f\n", b / a, y / x }'
