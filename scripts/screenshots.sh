#!/usr/bin/env bash
# scripts/screenshots.sh [FLAGS] — the pictures of the demo organisation's
# incident library in docs/img, which README.md and docs/site.md show: it
# builds the site at a fixed reference time and photographs its pages in
# headless Chromium (internal/screenshots; -only now,status takes some,
# -out DIR writes elsewhere). Needs Go and Chromium. Run it after changing
# the theme or the demo data and commit the pictures.
set -euo pipefail
cd "$(dirname "$0")/.."
go run ./internal/screenshots -out docs/img "$@"
