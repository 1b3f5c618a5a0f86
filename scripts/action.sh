#!/usr/bin/env bash
# scripts/action.sh plan|install — how sev's GitHub Action (action.yml) gets
# the sev it runs. docs/workflows.md explains the choices.
#
#   plan     decides where sev comes from and writes the outputs mode, tag
#            and key (the cache key) to $GITHUB_OUTPUT:
#              release  the release archive of the action's own ref (a tag,
#                       or a commit a release tag points at), or of the
#                       version input
#              source   a build of the action's own files: a ref without a
#                       release, or the repository's own action (uses: ./)
#              module   go install of the version input (a commit without
#                       a release)
#   install  puts sev into $SEV_BIN: downloads the archive for the runner's
#            OS and architecture with checksums.txt and refuses an archive
#            whose SHA-256 is not the one listed; or builds it.
#
# Environment: SEV_VERSION (the version input), SEV_BIN, GITHUB_ACTION_PATH,
# RUNNER_OS, RUNNER_ARCH, GITHUB_OUTPUT; for install also SEV_MODE, SEV_TAG,
# SEV_REPO (the plan's outputs). SEV_DOWNLOAD_URL (default
# https://github.com) and SEV_GIT_URL (default https://github.com/REPO)
# point elsewhere in tests. Nothing here changes the caller's environment:
# Go settings are given to the one command that needs them.
set -euo pipefail

fail() {
  echo "::error title=sev action::$*"
  exit 1
}

release_re='^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$'
commit_re='^[0-9a-f]{40}$'

# sha256sum, or shasum on a macOS runner without coreutils
sha256sum() {
  if command -v sha256sum >/dev/null 2>&1; then
    command sha256sum "$@"
  else
    shasum -a 256 "$@"
  fi
}

sha256() { sha256sum "$1" | cut -d' ' -f1; }

