#!/usr/bin/env bash
# One entry point for building, serving and testing why401.
#   ./build.sh            build the CLI (bin/why401) and the page (web/analyzer.wasm, web/wasm_exec.js,
#                         web/sanitizer.wasm: the sanitizer, loaded only when asked for)
#   ./build.sh serve      build, then serve the page on http://127.0.0.1:8080
#   ./build.sh test       every test: vet, unit, js/wasm, fuzz smoke, browser and worker end-to-end
#   ./build.sh fuzz [T]   run each fuzz target (or T) for FUZZTIME (default 10m; e.g. FUZZTIME=30s)
#   ./build.sh worker     build the page and the Workers bundle (worker/build/)
#   ./build.sh worker-dev build them, then serve with workerd on http://127.0.0.1:8787 (no account)
set -euo pipefail
cd "$(dirname "$0")"

GOROOT_WASM="$(go env GOROOT)/lib/wasm"
VERSION="$(git describe --always --dirty 2>/dev/null || echo dev)"

build_cli() {
  go build -trimpath -ldflags="-X main.version=$VERSION" -o bin/why401 ./cmd/why401
}

build_page() {
  GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o web/analyzer.wasm ./wasm
  cp "$GOROOT_WASM/wasm_exec.js" web/wasm_exec.js
  local gz
  gz=$(gzip -9 -c web/analyzer.wasm | wc -c)
  echo "web/analyzer.wasm: $(wc -c < web/analyzer.wasm) bytes, $gz gzip"
  # The sanitizer (and its crypto) is a second wasm, fetched only on "Download a sanitized HAR".
  GOOS=js GOARCH=wasm go build -tags sanitizer -trimpath -ldflags="-s -w" -o web/sanitizer.wasm ./wasm/sanitize
  gz=$(gzip -9 -c web/sanitizer.wasm | wc -c)
  echo "web/sanitizer.wasm: $(wc -c < web/sanitizer.wasm) bytes, $gz gzip"
}

fuzz_targets() {
  # package:target pairs, discovered from the source.
  grep -rho --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' analyzer | sed 's/^func //' | sort -u
}

run_fuzz() {
  local t="${1:-}" time="${FUZZTIME:-10m}"
  for f in $(fuzz_targets); do
    if [ -n "$t" ] && [ "$t" != "$f" ]; then continue; fi
    echo "fuzz $f for $time"
    go test ./analyzer -run='^$' -fuzz="^$f\$" -fuzztime="$time"
  done
}

case "${1:-build}" in
  build)
    build_cli
    build_page
    ;;
  serve)
    build_cli
    build_page
    exec go run ./cmd/serve -addr "${ADDR:-127.0.0.1:8080}"
    ;;
  test)
    if [ ! -x node_modules/@cloudflare/workerd-linux-64/bin/workerd ] && command -v npm >/dev/null; then
      npm ci --no-fund --no-audit --ignore-scripts   # the pinned workerd for the worker tests
    fi
    if ! command -v chromium >/dev/null; then
      echo "note: no chromium: the browser tests will be skipped (apt-get install chromium; .ci/run does)" >&2
    fi
    build_cli
    build_page
    echo "== go vet, staticcheck"
    go vet ./...
    go run honnef.co/go/tools/cmd/staticcheck@v0.6.1 ./...
    GOOS=js GOARCH=wasm go vet ./analyzer ./wasm ./worker
    GOOS=js GOARCH=wasm go vet -tags sanitizer ./wasm/sanitize
    worker/build.sh
    echo "== go test (native, includes browser and worker end-to-end tests)"
    go test -count=1 ./...
    echo "== go test (js/wasm under node)"
    PATH="$GOROOT_WASM:$PATH" GOOS=js GOARCH=wasm go test -count=1 ./analyzer ./wasm
    PATH="$GOROOT_WASM:$PATH" GOOS=js GOARCH=wasm go test -count=1 -tags sanitizer ./wasm/sanitize
    # A count, not a duration: Go 1.26's fuzz coordinator can fail a duration
    # run with a spurious "context deadline exceeded" when the time is up
    # (golang/go#75804, fixed in Go 1.27). 30,000 inputs take 2-10 s a target.
    echo "== fuzz smoke (${FUZZTIME:=30000x} per target)"
    FUZZTIME="$FUZZTIME" run_fuzz
    ;;
  fuzz)
    run_fuzz "${2:-}"
    ;;
  worker)
    build_page
    worker/build.sh
    ;;
  worker-dev)
    build_page
    exec worker/build.sh --serve
    ;;
  *)
    echo "usage: ./build.sh [build|serve|test|fuzz [Target]|worker|worker-dev]" >&2
    exit 2
    ;;
esac
