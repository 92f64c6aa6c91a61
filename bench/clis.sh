# Sourced by bench/ownwords.sh and bench/realpages.sh (`. "$(dirname "$0")/clis.sh" "$@"`):
# the working directory is the repository root, $tmp a temporary directory
# removed on exit, $mirrors where OWNER+NAME/repo mirrors live (MIRRORS,
# default /work/.mirror), and bins the CLIs named on the command line, else
# the working tree's, built as $tmp/why401.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mirrors="${MIRRORS:-/work/.mirror}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bins=("$@")
if [ ${#bins[@]} -eq 0 ]; then
  go build -o "$tmp/why401" ./cmd/why401
  bins=("$tmp/why401")
fi
