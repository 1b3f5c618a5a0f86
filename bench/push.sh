#!/usr/bin/env bash
# push.sh [CLONES] [NOTES]: CLONES clones of one bare remote each run NOTES
# `sev note --push` one after another, all clones at once, on one incident.
# Prints how many commands failed, how many entries landed (each must land
# exactly once), the median, p90 and slowest command, and git fsck of the
# remote. Everything runs on this machine: the remote is a local bare
# repository, so the clones, the remote and git all share its cores.
set -euo pipefail
clones=${1:-50}
notes=${2:-10}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill 0 2>/dev/null; rm -rf "$work"' EXIT
go build -o "$work/sev" ./cmd/sev
export HOME=$work GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
git config --global user.name bench
git config --global user.email bench@example.com
git config --global init.defaultBranch main
cd "$work"
git init -q --bare remote.git
git clone -q remote.git seed 2>/dev/null
(cd seed && ../sev init --push >/dev/null 2>&1 && ../sev declare "Checkout errors" --push >/dev/null)
for i in $(seq 1 "$clones"); do git clone -q remote.git "c$i"; done
start=$(date +%s.%N)
for i in $(seq 1 "$clones"); do
  (
    cd "c$i"
    for n in $(seq 1 "$notes"); do
      s=$(date +%s.%N)
      if ! out=$(../sev note checkout "note $n from $i" --by "r$i" --push 2>&1); then
        echo "FAIL $(echo "$out" | head -1)"
      fi
      echo "T $(echo "$(date +%s.%N) - $s" | bc)"
    done
  ) > "log$i" 2>&1 &
done
wait
wall=$(echo "$(date +%s.%N) - $start" | bc)
git clone -q remote.git check
tl=$(ls check/incidents/*/*/timeline.yaml)
landed=0 dup=0
for i in $(seq 1 "$clones"); do
  for n in $(seq 1 "$notes"); do
    c=$(grep -c "text: note $n from $i\$" "$tl" || true)
    [ "$c" -ge 1 ] && landed=$((landed + 1))
    [ "$c" -gt 1 ] && dup=$((dup + 1))
  done
done
fails=$(cat log* | grep -c '^FAIL' || true)
cat log* | grep '^FAIL' | sed 's/committed [0-9a-f]* /committed … /' | sort | uniq -c | sort -rn | head -3
cat log* | grep '^T' | awk '{print $2}' | sort -n |
  awk -v c="$clones" -v n="$notes" -v w="$wall" -v f="$fails" -v l="$landed" -v d="$dup" \
    '{a[NR]=$1} END {printf "%d×%d: wall %.0f s, %d failed, %d of %d landed, %d twice; median %.2f s, p90 %.1f s, slowest %.1f s\n", c, n, w, f, l, c*n, d, a[int(NR/2)], a[int(NR*0.9)], a[NR]}'
git -C remote.git fsck --strict >/dev/null 2>&1 && echo "fsck clean" || echo "fsck FAILED"
