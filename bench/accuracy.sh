#!/usr/bin/env bash
# Knowledge accuracy on the fixture groups written from real captures, for
# the current tree and, side by side, for an older commit (default: the
# commit before the real-pages work, or REV):
#   bench/accuracy.sh [REV] [-v]
# Each fixture's expected verdict, vendor and scheme come from its group's
# expect.json; the older binary is built from a temporary worktree and run
# on today's fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."
rev="${1:-85704cc}"
shift || true
shopt -s nullglob
groups=()
for d in analyzer/testdata/cases/real-* analyzer/testdata/cases/redacted; do
  [ -f "$d/expect.json" ] && groups+=("$d") # a group still being written has none
done
tmp=$(mktemp -d)
trap 'git worktree remove --force "$tmp/old" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/new" ./cmd/why401
git worktree add --detach "$tmp/old" "$rev" >/dev/null 2>&1
(cd "$tmp/old" && go build -o "$tmp/oldbin" ./cmd/why401)
echo "== $rev (before)"
go run ./bench/accuracy -bin "$tmp/oldbin" "$@" "${groups[@]}"
echo "== working tree ($(git describe --always --dirty))"
go run ./bench/accuracy -bin "$tmp/new" "$@" "${groups[@]}"