# tag_of REPO COMMIT: the release tag that points at COMMIT, if any (the
# peeled commit of an annotated tag, or a lightweight tag's).
tag_of() {
  local url=${SEV_GIT_URL:-https://github.com/$1}
  GIT_TERMINAL_PROMPT=0 git ls-remote --tags -- "$url" 'refs/tags/v*' |
    awk -v c="$2" '$1 == c { t = $2; sub("^refs/tags/", "", t); sub("\\^\\{\\}$", "", t); print t }' |
    grep -E "$release_re" | sort | tail -n 1 || true
}

# source_key: a hash of everything that goes into a build of the action's
# files — Go sources and the files they embed — and nothing else (no tests,
# no test data, no documentation).
source_key() {
  cd "$GITHUB_ACTION_PATH"
  local files=(go.mod go.sum) f
  for f in ./*.go; do
    case $f in *_test.go) ;; *) files+=("$f") ;; esac
  done
  while IFS= read -r -d '' f; do
    files+=("$f")
  done < <(find cmd internal schema .github/workflows .github/ISSUE_TEMPLATE \
    -name testdata -prune -o -type f ! -name '*_test.go' -print0 2>/dev/null | sort -z)
  sha256sum "${files[@]}" | sha256sum | cut -c1-64
}

plan() {
  local repo='' ref='' mode tag='' key
  # The runner puts a repository's action at .../_actions/OWNER/REPO/REF;
  # github.action_ref is not reliable inside composite actions
  # (actions/runner#2473), the path is.
  if [[ ${GITHUB_ACTION_PATH:-} =~ /_actions/([^/]+)/([^/]+)/([^/]+)/?$ ]]; then
    repo="${BASH_REMATCH[1]}/${BASH_REMATCH[2]}"
    ref=${BASH_REMATCH[3]}
  fi
  repo=${repo:-sev-dev/sev}
  if [ -n "${SEV_VERSION:-}" ]; then
    [[ $SEV_VERSION =~ $release_re || $SEV_VERSION =~ $commit_re ]] ||
      fail "the version input must be a release tag such as v1.2.3 or a full commit id, not \"$SEV_VERSION\""
    ref=$SEV_VERSION
  fi
  if [[ $ref =~ $release_re ]]; then
    tag=$ref
  elif [[ $ref =~ $commit_re ]]; then
    tag=$(tag_of "$repo" "$ref")
  fi
  if [ -n "$tag" ]; then
    mode=release
    key="sev-$RUNNER_OS-$RUNNER_ARCH-release-$repo-$tag"
  elif [ -n "${SEV_VERSION:-}" ]; then
    mode=module
    key="sev-$RUNNER_OS-$RUNNER_ARCH-module-$SEV_VERSION"
  else
    mode=source
    key="sev-$RUNNER_OS-$RUNNER_ARCH-source-$(source_key)"
  fi
  key=${key//\//-}
  echo "sev: $mode${tag:+ $tag}${ref:+ (ref $ref)} from $repo"
  {
    printf 'mode=%s\n' "$mode"
    printf 'tag=%s\n' "$tag"
    printf 'repo=%s\n' "$repo"
    printf 'key=%s\n' "$key"
  } >>"$GITHUB_OUTPUT"
}

download() {
  local os arch ext name base tmp want got
  case ${RUNNER_OS:-} in
  Linux) os=linux ;;
  macOS) os=darwin ;;
  Windows) os=windows ;;
  *) fail "sev has no release for runner OS \"${RUNNER_OS:-}\"" ;;
  esac
  case ${RUNNER_ARCH:-} in
  X64) arch=amd64 ;;
  ARM64) arch=arm64 ;;
  *) fail "sev has no release for runner architecture \"${RUNNER_ARCH:-}\"" ;;
  esac
  ext=tar.gz
  [ "$os" = windows ] && ext=zip
  name="sev_${SEV_TAG#v}_${os}_${arch}.$ext"
  base="${SEV_DOWNLOAD_URL:-https://github.com}/$SEV_REPO/releases/download/$SEV_TAG"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  curl -fsSL --retry 3 -o "$tmp/checksums.txt" "$base/checksums.txt" ||
    fail "cannot download $base/checksums.txt"
  curl -fsSL --retry 3 -o "$tmp/$name" "$base/$name" ||
    fail "cannot download $base/$name"
  want=$(awk -v n="$name" '$2 == n || $2 == "*" n { print $1 }' "$tmp/checksums.txt")
  [ -n "$want" ] || fail "checksums.txt of $SEV_TAG lists no $name; refusing to run an unverified sev"
  got=$(sha256 "$tmp/$name")
  [ "$got" = "$want" ] ||
    fail "$name does not match checksums.txt of $SEV_TAG (SHA-256 $got, listed $want); refusing to run it"
  mkdir -p "$tmp/x" "$SEV_BIN"
  if [ "$ext" = zip ]; then
    unzip -q -o "$tmp/$name" sev.exe -d "$tmp/x" || fail "$name holds no sev.exe"
    mv "$tmp/x/sev.exe" "$SEV_BIN/sev.exe"
  else
    tar -xzf "$tmp/$name" -C "$tmp/x" sev || fail "$name holds no sev"
    mv "$tmp/x/sev" "$SEV_BIN/sev"
    chmod +x "$SEV_BIN/sev"
  fi
  echo "sev: $name verified against checksums.txt"
}

build() {
  command -v go >/dev/null 2>&1 ||
    fail "building sev from source needs Go on the runner (this ref has no release); use a release of the action instead"
  mkdir -p "$SEV_BIN"
  # GOTOOLCHAIN=auto fetches the Go that go.mod names when the runner's is
  # older, for this command only.
  if [ "$SEV_MODE" = module ]; then
    GOTOOLCHAIN=auto GOFLAGS=-mod=readonly CGO_ENABLED=0 GOBIN="$SEV_BIN" \
      go install -trimpath "github.com/sev-dev/sev/cmd/sev@$SEV_VERSION"
  else
    cd "$GITHUB_ACTION_PATH"
    GOTOOLCHAIN=auto GOFLAGS=-mod=readonly CGO_ENABLED=0 go build -trimpath -o "$SEV_BIN/sev" ./cmd/sev
  fi
}

case ${1:-} in
plan) plan ;;
install)
  case ${SEV_MODE:-} in
  release) download ;;
  source | module) build ;;
  *) fail "unknown mode \"${SEV_MODE:-}\"" ;;
  esac
  ;;
*)
  echo "usage: scripts/action.sh plan|install" >&2
  exit 2
  ;;
esac
