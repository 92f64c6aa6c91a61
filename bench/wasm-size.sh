#!/usr/bin/env bash
# What the page's wasm weighs and where the bytes go. Builds the page's two
# wasm files exactly as ./build.sh does (./build.sh page), prints raw, gzip -9
# and (if installed) brotli sizes, the first one against its 1.5 MB gzip
# budget, the floor (the Go runtime + syscall/js alone, same flags), then
# code per package of analyzer.wasm, from a build that keeps function names
# (bench/wasmsize).
#   bench/wasm-size.sh [-funcs why401_analyzer]   # extra args go to wasmsize
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
budget=$(sed -n 's/^PAGE_BUDGET=\([0-9]*\)$/\1/p' build.sh)
size() { # label file
  printf '%-44s %9d raw %9d gzip' "$1" "$(wc -c <"$2")" "$(gzip -9 -c "$2" | wc -c)"
  if command -v brotli >/dev/null; then printf ' %9d br' "$(brotli -q 11 -c "$2" | wc -c)"; fi
  echo
}
mkdir -p "$tmp/web" "$tmp/floor"
./build.sh page "$tmp/web" >/dev/null
printf 'module floor\ngo 1.26\n' >"$tmp/floor/go.mod"
printf 'package main\nimport "syscall/js"\nfunc main() { js.Global().Set("x", 1); select {} }\n' >"$tmp/floor/main.go"
(cd "$tmp/floor" && GOEXPERIMENT=nogreenteagc GOOS=js GOARCH=wasm go build -trimpath "-ldflags=-s -w" -gcflags=std=-l -o "$tmp/floor.wasm" .)
go run ./internal/cmd/wasmpack "$tmp/floor.wasm" >/dev/null

size "page: analyzer.wasm" "$tmp/web/analyzer.wasm"
size "on demand: sanitizer.wasm" "$tmp/web/sanitizer.wasm"
size "floor: Go runtime + syscall/js" "$tmp/floor.wasm"
gz=$(gzip -9 -c "$tmp/web/analyzer.wasm" | wc -c)
if [ "$gz" -le "$budget" ]; then
  echo "analyzer.wasm: $gz bytes gzip, within the $budget-byte budget ($((budget - gz)) to spare)"
else
  echo "analyzer.wasm: $gz bytes gzip, OVER the $budget-byte budget by $((gz - budget))"
fi
echo
cold=()
for p in $(sed -n 's/^page_cold="\(.*\)"$/\1/p' build.sh); do cold+=("-gcflags=$p=-l"); done
GOEXPERIMENT=nogreenteagc GOOS=js GOARCH=wasm go build -tags slim -trimpath -ldflags=-w -gcflags=std=-l "${cold[@]}" -o "$tmp/named.wasm" ./wasm
go run ./internal/cmd/wasmpack "$tmp/named.wasm" >/dev/null
go run ./bench/wasmsize "$@" "$tmp/named.wasm"
