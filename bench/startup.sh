#!/usr/bin/env bash
# What a process pays before its first report: the CLI on a tiny capture
# (a 97-byte pasted 200 whose JSON says "not authenticated": every catalog
# the analyzer builds on first use is built), timed from outside by
# farm-bench (CPU as the OS counts it, and wall), then the package inits
# (GODEBUG=inittrace=1) summed. With a baseline binary (e.g. the CLI built
# from an earlier commit), the two run in turn, A/B pair by pair.
#   bench/startup.sh [BASELINE_BINARY] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
input=analyzer/testdata/cases/real-inbody/json-ok-false-not-authed-200.http
go build -trimpath -o "$tmp/why401" ./cmd/why401
echo "load: $(uptime)"
if [ -n "${1:-}" ]; then
  farm-bench -n "${2:-20}" --warmup 2 --vs "$1 $input" -- "$tmp/why401" "$input"
else
  farm-bench -n "${2:-20}" --warmup 2 -- "$tmp/why401" "$input"
fi
echo
echo "package inits (GODEBUG=inittrace=1, one run; clock ms, allocations):"
GODEBUG=inittrace=1 "$tmp/why401" "$input" 2>&1 >/dev/null |
  awk '/^init / { ms += $5; kb += $8; n++; if ($5 >= 0.2) print "  " $2, $5 " ms", $8 " bytes" }
       END { printf "  %d packages: %.1f ms clock, %.0f KB allocated\n", n, ms, kb / 1024 }'
