#!/usr/bin/env bash
# What the page wasm weighs and where the bytes go. Builds web/analyzer.wasm
# exactly as ./build.sh does, prints raw, gzip -9 and (if installed) brotli
# sizes against the 1.0 MB gzip budget, the lazily loaded sanitizer, the
# floor (the Go runtime + syscall/js alone), then code per package from a
# build that keeps function names (bench/wasmsize).
#   bench/wasm-size.sh [-funcs why401_analyzer]   # extra args go to wasmsize
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flags=(-trimpath "-ldflags=-s -w")
budget=1000000
size() { # label file
  local gz
  gz=$(gzip -9 -c "$2" | wc -c)
  printf '%-40s %9d raw %9d gzip' "$1" "$(wc -c <"$2")" "$gz"
  if command -v brotli >/dev/null; then printf ' %9d br' "$(brotli -q 11 -c "$2" | wc -c)"; fi
  echo
}
GOOS=js GOARCH=wasm go build "${flags[@]}" -o "$tmp/page.wasm" ./wasm
GOOS=js GOARCH=wasm go build -tags sanitizer "${flags[@]}" -o "$tmp/sanitizer.wasm" ./wasm/sanitize
mkdir -p "$tmp/floor"
printf 'module floor\ngo 1.26\n' >"$tmp/floor/go.mod"
printf 'package main\nimport "syscall/js"\nfunc main() { js.Global().Set("x", 1); select {} }\n' >"$tmp/floor/main.go"
(cd "$tmp/floor" && GOOS=js GOARCH=wasm go build "${flags[@]}" -o "$tmp/floor.wasm" .)

size "page: web/analyzer.wasm" "$tmp/page.wasm"
size "lazy: web/sanitizer.wasm" "$tmp/sanitizer.wasm"
size "floor: Go runtime + syscall/js" "$tmp/floor.wasm"
gz=$(gzip -9 -c "$tmp/page.wasm" | wc -c)
if [ "$gz" -le "$budget" ]; then
  echo "page wasm: $gz bytes gzip, within the $budget-byte budget ($((budget - gz)) to spare)"
else
  echo "page wasm: $gz bytes gzip, OVER the $budget-byte budget by $((gz - budget))"
fi
echo
GOOS=js GOARCH=wasm go build -trimpath -ldflags=-w -o "$tmp/named.wasm" ./wasm
go run ./bench/wasmsize "$@" "$tmp/named.wasm"
