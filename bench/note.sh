#!/usr/bin/env bash
# bench/note.sh REPO [N] — time `sev note` (append + commit) against the anchor,
# `git add FILE && git commit` of the same kind of change, side by side in one
# run on the same repository, and print the medians and their ratio.
#
# REPO is a generated repository (go run ./cmd/sev dev gen --incidents 100000 REPO).
# The runs alternate (sev, git, sev, git, ...) so both see the same machine state.
set -euo pipefail
repo=${1:?usage: bench/note.sh REPO [N]}
n=${2:-21}
here=$(cd "$(dirname "$0")/.." && pwd)
sev=$(mktemp -d)/sev
(cd "$here" && go build -o "$sev" ./cmd/sev)
cd "$repo"
export SEV_USER=bench GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
# two different incidents, so neither run benefits from the other's cache
mapfile -t tl < <(git ls-files 'incidents/*/timeline.yaml' | sed -n '1p;$p')
id_sev=$(basename "$(dirname "${tl[0]}")")
file_git=${tl[1]}
now() { date +%s%N; }
sev_t=(); git_t=()
for i in $(seq 1 "$n"); do
  t0=$(now); "$sev" note "$id_sev" "benchmark note $i $RANDOM" >/dev/null; t1=$(now)
  sev_t+=($(( (t1 - t0) / 1000 )))
  printf -- '- id: bench%06d%04d\n  at: 2026-03-02T14:31:00Z\n  by: bench\n  type: note\n  text: benchmark note %d\n' "$i" "$RANDOM" "$i" >>"$file_git"
  t0=$(now); git add "$file_git" && git commit -q -m "bench $i"; t1=$(now)
  git_t+=($(( (t1 - t0) / 1000 )))
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms=$(median "${sev_t[@]}"); mg=$(median "${git_t[@]}")
files=$(git ls-files | wc -l)
echo "repository: $files tracked files, index $(stat -c %s .git/index) bytes"
echo "sev note:               median $((ms / 1000)).$(( (ms % 1000) / 100 )) ms over $n runs"
echo "git add + git commit:   median $((mg / 1000)).$(( (mg % 1000) / 100 )) ms over $n runs"
awk -v s="$ms" -v g="$mg" 'BEGIN { printf "ratio sev/git: %.2f (target: at most 0.50)\n", s / g }'
