#!/usr/bin/env bash
# Page figures: wasm size (raw, gzip -9, brotli if available), time to ready,
# click-to-verdict for a pasted response, and a large generated HAR end to end
# in headless Chromium.   Usage: bench/page.sh [MB]   (default 100)
#   HAR=FILE bench/page.sh    times that HAR instead (e.g. a bench/genhar shape)
set -euo pipefail
cd "$(dirname "$0")/.."
./build.sh >/dev/null
w=web/analyzer.wasm
printf 'web/analyzer.wasm: %s bytes raw, %s gzip -9' "$(wc -c <"$w")" "$(gzip -9 -c "$w" | wc -c)"
if command -v brotli >/dev/null; then printf ', %s brotli -q 11' "$(brotli -q 11 -c "$w" | wc -c)"; fi
echo
go run ./bench/page -root . -mb "${1:-100}" ${HAR:+-har "$HAR"}
