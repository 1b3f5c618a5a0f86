#!/usr/bin/env bash
# scripts/release-files.sh OUT [DATE [VERSION]] — the files the release archives carry next
# to the binary: shell completions (bash, zsh, fish, PowerShell) under
# OUT/completions and a man page per command under OUT/man, dated DATE
# (RFC 3339; default now) and naming sev VERSION (v1.2.3). GoReleaser runs
# it before building (.goreleaser.yaml) with the commit's date and the
# release's version, so one commit always gives the same pages.
set -euo pipefail
out=${1:?usage: scripts/release-files.sh OUT [DATE [VERSION]]}
date=${2:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}
version=${3:-}
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ldflags=()
if [ -n "$version" ]; then
  ldflags=(-ldflags "-X github.com/sev-dev/sev/internal/buildinfo.version=$version")
fi
(cd "$here" && go build "${ldflags[@]}" -o "$tmp/sev" ./cmd/sev)
rm -rf "$out"
mkdir -p "$out/completions"
"$tmp/sev" completion bash >"$out/completions/sev.bash"
"$tmp/sev" completion zsh >"$out/completions/_sev"
"$tmp/sev" completion fish >"$out/completions/sev.fish"
"$tmp/sev" completion powershell >"$out/completions/sev.ps1"
SEV_NOW=$date "$tmp/sev" dev man "$out/man"
